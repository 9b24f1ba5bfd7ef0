//! Writes the compiled site. The JSON goes to a temporary folder first and replaces the old
//! output only when complete, so a failed build leaves the previous output untouched.

use crate::load::CompiledSite;
use anyhow::{Context, Result};
use quire_core::model::{CONTENT_DIR, INDEX_FILE, PAGES_DIR, POSTS_DIR, SEARCH_DIR};
use quire_core::url::post_file_key;
use serde::Serialize;
use std::fs;
use std::path::Path;

pub fn write_site(site: &CompiledSite, out: &Path) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let final_dir = out.join(CONTENT_DIR);
    let temp_dir = out.join(format!(".{CONTENT_DIR}.tmp-{}", std::process::id()));
    let result = write_content(site, &temp_dir).and_then(|()| replace_dir(&temp_dir, &final_dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp_dir);
    }
    result?;
    // GitHub Pages: serve files as they are (Jekyll would hide names starting with `_`).
    write_file(&out.join(".nojekyll"), b"")
}

fn write_content(site: &CompiledSite, dir: &Path) -> Result<()> {
    let posts_dir = dir.join(POSTS_DIR);
    fs::create_dir_all(&posts_dir).with_context(|| format!("cannot create {}", posts_dir.display()))?;
    write_json(&dir.join(INDEX_FILE), &site.index())?;
    for page in crate::listings::listing_pages(site) {
        let path = dir.join(PAGES_DIR).join(page.listing.file(page.page));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_json(&path, &page)?;
    }
    for post in &site.posts {
        write_json(
            &posts_dir.join(format!("{}.json", post_file_key(&post.summary.slug))),
            &site.post_file(post),
        )?;
    }
    crate::search::write(&crate::search::build(site), &dir.join(SEARCH_DIR))
}

fn replace_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        let old = to.with_extension("old");
        let _ = fs::remove_dir_all(&old);
        fs::rename(to, &old).with_context(|| format!("cannot move {} aside", to.display()))?;
        fs::rename(from, to).with_context(|| format!("cannot move {} into place", to.display()))?;
        fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))
    } else {
        fs::rename(from, to).with_context(|| format!("cannot move {} into place", to.display()))
    }
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_vec(value).with_context(|| format!("cannot serialise {}", path.display()))?;
    write_file(path, &json)
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}
