//! Head tags computed for posts and the listing.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::date::PostDate;
use quire_core::model::{Category, Post, PostSeo, PostSummary, Site};
use quire_core::seo::{HeadTags, MetaKey, home_tags, page_title, post_tags, twitter_handle};
use test_case::test_case;

fn site() -> Site {
    Site {
        title: "Blog".into(),
        subtitle: "Sub".into(),
        description: "Site description".into(),
        url: Some("https://openinfra.dev/blog/".into()),
        title_template: Some("%s  - Open Infrastructure Foundation".into()),
        twitter_username: Some("@OpenInfraDev".into()),
        ..Site::default()
    }
}

fn post(description: Option<&str>, url: Option<&str>, twitter: Option<&str>) -> Post {
    Post {
        summary: PostSummary {
            slug: "x+y".into(),
            title: "Title".into(),
            date: PostDate::parse("2021-01-28T15:00:00.000Z").unwrap(),
            author: Some("Jonathan Bryce".into()),
            author_slug: Some("jonathan-bryce".into()),
            categories: vec![Category {
                id: "c".into(),
                label: "Community".into(),
                slug: "community".into(),
            }],
            description: description.map(Into::into),
            excerpt: "The excerpt.".into(),
            hidden: false,
            reading_minutes: None,
        },
        seo: PostSeo {
            title: "SEO title".into(),
            url: url.map(Into::into),
            twitter_username: twitter.map(Into::into),
            image: None,
        },
        author_company: None,
        body: String::new(),
    }
}

fn meta(tags: &HeadTags, key: &str) -> Vec<String> {
    tags.meta
        .iter()
        .filter(|m| match &m.key {
            MetaKey::Name(k) | MetaKey::Property(k) => *k == key,
        })
        .map(|m| m.content.clone())
        .collect()
}

#[test]
fn post_tags_use_the_writers_seo_block() {
    let tags = post_tags(
        &site(),
        &post(Some("Own"), Some("https://openinfra.dev/blog/x+y"), Some("@openinfradev ")),
        "",
    );
    assert_eq!(tags.title, "SEO title - Open Infrastructure Foundation");
    assert_eq!(tags.canonical.as_deref(), Some("https://openinfra.dev/blog/x+y"));
    for (key, value) in [
        ("description", "Own"),
        ("og:title", "SEO title"),
        ("og:description", "Own"),
        ("og:url", "https://openinfra.dev/blog/x+y"),
        ("og:type", "article"),
        ("article:published_time", "2021-01-28T15:00:00.000Z"),
        ("article:author", "Jonathan Bryce"),
        ("twitter:card", "summary"),
        ("twitter:site", "@openinfradev"),
        ("twitter:title", "SEO title"),
        ("twitter:description", "Own"),
    ] {
        assert_eq!(meta(&tags, key), vec![value.to_string()], "{key}");
    }
}

#[test]
fn description_falls_back_to_site_then_excerpt() {
    assert_eq!(post_tags(&site(), &post(None, None, None), "").description, "Site description");
    let bare = Site { description: String::new(), ..site() };
    assert_eq!(post_tags(&bare, &post(None, None, None), "").description, "The excerpt.");
}

#[test]
fn canonical_falls_back_to_site_url_then_origin() {
    assert_eq!(
        post_tags(&site(), &post(None, None, None), "").canonical.as_deref(),
        Some("https://openinfra.dev/blog/x+y")
    );
    let no_url = Site { url: None, ..site() };
    let tags =
        post_tags(&no_url, &post(None, Some("oct2025-ptg-summary"), None), "http://127.0.0.1:8080/sub");
    assert_eq!(tags.canonical.as_deref(), Some("http://127.0.0.1:8080/sub/blog/x+y"));
    assert_eq!(
        meta(&tags, "twitter:site"),
        vec!["@OpenInfraDev".to_string()],
        "site handle when the post has none"
    );
}

#[test]
fn home_tags_describe_the_site() {
    let tags = home_tags(&site(), "");
    assert_eq!(tags.title, "Blog - Open Infrastructure Foundation");
    assert_eq!(tags.canonical.as_deref(), Some("https://openinfra.dev/blog/"));
    assert_eq!(meta(&tags, "og:type"), vec!["website".to_string()]);
}

