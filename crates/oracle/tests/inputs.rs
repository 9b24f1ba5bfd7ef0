//! The oracle over every input the project already has: the openinfra.dev corpus (124 real
//! posts), the hostile fixtures of the browser test, the sample blog, the fuzzer's seeds (with
//! the inputs it crashed on), the stored snapshots of quire-core and every string literal of
//! quire-core's sources and tests (the snapshot inputs, the sanitiser's and renderer's
//! unit-test cases, the no-panic generator's pieces).

use quire_core::front_matter;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `*.md` files under `dir`, recursively, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Checks the body of every post under `dir`; returns how many were checked.
fn check_posts(dir: &Path) -> usize {
    let files = markdown_files(dir);
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // A file without front matter is all body.
        let body = front_matter::split(&text).map_or(text.as_str(), |(_, body)| body);
        if let Err(report) = quire_oracle::check_markdown(body) {
            failures.push(format!("{}: {report}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} posts fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn the_openinfra_corpus() {
    let dir = std::env::var_os("QUIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus/osf-website"));
    let posts = dir.join("posts");
    if !posts.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the corpus {} is missing", posts.display());
        eprintln!("corpus {} not found: skipped", posts.display());
        return;
    }
    let checked = check_posts(&posts);
    assert!(checked >= 100, "only {checked} posts in {}", posts.display());
}

#[test]
fn the_hostile_fixtures() {
    assert!(check_posts(&workspace().join("tests/fixtures/hostile")) >= 1);
}

#[test]
fn the_sample_blog() {
    assert!(check_posts(&workspace().join("content/posts")) >= 1);
}

/// The fuzzer's seeds for the renderer (fuzz/corpus/markdown): hand-picked hostile inputs and
/// every input a fuzzing run crashed on, so that a plain `cargo test` replays them too.
#[test]
fn the_fuzz_seeds() {
    let dir = workspace().join("fuzz/corpus/markdown");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The fuzz target skips input that is not UTF-8 as well.
        let Ok(markdown) = String::from_utf8(bytes) else { continue };
        checked += 1;
        if let Err(report) = quire_oracle::check_markdown(&markdown) {
            failures.push(format!("{}: {report}", path.display()));
        }
    }
    assert!(checked >= 20, "only {checked} seeds in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The stored output of every quire-core snapshot (rendered bodies and highlighted code).
#[test]
fn the_stored_snapshots() {
    let dir = workspace().join("crates/core/tests/snapshots");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // `---` header `---` then the snapshot.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_else(|| panic!("{}: no header", path.display()));
        checked += 1;
        if let Err(report) = quire_oracle::check_html(body) {
            failures.push(format!("{}: {report}", path.display()));
        }
    }
    assert!(checked >= 10, "only {checked} snapshots in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every string literal in quire-core's sources and tests, rendered as Markdown: this covers
/// the snapshot tests' inputs and every hand-written hostile case, whatever test holds it.
#[test]
fn every_string_literal_of_quire_core() {
    let core = workspace().join("crates/core");
    let mut files = Vec::new();
    let mut dirs = vec![core.join("src"), core.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut literals = 0;
    let mut failures = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for literal in string_literals(&source) {
            literals += 1;
            if let Err(report) = quire_oracle::check_markdown(&literal) {
                failures.push(format!("{}: {report}", file.display()));
            }
        }
    }
    assert!(literals >= 500, "only {literals} string literals found: is the lexer broken?");
    assert!(failures.is_empty(), "{} literals fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_literal_lexer() {
    let source = r####"
        // "in a comment"
        /* "in a /* nested */ block" */
        let c = '"'; let l: &'static str = "a\"b\\\n c\u{e9}\x41\t\
            continued";
        let r = r#"raw "quoted""#; let b = b"bytes"; let e = "";
    "####;
    assert_eq!(string_literals(source), ["a\"b\\\n c\u{e9}A\tcontinued", "raw \"quoted\"", "bytes", ""]);
}

/// The string literals of Rust source, unescaped. Comments, character literals and
/// lifetimes are skipped; byte strings count.
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let identifier_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F980}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r')) && !identifier_before && {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while at(j) == '#' {
                j += 1;
            }
            at(j) == '"'
        } {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start = j;
            let closes = |k: usize| chars[k] == '"' && (1..=hashes).all(|h| at(k + h) == '#');
            while j < chars.len() && !closes(j) {
                j += 1;
            }
            out.push(chars[start..j.min(chars.len())].iter().collect());
            i = j + 1 + hashes;
        } else if c == '"' || (c == 'b' && at(i + 1) == '"' && !identifier_before) {
            i += if c == 'b' { 2 } else { 1 };
            let mut literal = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] != '\\' {
                    literal.push(chars[i]);
                    i += 1;
                    continue;
                }
                i += 1;
                match at(i) {
                    'n' => literal.push('\n'),
                    'r' => literal.push('\r'),
                    't' => literal.push('\t'),
                    '0' => literal.push('\0'),
                    'x' => {
                        let hex: String = chars[i + 1..i + 3].iter().collect();
                        literal.push(char::from(u8::from_str_radix(&hex, 16).unwrap_or(b'?')));
                        i += 2;
                    }
                    'u' => {
                        let close = (i..chars.len()).find(|&k| chars[k] == '}').unwrap_or(i);
                        let hex: String = chars[i + 2..close].iter().collect();
                        literal
                            .push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('?'));
                        i = close;
                    }
                    '\n' => {
                        while at(i + 1).is_whitespace() {
                            i += 1;
                        }
                    }
                    other => literal.push(other),
                }
                i += 1;
            }
            out.push(literal);
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}
