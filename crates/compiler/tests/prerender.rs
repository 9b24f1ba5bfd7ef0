//! The post-build step as Trunk runs it: every route prerendered into Trunk's page frame,
//! read back with a real HTML parser (html5ever, through scraper) as a browser would.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use scraper::{Html, Selector};
use std::fs;
use std::path::Path;

mod common;
use common::{build_site, run};

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../content"))
}

fn page(out: &Path, file: &str) -> Html {
    let path = out.join(file);
    Html::parse_document(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn all(doc: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).map(|e| e.html()).collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).next().and_then(|e| e.value().attr(name)).map(str::to_string)
}

fn text(doc: &Html, css: &str) -> String {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).flat_map(|e| e.text()).collect::<String>()
}

#[test]
fn every_route_is_a_page_with_its_own_head_and_body() {
    let out = build_site(sample(), "/");
    let dir = out.path();
    for file in ["index.html", "404.html", "blog/hello-quire/index.html", "blog/quire+leptos/index.html"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    // The hidden draft is prerendered too (its URL works), marked noindex.
    let draft = page(dir, "blog/an-unfinished-draft/index.html");
    assert_eq!(attr(&draft, "meta[name=robots]", "content").as_deref(), Some("noindex"));

    let post = page(dir, "blog/hello-quire/index.html");
    assert_eq!(text(&post, "title"), "Welcome to quire: a blog that is just files – quire");
    assert_eq!(all(&post, "title").len(), 1);
    assert_eq!(text(&post, "main h1"), "Welcome to quire");
    assert!(text(&post, ".post__body").contains("plain files"), "the body is rendered");
    assert_eq!(
        attr(&post, "link[rel=canonical]", "href").as_deref(),
        Some("https://quire.example/blog/hello-quire")
    );
    for (css, n) in [
        ("meta[name=description]", 1),
        ("meta[property='og:title']", 1),
        ("meta[name='twitter:card']", 1),
        ("link[rel=canonical]", 1),
        ("script[type='application/ld+json']", 1),
        ("header.site-header", 1),
        ("footer.site-footer", 1),
        ("main#main > div.route[data-route=post]", 1),
    ] {
        assert_eq!(all(&post, css).len(), n, "{css}");
    }
    let ld: serde_json::Value =
        serde_json::from_str(&text(&post, "script[type='application/ld+json']")).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["author"]["name"], "Ada Quill");
    // Links between pages are plain hrefs.
    assert_eq!(attr(&post, ".site-title", "href").as_deref(), Some("/"));
    assert_eq!(attr(&post, "meta[name=quire-path]", "content").as_deref(), Some("/blog/hello-quire"));
    assert_eq!(attr(&post, "html", "lang").as_deref(), Some("en"));

    let home = page(dir, "index.html");
    let links = all(&home, ".post-card__title a");
    assert_eq!(links.len(), 5, "visible posts only: {links:?}");
    assert!(links.iter().any(|a| a.contains("href=\"/blog/quire+leptos\"")), "{links:?}");
    let ld: serde_json::Value =
        serde_json::from_str(&text(&home, "script[type='application/ld+json']")).expect("JSON-LD");
    assert_eq!(ld["@type"], "Blog");

    let not_found = page(dir, "404.html");
    assert_eq!(all(&not_found, "main div.route[data-route=not-found]").len(), 1);
    assert_eq!(attr(&not_found, "meta[name=robots]", "content").as_deref(), Some("noindex"));

    // Trunk's inline loader became a file: no inline script is left for a CSP to allow.
    let scripts = all(&post, "script");
    assert!(
        scripts.iter().all(|s| s.contains(" src=\"")
            || s.contains("application/ld+json")
            || s.contains("application/json")),
        "{scripts:?}"
    );
    let loader = attr(&post, "script[type=module]", "src").expect("loader script");
    let loader_file = dir.join(loader.trim_start_matches('/'));
    assert!(fs::read_to_string(&loader_file).expect("loader file").contains("init("));
}

#[test]
fn sub_path_builds_prefix_every_link_and_root_relative_urls_in_posts() {
    let content = tempfile::tempdir().expect("content");
    fs::create_dir_all(content.path().join("posts")).expect("posts");
    fs::write(
        content.path().join("posts/linked.md"),
        "---\ntitle: Linked\ndate: 2024-01-01\n---\n![pic](/img/a.png) [other](/blog/other) <img src=\"/img/b.png\">\n",
    )
    .expect("post");
    let out = build_site(content.path(), "/quire/");
    let post = page(out.path(), "blog/linked/index.html");
    assert_eq!(attr(&post, ".post__body img", "src").as_deref(), Some("/quire/img/a.png"));
    assert!(all(&post, ".post__body a").iter().any(|a| a.contains("href=\"/quire/blog/other\"")));
    assert!(all(&post, ".post__body img").iter().any(|a| a.contains("src=\"/quire/img/b.png\"")));
    assert_eq!(attr(&post, ".site-title", "href").as_deref(), Some("/quire/"));
    assert_eq!(attr(&post, "meta[name=quire-base]", "content").as_deref(), Some("/quire/"));
    assert_eq!(attr(&post, "meta[name=quire-path]", "content").as_deref(), Some("/quire/blog/linked"));
    assert!(attr(&post, "script[type=module]", "src").is_some_and(|s| s.starts_with("/quire/quire-loader-")));
}

