//! Every JSON file the compiler writes reads the same with the app's reader
//! (`quire_core::json`, no serde in the wasm) as with serde_json: the sample blog, the hostile
//! fixtures and the openinfra.dev corpus (when it is there; in CI it must be).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::json::{FromJson, from_slice, version_of};
use quire_core::model::{
    FORMAT_VERSION, ListingPage, PostFile, PostSummary, SearchManifest, SearchTerm, decode_post,
    post_file_parts, read_post_file,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::compile;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn build(content: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("out");
    let output = compile(content, out.path());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return found };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn same<T: FromJson + DeserializeOwned + PartialEq + Debug>(path: &Path, bytes: &[u8]) {
    let serde: T = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("serde: {}: {e}", path.display()));
    let ours: T = from_slice(bytes).unwrap_or_else(|e| panic!("quire: {}: {e}", path.display()));
    assert_eq!(ours, serde, "{}", path.display());
}

/// A post file: its JSON line reads the same both ways, the whole file reads back with serde
/// (`read_post_file`), and the app's reading (`decode_post`) finds the same body where it is.
fn post_file(path: &Path, bytes: &[u8]) {
    let (json, body) = post_file_parts(bytes);
    same::<PostFile>(path, json);
    let whole = read_post_file(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (file, range) = decode_post(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[range], body, "{}", path.display());
    assert_eq!(std::str::from_utf8(body).expect("UTF-8"), whole.post.body, "{}", path.display());
    assert_eq!(file.post.body, "", "{}", path.display());
}

/// Reads every file the app may fetch; returns how many.
fn check(out: &Path) -> usize {
    let content = out.join("content");
    let mut checked = 0;
    for path in files(&content) {
        let bytes = fs::read(&path).expect("read");
        let relative =
            path.strip_prefix(&content).expect("under content").to_string_lossy().replace('\\', "/");
        match relative.split('/').collect::<Vec<_>>().as_slice() {
            ["posts", _] => post_file(&path, &bytes),
            ["pages", ..] => same::<ListingPage>(&path, &bytes),
            ["search", "index.json"] => same::<SearchManifest>(&path, &bytes),
            ["search", "terms", _] => same::<Vec<SearchTerm>>(&path, &bytes),
            ["search", "postings", _] => same::<BTreeMap<String, String>>(&path, &bytes),
            ["search", "docs", _] => same::<Vec<PostSummary>>(&path, &bytes),
            // The manifest for tools; the app never reads it.
            ["index.json"] => {
                assert_eq!(version_of(&bytes), Some(FORMAT_VERSION));
                continue;
            }
            other => panic!("a JSON file the test does not know: {other:?}"),
        }
        checked += 1;
    }
    checked
}

#[test]
fn the_sample_blog_reads_alike() {
    let out = build(&Path::new(ROOT).join("content"));
    assert!(check(out.path()) > 10);
}

#[test]
fn the_hostile_fixtures_read_alike() {
    let out = build(&Path::new(ROOT).join("tests/fixtures/hostile"));
    assert!(check(out.path()) > 0);
}

#[test]
fn the_corpus_reads_alike() {
    let corpus = std::env::var("QUIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(ROOT).join("../shared/corpus/osf-website"));
    if !corpus.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the corpus {} is missing", corpus.display());
        eprintln!("corpus {} not found: skipped", corpus.display());
        return;
    }
    let out = build(&corpus);
    assert!(check(out.path()) > 124);
}
