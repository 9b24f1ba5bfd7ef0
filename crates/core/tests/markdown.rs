//! Snapshot tests of the HTML the renderer produces (one renderer for every render path).

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::markdown::{TocEntry, TocSection, excerpt, reading_minutes, render, table_of_contents};

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
    assert!(html("## Starts at two\n\n### Three\n").starts_with("<h2 id=\"starts-at-two\">Starts at two<a "));
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
    let sub = render_with(md, RenderOptions { url_root: "/quire/", ..RenderOptions::default() });
    insta::assert_snapshot!(sub.html);
    assert_eq!(sub.first_image.as_deref(), Some("/img/logo.png"), "as written, before the root");
    let feed = render_with(md, RenderOptions { url_root: "https://blog.example", without_anchors: true });
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

/// `level:id:text` of every heading, for compact assertions.
fn outline(markdown: &str) -> Vec<String> {
    render(markdown).toc.iter().map(|e| format!("{}:{}:{}", e.level, e.id, e.text)).collect()
}

#[test]
fn repeated_headings_get_numbered_ids() {
    let md = "## Intro\n\n## Intro\n\n## Intro 1\n\n### Intro\n";
    insta::assert_snapshot!(html(md));
    assert_eq!(outline(md), ["2:intro:Intro", "2:intro-1:Intro", "2:intro-1-1:Intro 1", "3:intro-2:Intro"]);
}

#[test]
fn headings_without_usable_text_are_sections() {
    let md = "## !!!\n\n## ![](/img/a.png)\n\n## Section\n\n##\n";
    insta::assert_snapshot!(html(md));
    assert_eq!(outline(md), ["2:section:!!!", "2:section-1:", "2:section-2:Section", "2:section-3:"]);
}

#[test]
fn non_ascii_headings_keep_their_letters() {
    let md = "## Café crème & brûlée\n\n## 日本語の見出し\n\n## Привет, мир!\n\n## ÜBER Straße — 2.0\n";
    insta::assert_snapshot!(html(md));
    assert_eq!(
        outline(md),
        [
            "2:café-crème-brûlée:Café crème & brûlée",
            "2:日本語の見出し:日本語の見出し",
            "2:привет-мир:Привет, мир!",
            "2:über-straße-2-0:ÜBER Straße — 2.0",
        ]
    );
}

#[test]
fn heading_ids_never_take_an_id_already_on_the_page() {
    // An author id after the heading still wins (the ids are reserved first); so do `<a name>`
    // anchors and footnote names; `main` and `quire…` belong to the app.
    let md = "## Intro\n\n<div id=\"intro\">x</div>\n\n<h2 id=\"kept\">Raw with id</h2>\n\n## Kept\n\n\
              ## Main\n\n## Quire news\n\nA claim.[^notes]\n\n## Fn notes\n\n<a name=\"anchor\"></a>\n\n## Anchor\n\n\
              [^notes]: The source.\n";
    insta::assert_snapshot!(html(md));
    assert_eq!(
        outline(md),
        [
            "2:intro-1:Intro",
            "2:kept:Raw with id",
            "2:kept-1:Kept",
            "2:section-main:Main",
            "2:section-quire-news:Quire news",
            "2:fn-notes-1:Fn notes",
            "2:anchor-1:Anchor",
        ]
    );
}

#[test]
fn an_author_heading_id_used_twice_on_the_page_is_replaced() {
    let md = "<h2 id=\"dup\">One</h2>\n\n<p id=\"dup\">x</p>\n\n<h3 id=\"solo\">Two</h3>\n\n<h4 id=\"twice\">A</h4><h4 id=\"twice\">A</h4>\n";
    assert_eq!(outline(md), ["2:one:One", "3:solo:Two", "4:a:A", "4:a-1:A"]);
    let html = html(md);
    assert!(html.starts_with("<h2 id=\"one\">One<a "), "{html}");
    assert!(html.contains("<p id=\"dup\">x</p>"), "other elements keep theirs: {html}");
}

#[test]
fn raw_html_headings_get_ids_and_anchors() {
    // The body uses `#`, so every heading is demoted; a raw heading's text may hold markup or
    // Markdown; a heading inside a link gets an id but no anchor (links cannot nest); a
    // footnote mark is not part of the heading's text.
    let md = "# Title\n\n<h1>Raw <em>one</em></h1>\n\nText <h3>inline</h3> more\n\n<h2 id=\"x\">Across\n\n**markdown**\n\n</h2>\n\n\
              <a href=\"/blog/x\"><h3>In a link</h3></a>\n\n## Claim[^1]\n\n[^1]: Source.\n";
    insta::assert_snapshot!(html(md));
    assert_eq!(
        outline(md),
        [
            "2:title:Title",
            "2:raw-one:Raw one",
            "4:inline:inline",
            "3:x:Across markdown",
            "4:in-a-link:In a link",
            "3:claim:Claim"
        ]
    );
}

