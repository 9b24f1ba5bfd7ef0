//! The JSON-LD of post and listing pages is written without serde_json (the browser app writes
//! it on every navigation): byte for byte what `script_json` of the same `serde_json::Value`
//! gives, whatever the text holds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::date::PostDate;
use quire_core::model::{Category, Listing, Post, PostSeo, PostSummary, Site};
use quire_core::seo::{listing_tags, post_tags, script_json};
use serde_json::{Value, json};

/// Text with everything JSON and `<script>` escape: quotes, backslashes, every control
/// character, `<`, `>`, `&`, and characters JSON leaves alone.
fn hostile(tag: &str) -> String {
    let controls: String = (0u8..0x20).map(char::from).collect();
    format!("{tag} \"quoted\" back\\slash {controls} </script><!-- & é 😀 \u{7f} \u{2028}")
}

fn site(image: Option<&str>) -> Site {
    Site {
        title: hostile("site"),
        url: Some("https://quire.example/".into()),
        image: image.map(String::from),
        language: hostile("lang"),
        ..Site::default()
    }
}

fn post(author: Option<&str>, image: Option<&str>, categories: &[&str]) -> Post {
    Post {
        summary: PostSummary {
            slug: "a+b".into(),
            title: hostile("title"),
            date: PostDate::parse("2021-01-28T15:00:00.000Z").unwrap(),
            author: author.map(String::from),
            author_slug: None,
            categories: categories
                .iter()
                .map(|c| Category { id: (*c).into(), label: hostile(c), slug: (*c).into() })
                .collect(),
            description: Some(hostile("description")),
            excerpt: String::new(),
            hidden: false,
            reading_minutes: None,
        },
        seo: PostSeo {
            title: hostile("seo title"),
            url: None,
            twitter_username: None,
            image: image.map(String::from),
        },
        author_company: None,
        body: String::new(),
    }
}

fn publisher(site: &Site) -> Value {
    match &site.image {
        Some(image) => json!({ "@type": "Organization", "name": site.title,
                               "logo": { "@type": "ImageObject", "url": format!("https://quire.example{image}") } }),
        None => json!({ "@type": "Organization", "name": site.title }),
    }
}

#[test]
fn post_json_ld_is_what_serde_json_wrote() {
    for (author, image, categories, site_image) in [
        (Some("Ada \"Quill\" <ada>"), Some("/img/a.png"), vec!["c1", "c2"], Some("/img/site.png")),
        (None, None, vec![], None),
    ] {
        let site = site(site_image);
        let post = post(author, image, &categories);
        let tags = post_tags(&site, &post, "");
        let url = "https://quire.example/blog/a+b";
        let mut expected = json!({
            "@context": "https://schema.org", "@type": "BlogPosting", "headline": post.seo.title,
            "datePublished": "2021-01-28T15:00:00.000Z", "description": post.summary.description,
            "publisher": publisher(&site), "url": url, "mainEntityOfPage": url,
        });
        if let Some(author) = author {
            expected["author"] = json!({ "@type": "Person", "name": author });
        }
        if let Some(image) = image {
            expected["image"] = json!(format!("https://quire.example{image}"));
        }
        if !categories.is_empty() {
            let labels: Vec<String> = post.summary.categories.iter().map(|c| c.label.clone()).collect();
            expected["keywords"] = json!(labels.join(", "));
        }
        assert_eq!(tags.json_ld, script_json(&expected));
        assert!(!tags.json_ld.contains(['<', '>', '&']), "{}", tags.json_ld);
        assert_eq!(serde_json::from_str::<Value>(&tags.json_ld).unwrap(), expected);
    }
}

#[test]
fn listing_json_ld_is_what_serde_json_wrote() {
    let site = site(Some("/img/site.png"));
    for (listing, name) in [
        (Listing::Home, site.title.clone()),
        (Listing::Category { slug: "c".into(), label: hostile("category") }, hostile("category")),
    ] {
        let tags = listing_tags(&site, &listing, 1, "");
        let mut expected = json!({
            "@context": "https://schema.org", "@type": "Blog", "name": name, "description": tags.description,
            "publisher": publisher(&site), "inLanguage": site.language,
        });
        if let Some(url) = &tags.canonical {
            expected["url"] = json!(url);
        }
        assert_eq!(tags.json_ld, script_json(&expected));
    }
}
