//! The compiler as writers and Trunk run it: a content folder in, JSON out, or a clear error.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod common;
use common::{compile, stderr};

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("valid JSON")
}

/// A content folder with the given posts (file name, text).
fn content(posts: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("posts")).expect("posts dir");
    for (name, text) in posts {
        fs::write(dir.path().join("posts").join(name), text).expect("write post");
    }
    dir
}

fn post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntemplateKey: blog-post\ntitle: {title}\ndate: {date}\n{extra}---\nBody of {title}.\n")
}

#[test]
fn writes_index_and_one_file_per_post() {
    let dir = content(&[
        ("first.md", &post("First", "2024-01-01", "")),
        ("second.md", &post("Second", "2024-02-01T10:00:00Z", "seo:\n  url: https://example.org/blog/c++\n")),
    ]);
    let out = tempfile::tempdir().expect("out");
    let output = compile(dir.path(), out.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let index = read_json(out.path().join("content/index.json"));
    let slugs: Vec<&str> =
        index["posts"].as_array().expect("posts").iter().map(|p| p["slug"].as_str().unwrap_or("")).collect();
    assert_eq!(slugs, ["c++", "first"], "newest first");
    assert!(index["posts"][0].get("body").is_none(), "the index never carries bodies");
    let second =
        quire_core::model::read_post_file(&fs::read(out.path().join("content/posts/c~2B~2B.json")).unwrap())
            .expect("a post file");
    assert_eq!(second.post.body, "Body of Second.\n");
    assert_eq!(second.post.summary.date.to_string(), "2024-02-01T10:00:00.000Z");
    assert!(
        !out.path().join("_redirects").exists(),
        "no SPA rewrite: every route is a prerendered file, unknown paths get 404.html with 404"
    );
}

#[test]
fn reports_every_broken_file_with_its_field_and_keeps_the_old_output() {
    let dir = content(&[
        ("unclosed.md", "---\ntitle: Unclosed\ndate: 2024-01-01\nBody"),
        ("bad-yaml.md", "---\ntitle: \"unterminated\ndate: 2024-01-01\n---\nBody"),
        ("no-title.md", "---\ndate: 2024-01-01\n---\nBody"),
        ("bad-date.md", &post("Bad date", "2023-02-30", "")),
        ("fine.md", &post("Fine", "2024-01-01", "")),
    ]);
    let out = tempfile::tempdir().expect("out");
    fs::create_dir_all(out.path().join("content")).expect("old output");
    fs::write(out.path().join("content/index.json"), "previous build").expect("old index");

    let output = compile(dir.path(), out.path());
    assert!(!output.status.success());
    let err = stderr(&output);
    for expected in [
        "4 file(s) could not be read",
        "unclosed.md: unclosed front matter",
        "bad-yaml.md: invalid YAML",
        "no-title.md: field `title`: missing",
        "bad-date.md: field `date`: `2023-02-30` is not a date",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("fine.md"));
    assert_eq!(
        fs::read_to_string(out.path().join("content/index.json")).ok().as_deref(),
        Some("previous build")
    );
}

#[test]
fn one_url_claimed_twice_keeps_the_visible_then_newest_post_and_warns() {
    let url = "seo:\n  url: https://example.org/blog/shared\n";
    let dir = content(&[
        ("a-draft.md", &post("Draft", "2025-01-01", &format!("hidePost: true\n{url}"))),
        ("b-old.md", &post("Old", "2023-01-01", url)),
        ("c-new.md", &post("New", "2024-01-01", url)),
        ("other.md", "---\ntemplateKey: tags\nauthorName: Someone\n---\n"),
    ]);
    let out = tempfile::tempdir().expect("out");
    let output = compile(dir.path(), out.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("3 files claim the URL /blog/shared: using"), "{err}");
    for file in ["a-draft.md (hidden)", "b-old.md", "c-new.md"] {
        assert!(err.contains(file), "{file} not named in:\n{err}");
    }
    assert!(err.contains("other.md: skipped: templateKey is `tags`"), "{err}");
    let index = read_json(out.path().join("content/index.json"));
    assert_eq!(index["posts"].as_array().map(Vec::len), Some(1));
    assert_eq!(index["posts"][0]["title"], "New");
}

#[test]
fn a_missing_content_folder_is_a_clear_error() {
    let out = tempfile::tempdir().expect("out");
    let output = compile(Path::new("/nonexistent/quire-content"), out.path());
    assert!(!output.status.success());
    assert!(stderr(&output).contains("content folder /nonexistent/quire-content does not exist"));
}

/// The real openinfra.dev content, when the shared corpus sits beside the repository.
#[test]
fn compiles_the_openinfra_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/osf-website");
    if !corpus.is_dir() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let out = tempfile::tempdir().expect("out");
    let output = compile(&corpus, out.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let index = read_json(out.path().join("content/index.json"));
    let posts = index["posts"].as_array().expect("posts");
    let md_files = fs::read_dir(corpus.join("posts")).expect("posts").count();
    let err = stderr(&output);
    assert_eq!(err.matches("files claim the URL").count(), 2, "{err}");
    assert_eq!(posts.len(), md_files - 2, "every file is a post except the two that lose a shared URL");
    let slug = |s: &str| posts.iter().find(|p| p["slug"] == s).cloned().unwrap_or(Value::Null);
    assert_eq!(slug("oct2025-ptg-summary")["slug"], "oct2025-ptg-summary");
    assert!(posts.iter().any(|p| p["slug"].as_str().is_some_and(|s| s.contains('+'))));
    assert!(
        posts.iter().any(|p| p["date"].as_str() == Some("2020-11-06T13:30:56.289Z")),
        "unpadded date normalised"
    );
    for p in posts {
        let file = out
            .path()
            .join("content/posts")
            .join(format!("{}.json", quire_core::url::post_file_key(p["slug"].as_str().unwrap_or(""))));
        assert!(file.is_file(), "{} missing", file.display());
    }
}
