//! quire's renderer for the Decap CMS preview pane (`/admin/`).
//!
//! The admin page (written by `quire-compiler finalize` when the content has a CMS config)
//! loads this crate as WebAssembly and renders the entry being edited into the post page's
//! own markup: the same `<article class="post">` with its header, byline, table of contents
//! and `<div class="post__body prose">`, styled by the site's own stylesheet. The body HTML
//! is [`quire_core::markdown::render_with`] with the site's URL root, exactly what
//! `src/routes/post.rs` puts on the published page, so a writer previews byte for byte what
//! readers get. The header mirrors the app's `PostView` and `Byline` components (the
//! browser test compares them with the published page).
//!
//! Nothing here panics on any input: a broken entry renders what it can.

use quire_core::date::PostDate;
use quire_core::markdown::{RenderOptions, TocSection, reading_minutes, render_with, table_of_contents};
use quire_core::model::Listing;
use quire_core::sanitize::escape_attr;
use quire_core::url::{base_path_from_href, kebab_case};
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;
use wasm_bindgen::prelude::*;

/// What the build knows about the site and the preview needs: where the site is served, the
/// category labels of `blog-config.json` and the authors' companies.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The site's public URL path (`/`, `/quire/`), as Trunk's `--public-url`.
    #[serde(default)]
    pub public_url: String,
    #[serde(default)]
    pub categories: Vec<SiteCategory>,
    #[serde(default)]
    pub authors: Vec<SiteAuthor>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SiteCategory {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SiteAuthor {
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
}

impl Settings {
    /// `""` at a domain's root, `/quire` under a sub-path: what the app passes as
    /// `RenderOptions::url_root` (`api::base_path()`).
    pub fn url_root(&self) -> String {
        base_path_from_href(if self.public_url.is_empty() { "/" } else { &self.public_url })
    }
}

/// The body's HTML, as the post page renders it (`src/routes/post.rs`).
pub fn body_html(settings: &Settings, markdown: &str) -> String {
    let root = settings.url_root();
    render_with(markdown, RenderOptions { url_root: &root, ..RenderOptions::default() }).html
}

/// The post page's `<article>` for an entry: the fields of a post's front matter (`title`,
/// `date`, `author`, `category`) and `body`, as Decap CMS holds them. Without the links to
/// other posts, which only the whole site knows.
pub fn article_html(settings: &Settings, entry: &Value) -> String {
    let root = settings.url_root();
    let body = text_field(entry, "body").unwrap_or_default();
    let rendered = render_with(&body, RenderOptions { url_root: &root, ..RenderOptions::default() });
    let title = text_field(entry, "title").map(|t| t.trim().to_string()).unwrap_or_default();
    let mut html = String::with_capacity(rendered.html.len() + 1024);
    html.push_str(r#"<article class="post"><header class="post__header"><h1 class="post__title">"#);
    html.push_str(&escape_text(&title));
    html.push_str("</h1>");
    byline(&mut html, settings, &root, entry, &body);
    html.push_str("</header>");
    contents(&mut html, &table_of_contents(&rendered.toc));
    html.push_str(r#"<div class="post__body prose">"#);
    html.push_str(&rendered.html);
    html.push_str("</div></article>");
    html
}

/// `src/components/byline.rs`: date, reading time, author (with company), categories.
fn byline(html: &mut String, settings: &Settings, root: &str, entry: &Value, body: &str) {
    html.push_str(r#"<div class="byline">"#);
    if let Some(date) = text_field(entry, "date").and_then(|d| PostDate::parse(&d).ok()) {
        let _ = write!(
            html,
            r#"<time datetime="{}">{}</time>"#,
            escape_attr(&date.to_string()),
            date.long_format()
        );
    }
    let _ = write!(html, r#"<span class="byline__reading">{} min read</span>"#, reading_minutes(body));
    if let Some(name) = text_field(entry, "author").map(|a| a.trim().to_string()).filter(|a| !a.is_empty()) {
        html.push_str(r#"<span class="byline__author">by "#);
        let slug = kebab_case(&name);
        if slug.is_empty() {
            html.push_str(&escape_text(&name));
        } else {
            let path = Listing::Author { slug, name: String::new(), company: None }.path(1);
            let _ = write!(
                html,
                r#"<a href="{}">{}</a>"#,
                escape_attr(&format!("{root}{path}")),
                escape_text(&name)
            );
        }
        let company = settings.authors.iter().find(|a| a.name == name).and_then(|a| a.company.as_deref());
        if let Some(company) = company.filter(|c| !c.is_empty()) {
            let _ = write!(html, r#"<span class="byline__company">, {}</span>"#, escape_text(company));
        }
        html.push_str("</span>");
    }
    let categories = categories(settings, entry.get("category"));
    if !categories.is_empty() {
        html.push_str(r#"<ul aria-label="Categories" class="byline__categories">"#);
        for label in categories {
            let path = Listing::Category { slug: kebab_case(&label), label: String::new() }.path(1);
            let _ = write!(
                html,
                r#"<li class="category"><a href="{}">{}</a></li>"#,
                escape_attr(&format!("{root}{path}")),
                escape_text(&label)
            );
        }
        html.push_str("</ul>");
    }
    html.push_str("</div>");
}

/// The labels of the entry's `category` list, as the compiler reads them: `{value, label}`
/// items or bare strings; the label of `blog-config.json` wins, then the item's own, then
/// its id.
fn categories(settings: &Settings, value: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = value else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let (id, label) = match item {
                Value::String(s) => (s.clone(), s.clone()),
                Value::Object(map) => {
                    let text = |key: &str| map.get(key).and_then(scalar).unwrap_or_default();
                    (text("value"), text("label"))
                }
                _ => return None,
            };
            let known = settings.categories.iter().find(|c| c.id == id).map(|c| c.label.clone());
            let label = known.or_else(|| (!label.is_empty()).then_some(label)).unwrap_or(id);
            (!label.is_empty()).then_some(label)
        })
        .collect()
}

/// `src/routes/post.rs`'s `Contents`: links to the level-2 headings, level 3 nested.
fn contents(html: &mut String, sections: &[TocSection]) {
    if sections.is_empty() {
        return;
    }
    let item = |html: &mut String, id: &str, text: &str| {
        let _ = write!(html, r##"<a href="#{}">{}</a>"##, escape_attr(id), escape_text(text));
    };
    html.push_str(r#"<nav aria-label="Contents" class="toc"><p class="toc__title" aria-hidden="true">Contents</p><ol class="toc__list">"#);
    for section in sections {
        html.push_str("<li>");
        item(html, &section.entry.id, &section.entry.text);
        if !section.children.is_empty() {
            html.push_str(r#"<ol class="toc__list toc__list--nested">"#);
            for child in &section.children {
                html.push_str("<li>");
                item(html, &child.id, &child.text);
                html.push_str("</li>");
            }
            html.push_str("</ol>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol></nav>");
}

/// A field as text: strings as they are, numbers and booleans printed (as the front matter
/// reader takes them); anything else is absent.
fn text_field(entry: &Value, key: &str) -> Option<String> {
    entry.get(key).and_then(scalar)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Text between tags, as Leptos writes it.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The renderer as the admin page's script sees it.
#[wasm_bindgen]
pub struct Preview {
    settings: Settings,
}

#[wasm_bindgen]
impl Preview {
    /// `settings`: the JSON the build embeds in `admin/index.html` (public URL, categories,
    /// authors).
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &str) -> Result<Preview, JsError> {
        let settings = serde_json::from_str(settings)
            .map_err(|e| JsError::new(&format!("quire preview: invalid settings: {e}")))?;
        Ok(Preview { settings })
    }

    /// The body's HTML, byte for byte what the post page shows.
    pub fn body(&self, markdown: &str) -> String {
        body_html(&self.settings, markdown)
    }

    /// The post page's `<article>` for an entry given as JSON (Decap's entry data); an
    /// unreadable entry renders as an empty post.
    pub fn article(&self, entry: &str) -> String {
        let entry = serde_json::from_str(entry).unwrap_or(Value::Null);
        article_html(&self.settings, &entry)
    }
}
