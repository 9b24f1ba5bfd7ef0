//! Head tags per page, computed as plain data; the app turns them into leptos_meta tags and
//! a prerender can print them as HTML.

use crate::model::{Listing, Post, Site};
use crate::sanitize::escape_attr;
use crate::url::post_path;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadTags {
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub meta: Vec<MetaTag>,
    /// schema.org JSON-LD (`BlogPosting` or `Blog`), safe to put inside `<script>` as is: it
    /// holds no `<`, `>` or `&`.
    pub json_ld: String,
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
        out.push_str(&format!(
            "\n    <script type=\"application/ld+json\" {extra_attr}>{}</script>",
            self.json_ld
        ));
        out
    }
}

/// Applies the site's title template (`%s - Site`) to a page title.
/// A page titled just what the template adds (`quire` with `%s – quire`: the home page) keeps
/// its title as it is, rather than repeat the name.
pub fn page_title(site: &Site, title: &str) -> String {
    match site.title_template.as_deref() {
        Some(template) if title.trim() == template_name(template) => title.to_string(),
        Some(template) if template.contains("%s") => {
            let full = template.replacen("%s", title, 1);
            full.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        _ if site.title.is_empty() || site.title == title => title.to_string(),
        _ => format!("{title} – {}", site.title),
    }
}

/// What a title template adds to titles, without the separators around it:
/// `%s – quire` → `quire`, `OpenInfra | %s` → `OpenInfra`.
fn template_name(template: &str) -> String {
    let text = template.replacen("%s", " ", 1);
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").trim_matches(|c: char| c.is_whitespace() || "-–—|:·•/~".contains(c)).to_string()
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
pub fn absolute(site: &Site, origin: &str, path: &str) -> Option<String> {
    let base = site.url.as_deref().filter(|u| u.starts_with("http")).map_or_else(
        || (!origin.is_empty()).then(|| origin.trim_end_matches('/').to_string()),
        |url| Some(site_root(url)),
    )?;
    Some(format!("{base}{path}"))
}

/// A picture for a social card as an absolute URL: `https://…` as written, a site path
/// (`/img/a.png`) joined with the site's address; anything else (relative, `data:`) is none.
pub fn absolute_image(site: &Site, origin: &str, src: &str) -> Option<String> {
    let src = src.trim();
    if src.starts_with("https://") || src.starts_with("http://") {
        Some(src.to_string())
    } else if src.starts_with('/') && !src.starts_with("//") {
        absolute(site, origin, src)
    } else {
        None
    }
}

/// `https://openinfra.dev/blog/` → `https://openinfra.dev`: post paths already start with `/blog/`.
pub fn site_root(url: &str) -> String {
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

    let own_image = post.seo.image.as_deref().and_then(|src| absolute_image(site, origin, src));
    let image = own_image.clone().or_else(|| site_image(site, origin));

    let mut meta = Vec::new();
    if summary.hidden {
        meta.push(name("robots", "noindex"));
    }
    meta.extend([
        name("description", &description),
        property("og:type", "article"),
        property("og:title", &post.seo.title),
        property("og:description", &description),
    ]);
    if let Some(url) = &canonical {
        meta.push(property("og:url", url));
    }
    if !site.title.is_empty() {
        meta.push(property("og:site_name", &site.title));
    }
    if let Some(image) = &image {
        meta.push(property("og:image", image));
    }
    meta.push(property("article:published_time", &summary.date.to_string()));
    if let Some(author) = &summary.author {
        meta.push(property("article:author", author));
    }
    for category in &summary.categories {
        meta.push(property("article:tag", &category.label));
    }
    meta.push(name("twitter:card", if image.is_some() { "summary_large_image" } else { "summary" }));
    if let Some(handle) = &twitter {
        meta.push(name("twitter:site", handle));
    }
    meta.push(name("twitter:title", &post.seo.title));
    meta.push(name("twitter:description", &description));
    if let Some(image) = &image {
        meta.push(name("twitter:image", image));
    }

    let mut ld = Ld::new()
        .text("@context", "https://schema.org")
        .text("@type", "BlogPosting")
        .text("headline", &post.seo.title)
        .text("datePublished", &summary.date.to_string())
        .text("description", &description)
        .object("publisher", publisher(site, origin));
    if let Some(author) = &summary.author {
        ld = ld.object("author", Ld::new().text("@type", "Person").text("name", author));
    }
    if let Some(url) = &canonical {
        ld = ld.text("url", url).text("mainEntityOfPage", url);
    }
    if let Some(image) = &own_image {
        ld = ld.text("image", image);
    }
    if !summary.categories.is_empty() {
        let labels: Vec<&str> = summary.categories.iter().map(|c| c.label.as_str()).collect();
        ld = ld.text("keywords", &labels.join(", "));
    }
    HeadTags {
        title: page_title(site, &post.seo.title),
        description,
        canonical,
        meta,
        json_ld: ld.to_script_json(),
    }
}

/// A JSON-LD object of strings and objects, written as [`script_json`] writes a
/// `serde_json::Value`: keys sorted, `<`, `>` and `&` as `\u` escapes. Not a `Value`, so the
/// browser app, which writes head tags on every navigation, needs no serde_json (README,
/// "Wasm size levers").
#[derive(Default)]
struct Ld(Vec<(&'static str, LdValue)>);

enum LdValue {
    Text(String),
    Object(Ld),
}

impl Ld {
    fn new() -> Self {
        Ld::default()
    }

    fn text(mut self, key: &'static str, value: &str) -> Self {
        self.0.push((key, LdValue::Text(value.to_string())));
        self
    }

    fn object(mut self, key: &'static str, value: Ld) -> Self {
        self.0.push((key, LdValue::Object(value)));
        self
    }

    fn to_script_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        let mut fields: Vec<&(&'static str, LdValue)> = self.0.iter().collect();
        fields.sort_by_key(|(key, _)| *key);
        out.push('{');
        for (i, (key, value)) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_script_string(out, key);
            out.push(':');
            match value {
                LdValue::Text(text) => write_script_string(out, text),
                LdValue::Object(object) => object.write(out),
            }
        }
        out.push('}');
    }
}

/// A JSON string as serde_json writes it, then with `<`, `>` and `&` escaped as in
/// [`script_json`].
fn write_script_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn site_image(site: &Site, origin: &str) -> Option<String> {
    site.image.as_deref().and_then(|src| absolute_image(site, origin, src))
}

fn publisher(site: &Site, origin: &str) -> Ld {
    let publisher = Ld::new().text("@type", "Organization").text("name", &site.title);
    match site_image(site, origin) {
        Some(logo) => publisher.object("logo", Ld::new().text("@type", "ImageObject").text("url", &logo)),
        None => publisher,
    }
}

/// JSON for a `<script>` element: `<`, `>` and `&` as `\u` escapes, so neither `</script>`
/// nor an HTML parser's character references can change it.
pub fn script_json(value: &Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Tags for the home page (the first page of the whole listing).
pub fn home_tags(site: &Site, origin: &str) -> HeadTags {
    listing_tags(site, &Listing::Home, 1, origin)
}

/// Tags for page `page` of a listing: the home page, a category's or an author's posts.
pub fn listing_tags(site: &Site, listing: &Listing, page: u32, origin: &str) -> HeadTags {
    let site_description =
        if site.description.is_empty() { site.subtitle.clone() } else { site.description.clone() };
    let (name_of_page, description) = match listing {
        Listing::Home => (site.title.clone(), site_description),
        Listing::Category { label, .. } => {
            (label.clone(), format!("Posts in {label} on {}.", site.title).replace(" on .", "."))
        }
        Listing::Author { name, company, .. } => {
            let by = match company.as_deref().filter(|c| !c.is_empty()) {
                Some(company) => format!("{name} ({company})"),
                None => name.clone(),
            };
            (name.clone(), format!("Posts by {by} on {}.", site.title).replace(" on .", "."))
        }
    };
    let heading = if page > 1 { format!("{name_of_page} – page {page}") } else { name_of_page };
    let path = listing.path(page);
    let canonical = match listing {
        Listing::Home if page <= 1 => {
            site.url.clone().filter(|u| u.starts_with("http")).or_else(|| absolute(site, origin, "/"))
        }
        _ => absolute(site, origin, &path),
    };
    let image = site_image(site, origin);
    let mut meta = vec![
        name("description", &description),
        property("og:type", "website"),
        property("og:title", &heading),
        property("og:description", &description),
    ];
    if let Some(url) = &canonical {
        meta.push(property("og:url", url));
    }
    if !site.title.is_empty() {
        meta.push(property("og:site_name", &site.title));
    }
    if let Some(image) = &image {
        meta.push(property("og:image", image));
    }
    meta.push(name("twitter:card", if image.is_some() { "summary_large_image" } else { "summary" }));
    if let Some(handle) = site.twitter_username.as_deref().and_then(twitter_handle) {
        meta.push(name("twitter:site", &handle));
    }
    meta.push(name("twitter:title", &heading));
    meta.push(name("twitter:description", &description));
    if let Some(image) = &image {
        meta.push(name("twitter:image", image));
    }
    let mut ld = Ld::new()
        .text("@context", "https://schema.org")
        .text("@type", "Blog")
        .text("name", &heading)
        .text("description", &description)
        .object("publisher", publisher(site, origin))
        .text("inLanguage", &site.language);
    if let Some(url) = &canonical {
        ld = ld.text("url", url);
    }
    HeadTags { title: page_title(site, &heading), description, canonical, meta, json_ld: ld.to_script_json() }
}

fn name(key: &'static str, content: &str) -> MetaTag {
    MetaTag { key: MetaKey::Name(key), content: content.to_string() }
}

fn property(key: &'static str, content: &str) -> MetaTag {
    MetaTag { key: MetaKey::Property(key), content: content.to_string() }
}
