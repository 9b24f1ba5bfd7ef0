//! The files of a content folder, read so that nothing is left out silently: whatever looks
//! like a post (or an author) but is not read becomes a warning naming it, and a file that is
//! not UTF-8 is an error naming the line and byte.

use anyhow::{Context, Result};
use quire_core::model::Post;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

/// Extensions of Markdown files that quire does not read (it reads `.md` only, as Netlify CMS
/// writes them): a file ending so is named in a warning.
const OTHER_MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdx"];

/// A warning lists at most this many files, then says how many more.
const FILES_NAMED: usize = 5;

/// The `*.md` files directly in `dir`, sorted by name; an absent folder has none. Entries that
/// look like posts but are not read (a folder named `x.md`, a symbolic link to nothing, a
/// `.markdown` file, a subfolder holding `.md` files) are warnings.
pub fn markdown_files(dir: &Path, warnings: &mut Vec<String>) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        match entry {
            Ok(entry) => entries.push(entry.path()),
            Err(e) => warnings.push(format!("{}: an entry cannot be listed ({e}): skipped", dir.display())),
        }
    }
    // By name, so that the files and the warnings come in the same order on every machine.
    entries.sort();
    let mut files = Vec::new();
    for path in entries {
        let extension = path.extension().and_then(OsStr::to_str);
        // Follows symbolic links: a link to a post is a post.
        let metadata = fs::metadata(&path);
        if extension == Some("md") {
            match metadata {
                Ok(m) if m.is_file() => files.push(path),
                Ok(m) if m.is_dir() => warnings.push(format!(
                    "{}: a folder, not a Markdown file: skipped (only files are read)",
                    path.display()
                )),
                Ok(_) => warnings.push(format!("{}: not a regular file: skipped", path.display())),
                Err(e) => {
                    warnings.push(format!("{}: {}: skipped", path.display(), unreachable_entry(&path, &e)))
                }
            }
        } else if metadata.as_ref().is_ok_and(fs::Metadata::is_dir) {
            let inside = count_markdown(&path);
            if inside > 0 {
                warnings.push(format!(
                    "{}: a subfolder holding {inside} .md file(s), which are not read: quire reads the \
                     .md files directly in {}",
                    path.display(),
                    dir.display()
                ));
            }
        } else if let Some(other) =
            extension.filter(|e| OTHER_MARKDOWN.contains(&e.to_ascii_lowercase().as_str()))
        {
            warnings.push(format!(
                "{}: quire reads only files ending in `.md`, not `.{other}`: skipped (rename it to end in `.md`)",
                path.display()
            ));
        }
    }
    Ok(files)
}

/// Why the entry at `path` cannot be reached: a symbolic link to nothing, or the system's reason.
fn unreachable_entry(path: &Path, error: &std::io::Error) -> String {
    match fs::read_link(path) {
        Ok(target) => format!("a symbolic link to {}, which cannot be read ({error})", target.display()),
        Err(_) => format!("cannot be read ({error})"),
    }
}

fn count_markdown(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "md")).count()
        })
        .unwrap_or(0)
}

/// The text of a file: `Ok(None)` after a warning when the file cannot be read (permissions,
/// an I/O error), an error naming the line and byte when it is not UTF-8 (the message follows
/// the file name).
pub fn read_text(path: &Path, warnings: &mut Vec<String>) -> Result<Option<String>, String> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            warnings.push(format!("{}: cannot be read ({e}): skipped", path.display()));
            return Ok(None);
        }
    };
    utf8(bytes).map(Some)
}

/// `bytes` as text, or an error naming the line and byte where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// `line 3, byte 7 (byte 42 of the file, 0xE9)`: where the first byte that is not UTF-8 is.
fn not_utf8(bytes: &[u8], at: usize) -> String {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let byte = bytes.get(at).map(|b| format!(", 0x{b:02X}")).unwrap_or_default();
    format!(
        "not UTF-8 text: line {line}, byte {} (byte {} of the file{byte}) is not UTF-8; save the file as UTF-8",
        at - line_start + 1,
        at + 1
    )
}

