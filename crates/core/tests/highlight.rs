//! Syntax highlighting of fenced code blocks: one snippet per language in snapshots, and the
//! tricky cases of lexing one by one.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::highlight::{highlight, language};
use quire_core::markdown::render;
use quire_core::sanitize::decode_entities;

/// `code` highlighted as `info`; panics when the language is unknown.
fn hl(info: &str, code: &str) -> String {
    highlight(info, code).unwrap_or_else(|| panic!("{info} is not highlighted"))
}

/// Each snippet's highlighting under a `== language ==` line.
fn snippets(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(info, code)| format!("== {info} ==\n{}", hl(info, code)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of highlighted HTML: the spans removed, entities decoded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some((before, tag)) = rest.split_once('<') {
        text.push_str(before);
        rest = tag.split_once('>').map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    decode_entities(&text)
}

/// `(class, text)` of every token.
fn tokens(html: &str) -> Vec<(String, String)> {
    html.split("<span class=\"tok-")
        .skip(1)
        .map(|piece| {
            let (class, rest) = piece.split_once("\">").expect("a class");
            let text = rest.split_once("</span>").expect("a close").0;
            (class.to_string(), decode_entities(text))
        })
        .collect()
}

fn has_token(html: &str, class: &str, text: &str) -> bool {
    tokens(html).iter().any(|(c, t)| c == class && t == text)
}

const RUST: &str = r####"//! Crate docs.
use std::collections::HashMap;

/* outer /* nested */ still a comment */
#[derive(Debug, Clone)]
pub struct Post<'a> {
    title: &'a str,
    words: u32,
}

impl<'a> Post<'a> {
    pub fn new(title: &'a str) -> Self {
        let raw = r#"a "raw" string"#;
        let bytes = b"bytes\n";
        let c = '\'';
        let n = 0xFF_u8 as u32 + 1_000 + 2.5e-3 as u32;
        println!("{title} {raw:?} {c} {n} {}", bytes.len());
        Post { title, words: 0 }
    }
}
"####;

const GO: &str = r#"package main

import "fmt"

// Greet says hello.
func Greet(name string) (int, error) {
	msg := `raw
string`
	r := 'x'
	return fmt.Println("hi", name, msg, r, 42, 3.14)
}
"#;

const PYTHON: &str = r#"import re
from dataclasses import dataclass

@dataclass
class Post:
    """A post. # not a comment"""
    title: str
    words: int = 0

    def slug(self) -> str:
        # lower case, dashes
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip('-')

print(f"{Post('Hi').slug()!r}", None, True, 0x1F, 1e10)
"#;

const TYPESCRIPT: &str = r#"import { render } from "./render.js";

interface Post { title: string; words?: number }

/** Renders every post. */
export async function renderAll(posts: Post[]): Promise<string[]> {
  const out = [];
  for (const post of posts) {
    out.push(`<h2>${post.title}</h2>` + render(post, { lazy: true }));
  }
  return out.filter((html) => html.length > 0 && html !== 'x'); // done
}
"#;

const SHELL: &str = r#"#!/usr/bin/env bash
set -euo pipefail
# Build and serve.
export QUIRE_CONTENT="${HOME}/blog"
for f in posts/*.md; do
  echo "post: $f" | tee -a "$log" 2>&1
done
if [ -d dist ]; then rm -rf dist; fi
cargo build --release \
  --package quire-compiler
$ trunk serve --port 8080
"#;

const YAML: &str = r#"# GitHub Actions
name: CI
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - name: "Run tests"
        run: |
          scripts/test # all of them
          echo done: yes
      - name: It's quoted? no
        env: &defaults
          DEBUG: false
          RATE: 0.5
defaults: *defaults
"#;

const JSON: &str = r#"{
  "title": "Welcome to quire",
  "words": 1200,
  "ratio": -1.5e3,
  "draft": false,
  "tags": ["a", "b\"c"],
  "author": null
}
"#;

const TOML: &str = r#"# Cargo manifest
[package]
name = "quire"
version = "0.1.0"
edition = 2024

[dependencies]
serde = { version = "1", features = ["derive"] }
"quoted key" = 'literal \ string'

[[bin]]
path = """
multi-line"""
enabled = true
"#;

const SQL: &str = r#"-- Posts per author
SELECT a.name, COUNT(*) AS posts
FROM authors a
LEFT JOIN posts p ON p.author_id = a.id
WHERE p.hidden = false AND p.title <> 'It''s a draft'
GROUP BY a.name
ORDER BY posts DESC
LIMIT 10; /* top ten */
create table t (id integer primary key, body text not null);
"#;

const HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<!-- a comment with <tags> -->
<head>
  <meta charset=utf-8>
  <style>body { color: #333; }</style>
</head>
<body class="post" data-id='7'>
  <p>Fish &amp; chips &lt;3 &copy; 5 < 6</p>
  <img src="/a.png" alt="A" />
  <script type="module">if (a < b) { go("</p>"); }</script>
</body>
</html>
"#;

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>quire</title></channel></rss>
"#;

const CSS: &str = r#"@import url("theme.css");
:root { --accent: #b4361c; }
/* Headings */
.prose h2, .prose > h3:hover {
  margin: 2rem 0 -0.75rem;
  color: var(--accent) !important;
  font: 1.0625rem/1.65 system-ui, sans-serif;
  content: "a { b }";
}
@media (max-width: 32rem) {
  body { font-size: 1rem; }
  a:focus-visible { outline: 2px solid rgb(0 0 0 / 50%); }
}
"#;

#[test]
fn systems_languages() {
    insta::assert_snapshot!(snippets(&[("rust", RUST), ("go", GO)]));
}

#[test]
fn scripting_languages() {
    insta::assert_snapshot!(snippets(&[("python", PYTHON), ("ts", TYPESCRIPT), ("bash", SHELL)]));
}

#[test]
fn data_languages() {
    insta::assert_snapshot!(snippets(&[("yaml", YAML), ("json", JSON), ("toml", TOML), ("sql", SQL)]));
}

#[test]
fn web_languages() {
    insta::assert_snapshot!(snippets(&[("html", HTML), ("xml", XML), ("css", CSS)]));
}

#[test]
fn highlighting_keeps_every_character() {
    for (info, code) in [
        ("rust", RUST),
        ("go", GO),
        ("python", PYTHON),
        ("ts", TYPESCRIPT),
        ("sh", SHELL),
        ("yaml", YAML),
        ("json", JSON),
        ("toml", TOML),
        ("sql", SQL),
        ("html", HTML),
        ("xml", XML),
        ("css", CSS),
    ] {
        assert_eq!(text_of(&hl(info, code)), code, "{info}");
    }
}

#[test]
fn language_names() {
    let known = [
        "rust",
        "rs",
        "Rust",
        "RUST",
        "python",
        "py",
        "js",
        "javascript",
        "ts",
        "typescript",
        "jsx",
        "tsx",
        "go",
        "sh",
        "bash",
        "shell",
        "console",
        "zsh",
        "yaml",
        "yml",
        "json",
        "toml",
        "html",
        "xml",
        "css",
        "sql",
        "rust,ignore",
        "js title=x",
        "python {linenos}",
    ];
    for info in known {
        assert!(language(info).is_some(), "{info}");
    }
    assert_eq!(language("rust,ignore").map(|(word, _)| word), Some("rust"));
    assert_eq!(language("TOML title=\"Cargo.toml\"").map(|(word, _)| word), Some("TOML"));
    for info in ["", "text", "plain", "brainfuck", "markdown", "rusty", " rust", "{.rust}"] {
        assert!(language(info).is_none(), "{info}");
    }
}

#[test]
fn comment_markers_inside_strings_are_strings() {
    let html = hl("rust", "let url = \"https://x.org/*a*/\"; // real\n");
    assert!(has_token(&html, "str", "\"https://x.org/*a*/\""), "{html}");
    assert!(has_token(&html, "com", "// real"), "{html}");
    let html = hl("python", "s = '# not a comment'  # comment\n");
    assert!(has_token(&html, "str", "'# not a comment'"), "{html}");
    assert!(has_token(&html, "com", "# comment"), "{html}");
    let html = hl("sql", "SELECT '-- no' -- yes\n");
    assert!(has_token(&html, "str", "'-- no'") && has_token(&html, "com", "-- yes"), "{html}");
    let html = hl("sh", "echo \"a # b\" a#b # c\n");
    assert!(has_token(&html, "str", "\"a # b\"") && has_token(&html, "com", "# c"), "{html}");
    assert!(!has_token(&html, "com", "#b # c"), "# inside a word is not a comment: {html}");
    // And string quotes inside comments are comments.
    let html = hl("js", "// it's \"fine\"\nlet x = 1;\n");
    assert!(has_token(&html, "com", "// it's \"fine\"") && has_token(&html, "kw", "let"), "{html}");
}

#[test]
fn escaped_quotes_do_not_end_strings() {
    let html = hl("js", r#"x = "a \" b" + 'c \' d';"#);
    assert!(has_token(&html, "str", r#""a \" b""#) && has_token(&html, "str", r"'c \' d'"), "{html}");
    let html = hl("rust", r#"let s = "ends with backslash \\"; let t = 1;"#);
    assert!(
        has_token(&html, "str", r#""ends with backslash \\""#) && has_token(&html, "kw", "let"),
        "{html}"
    );
}

#[test]
fn unterminated_strings_and_comments_run_to_the_end_they_can() {
    // A one-line string stops at the line's end; the next line lexes normally.
    let html = hl("js", "let s = \"open\nlet t = 2;\n");
    assert!(has_token(&html, "str", "\"open") && has_token(&html, "num", "2"), "{html}");
    // Strings that may span lines, and block comments, run to the end of the block.
    let html = hl("rust", "let s = \"open\nfn f() {}\n");
    assert!(has_token(&html, "str", "\"open\nfn f() {}\n"), "{html}");
    let html = hl("rust", "/* open\nfn f() {}");
    assert_eq!(tokens(&html), [("com".to_string(), "/* open\nfn f() {}".to_string())]);
    let html = hl("python", "x = '''open\nstill\n");
    assert!(has_token(&html, "str", "'''open\nstill\n"), "{html}");
    let html = hl("html", "<!-- open\n<p>");
    assert!(has_token(&html, "com", "<!-- open\n<p>"), "{html}");
    let html = hl("html", "<a href=\"open");
    assert!(has_token(&html, "str", "\"open"), "{html}");
    let html = hl("rust", "let r = r##\"open \"# still");
    assert!(has_token(&html, "str", "r##\"open \"# still"), "{html}");
    for (info, code) in
        [("rust", "\"\\"), ("css", "a { b: \"\\"), ("sh", "${HOME"), ("toml", "[a"), ("yaml", "k: |")]
    {
        assert_eq!(text_of(&hl(info, code)), code, "{info}");
    }
}

#[test]
fn rust_block_comments_nest_and_others_do_not() {
    let html = hl("rust", "/* a /* b */ c */ fn");
    assert!(has_token(&html, "com", "/* a /* b */ c */") && has_token(&html, "kw", "fn"), "{html}");
    let html = hl("js", "/* a /* b */ c */");
    assert!(has_token(&html, "com", "/* a /* b */"), "{html}");
    assert!(!html.contains("c */</span>"), "{html}");
}

#[test]
fn rust_lifetimes_are_not_char_literals() {
    let html = hl(
        "rust",
        "fn f<'a>(x: &'a str, c: char) -> &'static str { if c == 'x' || c == '\\n' { \"\" } else { x } }",
    );
    assert!(has_token(&html, "str", "'x'") && has_token(&html, "str", "'\\n'"), "{html}");
    assert!(has_token(&html, "ty", "str") && has_token(&html, "kw", "else"), "{html}");
    assert!(!has_token(&html, "kw", "static"), "a lifetime, not the keyword: {html}");
    assert!(has_token(&hl("rust", "let c = 'é';"), "str", "'é'"));
}

#[test]
fn markup_inside_code_is_text() {
    // HTML in a Rust string, and `</script>` anywhere, stays escaped text.
    let html = hl("rust", "let s = \"</script><script>alert(1)</script>\";");
    assert!(!html.contains("<script") && !html.contains("</script"), "{html}");
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;"), "{html}");
    let html = hl("html", "<script>let s = \"</scr\" + \"ipt>\";</script><p>&lt;x&gt;</p>");
    assert!(!html.contains("<script") && !html.contains("</script") && !html.contains("<p>"), "{html}");
    assert!(has_token(&html, "kw", "let") && has_token(&html, "tag", "p"), "{html}");
}

#[test]
fn fenced_blocks_are_highlighted_by_the_renderer() {
    let md = "```Rust,ignore\nfn main() { let s = \"<b>&amp;</b>\"; }\n```\n\n\
              - item\n\n  ```html\n  <script>alert(1)</script>\n  ```\n\n```text\nplain <b>\n```\n\n    indented <i>\n";
    let html = render(md).html;
    insta::assert_snapshot!(html);
    assert!(html.contains("<pre><code class=\"language-Rust\"><span class=\"tok-kw\">fn</span>"), "{html}");
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    assert!(html.contains("<pre><code class=\"language-text\">plain &lt;b&gt;\n</code></pre>"), "{html}");
}

#[test]
fn unknown_languages_render_as_before() {
    // Exactly what pulldown-cmark writes, as before highlighting existed.
    assert_eq!(
        render("```text title=x\na < b && c\n```\n\n```\nno tag\n```\n\n~~~brainfuck\n+[-]\n~~~\n").html,
        "<pre><code class=\"language-text\">a &lt; b &amp;&amp; c\n</code></pre>\n<pre><code>no tag\n</code></pre>\n\
         <pre><code class=\"language-brainfuck\">+[-]\n</code></pre>\n"
    );
}

#[test]
fn headings_and_images_in_code_are_not_the_outline() {
    let rendered = render("## Real\n\n```html\n<h2>Not a heading</h2>\n<img src=\"/x.png\">\n```\n");
    assert_eq!(rendered.toc.len(), 1);
    assert_eq!(rendered.first_image, None);
    assert!(!rendered.html.contains("loading=\"lazy\""), "{}", rendered.html);
}

#[test]
fn yaml_block_scalars_are_strings_until_the_indentation_ends() {
    let html = hl("yaml", "run: |\n  echo a: b # c\n\n  more\nnext: 1\n");
    assert!(has_token(&html, "str", "echo a: b # c") && has_token(&html, "str", "more"), "{html}");
    assert!(has_token(&html, "attr", "next") && has_token(&html, "num", "1"), "{html}");
}

#[test]
fn shell_commands_variables_and_comments() {
    let html = hl("console", "$ FOO=1 cargo test --all # run\nok: ${FOO} $1 $(date)\n");
    assert!(has_token(&html, "var", "FOO") && has_token(&html, "fn", "cargo"), "{html}");
    assert!(has_token(&html, "com", "# run") && has_token(&html, "var", "${FOO}"), "{html}");
    assert!(has_token(&html, "var", "$1") && has_token(&html, "fn", "date"), "{html}");
}

#[test]
fn adversarial_input_takes_linear_time() {
    // Each would take minutes if some lexer rescanned the rest of the input per token.
    let inputs = [
        "/*".repeat(20_000),
        "\"".repeat(40_000),
        "'".repeat(40_000),
        format!("r{}\"{}", "#".repeat(255), "\"#".repeat(20_000)),
        "<".repeat(40_000),
        "<a ".repeat(10_000),
        "<script>".repeat(5_000),
        "{".repeat(40_000),
        "a,".repeat(20_000),
        "a:".repeat(20_000),
        "|".repeat(40_000),
        "${".repeat(20_000),
        "&#".repeat(20_000),
        "k: |\n  x\n".repeat(5_000),
        "[".repeat(40_000),
        "\\é".repeat(10_000),
    ];
    let languages = ["rust", "python", "js", "go", "sh", "sql", "json", "toml", "yaml", "html", "css"];
    let start = std::time::Instant::now();
    for input in &inputs {
        for language in languages {
            assert_eq!(text_of(&hl(language, input)).len(), input.len(), "{language}");
        }
    }
    // Generous, for slow machines: linear lexing takes well under a second.
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}
