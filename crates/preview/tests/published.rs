//! The preview's `<article>` against the published page: the app's own components,
//! prerendered natively (`quire::prerender`, as `quire-compiler finalize` does), for the same
//! post. The preview must be the published article byte for byte, up to where the page adds
//! the links to other posts, which only the whole site knows.

use quire::initial::Initial;
use quire::prerender::render_page;
use quire_core::date::PostDate;
use quire_core::markdown::{RenderOptions, reading_minutes, render_with};
use quire_core::model::{Category, FORMAT_VERSION, Post, PostFile, PostNav, PostSeo, PostSummary, Site};
use quire_core::url::{base_path_from_href, kebab_case};
use quire_preview::{Settings, SiteAuthor, SiteCategory, article_html, body_html};
use serde_json::{Value, json};

const TOUR: &str = "Intro with *emphasis*, a [link](/blog/other) and ![a picture](/img/a.png).

# Tables & lists

| Left | Right |
| :--- | ----: |
| a    | b     |

- one
- two

## Code

```rust
fn main() { println!(\"<hi>\"); }
```

## Raw HTML

<p style=\"text-align: center\">Centred</p>
<img src=x onerror=alert(1)>
<script>alert(1)</script>

# Second chapter

Footnote[^1].

[^1]: The note.
";

fn settings(public_url: &str) -> Settings {
    Settings {
        public_url: public_url.into(),
        categories: vec![SiteCategory { id: "category-releases".into(), label: "Release News".into() }],
        authors: vec![SiteAuthor {
            name: "Ada & Quill".into(),
            company: Some("Marsh & Reed <Publishing>".into()),
        }],
    }
}

/// The post as `quire-compiler build` reads it from the same front matter (load.rs).
fn post_file(settings: &Settings, entry: &Value) -> PostFile {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
    let body = text("body").unwrap_or_default();
    let title = text("title").unwrap_or_default().trim().to_string();
    let author = text("author").map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
    let categories = entry
        .get("category")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|c| {
                    let id = c["value"].as_str().unwrap_or_default().to_string();
                    let known = settings.categories.iter().find(|k| k.id == id).map(|k| k.label.clone());
                    let label = known.unwrap_or_else(|| c["label"].as_str().unwrap_or(&id).to_string());
                    Category { id, slug: kebab_case(&label), label }
                })
                .collect()
        })
        .unwrap_or_default();
    let author_company = author
        .as_ref()
        .and_then(|name| settings.authors.iter().find(|a| &a.name == name))
        .and_then(|a| a.company.clone());
    PostFile {
        version: FORMAT_VERSION,
        post: Post {
            summary: PostSummary {
                slug: "the-post".into(),
                title: title.clone(),
                date: PostDate::parse(&text("date").unwrap()).unwrap(),
                author_slug: author.as_deref().map(kebab_case).filter(|s| !s.is_empty()),
                author,
                categories,
                description: None,
                excerpt: String::new(),
                hidden: false,
                reading_minutes: Some(reading_minutes(&body)),
            },
            seo: PostSeo { title, url: None, twitter_username: None, image: None },
            author_company,
            body,
        },
        nav: PostNav::default(),
    }
}

/// The published page's `<article>`, from its opening tag to its end.
fn published_article(public_url: &str, file: PostFile) -> String {
    let base = base_path_from_href(public_url);
    let site = Site { title: "quire".into(), ..Site::default() };
    let page = render_page(&site, &base, "/blog/the-post", Initial::Post(Box::new(file)));
    let start = page.body.find(r#"<article class="post">"#).expect("the page has the post's article");
    let end = start + page.body[start..].find("</article>").expect("the article ends") + "</article>".len();
    page.body[start..end].to_string()
}

fn assert_same_article(public_url: &str, entry: Value) {
    let settings = settings(public_url);
    let preview = article_html(&settings, &entry);
    let published = published_article(public_url, post_file(&settings, &entry));
    let shared = preview.strip_suffix("</article>").expect("the preview's article ends");
    assert!(
        published.starts_with(shared),
        "the preview differs from the published article\npreview:   {shared}\npublished: {published}"
    );
    // What follows is only the page's links to other posts.
    let rest = &published[shared.len()..];
    assert!(rest.starts_with("<nav") && rest.ends_with("</nav></article>"), "after the body: {rest}");
}

#[test]
fn the_article_is_the_published_one_at_the_root_and_under_a_sub_path() {
    for public_url in ["/", "/quire/"] {
        assert_same_article(
            public_url,
            json!({
                "templateKey": "blog-post",
                "title": "  Tables, <code> & \"quotes\"  ",
                "author": "Ada & Quill",
                "date": "2021-01-28T15:00:00.000Z",
                "category": [
                    { "value": "category-releases", "label": "Releases" },
                    { "value": "category-unknown", "label": "Özgür's Notes" }
                ],
                "hidePost": false,
                "body": TOUR,
            }),
        );
    }
}

#[test]
fn an_entry_without_author_or_categories_and_a_bare_date() {
    assert_same_article(
        "/",
        json!({ "title": "Short", "date": "2024-02-29", "body": "Just *one* line, no headings." }),
    );
}

#[test]
fn an_unknown_author_has_no_company() {
    assert_same_article(
        "/",
        json!({ "title": "By someone", "author": "Jimmy McArthur", "date": "2020-11-6T13:30:56.289Z", "body": "## A\n\n## B\n\n### B.1\n\n## C\n" }),
    );
}

#[test]
fn the_body_is_the_renderers_output_byte_for_byte() {
    for (public_url, root) in [("/", ""), ("/quire/", "/quire"), ("", "")] {
        let expected = render_with(TOUR, RenderOptions { url_root: root, ..RenderOptions::default() }).html;
        assert_eq!(body_html(&settings(public_url), TOUR), expected, "public URL {public_url:?}");
    }
    assert!(body_html(&settings("/quire/"), TOUR).contains(r#"src="/quire/img/a.png""#));
}

#[test]
fn broken_entries_render_without_panicking() {
    let settings = settings("/");
    for entry in [
        Value::Null,
        json!([]),
        json!({ "title": 12, "date": "not a date", "author": ["x"], "category": "news", "body": null }),
        json!({ "category": [1, null, { "value": 3 }, "plain"], "body": "# x" }),
    ] {
        let html = article_html(&settings, &entry);
        assert!(html.starts_with(r#"<article class="post">"#) && html.ends_with("</article>"), "{html}");
    }
}
