//! Blog settings are author text too: whatever the title holds, the page around it keeps its
//! structure (read back with html5ever, as a browser parses it).

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use scraper::{Html, Selector};
use std::fs;

mod common;
use common::build_into;

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector")).collect()
}

/// In a `<script>`, `<!--` followed by `<script>` makes the parser read past the next
/// `</script>` (the "double escaped" state): the settings must not let the title do that, and
/// neither the blog's title nor a post's may end the page's `<title>`.
#[test]
fn titles_with_comment_script_and_title_tags_stay_text_in_every_page() {
    let title = "Notes <!-- <script> </script> & </title><b>more";
    let content = tempfile::tempdir().expect("content");
    fs::create_dir_all(content.path().join("posts")).expect("posts");
    fs::write(
        content.path().join("posts/hello.md"),
        "---\ntitle: Hello </title><img src=x>\ndate: 2024-01-01\n---\nThe body text.\n",
    )
    .expect("post");
    let config =
        serde_json::json!({ "title": title, "subTitle": "<!--", "seo": { "url": "https://x.example/" } });
    fs::write(content.path().join("blog-config.json"), config.to_string()).expect("config");
    let out = tempfile::tempdir().expect("out");
    build_into(content.path(), out.path(), "/");

    for (file, page_title) in [
        ("index.html", title.to_string()),
        ("blog/hello/index.html", format!("Hello </title><img src=x> – {title}")),
        ("404.html", format!("Page not found – {title}")),
    ] {
        let html = fs::read_to_string(out.path().join(file)).expect("page");
        let doc = Html::parse_document(&html);
        let settings = select(&doc, "head script#quire-site");
        assert_eq!(settings.len(), 1, "{file}");
        let json: serde_json::Value =
            serde_json::from_str(&settings[0].text().collect::<String>()).expect("the settings are JSON");
        assert_eq!(json["title"], title, "{file}");
        let titles = select(&doc, "title");
        assert_eq!(titles.len(), 1, "{file}: {html}");
        assert_eq!(titles[0].text().collect::<String>(), page_title, "{file}");
        assert!(select(&doc, "img, b").is_empty(), "{file}: {html}");
        // The loader, after the settings, is still a script of its own and the body is a body.
        let loaders = select(&doc, "head script[type=module][src]");
        assert_eq!(loaders.len(), 1, "{file}: {html}");
        assert!(select(&doc, "head script").iter().all(|s| !s.text().any(|t| t.contains("import init"))));
        assert_eq!(select(&doc, "body header.site-header").len(), 1, "{file}");
        assert!(!html.contains("<!-- <script>"), "{file}");
    }
}
