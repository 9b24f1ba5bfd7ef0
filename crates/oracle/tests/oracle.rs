//! The oracle itself must be able to fail: hand it HTML that breaks the contract in each way
//! it checks, as a browser would parse it, and it must say so.

use quire_oracle::{Parse, check_html};
use test_case::test_case;

fn problems(html: &str) -> String {
    match check_html(html) {
        Ok(()) => String::new(),
        Err(report) => report.to_string(),
    }
}

#[test_case("<script>alert(1)</script>", "element <script> is not allowed" ; "script")]
#[test_case("<img src=x onerror=alert(1)>", "event handler attribute onerror" ; "event handler")]
#[test_case("<p OnClick=x>p</p>", "event handler attribute onclick" ; "event handler in capitals")]
#[test_case("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "URL scheme \"javascript\"" ; "entity-encoded tab in the scheme")]
#[test_case("<a href=\"&#1;javascript:alert(1)\">x</a>", "URL scheme \"javascript\"" ; "leading control")]
#[test_case("<a href=\"vbscript:x\">x</a>", "URL scheme \"vbscript\"" ; "vbscript")]
#[test_case("<a href=\"data:image/png;base64,AA\">x</a>", "URL scheme \"data\"" ; "data link")]
#[test_case("<img src=\"data:image/svg+xml;base64,AA\">", "data: URL of type \"image/svg+xml\"" ; "svg data image")]
#[test_case("<blockquote cite=\"javascript:x\">q</blockquote>", "URL scheme \"javascript\"" ; "cite")]
#[test_case("<p style=\"color:red\">x</p>", "style attribute" ; "style")]
#[test_case("<div id=\"main\">x</div>", "one of the app's own ids" ; "reserved id")]
#[test_case("<a name=\"quire-site\">x</a>", "one of the app's own ids" ; "reserved name")]
#[test_case("<p class=\"post__body\">x</p>", "class \"post__body\"" ; "app class")]
#[test_case("<a href=\"https://x.org\" target=\"_blank\">x</a>", "target without rel" ; "blank target without rel")]
#[test_case("<a href=\"https://x.org\" target=\"_top\" rel=\"noopener\">x</a>", "only _blank" ; "top target")]
#[test_case("<input type=\"text\">", "<input type=\"text\">" ; "text input")]
#[test_case("<input type=\"checkbox\">", "not a disabled checkbox" ; "enabled checkbox")]
#[test_case("<svg><a>x</a></svg>", "in the namespace \"http://www.w3.org/2000/svg\"" ; "svg namespace")]
#[test_case("<math><mi>x</mi></math>", "in the namespace \"http://www.w3.org/1998/Math/MathML\"" ; "math namespace")]
#[test_case("<template><p>x</p></template>", "element <template> is not allowed" ; "template")]
#[test_case("<form><button>x</button></form>", "element <form> is not allowed" ; "form")]
#[test_case("<!-- note -->", "a comment node" ; "comment")]
#[test_case("<p title=x data-x=1>x</p>", "attribute data-x=" ; "unknown attribute")]
#[test_case("<img src=x srcset=\"javascript:x 1x\">", "attribute srcset=" ; "srcset")]
fn refuses(html: &str, expected: &str) {
    let report = problems(html);
    assert!(report.contains(expected), "expected {expected:?} for {html:?}, got:\n{report}");
}

#[test]
fn noscript_is_parsed_both_ways() {
    // With scripting on, <noscript> content is raw text; off, it is markup: the image only
    // exists with scripting off, and the oracle must see it there.
    let report = check_html("<noscript><img src=x onerror=alert(1)></noscript>").unwrap_err();
    let parses: Vec<Parse> =
        report.violations.iter().filter(|v| v.problem.contains("onerror")).map(|v| v.parse).collect();
    assert!(parses.contains(&Parse::Fragment { scripting: false }), "{report}");
    assert!(!parses.contains(&Parse::Fragment { scripting: true }), "{report}");
}

#[test]
fn markup_escaping_the_container_is_caught() {
    let report = problems("<p>x</p></div><p>outside</p>");
    assert!(report.contains("reached outside the post container"), "{report}");
    // A formatting element left open is reconstructed around the page's own text after the
    // body: author markup outside the container.
    let report = problems("<p><b>bold</p>");
    assert!(report.contains("reached outside the post container"), "{report}");
}

#[test]
fn mutation_on_a_round_trip_is_caught() {
    // A link in a table in a link: the parser moves the inner link out of the table, and on
    // the next parse closes the outer link before it.
    let report = problems("<a href=\"/x\"><table><a href=\"/y\">z</a></table></a>");
    assert!(report.contains("a round trip changes its elements"), "{report}");
    // The classic namespace confusion: harmless on the first parse only.
    let report = problems("<p><svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">");
    assert!(report.contains("onerror"), "{report}");
}

#[test_case("<p>plain <em>text</em> &amp; <a href=\"/blog/x\">link</a></p>" ; "basic")]
#[test_case("<h2 id=\"intro\">Intro<a class=\"heading-anchor\" href=\"#intro\" aria-label=\"Link to this section\">#</a></h2>" ; "heading anchor")]
#[test_case("<ul><li><input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> done</li></ul>" ; "task list")]
#[test_case("<pre><code class=\"language-rust\"><span class=\"tok-keyword\">fn</span></code></pre>" ; "code")]
#[test_case("<table><thead><tr><th class=\"align-center\">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>" ; "table")]
#[test_case("<img src=\"data:image/png;base64,AAAA\" alt=\"x\" loading=\"lazy\" decoding=\"async\">" ; "inline png")]
#[test_case("<a href=\"https://x.org\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>" ; "blank target")]
#[test_case("<p>a &lt;script&gt; in text</p>" ; "escaped markup is text")]
fn accepts(html: &str) {
    if let Err(report) = check_html(html) {
        panic!("{report}");
    }
}
