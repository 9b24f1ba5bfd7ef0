//! The oracle refuses author ids the app reserves (`main`, `quire…`, see
//! `quire_oracle::contract::id_reserved`), and the sanitiser drops them. That only protects the
//! app if every id the app itself writes or looks up is one of them: an author element with the
//! same id as an app element comes first in the document or shadows it (DOM clobbering). This
//! test reads the ids out of the app's and the page shell's sources.

use quire_oracle::contract::id_reserved;
use std::path::{Path, PathBuf};

/// Ids the app writes only on pages that show no post body.
const OFF_POST_PAGES: &[(&str, &str)] = &[("category-nav-title", "src/routes/listing.rs")];

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("index.html")];
    let mut dirs =
        vec![root.join("src"), root.join("crates/compiler/src"), root.join("style"), root.join("public")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs" || x == "js" || x == "html") {
                files.push(path);
            }
        }
    }
    files
}

/// The ids in `source`: `id="…"` attributes, `…_ID: &str = "…"` constants and the arguments
/// of `get_element_by_id("…")` / `getElementById("…")`.
fn ids(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for pattern in [
        "id=\"",
        "id=\\\"",
        "_ID: &str = \"",
        "get_element_by_id(\"",
        "getElementById(\"",
        "getElementById('",
    ] {
        let mut rest = source;
        while let Some(at) = rest.find(pattern) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + pattern.len()..];
            // `data-id="…"`, `aria-…id…`: other attributes.
            if pattern.starts_with("id=")
                && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                continue;
            }
            let end = rest.find(['"', '\'', '\\']).unwrap_or(rest.len());
            let id = &rest[..end];
            if !id.is_empty() && !id.contains(['{', '}', ' ']) {
                found.push(id.to_string());
            }
        }
    }
    found
}

#[test]
fn every_app_id_is_reserved() {
    let files = sources();
    let mut seen = 0;
    let mut unreserved = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for id in ids(&source) {
            seen += 1;
            let allowed = OFF_POST_PAGES.iter().any(|(name, only_in)| *name == id && file.ends_with(only_in));
            if !id_reserved(&id) && !allowed {
                unreserved.push(format!("{}: id {id:?}", file.display()));
            }
        }
    }
    assert!(seen >= 5, "only {seen} ids found in {} files: is the scan broken?", files.len());
    assert!(
        unreserved.is_empty(),
        "the app uses ids an author may also write; name them `quire-…`:\n{}",
        unreserved.join("\n")
    );
}

#[test]
fn the_scan_finds_each_form() {
    let source = r#"<main id="main"> const X_ID: &str = "quire-x"; get_element_by_id("quire-y") data-id="no" id=\"quire-z\""#;
    assert_eq!(ids(source), ["main", "quire-z", "quire-x", "quire-y"]);
}
