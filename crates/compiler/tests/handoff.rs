//! `finalize` reads the site back from the JSON `build` wrote (src/handoff.rs) only when that
//! JSON is of the content as it is now; otherwise it reads the content folder, as it did
//! before. Either way the pages are the same.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{FRAME, run, stderr};

const KEY_FILE: &str = ".quire-build-key";
const REUSED: &str = "posts read back from the build's JSON";
const LOADED: &str = "posts read from the content folder";

/// A copy of the project's sample content (settings, authors, posts, a hidden draft).
fn sample_content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("content");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    for sub in ["", "posts", "authors"] {
        fs::create_dir_all(dir.path().join(sub)).expect("folder");
        for entry in fs::read_dir(from.join(sub)).expect("sample content") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).expect("copy");
            }
        }
    }
    dir
}

fn step(step: &str, content: &Path, out: &Path) -> String {
    let output = run(step, content, out, "/quire/");
    assert!(output.status.success(), "{step}: {}", stderr(&output));
    stderr(&output)
}

/// `build` into a fresh folder holding Trunk's frame.
fn built(content: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("out");
    fs::write(out.path().join("index.html"), FRAME).expect("frame");
    step("build", content, out.path());
    assert!(out.path().join(KEY_FILE).is_file(), "build records its key");
    out
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                into.insert(path.strip_prefix(root).unwrap().to_path_buf(), fs::read(&path).expect("read"));
            }
        }
    }
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

#[test]
fn finalize_reads_the_builds_json_back_and_writes_the_same_site() {
    let content = sample_content();
    let reused = built(content.path());
    let log = step("finalize", content.path(), reused.path());
    assert!(log.contains(REUSED), "{log}");
    assert!(!reused.path().join(KEY_FILE).exists(), "the key is not published");

    // The same build, its key gone: finalize reads the content folder.
    let loaded = built(content.path());
    fs::remove_file(loaded.path().join(KEY_FILE)).expect("key");
    let log = step("finalize", content.path(), loaded.path());
    assert!(log.contains(LOADED), "{log}");

    let (reused, loaded) = (files(reused.path()), files(loaded.path()));
    assert!(reused.keys().any(|p| p.ends_with("blog/hello-quire/index.html")), "{:?}", reused.keys());
    assert_eq!(reused.keys().collect::<Vec<_>>(), loaded.keys().collect::<Vec<_>>());
    for (path, bytes) in &reused {
        assert!(bytes == &loaded[path], "{} differs", path.display());
    }
}

#[test]
fn a_post_changed_after_the_build_is_read_again() {
    let content = sample_content();
    let out = built(content.path());
    let post = content.path().join("posts/welcome-to-quire.md");
    let text = fs::read_to_string(&post).expect("post");
    // Same length, so that only the bytes tell.
    let changed = text.replacen("Welcome", "Wxlcome", 1);
    assert_ne!(text, changed);
    fs::write(&post, changed).expect("edit");

    let log = step("finalize", content.path(), out.path());
    assert!(log.contains(LOADED), "{log}");
    let page = fs::read_to_string(out.path().join("blog/hello-quire/index.html")).expect("page");
    assert!(page.contains("Wxlcome"), "the page shows the post as it is now");
    // The key was used up: finalize again reads the content folder too.
    assert!(!out.path().join(KEY_FILE).exists());
    assert!(step("finalize", content.path(), out.path()).contains(LOADED));
}

#[test]
fn posts_added_or_removed_after_the_build_are_seen() {
    let content = sample_content();
    let out = built(content.path());
    let extra =
        "---\ntemplateKey: blog-post\ntitle: Late post\ndate: 2030-01-01\n---\nWritten after the build.\n";
    fs::write(content.path().join("posts/late.md"), extra).expect("post");
    let log = step("finalize", content.path(), out.path());
    assert!(log.contains(LOADED), "{log}");
    assert!(out.path().join("blog/late/index.html").is_file());

    let out = built(content.path());
    fs::remove_file(content.path().join("posts/late.md")).expect("remove");
    let log = step("finalize", content.path(), out.path());
    assert!(log.contains(LOADED), "{log}");
}