#[test]
fn every_heading_has_one_unique_nonempty_id() {
    let md = "# A\n\n## A\n\n<h2>A</h2>\n\n<h3 id=\"a-1\">B</h3>\n\n#### \n\n<h5></h5>\n\n###### A-1\n";
    let rendered = render(md);
    let ids: Vec<&str> = rendered.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids.iter().all(|id| !id.is_empty()));
    for id in &ids {
        assert_eq!(rendered.html.matches(&format!("id=\"{id}\"")).count(), 1, "{id} in {}", rendered.html);
        assert!(rendered.html.contains(&format!("href=\"#{id}\"")), "{id} has an anchor");
    }
}

#[test]
fn table_of_contents_nests_level_three_under_level_two() {
    let shape = |md: &str| -> Vec<(String, Vec<String>)> {
        table_of_contents(&render(md).toc)
            .into_iter()
            .map(|s| (s.entry.id, s.children.into_iter().map(|c| c.id).collect()))
            .collect()
    };
    // `#` demotes everything: `### Deep` is level 4 and `#### Deeper` level 5, both left out.
    assert_eq!(
        shape("# One\n\n## One a\n\n### Deep\n\n# Two\n\n#### Deeper\n"),
        [("one".into(), vec!["one-a".into()]), ("two".into(), vec![])]
    );
    // A level 3 before any level 2 stands alone.
    assert_eq!(
        shape("### Lead\n\n## A\n\n### A1\n\n## B\n"),
        [("lead".into(), vec![]), ("a".into(), vec!["a1".into()]), ("b".into(), vec![])]
    );
    // Fewer than three headings of levels 2–3: no contents.
    assert!(shape("## A\n\n### B\n\n#### C\n").is_empty());
    assert!(shape("No headings").is_empty());
    let entry = TocEntry { level: 2, id: "a".into(), text: "A".into() };
    let three = vec![entry.clone(), entry.clone(), entry.clone()];
    assert_eq!(table_of_contents(&three).len(), 3);
    assert_eq!(table_of_contents(&three)[0], TocSection { entry, children: vec![] });
}

#[test]
fn images_load_lazily_unless_the_author_chose() {
    assert_eq!(
        html(
            "![a](/a.png \"T\") <img src=\"/b.png\" loading=\"eager\"> <img src=\"/c.png\" decoding=\"sync\">"
        ),
        "<p><img src=\"/a.png\" alt=\"a\" title=\"T\" loading=\"lazy\" decoding=\"async\" /> \
         <img src=\"/b.png\" loading=\"eager\" decoding=\"async\"> <img src=\"/c.png\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
}

#[test]
fn reading_time_counts_words_at_230_and_cjk_characters_at_500_a_minute() {
    let words = |n: usize| vec!["word"; n].join(" ");
    assert_eq!(reading_minutes(""), 1, "at least a minute");
    assert_eq!(reading_minutes(&words(344)), 1, "1.496 rounds down");
    assert_eq!(reading_minutes(&words(345)), 2, "1.5 rounds up");
    assert_eq!(reading_minutes(&words(2300)), 10);
    assert_eq!(reading_minutes(&"日本語".repeat(500)), 3, "1,500 characters");
    assert_eq!(reading_minutes(&format!("{} {}", words(230), "漢".repeat(500))), 2, "mixed");
    // Markup and punctuation are not words; code and the text of raw HTML are; scripts and
    // alt text are not.
    let md = format!(
        "## {}\n\n— * —\n\n```\n{}\n```\n\n<table><tr><td>{}</td></tr></table>\n\n<script>{}</script>\n\n![{}](a.png)\n",
        words(100),
        words(100),
        words(145),
        words(1000),
        words(1000)
    );
    assert_eq!(reading_minutes(&md), 2, "345 words");
    assert_eq!(
        reading_minutes(&format!("**{}**{}", "bold", words(344))),
        1,
        "emphasis does not split a word"
    );
}

#[test]
fn feeds_keep_heading_ids_without_anchor_links() {
    use quire_core::markdown::{RenderOptions, render_with};
    let page = render("## Title\n");
    assert!(page.html.contains("heading-anchor"), "{}", page.html);
    let feed = render_with("## Title\n", RenderOptions { without_anchors: true, ..RenderOptions::default() });
    assert_eq!(feed.html, "<h2 id=\"title\">Title</h2>\n");
}