#[test]
fn markdown_in_descriptions_is_plain_text_everywhere() {
    let content = tempfile::tempdir().expect("content");
    fs::create_dir_all(content.path().join("posts")).expect("posts");
    fs::write(
        content.path().join("posts/desc.md"),
        "---\ntitle: Desc\ndate: 2024-01-01\nseo:\n  description: News from the [OpenInfra Foundation](https://openinfra.org) *today*\n---\nBody\n",
    )
    .expect("post");
    let out = build_site(content.path(), "/");
    let post = page(out.path(), "blog/desc/index.html");
    let expected = "News from the OpenInfra Foundation today";
    assert_eq!(attr(&post, "meta[name=description]", "content").as_deref(), Some(expected));
    assert_eq!(attr(&post, "meta[property='og:description']", "content").as_deref(), Some(expected));
    let home = page(out.path(), "index.html");
    assert_eq!(text(&home, ".post-card__teaser"), expected);
}

#[test]
fn finalizing_twice_writes_the_same_pages() {
    let out = build_site(sample(), "/");
    let files = ["index.html", "404.html", "blog/hello-quire/index.html"];
    let first: Vec<String> =
        files.iter().map(|f| fs::read_to_string(out.path().join(f)).expect("page")).collect();
    let output = run("finalize", sample(), out.path(), "/");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for (file, before) in files.iter().zip(first) {
        assert_eq!(fs::read_to_string(out.path().join(file)).expect("page"), before, "{file}");
    }
}

#[test]
fn listings_are_paginated_with_category_and_author_pages() {
    let content = tempfile::tempdir().expect("content");
    fs::create_dir_all(content.path().join("posts")).expect("posts");
    fs::create_dir_all(content.path().join("authors")).expect("authors");
    fs::write(
        content.path().join("blog-config.json"),
        r#"{"title":"T","pageSize":2,"categories":[{"id":"c-os","text":"OpenStack"},{"id":"c-none","text":"Kata Containers"}]}"#,
    )
    .expect("config");
    fs::write(
        content.path().join("authors/jimmy.md"),
        "---\ntemplateKey: tags\nauthorName: Jimmy McArthur\ncompany: OpenInfra Foundation\n---\n",
    )
    .expect("author");
    for day in 1..=5 {
        fs::write(
            content.path().join(format!("posts/p{day}.md")),
            format!(
                "---\ntitle: Post {day}\ndate: 2024-01-0{day}\nauthor: Jimmy McArthur\ncategory:\n  - value: c-os\n    label: x\nhidePost: {}\n---\nBody {day}\n",
                day == 5
            ),
        )
        .expect("post");
    }
    let out = build_site(content.path(), "/");
    let dir = out.path();
    // 4 visible posts, 2 a page: / and /page/2; no /page/3.
    let first = page(dir, "index.html");
    assert_eq!(text(&first, ".post-card__title"), "Post 4Post 3");
    assert_eq!(attr(&first, ".pagination a[rel=next]", "href").as_deref(), Some("/page/2"));
    let second = page(dir, "page/2/index.html");
    assert_eq!(text(&second, ".post-card__title"), "Post 2Post 1");
    assert_eq!(attr(&second, ".pagination a[rel=prev]", "href").as_deref(), Some("/"));
    assert!(text(&second, "title").contains("page 2"), "{}", text(&second, "title"));
    assert!(!dir.join("page/3/index.html").exists());
    assert!(!dir.join("page/1/index.html").exists(), "page 1 is /");
    // Categories with counts on every listing, at openinfra.dev's paths (lodash kebabCase).
    assert_eq!(text(&second, ".category-nav li"), "OpenStack (4)Kata Containers (0)");
    let category = page(dir, "blog/category/open-stack/index.html");
    assert_eq!(text(&category, "h1"), "OpenStack");
    assert_eq!(attr(&category, "link[rel=canonical]", "href"), None, "no site URL, no canonical");
    assert!(dir.join("blog/category/open-stack/page/2/index.html").is_file());
    assert!(dir.join("blog/category/kata-containers/index.html").is_file(), "configured, even empty");
    let author = page(dir, "blog/author/jimmy-mc-arthur/index.html");
    assert_eq!(text(&author, "h1"), "Jimmy McArthur");
    assert_eq!(text(&author, ".listing__company"), "OpenInfra Foundation");
    // Bylines link to those pages.
    let post = page(dir, "blog/p1/index.html");
    assert_eq!(attr(&post, ".byline__author a", "href").as_deref(), Some("/blog/author/jimmy-mc-arthur"));
    assert_eq!(attr(&post, ".byline__categories a", "href").as_deref(), Some("/blog/category/open-stack"));
    // Each listing page has its own JSON shard; the hidden post is in none.
    let shard: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.join("content/pages/category/open-stack/2.json")).expect("shard"),
    )
    .expect("json");
    assert_eq!(shard["page"], 2);
    assert_eq!(shard["pages"], 2);
    assert_eq!(shard["total"], 4);
    assert_eq!(shard["posts"].as_array().map(Vec::len), Some(2));
    assert!(!fs::read_to_string(dir.join("content/pages/home/1.json")).expect("home").contains("Post 5"));
}

