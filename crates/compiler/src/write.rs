//! Writes the compiled site. The JSON goes to a temporary folder first and replaces the old
//! output only when complete, so a failed build leaves the previous output untouched.

use crate::load::CompiledSite;
use anyhow::{Context, Result};
use quire_core::model::{CONTENT_DIR, INDEX_FILE, PAGES_DIR, POSTS_DIR, SEARCH_DIR, write_post_file};
use quire_core::url::post_file_key;
use serde::Serialize;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub fn write_site(site: &CompiledSite, out: &Path) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let final_dir = out.join(CONTENT_DIR);
    restore_previous(&final_dir)?;
    let temp_dir = out.join(format!(".{CONTENT_DIR}.tmp-{}", std::process::id()));
    // Left by a build that stopped half-way (process ids repeat, in containers above all):
    // its files must not mix with this build's.
    remove_if_present(&temp_dir)?;
    let result = write_content(site, &temp_dir).and_then(|()| replace_dir(&temp_dir, &final_dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp_dir);
    }
    result?;
    // GitHub Pages: serve files as they are (Jekyll would hide names starting with `_`).
    write_file(&out.join(".nojekyll"), b"")
}

fn write_content(site: &CompiledSite, dir: &Path) -> Result<()> {
    // The search index reads every body again (all of a 50 MB post's): beside the JSON.
    std::thread::scope(|scope| {
        let search = scope.spawn(|| crate::search::build(site));
        let written = write_json_files(site, dir);
        let search = search.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        written?;
        crate::search::write(&search, &dir.join(SEARCH_DIR))
    })
}

/// The listing's, the listing pages' and every post's JSON (a post's: its JSON line and its
/// Markdown, see `quire_core::model::write_post_file`).
fn write_json_files(site: &CompiledSite, dir: &Path) -> Result<()> {
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
    // One file per post, on every core; the first error in post order is the one reported.
    crate::parallel::map(&site.posts, |post| {
        let path = posts_dir.join(format!("{}.json", post_file_key(&post.summary.slug)));
        let bytes = write_post_file(&site.post_file(post))
            .with_context(|| format!("cannot serialise {}", path.display()))?;
        write_file(&path, &bytes)
    })
    .into_iter()
    .collect::<Result<()>>()
}

/// Where the previous output waits while the new one moves into place.
fn aside(dir: &Path) -> PathBuf {
    dir.with_extension("old")
}

/// A build stopped between the two renames of [`replace_dir`] left the previous output
/// aside and none in place: put it back, so that it stays if this build fails too.
fn restore_previous(dir: &Path) -> Result<()> {
    let old = aside(dir);
    if !dir.exists() && old.is_dir() {
        fs::rename(&old, dir).with_context(|| {
            format!("cannot move the previous output {} back to {}", old.display(), dir.display())
        })?;
    }
    Ok(())
}

fn remove_if_present(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn replace_dir(from: &Path, to: &Path) -> Result<()> {
    replace_dir_with(from, to, &|a, b| fs::rename(a, b))
}

/// Moves the folder `from` to `to`, replacing what is there. When it fails, `to` holds what it
/// held before.
fn replace_dir_with(from: &Path, to: &Path, rename: &dyn Fn(&Path, &Path) -> io::Result<()>) -> Result<()> {
    let into_place = || format!("cannot move {} to {}", from.display(), to.display());
    if !to.exists() {
        return rename(from, to).with_context(into_place);
    }
    let old = aside(to);
    remove_if_present(&old)?;
    rename(to, &old).with_context(|| format!("cannot move {} aside to {}", to.display(), old.display()))?;
    if let Err(error) = rename(from, to) {
        let error = anyhow::Error::new(error).context(into_place());
        return match rename(&old, to) {
            Ok(()) => Err(error),
            Err(back) => Err(error.context(format!(
                "the previous output is in {} (cannot move it back: {back})",
                old.display()
            ))),
        };
    }
    remove_if_present(&old)
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_vec(value).with_context(|| format!("cannot serialise {}", path.display()))?;
    write_file(path, &json)
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn folder(path: &Path, text: &str) {
        fs::create_dir_all(path).expect("folder");
        fs::write(path.join("index.json"), text).expect("file");
    }

    fn text(path: &Path) -> String {
        fs::read_to_string(path.join("index.json")).unwrap_or_else(|e| format!("{}: {e}", path.display()))
    }

    #[test]
    fn a_failed_move_into_place_leaves_the_previous_output() {
        let dir = tempfile::tempdir().expect("temp");
        let (new, content) = (dir.path().join(".content.tmp-1"), dir.path().join("content"));
        folder(&new, "new");
        folder(&content, "previous");
        let calls = Cell::new(0);
        let result = replace_dir_with(&new, &content, &|a, b| {
            calls.set(calls.get() + 1);
            if calls.get() == 2 { Err(io::Error::other("disk full")) } else { fs::rename(a, b) }
        });
        let error = format!("{:#}", result.expect_err("the second rename fails"));
        assert!(error.contains("cannot move") && error.contains("disk full"), "{error}");
        assert_eq!(text(&content), "previous");
        assert!(!aside(&content).exists());

        replace_dir(&new, &content).expect("moves");
        assert_eq!(text(&content), "new");
        assert!(!aside(&content).exists() && !new.exists());
    }

    #[test]
    fn files_left_in_the_temporary_folder_are_not_published() {
        let out = tempfile::tempdir().expect("temp");
        let temp = out.path().join(format!(".{CONTENT_DIR}.tmp-{}", std::process::id()));
        folder(&temp.join(POSTS_DIR), "stale");
        let site = CompiledSite {
            site: quire_core::model::Site::default(),
            categories: Vec::new(),
            authors: Vec::new(),
            posts: Vec::new(),
            warnings: Vec::new(),
        };
        write_site(&site, out.path()).expect("writes");
        let content = out.path().join(CONTENT_DIR);
        assert!(content.join(INDEX_FILE).is_file());
        assert!(!content.join(POSTS_DIR).join("index.json").exists(), "a stale file was published");
        assert!(!temp.exists());
    }

    #[test]
    fn output_left_aside_by_a_stopped_build_is_put_back() {
        let dir = tempfile::tempdir().expect("temp");
        let content = dir.path().join("content");
        folder(&aside(&content), "previous");
        restore_previous(&content).expect("restores");
        assert_eq!(text(&content), "previous");
        assert!(!aside(&content).exists());
        // With both present, the one in place is the output.
        folder(&aside(&content), "older");
        restore_previous(&content).expect("nothing to do");
        assert_eq!(text(&content), "previous");
    }
}