#[test]
fn settings_or_authors_changed_after_the_build_are_seen() {
    let content = sample_content();
    let out = built(content.path());
    let config = content.path().join("blog-config.json");
    let text = fs::read_to_string(&config).expect("settings");
    fs::write(&config, format!("{text}\n")).expect("edit");
    assert!(step("finalize", content.path(), out.path()).contains(LOADED));

    let out = built(content.path());
    let author =
        fs::read_dir(content.path().join("authors")).expect("authors").next().unwrap().unwrap().path();
    let text = fs::read_to_string(&author).expect("author");
    fs::write(&author, format!("{text}\n")).expect("edit");
    assert!(step("finalize", content.path(), out.path()).contains(LOADED));
}

#[test]
fn another_content_folder_is_read_in_full() {
    let (first, second) = (sample_content(), sample_content());
    let out = built(first.path());
    let log = step("finalize", second.path(), out.path());
    assert!(log.contains(LOADED), "{log}");
}

#[test]
fn json_that_does_not_fit_is_not_used() {
    let content = sample_content();
    let out = built(content.path());
    // The key matches, but a post's JSON is gone (or was changed by hand).
    fs::remove_file(out.path().join("content/posts/hello-quire.json")).expect("remove");
    let log = step("finalize", content.path(), out.path());
    assert!(log.contains(LOADED), "{log}");
    assert!(out.path().join("blog/hello-quire/index.html").is_file());

    let out = built(content.path());
    let index = out.path().join("content/index.json");
    let text = fs::read_to_string(&index).expect("index");
    fs::write(&index, text.replacen("\"title\":", "\"title\" :", 1)).expect("edit");
    assert!(step("finalize", content.path(), out.path()).contains(REUSED), "the same JSON, spaced");
    let out = built(content.path());
    fs::write(out.path().join("content/index.json"), "{").expect("edit");
    assert!(step("finalize", content.path(), out.path()).contains(LOADED));
}

#[test]
fn a_failed_build_leaves_no_key_for_its_content() {
    let content = sample_content();
    let out = built(content.path());
    fs::write(content.path().join("posts/broken.md"), "---\ntitle: [unclosed\n---\n").expect("post");
    let output = run("build", content.path(), out.path(), "/");
    assert!(!output.status.success());
    // The previous JSON and its key stay, and the key is of the previous content: finalize
    // reads the content folder, and reports the broken file.
    let output = run("finalize", content.path(), out.path(), "/");
    assert!(!output.status.success());
    assert!(stderr(&output).contains("broken.md"), "{}", stderr(&output));
}

#[test]
fn a_build_outside_trunk_leaves_nothing_beside_the_site() {
    let content = sample_content();
    let out = tempfile::tempdir().expect("out");
    fs::write(out.path().join("index.html"), FRAME).expect("frame");
    // `quire-compiler build --out DIR` by hand (scripts/test's hostile site): DIR is not
    // Trunk's staging folder, so no `finalize` is sure to follow and remove a key.
    for staging in [None, Some(content.path())] {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_quire-compiler"));
        command.arg("build").arg("--content").arg(content.path()).arg("--out").arg(out.path());
        command.env_remove("QUIRE_CONTENT").env_remove("TRUNK_STAGING_DIR");
        if let Some(staging) = staging {
            command.env("TRUNK_STAGING_DIR", staging);
        }
        let output = command.output().expect("the compiler runs");
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(out.path().join("content/index.json").is_file());
        assert!(!out.path().join(KEY_FILE).exists(), "no key with TRUNK_STAGING_DIR {staging:?}");
    }
    // A `finalize` after it reads the content folder.
    assert!(step("finalize", content.path(), out.path()).contains(LOADED));
}
