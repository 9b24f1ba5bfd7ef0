//! Snapshot tests of the HTML the renderer produces (one renderer for every render path).

use quire_core::markdown::{excerpt, render};

fn html(markdown: &str) -> String {
    render(markdown).html
}

#[test]
fn commonmark_basics() {
    insta::assert_snapshot!(html(
        "## Section\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.org \"Title\").\n\n\
         - one\n- two\n  - nested\n\n1. first\n2. second\n\n> quoted\n\n```rust\nfn main() {}\n```\n\n---\n\n![alt text](/img/a.png)\n"
    ));
}

#[test]
fn gfm_extensions() {
    insta::assert_snapshot!(html(
        "| A | B |\n| --- | :-: |\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n- [ ] todo\n\nA claim.[^1]\n\n[^1]: The source.\n"
    ));
}

#[test]
fn smart_punctuation_and_hard_breaks() {
    insta::assert_snapshot!(html(
        "\"Quotes\" and 'single' -- dashes --- and ellipsis...\n\nline one\\\nline two  \nline three<br>line four\n"
    ));
}

#[test]
fn raw_html_as_the_real_posts_use_it() {
    insta::assert_snapshot!(html(
        "<table width=\"90%\">\n<tr>\n<td width=\"45%\"><strong>When</strong></td>\n<td width=\"45%\">Now</td>\n</tr>\n</table>\n\n\
         <p style=\"text-align: center;\"><i>centered</i></p>\n\n<div id=\"kr\" style=\"padding-top: 40px; margin-top:-40px\">\n\n**Korea**\n\n</div>\n\n\
         <a href=\"https://maps.example/x\"  target=\"_blank\">map</a>\n"
    ));
}

#[test]
fn hostile_input_is_neutralised() {
    insta::assert_snapshot!(html(
        "Inline <script>alert(1)</script> script.\n\n<script>\nalert(2)\n</script>\n\n<img src=x onerror=alert(3)>\n\n\
         [md](javascript:alert(4)) ![svg](data:image/svg+xml;base64,AAAA)\n\n<a href=\"jav&#x09;ascript:alert(5)\">tab</a>\n\n\
         <iframe src=\"https://evil.example\"></iframe>\n\n</div></article>after\n"
    ));
}

#[test]
fn author_tags_stay_inside_markdown_containers() {
    // Containers close what the author left open in them, as browsers do; HTML inside image
    // alt text is text, not markup.
    insta::assert_snapshot!(html(
        "- <div>x\n- y\n\n> <div>quoted\n\n| a |\n|---|\n| <div> cell |\n\n\
         ![<div><div>](/x.png)\n\nRead <a href=\"https://e.example/\">this ![</a>](/x.png) and more\n\n\
         <div>\n\n![</div>](/x.png)\n\n![<h1>](x)\n"
    ));
}

#[test]
fn links_outside_the_apps_routes_load_from_the_host() {
    assert_eq!(
        html("[pdf](</files/a b.pdf> \"The report\") [post](/blog/x) [here](#top) [out](https://x.org/)"),
        "<p><a href=\"/files/a%20b.pdf\" title=\"The report\" rel=\"external\">pdf</a> <a href=\"/blog/x\">post</a> \
         <a href=\"#top\">here</a> <a href=\"https://x.org/\">out</a></p>\n"
    );
}

#[test]
fn headings_are_demoted_only_when_the_body_uses_h1() {
    insta::assert_snapshot!(html("# Top\n\n## Second\n\n<h1>raw</h1>\n"));
    assert!(html("## Starts at two\n\n### Three\n").starts_with("<h2>Starts at two</h2>\n<h3>"));
}

#[test]
fn excerpts_are_plain_text_cut_at_a_word() {
    let md = "## Heading\n\nThe **first** paragraph with a [link](https://x.org).\n\n<div>raw html</div>\n\n![image](a.png)\n\nSecond paragraph is longer than the limit allows.";
    insta::assert_snapshot!(excerpt(md, 60), @"Heading The first paragraph with a link. Second paragraph is…");
    assert_eq!(excerpt("short", 60), "short");
    assert_eq!(excerpt("", 60), "");
}

#[test]
fn root_relative_urls_get_the_url_root() {
    use quire_core::markdown::{RenderOptions, render_with};
    let md = "![logo](/img/logo.png) [post](/blog/other) [pdf](/files/a.pdf) [top](#top) [rel](b.png) \
              [net](//cdn.example/x) [abs](https://x.org/)\n\n<img src=\"/img/raw.png\"> <a href=\"/blog/raw\">raw</a>\n";
    let sub = render_with(md, RenderOptions { url_root: "/quire/" });
    insta::assert_snapshot!(sub.html);
    assert_eq!(sub.first_image.as_deref(), Some("/img/logo.png"), "as written, before the root");
    let feed = render_with(md, RenderOptions { url_root: "https://blog.example" });
    assert!(feed.html.contains("src=\"https://blog.example/img/logo.png\""), "{}", feed.html);
    assert!(
        feed.html.contains("href=\"https://blog.example/img/raw.png\"")
            || feed.html.contains("src=\"https://blog.example/img/raw.png\"")
    );
    assert_eq!(render(md).html.matches("\"/img/").count(), 2, "no root: unchanged");
}

#[test]
fn first_image_skips_inline_data_and_unsafe_urls() {
    let md = "![x](data:image/png;base64,AAAA) ![y](javascript:alert(1))\n\n<img src=\"data:image/gif;base64,R0\"><img src=\"/img/second.png\">\n";
    assert_eq!(render(md).first_image.as_deref(), Some("/img/second.png"));
    assert_eq!(render("no pictures").first_image, None);
}

#[test]
fn descriptions_written_in_markdown_become_plain_text() {
    use quire_core::markdown::plain_text;
    assert_eq!(
        plain_text("The [OpenInfra Foundation](https://openinfra.org) announces *three* `new` projects"),
        "The OpenInfra Foundation announces three new projects"
    );
    assert_eq!(plain_text("line one\nline   two"), "line one line two");
    assert_eq!(plain_text("Tom & Jerry <b>bold</b> 5 < 6"), "Tom & Jerry bold 5 < 6");
    assert_eq!(plain_text(""), "");
}
