//! Regression tests for fidelity and correctness bugs found by reading the renderer: each
//! failed before its fix.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use htmlize::{ENTITIES, unescape, unescape_attribute};
use quire_core::entities::{Context, decode};
use quire_core::markdown::render;

fn html(markdown: &str) -> String {
    render(markdown).html
}

#[test]
fn an_email_autolink_is_a_mailto_link() {
    assert_eq!(
        html("Write to <ada@example.com>."),
        "<p>Write to <a href=\"mailto:ada@example.com\">ada@example.com</a>.</p>\n"
    );
    // Other autolinks are unchanged.
    assert_eq!(html("<https://x.org/a>"), "<p><a href=\"https://x.org/a\">https://x.org/a</a></p>\n");
}

#[test]
fn named_references_in_attributes_are_decoded_once() {
    assert_eq!(
        html("<img alt=\"caf&eacute; &amp; cr&egrave;me&hellip;\" src=\"a.png\">"),
        "<img alt=\"café &amp; crème…\" src=\"a.png\" loading=\"lazy\" decoding=\"async\">"
    );
    assert_eq!(
        html("<a title=\"&copy; 2024\" href=\"/x?a=1&copy=2\">x</a>"),
        "<p><a title=\"© 2024\" href=\"/x?a=1&amp;copy=2\" rel=\"external\">x</a></p>\n"
    );
}

