//! The post-build step as Trunk runs it: every route prerendered into Trunk's page frame,
//! read back with a real HTML parser (html5ever, through scraper) as a browser would.

use scraper::{Html, Selector};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

/// What Trunk writes into dist/index.html for quire (trimmed to what matters).
const FRAME: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    \
<meta name=\"quire-base\" content=\"/\" />\n    <title>Blog</title>\n    \
<link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\" />\n\
<script type=\"module\">\nimport init, * as bindings from '/quire-0123456789abcdef.js';\n\
const wasm = await init({ module_or_path: '/quire-0123456789abcdef_bg.wasm' });\n</script></head>\n  <body>\n  </body>\n</html>\n";

fn run(args: &[&str], content: &Path, out: &Path, public_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire-compiler"))
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .env("TRUNK_PUBLIC_URL", public_url)
        .output()
        .expect("the compiler runs")
}

/// Builds `content` into a temp dist the way the two Trunk hooks do.
fn build_site(content: &Path, public_url: &str) -> TempDir {
    let out = tempfile::tempdir().expect("out");
    fs::write(out.path().join("index.html"), FRAME).expect("frame");
    for step in ["build", "finalize"] {
        let output = run(&[step], content, out.path(), public_url);
        assert!(output.status.success(), "{step}: {}", String::from_utf8_lossy(&output.stderr));
    }
    out
}

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
    let links = all(&home, ".post-list a");
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
    let output = run(&["finalize"], sample(), out.path(), "/");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for (file, before) in files.iter().zip(first) {
        assert_eq!(fs::read_to_string(out.path().join(file)).expect("page"), before, "{file}");
    }
}
