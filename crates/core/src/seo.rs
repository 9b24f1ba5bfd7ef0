//! Head tags per page, computed as plain data; the app turns them into leptos_meta tags and
//! a prerender can print them as HTML.

use crate::model::{Post, Site};
use crate::sanitize::escape_attr;
use crate::url::post_path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadTags {
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub meta: Vec<MetaTag>,
}

/// A `<meta>`: `name=` for description/Twitter, `property=` for Open Graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaTag {
    pub key: MetaKey,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetaKey {
    Name(&'static str),
    Property(&'static str),
}

impl HeadTags {
    /// The tags as HTML for a page's `<head>`, each carrying `extra_attr` (e.g.
    /// `data-quire-static`, which the app removes when it takes over the page).
    pub fn to_html(&self, extra_attr: &str) -> String {
        let mut out = format!("<title>{}</title>", escape_attr(&self.title));
        if let Some(href) = &self.canonical {
            out.push_str(&format!(
                "\n    <link rel=\"canonical\" href=\"{}\" {extra_attr} />",
                escape_attr(href)
            ));
        }
        for tag in &self.meta {
            let (attr, key) = match tag.key {
                MetaKey::Name(k) => ("name", k),
                MetaKey::Property(k) => ("property", k),
            };
            out.push_str(&format!(
                "\n    <meta {attr}=\"{key}\" content=\"{}\" {extra_attr} />",
                escape_attr(&tag.content)
            ));
        }
        out
    }
}

/// Applies the site's title template (`%s - Site`) to a page title.
pub fn page_title(site: &Site, title: &str) -> String {
    match site.title_template.as_deref() {
        // "%s – quire" on a page titled "quire" would repeat the name.
        Some(template) if template.replacen("%s", "", 1).contains(title) => title.to_string(),
        Some(template) if template.contains("%s") => {
            let full = template.replacen("%s", title, 1);
            full.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        _ if site.title.is_empty() || site.title == title => title.to_string(),
        _ => format!("{title} – {}", site.title),
    }
}

/// `@handle` from the ways writers type it: `handle`, `@handle `, `twitter.com/handle`.
pub fn twitter_handle(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    let handle = raw.rsplit('/').next().unwrap_or(raw).trim_start_matches('@');
    let valid =
        !handle.is_empty() && handle.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'));
    valid.then(|| format!("@{handle}"))
}

/// Joins the site URL (or the page's origin when the site has none) with a route path.
fn absolute(site: &Site, origin: &str, path: &str) -> Option<String> {
    let base = site.url.as_deref().filter(|u| u.starts_with("http")).map_or_else(
        || (!origin.is_empty()).then(|| origin.trim_end_matches('/').to_string()),
        |url| Some(site_root(url)),
    )?;
    Some(format!("{base}{path}"))
}

/// `https://openinfra.dev/blog/` → `https://openinfra.dev`: post paths already start with `/blog/`.
fn site_root(url: &str) -> String {
    let url = url.trim_end_matches('/');
    url.strip_suffix("/blog").unwrap_or(url).to_string()
}

/// Tags for a post page. `origin` (e.g. `https://example.org/sub`) builds the canonical URL
/// of posts without `seo.url` when the site has no URL either.
pub fn post_tags(site: &Site, post: &Post, origin: &str) -> HeadTags {
    let summary = &post.summary;
    let description = summary
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| (!site.description.trim().is_empty()).then(|| site.description.clone()))
        .unwrap_or_else(|| summary.excerpt.clone());
    let canonical = post
        .seo
        .url
        .clone()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .or_else(|| absolute(site, origin, &post_path(&summary.slug)));
    let twitter = post
        .seo
        .twitter_username
        .as_deref()
        .and_then(twitter_handle)
        .or_else(|| site.twitter_username.as_deref().and_then(twitter_handle));

    let mut meta = vec![
        name("description", &description),
        property("og:type", "article"),
        property("og:title", &post.seo.title),
        property("og:description", &description),
    ];
    if let Some(url) = &canonical {
        meta.push(property("og:url", url));
    }
    if !site.title.is_empty() {
        meta.push(property("og:site_name", &site.title));
    }
    meta.push(property("article:published_time", &summary.date.to_string()));
    if let Some(author) = &summary.author {
        meta.push(property("article:author", author));
    }
    for category in &summary.categories {
        meta.push(property("article:tag", &category.label));
    }
    meta.push(name("twitter:card", "summary"));
    if let Some(handle) = &twitter {
        meta.push(name("twitter:site", handle));
    }
    meta.push(name("twitter:title", &post.seo.title));
    meta.push(name("twitter:description", &description));
    HeadTags { title: page_title(site, &post.seo.title), description, canonical, meta }
}

/// Tags for the post listing.
pub fn home_tags(site: &Site, origin: &str) -> HeadTags {
    let description =
        if site.description.is_empty() { site.subtitle.clone() } else { site.description.clone() };
    let canonical =
        site.url.clone().filter(|u| u.starts_with("http")).or_else(|| absolute(site, origin, "/"));
    let mut meta = vec![
        name("description", &description),
        property("og:type", "website"),
        property("og:title", &site.title),
        property("og:description", &description),
    ];
    if let Some(url) = &canonical {
        meta.push(property("og:url", url));
    }
    meta.push(name("twitter:card", "summary"));
    if let Some(handle) = site.twitter_username.as_deref().and_then(twitter_handle) {
        meta.push(name("twitter:site", &handle));
    }
    meta.push(name("twitter:title", &site.title));
    meta.push(name("twitter:description", &description));
    HeadTags { title: page_title(site, &site.title), description, canonical, meta }
}

fn name(key: &'static str, content: &str) -> MetaTag {
    MetaTag { key: MetaKey::Name(key), content: content.to_string() }
}

fn property(key: &'static str, content: &str) -> MetaTag {
    MetaTag { key: MetaKey::Property(key), content: content.to_string() }
}