/// Every name of WHATWG's table (htmlize carries it), alone and before the characters that
/// change how HTML reads a reference, decodes as the HTML spec says, in text and attributes.
#[test]
fn the_whole_html5_entity_table_decodes_as_browsers_do() {
    let mut checked = 0;
    for (name, _) in ENTITIES.entries() {
        let name = std::str::from_utf8(name).expect("entity names are ASCII");
        for after in ["", ";", "x", "=", " ", "#", "&amp;"] {
            let input = format!("a{name}{after}");
            assert_eq!(decode(&input, Context::Text), unescape(input.as_str()), "text {input:?}");
            assert_eq!(
                decode(&input, Context::Attribute),
                unescape_attribute(input.as_str()),
                "attribute {input:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2231 * 7);
    for input in ["&#0;", "&#x80;", "&#x81;", "&#55296;", "&#x10FFFF;", "&#x110000", "&#65;B", "&#x;", "&#"] {
        assert_eq!(decode(input, Context::Text), unescape(input), "{input:?}");
    }
}

#[test]
fn inline_script_content_is_dropped_with_its_tags() {
    let out = html("Inline <script>alert(1)</script> script and <style>p{}</style>style.\n");
    assert_eq!(out, "<p>Inline  script and style.</p>\n");
    // Markdown inside the script goes too; the paragraph stays balanced.
    assert_eq!(html("a <script>*x* [y](/z) `c`</script> b\n"), "<p>a  b</p>\n");
    // Left open, it ends with its paragraph (a browser would read on, up to `</script>`).
    assert_eq!(html("a <textarea>secret\n\nnext\n"), "<p>a </p>\n<p>next</p>\n");
    // Upper case and attributes.
    assert_eq!(html("x <SCRIPT type=\"module\">go()</SCRIPT> y\n"), "<p>x  y</p>\n");
}

#[test]
fn footnote_labels_never_become_an_apps_or_authors_id() {
    let out = html("Text.[^main] More.[^quire-site]\n\n[^main]: One.\n[^quire-site]: Two.\n");
    assert!(!out.contains("id=\"main\""), "{out}");
    assert!(!out.contains("id=\"quire-site\""), "{out}");
    assert!(out.contains("<a href=\"#fn-main\">1</a>"), "{out}");
    assert!(out.contains("id=\"fn-main\""), "{out}");
    assert!(out.contains("<a href=\"#fn-quire-site\">2</a>"), "{out}");
    // An author's element with the footnote's id loses it; a heading avoids it.
    let out = html("<div id=\"fn-note\">x</div>\n\n## Fn note\n\nA.[^note]\n\n[^note]: B.\n");
    assert_eq!(out.matches("id=\"fn-note\"").count(), 1, "{out}");
    assert!(out.contains("<div>x</div>"), "{out}");
    // Labels with spaces and case differences are one footnote, with a valid id.
    let out = html("A.[^My Note] B.[^my  note]\n\n[^my note]: C.\n");
    assert_eq!(out.matches("href=\"#fn-my~20note\"").count(), 2, "{out}");
    assert!(out.contains("id=\"fn-my~20note\""), "{out}");
}

#[test]
fn the_title_suffix_is_left_out_only_for_the_site_name_itself() {
    use quire_core::model::Site;
    use quire_core::seo::page_title;
    let site = |template: &str| Site {
        title: "quire".into(),
        title_template: Some(template.into()),
        ..Site::default()
    };
    // A title that is part of the name, or of a word in it, is a title like any other.
    assert_eq!(page_title(&site("%s – quire"), "ire"), "ire – quire");
    assert_eq!(page_title(&site("%s – quire"), "q"), "q – quire");
    assert_eq!(page_title(&site("%s | Open Infrastructure"), "Open"), "Open | Open Infrastructure");
    assert_eq!(
        page_title(&site("%s | Open Infrastructure"), "Infrastructure"),
        "Infrastructure | Open Infrastructure"
    );
    // The name itself is not repeated.
    assert_eq!(page_title(&site("%s – quire"), "quire"), "quire");
    assert_eq!(page_title(&site("Open Infrastructure | %s"), "Open Infrastructure"), "Open Infrastructure");
}

#[test]
fn a_file_of_another_format_version_says_so() {
    use quire_core::model::{DecodeError, FORMAT_VERSION, ListingPage, decode};
    let page = serde_json::json!({
        "version": FORMAT_VERSION, "site": { "title": "quire" }, "listing": { "kind": "home" },
        "page": 1, "pages": 1, "total": 0, "posts": [], "categories": []
    });
    let bytes = |value: &serde_json::Value| serde_json::to_vec(value).expect("JSON");
    let current: ListingPage = decode(&bytes(&page)).expect("the current format decodes");
    assert_eq!(current.page, 1);

    // A newer compiler's file, whose fields still fit: the version decides.
    let mut newer = page.clone();
    newer["version"] = serde_json::json!(FORMAT_VERSION + 1);
    let error = decode::<ListingPage>(&bytes(&newer)).expect_err("newer");
    assert_eq!(error, DecodeError::Version { found: FORMAT_VERSION + 1 });
    assert!(error.to_string().contains("newer version of quire"), "{error}");
    assert!(error.to_string().ends_with("reload the page"), "{error}");

    // An older compiler's file that lacks a field: the version, not the field.
    let mut older = page.clone();
    older["version"] = serde_json::json!(FORMAT_VERSION - 1);
    older.as_object_mut().expect("object").remove("listing");
    let error = decode::<ListingPage>(&bytes(&older)).expect_err("older");
    assert_eq!(error, DecodeError::Version { found: FORMAT_VERSION - 1 });
    assert!(error.to_string().contains("older version of quire"), "{error}");

    // The current version with a broken field names the field.
    let mut broken = page.clone();
    broken.as_object_mut().expect("object").remove("listing");
    let error = decode::<ListingPage>(&bytes(&broken)).expect_err("broken");
    assert!(matches!(&error, DecodeError::Invalid(m) if m.contains("listing")), "{error}");
    assert!(matches!(decode::<ListingPage>(b"<!doctype html>"), Err(DecodeError::Invalid(_))));
}

/// The compiler takes a post's social-card picture from `first_image`, which skips rendering:
/// it must pick what the renderer picks, on every post there is and on tricky shapes.
#[test]
fn first_image_picks_what_the_renderer_picks() {
    use quire_core::markdown::first_image;
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut bodies: Vec<String> = [
        "<img src=\"/raw.png\">\n\n![md](/md.png)",
        "![](data:image/png;base64,AAAA) <img src=\"/raw.png\">",
        "a <script><img src=\"/dropped.png\"></script> b <img src=\"/kept.png\">",
        "a <script> b\n\nc <img src=\"/next-paragraph.png\">",
        "<div>\n<script>\n<img src=\"/in-script.png\">\n</div>\n\n<img src=\"/after.png\">",
        "![<img src=\"/alt.png\">](javascript:x) <img src=\"/real.png\">",
        "<img src=\"javascript:x\"><img src=\"data:image/png;base64,AA\"><img src=\"/third.png\">",
        "no image at all",
    ]
    .map(String::from)
    .to_vec();
    for dir in ["content/posts", "tests/fixtures/hostile/posts", "../shared/corpus/osf-website/posts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                // The body: after the front matter's closing `---` line.
                let body = text.splitn(3, "\n---").nth(2).unwrap_or(&text);
                bodies.push(body.to_string());
            }
        }
    }
    assert!(bodies.len() > 8);
    for body in &bodies {
        assert_eq!(
            first_image(body),
            render(body).first_image,
            "{}",
            body.chars().take(300).collect::<String>()
        );
    }
}
