//! Writes the compiled site. The JSON goes to a temporary folder first and replaces the old
//! output only when complete, so a failed build leaves the previous output untouched.

use crate::load::CompiledSite;
use anyhow::{Context, Result};
use quire_core::model::{CONTENT_DIR, FORMAT_VERSION, INDEX_FILE, Index, POSTS_DIR, PostFile};
use quire_core::url::post_file_key;
use serde::Serialize;
use std::fs;
use std::path::Path;

/// SPA fallback for Netlify and Cloudflare Pages: unknown paths get the app with status 200.
const REDIRECTS: &str = "/*    /index.html   200\n";

pub fn write_site(site: &CompiledSite, out: &Path) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let final_dir = out.join(CONTENT_DIR);
    let temp_dir = out.join(format!(".{CONTENT_DIR}.tmp-{}", std::process::id()));
    let result = write_content(site, &temp_dir).and_then(|()| replace_dir(&temp_dir, &final_dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp_dir);
    }
    result?;
    write_file(&out.join("_redirects"), REDIRECTS.as_bytes())?;
    // GitHub Pages: serve files as they are (Jekyll would hide names starting with `_`).
    write_file(&out.join(".nojekyll"), b"")
}

fn write_content(site: &CompiledSite, dir: &Path) -> Result<()> {
    let posts_dir = dir.join(POSTS_DIR);
    fs::create_dir_all(&posts_dir).with_context(|| format!("cannot create {}", posts_dir.display()))?;
    let index = Index {
        version: FORMAT_VERSION,
        site: site.site.clone(),
        categories: site.categories.clone(),
        authors: site.authors.clone(),
        posts: site.posts.iter().map(|p| p.summary.clone()).collect(),
    };
    write_json(&dir.join(INDEX_FILE), &index)?;
    for post in &site.posts {
        let file = PostFile { version: FORMAT_VERSION, site: site.site.clone(), post: post.clone() };
        write_json(&posts_dir.join(format!("{}.json", post_file_key(&post.summary.slug))), &file)?;
    }
    Ok(())
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

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_vec(value).with_context(|| format!("cannot serialise {}", path.display()))?;
    write_file(path, &json)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes the public URL into the built `index.html`, then copies it to `404.html`: hosts that
/// serve that file for unknown paths (GitHub Pages, S3 error documents) then boot the app,
/// which routes the deep link itself.
pub fn finalize_html(out: &Path, public_url: &str) -> Result<()> {
    let index = out.join("index.html");
    let html = fs::read_to_string(&index)
        .with_context(|| format!("cannot read {} (run after the HTML is built)", index.display()))?;
    let html = set_base_meta(&html, public_url)
        .with_context(|| format!("{}: no <meta name=\"quire-base\" content=\"/\">", index.display()))?;
    write_file(&index, html.as_bytes())?;
    write_file(&out.join("404.html"), html.as_bytes())
}

/// Sets the `content` of `<meta name="quire-base" content="…">`; `None` if the tag is missing.
fn set_base_meta(html: &str, public_url: &str) -> Option<String> {
    let name_at = html.find("name=\"quire-base\"")?;
    let tag_start = html[..name_at].rfind('<')?;
    let tag_end = name_at + html[name_at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value_start = tag_start + tag.find("content=\"")? + "content=\"".len();
    let value_end = value_start + html[value_start..tag_end].find('"')?;
    let escaped = public_url.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Some(format!("{}{escaped}{}", &html[..value_start], &html[value_end..]))
}

#[cfg(test)]
mod tests {
    use super::set_base_meta;

    #[test]
    fn writes_the_public_url() {
        let html = "<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/\" /></head>";
        assert_eq!(
            set_base_meta(html, "/quire/").as_deref(),
            Some("<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/quire/\" /></head>")
        );
        assert_eq!(set_base_meta("<head></head>", "/"), None);
    }
}