#[test_case("%s – quire", "Post", "Post – quire")]
#[test_case("", "Post", "Post – Blog")]
#[test_case("%s – quire", "quire", "quire" ; "no repeated name")]
fn titles(template: &str, title: &str, expected: &str) {
    let s = Site { title_template: (!template.is_empty()).then(|| template.to_string()), ..site() };
    assert_eq!(page_title(&s, title), expected);
}

#[test_case("@openinfradev", Some("@openinfradev"))]
#[test_case("@OpenInfraDev ", Some("@OpenInfraDev"))]
#[test_case("OpenInfraDev", Some("OpenInfraDev").map(|_| "@OpenInfraDev"))]
#[test_case("twitter.com/openinfradev", Some("@openinfradev"))]
#[test_case("@openinfra.dev", Some("@openinfra.dev"))]
#[test_case("not a handle", None)]
fn twitter_handles(raw: &str, expected: Option<&str>) {
    assert_eq!(twitter_handle(raw).as_deref(), expected);
}

#[test]
fn social_picture_is_the_posts_own_then_the_sites() {
    let mut p = post(None, None, None);
    let bare = post_tags(&site(), &p, "");
    assert_eq!(meta(&bare, "og:image"), Vec::<String>::new());
    assert_eq!(meta(&bare, "twitter:card"), vec!["summary"]);

    let with_default = Site { image: Some("/img/oificon-social.png".into()), ..site() };
    let tags = post_tags(&with_default, &p, "");
    assert_eq!(meta(&tags, "og:image"), vec!["https://openinfra.dev/img/oificon-social.png"]);
    assert_eq!(meta(&tags, "twitter:image"), vec!["https://openinfra.dev/img/oificon-social.png"]);
    assert_eq!(meta(&tags, "twitter:card"), vec!["summary_large_image"]);
    assert!(!tags.json_ld.contains("\"image\""), "the site default is not the article's image");

    p.seo.image = Some("https://cdn.example/card.jpg".into());
    let own = post_tags(&with_default, &p, "");
    assert_eq!(meta(&own, "og:image"), vec!["https://cdn.example/card.jpg"]);
    assert!(own.json_ld.contains("\"image\":\"https://cdn.example/card.jpg\""), "{}", own.json_ld);

    p.seo.image = Some("data:image/png;base64,AAAA".into());
    assert_eq!(meta(&post_tags(&site(), &p, ""), "og:image"), Vec::<String>::new(), "no inline data");
}

#[test]
fn hidden_posts_are_not_indexed() {
    let mut p = post(None, None, None);
    assert_eq!(meta(&post_tags(&site(), &p, ""), "robots"), Vec::<String>::new());
    p.summary.hidden = true;
    assert_eq!(meta(&post_tags(&site(), &p, ""), "robots"), vec!["noindex"]);
}

#[test]
fn json_ld_describes_the_post_and_the_blog() {
    let mut p = post(Some("Own </script><b>"), Some("https://openinfra.dev/blog/x+y"), None);
    p.summary.title = "Ignored".into();
    let tags = post_tags(&Site { image: Some("/img/logo.png".into()), ..site() }, &p, "");
    assert!(!tags.json_ld.contains('<') && !tags.json_ld.contains('>') && !tags.json_ld.contains('&'));
    let ld: serde_json::Value = serde_json::from_str(&tags.json_ld).unwrap();
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "SEO title");
    assert_eq!(ld["description"], "Own </script><b>");
    assert_eq!(ld["datePublished"], "2021-01-28T15:00:00.000Z");
    assert_eq!(ld["author"]["name"], "Jonathan Bryce");
    assert_eq!(ld["publisher"]["name"], "Blog");
    assert_eq!(ld["publisher"]["logo"]["url"], "https://openinfra.dev/img/logo.png");
    assert_eq!(ld["url"], "https://openinfra.dev/blog/x+y");

    let home = home_tags(&site(), "");
    let ld: serde_json::Value = serde_json::from_str(&home.json_ld).unwrap();
    assert_eq!(ld["@type"], "Blog");
    assert_eq!(ld["url"], "https://openinfra.dev/blog/");
    assert_eq!(ld["name"], "Blog");
}
