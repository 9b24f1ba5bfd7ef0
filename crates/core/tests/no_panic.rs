//! Whatever a writer or a URL throws at the shared code, it must answer, never panic: a panic
//! kills the wasm app. A deterministic generator mixes the characters the parsers treat
//! specially with multi-byte ones, to catch slicing inside a character.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::date::PostDate;
use quire_core::highlight::highlight;
use quire_core::markdown::{excerpt, reading_minutes, render};
use quire_core::url::{base_path_from_href, percent_decode, post_file_key, post_path, post_slug};

const PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "<!",
    "<?",
    "&",
    "&#",
    "&#x",
    ";",
    "\"",
    "'",
    "=",
    "/",
    ":",
    "%",
    "%C3",
    "%ZZ",
    "#",
    "?",
    "+",
    "-",
    "T",
    "Z",
    " ",
    "\n",
    "\t",
    "é",
    "’",
    "—",
    "🦀",
    "a",
    "1",
    "12",
    "2024",
    "script",
    "img",
    "a href",
    "javascript:",
    "data:image/png",
    "style=",
    "text-align",
    "h1",
    "div",
    "td",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "![",
    "|",
    "---",
    "\\",
    "[^1]",
    "- [ ]",
    ":00",
    "+02:00",
    "<h2>",
    " id=x",
    "<a name=a>",
    // Fenced code, and what the highlighter lexes.
    "```rust\n",
    "```html\n",
    "```yaml\n",
    "~~~sh\n",
    "```css\n",
    "```\n",
    "/*",
    "*/",
    "//",
    "--",
    "r#\"",
    "\"#",
    "'''",
    "\"\"\"",
    "'a",
    "b'",
    "$",
    "${",
    "{",
    "}",
    "!",
    "@media",
    "<script>",
    "</script",
    "<style>",
    "key: |",
    "  ",
    "[[",
    "0x",
    "1e-",
    ".5",
    "&amp",
    "\0",
];

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

fn inputs(count: usize) -> impl Iterator<Item = String> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    (0..count).map(move |_| {
        let len = rng.next() % 24;
        (0..len).map(|_| PIECES[rng.next() % PIECES.len()]).collect()
    })
}

#[test]
fn shared_code_never_panics() {
    for input in inputs(20_000) {
        let rendered = render(&input);
        let html = &rendered.html;
        assert!(!html.to_ascii_lowercase().contains("<script"), "{input:?} → {html}");
        // Every heading has an id, never empty, never twice.
        let ids: std::collections::HashSet<&str> = rendered.toc.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.len() == rendered.toc.len() && !ids.contains(""), "{input:?} → {:?}", rendered.toc);
        let _ = reading_minutes(&input);
        let _ = excerpt(&input, 20);
        let _ = PostDate::parse(&input);
        let _ = PostDate::parse(&format!("2024-01-01T{input}"));
        let _ = post_slug(Some(&input), &input);
        let _ = percent_decode(&input);
        let _ = post_file_key(&input);
        let _ = post_path(&input);
        let _ = base_path_from_href(&input);
    }
}

#[test]
fn highlighting_never_panics_and_keeps_the_text() {
    let languages = ["rust", "python", "js", "go", "sh", "sql", "json", "toml", "yaml", "html", "css"];
    for input in inputs(20_000) {
        for language in languages {
            let html = highlight(language, &input).expect("a known language");
            // The only markup is spans; the text, entities decoded, is the input.
            let mut text = String::new();
            let mut rest = html.as_str();
            while let Some((before, tag)) = rest.split_once('<') {
                text.push_str(before);
                let (tag, after) = tag.split_once('>').expect("a closed tag");
                assert!(
                    tag.starts_with("span class=\"tok-") || tag == "/span",
                    "{language} {input:?} → {html}"
                );
                rest = after;
            }
            text.push_str(rest);
            let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            assert_eq!(text, input, "{language} → {html}");
        }
    }
}

#[cfg(feature = "front-matter")]
#[test]
fn front_matter_never_panics() {
    use quire_core::front_matter::{PostFrontMatter, split};
    for input in inputs(5_000) {
        let _ = split(&input);
        let _ = split(&format!("---\n{input}\n---\nbody"));
        let _ = PostFrontMatter::parse(&input);
        let _ = PostFrontMatter::parse(&format!("title: {input}\ndate: {input}\ncategory:\n  - {input}"));
    }
}