/// Front-matter keys quire does not know, each with the files that use it: one warning per
/// key, not per file.
#[derive(Default)]
pub struct UnknownKeys(BTreeMap<String, Vec<PathBuf>>);

impl UnknownKeys {
    pub fn add(&mut self, path: &Path, keys: &[String]) {
        for key in keys {
            self.0.entry(key.clone()).or_default().push(path.to_path_buf());
        }
    }

    /// Adds `other`'s files after this one's, key by key.
    pub fn extend(&mut self, other: Self) {
        for (key, files) in other.0 {
            self.0.entry(key).or_default().extend(files);
        }
    }

    pub fn warnings(self) -> impl Iterator<Item = String> {
        self.0.into_iter().map(|(key, files)| {
            format!("unknown front-matter field `{key}` ignored, in {}", file_list(&files))
        })
    }
}

/// `1 file: a.md`, `7 files: a.md, b.md, c.md, d.md, e.md and 2 more`.
fn file_list(files: &[PathBuf]) -> String {
    let named: Vec<String> = files.iter().take(FILES_NAMED).map(|f| f.display().to_string()).collect();
    let more = files.len().saturating_sub(FILES_NAMED);
    let count = if files.len() == 1 { "1 file".to_string() } else { format!("{} files", files.len()) };
    if more == 0 {
        format!("{count}: {}", named.join(", "))
    } else {
        format!("{count}: {} and {more} more", named.join(", "))
    }
}

/// Posts whose URLs differ only in case (`/blog/Release` and `/blog/release`): two pages and two
/// JSON files that a case-insensitive file system (macOS, Windows, most S3 sync tools) stores
/// as one, so one post would silently replace the other there. A warning naming every file.
pub fn case_collisions(posts: &[(PathBuf, Post)]) -> Vec<String> {
    let mut by_folded: BTreeMap<String, Vec<(&Path, &str)>> = BTreeMap::new();
    for (path, post) in posts {
        by_folded.entry(post.summary.slug.to_lowercase()).or_default().push((path, &post.summary.slug));
    }
    by_folded
        .into_values()
        .filter(|claims| claims.len() > 1)
        .map(|claims| {
            let named: Vec<String> = claims
                .iter()
                .map(|(path, slug)| format!("{} ({})", path.display(), quire_core::url::post_path(slug)))
                .collect();
            format!(
                "URLs that differ only in case: {}; on a case-insensitive file system (macOS, Windows, \
                 S3 sync tools) their pages overwrite each other: give all but one another `seo.url` \
                 or file name",
                named.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_names_the_line_and_byte() {
        assert_eq!(
            not_utf8(b"---\ntitle: Caf\xE9\n", 14),
            "not UTF-8 text: line 2, byte 11 (byte 15 of the file, 0xE9) is not UTF-8; save the file as UTF-8"
        );
        assert!(
            not_utf8(b"\xFF", 0).starts_with("not UTF-8 text: line 1, byte 1 (byte 1 of the file, 0xFF)")
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_a_warning() {
        let dir = tempfile::tempdir().expect("temp");
        let mut warnings = Vec::new();
        // Reading a folder fails as reading an unreadable file does (tests may run as root,
        // which reads files whatever their permissions).
        assert_eq!(read_text(dir.path(), &mut warnings), Ok(None));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with(&format!("{}: cannot be read (", dir.path().display())),
            "{warnings:?}"
        );
        assert!(warnings[0].ends_with("): skipped"), "{warnings:?}");
    }

    #[test]
    fn file_lists_are_capped() {
        let files: Vec<PathBuf> = (1..=7).map(|i| PathBuf::from(format!("p{i}.md"))).collect();
        assert_eq!(file_list(&files[..1]), "1 file: p1.md");
        assert_eq!(file_list(&files[..2]), "2 files: p1.md, p2.md");
        assert_eq!(file_list(&files), "7 files: p1.md, p2.md, p3.md, p4.md, p5.md and 2 more");
    }
}