#[test]
fn post_pages_have_heading_anchors_contents_reading_time_and_neighbours() {
    let out = build_site(sample(), "/");
    let dir = out.path();
    let post = page(dir, "blog/markdown-tour/index.html");
    let select = |css: &str| Selector::parse(css).expect("selector");

    // Every heading of the post has a unique, non-empty id, and its anchor links to it.
    let headings = select("article.post :is(h2, h3, h4, h5, h6)");
    let ids: Vec<&str> = post.select(&headings).map(|h| h.value().attr("id").unwrap_or("")).collect();
    assert!(ids.len() >= 7, "{ids:?}");
    assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    let every_id: Vec<&str> = post.select(&select("[id]")).filter_map(|e| e.value().attr("id")).collect();
    let unique_ids: std::collections::HashSet<&&str> = every_id.iter().collect();
    assert_eq!(unique_ids.len(), every_id.len(), "no id twice on the page: {every_id:?}");
    let body_headings: Vec<String> = post
        .select(&select(".post__body :is(h2, h3, h4, h5, h6)"))
        .map(|h| h.value().attr("id").unwrap_or("").to_string())
        .collect();
    for id in &body_headings {
        let anchor = format!(".post__body [id='{id}'] > a.heading-anchor");
        assert_eq!(attr(&post, &anchor, "href"), Some(format!("#{id}")), "{id}");
    }

    // With three or more headings, a contents list sits between the byline and the body and
    // links to the level-2 and level-3 headings, in order.
    assert!(body_headings.len() >= 3);
    assert_eq!(all(&post, ".post__header + nav.toc[aria-label=Contents] + .post__body").len(), 1);
    let toc: Vec<String> =
        post.select(&select("nav.toc a")).map(|a| a.value().attr("href").unwrap_or("").to_string()).collect();
    let linked: Vec<String> = post
        .select(&select(".post__body :is(h2, h3)"))
        .map(|h| format!("#{}", h.value().attr("id").unwrap_or("")))
        .collect();
    assert_eq!(toc, linked);
    assert_eq!(text(&post, "nav.toc li:first-child > a"), "Emphasis and friends");
    // A post with fewer headings has no contents.
    assert!(all(&page(dir, "blog/hello-quire/index.html"), "nav.toc").is_empty());

    // The reading time, as the post's file holds it.
    let file =
        quire_core::model::read_post_file(&fs::read(dir.join("content/posts/markdown-tour.json")).unwrap())
            .expect("post file");
    let minutes = file.post.summary.reading_minutes.expect("readingMinutes");
    assert!(minutes >= 1);
    assert_eq!(text(&post, ".post__header .byline__reading"), format!("{minutes} min read"));

    // Previous (older) and next (newer) visible posts, and related ones, link to real pages;
    // the hidden draft is never linked.
    assert_eq!(attr(&post, ".post-nav__previous a", "href").as_deref(), Some("/blog/quire+leptos"));
    assert_eq!(attr(&post, ".post-nav__next a", "href").as_deref(), Some("/blog/writing-for-quire"));
    assert_eq!(file.nav.previous.map(|l| l.slug).as_deref(), Some("quire+leptos"));
    assert_eq!(file.nav.next.map(|l| l.slug).as_deref(), Some("writing-for-quire"));
    let more: Vec<String> = post
        .select(&select("nav[aria-label='More posts'] a"))
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert!(more.len() >= 3, "{more:?}");
    assert!(more.iter().any(|href| href == "/blog/writing-for-quire"), "related: {more:?}");
    for href in &more {
        let path = quire_core::url::percent_decode(href.trim_start_matches('/')).expect("decodes");
        assert!(dir.join(&path).join("index.html").is_file(), "{href} is a page");
        assert!(!href.contains("an-unfinished-draft"), "{href}");
    }
    assert_eq!(text(&post, ".post-nav__related h2"), "Related posts");
}

#[test]
fn fenced_code_is_highlighted_in_the_prerendered_page() {
    let out = build_site(sample(), "/");
    let post = page(out.path(), "blog/markdown-tour/index.html");
    let tokens = all(&post, ".post__body pre > code.language-rust span[class^='tok-']");
    assert!(tokens.iter().any(|t| t == "<span class=\"tok-kw\">fn</span>"), "{tokens:?}");
    assert!(tokens.iter().any(|t| t.starts_with("<span class=\"tok-str\">")), "{tokens:?}");
    assert!(!all(&post, ".post__body pre > code.language-sh span.tok-fn").is_empty());
    // HTML shown as code stays text: the page's only scripts are its own.
    assert!(text(&post, ".post__body code.language-html").contains("<script>alert(1)</script>"));
    assert!(all(&post, ".post__body script").is_empty());
}
