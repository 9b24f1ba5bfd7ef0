//! Regression tests for what the HTML-parser oracle (crates/oracle) and the fuzzer found: the
//! renderer's HTML must not rely on a browser's implicit closes, or the sanitiser's closing
//! tags end up closing the page's own elements (the post's container) instead of the
//! author's. The oracle checks these inputs with a real parser too
//! (`crates/oracle/tests/inputs.rs`); here the renderer's exact output is pinned.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::markdown::render;
use test_case::test_case;

fn html(markdown: &str) -> String {
    render(markdown).html
}

const VOID: &[&str] = &["br", "hr", "img", "input", "col", "wbr"];

/// Every end tag closes the innermost open element, nothing is left open, and no heading
/// starts right inside another: what a browser builds follows the tags as written.
fn assert_nested(html: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let gt = rest[lt..].find('>').map(|g| lt + g).unwrap_or_else(|| panic!("unclosed tag in {html}"));
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(end) => (true, end),
            None => (false, tag),
        };
        let name = tag.split(|c: char| c.is_ascii_whitespace() || c == '/').next().unwrap_or("");
        if closing {
            assert_eq!(open.pop(), Some(name), "</{name}> does not close the innermost element in {html}");
        } else if !VOID.contains(&name) {
            let heading = |n: &str| matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            // A browser closes an open heading at the next heading's start tag.
            assert!(
                !(heading(name) && open.last().is_some_and(|n| heading(n))),
                "<{name}> in a heading in {html}"
            );
            open.push(name);
        }
    }
    assert!(open.is_empty(), "{open:?} left open in {html}");
}

#[test_case("<div/>\n\nafter", "<div>\n<p>after</p>\n</div>" ; "a self-closing div opens a div")]
#[test_case("<table/><tr><td>x", "<table><tbody><tr><td>x</td></tr></tbody></table>" ; "a self-closing table opens a table")]
#[test_case("<ul><li><div><li>x</li></div></li></ul>", "<ul><li><div></div></li><li>x</li></ul>" ; "li closes the div before it")]
#[test_case("<dl><dd><div><dt>x</dt></div></dd></dl>", "<dl><dd><div></div></dd><dt>x</dt></dl>" ; "dt closes dd and the div in it")]
#[test_case("<table><tr><div><table>x</table></div></tr></table>", "<table><tbody><tr></tr></tbody></table><table>x</table>" ; "a table in a row closes the table")]
#[test_case("<div><b>bold</div>after", "<div><b>bold</b></div>after" ; "formatting closed with its block")]
#[test_case("<p><a href=\"/blog/x\"><h4>In</h4></a></p>", "<p><a href=\"/blog/x\"></a></p><h4 id=\"in\"><a href=\"/blog/x\">In</a><a class=\"heading-anchor\" href=\"#in\" aria-label=\"Link to this section\">#</a></h4>" ; "a link reopened in a heading as browsers do")]
fn renders_explicitly_balanced(markdown: &str, expected: &str) {
    let out = html(markdown);
    assert_eq!(out.trim_end(), expected);
    assert_nested(&out);
}

/// The generator's first finding: an author heading in a heading, with a `div` between.
/// A browser closes the inner `h2` at `<h3>`, so the author's `</h2>` closed the outer
/// heading and the `div`, and the sanitiser's `</div>` then closed the post's container.
#[test]
fn a_heading_in_a_heading_cannot_close_the_container() {
    let out = html("<h3><div><h2><h3>x</h3></h2></div></h3>\n\nafter\n");
    assert_nested(&out);
    let anchor = |id: &str| {
        format!("<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>")
    };
    assert_eq!(
        out,
        format!(
            "<h3 id=\"x\"><div><h2 id=\"section\">{}</h2><h3 id=\"x-1\">x{}</h3></div>{}</h3>\n<p>after</p>\n",
            anchor("section"),
            anchor("x-1"),
            anchor("x")
        )
    );
}

#[test]
fn stray_end_tags_never_reach_the_page() {
    for markdown in [
        "</div></article></main>text",
        "<div>\n\n- item\n\n</div></div></div>\n",
        "| a |\n|---|\n| <div> <td> </div></table> x |\n",
        "- <div><li>y</div>\n",
        "> <table><tr><td><div></blockquote>\n",
    ] {
        assert_nested(&html(markdown));
    }
}

#[test]
fn the_hostile_fixture_is_balanced() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/hostile/posts/hostile.md");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_nested(&html(&text));
}

#[test]
fn deep_nesting_is_cut_and_balanced() {
    let out = html(&format!("{}x{}", "<div>".repeat(2000), "</div>".repeat(2000)));
    assert_nested(&out);
    assert!(out.matches("<div>").count() <= 256, "{} divs", out.matches("<div>").count());
}
