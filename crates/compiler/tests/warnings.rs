//! The compiler never leaves a file out silently: whatever looks like a post but is not read
//! is a warning naming it, and a file it cannot decode is an error naming the line and byte.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fs;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::compile;

/// Builds `content`; the build must succeed. Returns its warnings, one per line.
fn warnings(content: &Path) -> Vec<String> {
    let out = tempfile::tempdir().expect("out");
    let output = compile(content, out.path());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr.lines().filter_map(|l| l.strip_prefix("quire: warning: ")).map(str::to_string).collect()
}

fn post(title: &str, extra: &str) -> String {
    format!("---\ntemplateKey: blog-post\ntitle: {title}\ndate: 2024-01-01\n{extra}---\nBody.\n")
}

fn content(posts: &[(&str, String)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("posts")).expect("posts dir");
    for (name, text) in posts {
        fs::write(dir.path().join("posts").join(name), text).expect("write post");
    }
    dir
}

/// The one warning that mentions `needle`.
fn the_warning<'a>(warnings: &'a [String], needle: &str) -> &'a str {
    let found: Vec<&String> = warnings.iter().filter(|w| w.contains(needle)).collect();
    assert_eq!(found.len(), 1, "one warning with {needle:?} in {warnings:#?}");
    found[0]
}

#[test]
fn entries_that_look_like_posts_but_are_not_read_are_named() {
    let dir = content(&[
        ("fine.md", post("Fine", "")),
        ("notes.markdown", post("Notes", "")),
        ("LOUD.MD", post("Loud", "")),
    ]);
    let posts = dir.path().join("posts");
    std::os::unix::fs::symlink("missing-target.md", posts.join("dangling.md")).expect("symlink");
    std::os::unix::fs::symlink("loop-b.md", posts.join("loop-a.md")).expect("symlink");
    std::os::unix::fs::symlink("loop-a.md", posts.join("loop-b.md")).expect("symlink");
    std::os::unix::fs::symlink("fine.md", posts.join("linked.md")).expect("symlink");
    fs::create_dir_all(posts.join("folder.md")).expect("folder named like a post");
    fs::create_dir_all(posts.join("2024")).expect("subfolder");
    fs::write(posts.join("2024/nested.md"), post("Nested", "")).expect("nested post");
    fs::create_dir_all(posts.join("images")).expect("a folder without posts");
    fs::write(posts.join("images/a.png"), b"png").expect("image");

    let warnings = warnings(dir.path());
    let dangling = the_warning(&warnings, "dangling.md");
    assert!(
        dangling.contains("a symbolic link to missing-target.md") && dangling.ends_with("skipped"),
        "{dangling}"
    );
    assert!(the_warning(&warnings, "posts/loop-a.md:").contains("cannot be read"));
    assert!(the_warning(&warnings, "folder.md").contains("a folder, not a Markdown file: skipped"));
    assert!(the_warning(&warnings, "notes.markdown").contains("not `.markdown`"));
    assert!(the_warning(&warnings, "LOUD.MD").contains("not `.MD`"));
    assert!(the_warning(&warnings, "posts/2024").contains("a subfolder holding 1 .md file(s)"));
    assert!(!warnings.iter().any(|w| w.contains("images") || w.contains("linked.md")), "{warnings:#?}");
}

#[test]
fn a_file_that_is_not_utf8_names_the_line_and_byte() {
    let dir = content(&[("fine.md", post("Fine", ""))]);
    fs::write(dir.path().join("posts/latin1.md"), b"---\ntitle: Caf\xE9\ndate: 2024-01-01\n---\nBody\n")
        .expect("write");
    let out = tempfile::tempdir().expect("out");
    let output = compile(dir.path(), out.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("latin1.md: not UTF-8 text: line 2, byte 11 (byte 15 of the file, 0xE9)"),
        "{stderr}"
    );
}

#[test]
fn a_slug_taken_from_the_file_name_instead_of_seo_url_is_named() {
    let dir = content(&[
        ("from-file.md", post("A", "seo:\n  url: https://example.org/\n")),
        ("spaces.md", post("B", "seo:\n  url: https://example.org/blog/has space\n")),
        ("fine.md", post("C", "seo:\n  url: https://example.org/blog/good\n")),
    ]);
    let warnings = warnings(dir.path());
    let w = the_warning(&warnings, "from-file.md");
    assert!(
        w.contains("field `seo.url` (`https://example.org/`) has no usable last path segment")
            && w.contains("served at /blog/from-file, from the file name"),
        "{w}"
    );
    assert!(the_warning(&warnings, "spaces.md").contains("/blog/spaces"));
    assert!(!warnings.iter().any(|w| w.contains("fine.md")), "{warnings:#?}");
}

#[test]
fn unknown_front_matter_keys_are_one_warning_per_key_listing_its_files() {
    let mut posts: Vec<(String, String)> =
        (1..=7).map(|i| (format!("p{i}.md"), post(&format!("P{i}"), "featured: true\n"))).collect();
    posts.push(("q.md".into(), post("Q", "seo:\n  keywords: a, b\n")));
    let posts: Vec<(&str, String)> = posts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = content(&posts);
    fs::create_dir_all(dir.path().join("authors")).expect("authors");
    fs::write(dir.path().join("authors/ada.md"), "---\ntemplateKey: tags\nauthorName: Ada\nbio: Hi\n---\n")
        .expect("author");

    let warnings = warnings(dir.path());
    let featured = the_warning(&warnings, "`featured`");
    assert!(
        featured.starts_with("unknown front-matter field `featured` ignored, in 7 files: "),
        "{featured}"
    );
    assert!(featured.contains("p1.md, ") && featured.contains("p5.md and 2 more"), "{featured}");
    assert!(!featured.contains("p6.md"), "{featured}");
    let keywords = the_warning(&warnings, "`seo.keywords`");
    assert!(keywords.contains("in 1 file: ") && keywords.ends_with("posts/q.md"), "{keywords}");
    assert!(the_warning(&warnings, "`bio`").ends_with("authors/ada.md"));
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn urls_that_differ_only_in_case_are_named() {
    let dir = content(&[
        ("Release.md", post("One", "")),
        ("release.md", post("Two", "")),
        ("other.md", post("Three", "seo:\n  url: https://example.org/blog/RELEASE\n")),
        ("unrelated.md", post("Four", "")),
    ]);
    let warnings = warnings(dir.path());
    let w = the_warning(&warnings, "differ only in case");
    for part in ["Release.md (/blog/Release)", "release.md (/blog/release)", "other.md (/blog/RELEASE)"] {
        assert!(w.contains(part), "{part} in {w}");
    }
    assert!(!w.contains("unrelated"), "{w}");
}

/// openinfra.dev's posts and authors use only the fields its CMS declares.
#[test]
fn the_corpus_has_no_unknown_front_matter_key() {
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/osf-website"));
    if !corpus.is_dir() {
        eprintln!("{} not found: skipped", corpus.display());
        return;
    }
    let warnings = warnings(corpus);
    assert!(!warnings.iter().any(|w| w.contains("unknown front-matter field")), "{warnings:#?}");
}

#[test]
fn blog_settings_that_are_not_utf8_name_the_line_and_byte() {
    let dir = content(&[("fine.md", post("Fine", ""))]);
    fs::write(dir.path().join("blog-config.json"), b"{\n  \"title\": \"Caf\xE9\"\n}\n").expect("write");
    let out = tempfile::tempdir().expect("out");
    let output = compile(dir.path(), out.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("blog-config.json: not UTF-8 text: line 2, byte 16 (byte 18 of the file, 0xE9)"),
        "{stderr}"
    );
}
