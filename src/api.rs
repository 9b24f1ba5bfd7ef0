//! All network and document look-ups of the app. Every fetch goes through [`fetch_json`],
//! which maps each way a request can fail to a [`FetchError`] the views can show.

use gloo_net::http::Request;
use quire_core::model::{CONTENT_DIR, INDEX_FILE, Index, POSTS_DIR, PostFile, Site};
use quire_core::url::{base_path_from_href, post_file_key};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The file does not exist (a 404, or a host's HTML fallback page instead of JSON).
    NotFound,
    /// No answer: offline, DNS, CORS, aborted.
    Network(String),
    /// An answer other than 200 or 404.
    Status(u16),
    /// An answer that is not the JSON quire writes.
    Invalid(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotFound => write!(f, "not found"),
            FetchError::Network(e) => write!(f, "the server could not be reached ({e})"),
            FetchError::Status(code) => write!(f, "the server answered with status {code}"),
            FetchError::Invalid(e) => write!(f, "the server sent data quire cannot read ({e})"),
        }
    }
}

pub async fn fetch_index() -> Result<Index, FetchError> {
    fetch_json(&format!("{}/{CONTENT_DIR}/{INDEX_FILE}", base_path())).await
}

pub async fn fetch_post(slug: &str) -> Result<PostFile, FetchError> {
    fetch_json(&format!("{}/{CONTENT_DIR}/{POSTS_DIR}/{}.json", base_path(), post_file_key(slug))).await
}

async fn fetch_json<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let response = Request::get(url).send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    match response.status() {
        200 => {}
        404 | 410 => return Err(FetchError::NotFound),
        code => return Err(FetchError::Status(code)),
    }
    // SPA hosts answer a missing file with index.html and status 200.
    let content_type = response.headers().get("content-type").unwrap_or_default();
    if content_type.contains("text/html") {
        return Err(FetchError::NotFound);
    }
    let text = response.text().await.map_err(|e| FetchError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| FetchError::Invalid(e.to_string()))
}

/// The path the site is served under, without a trailing slash: `""` at a domain's root,
/// `"/quire"` for `trunk build --public-url /quire/`. Read from the `quire-base` meta tag the
/// build writes into index.html.
pub fn base_path() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let meta = document().and_then(|d| d.query_selector("meta[name=quire-base]").ok().flatten());
        let href = meta.and_then(|m| m.get_attribute("content"));
        base_path_from_href(href.as_deref().unwrap_or("/"))
    })
}

/// A site path (`/blog/x`) as a link href under the base path. leptos_router's `<A>` leaves
/// absolute paths as they are, so the prefix is added here.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// `https://example.org/quire`: the site's own address, for canonical links of posts
/// that name none.
pub fn site_origin() -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{}", base_path())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The site settings the build embeds in index.html (`<script id="quire-site">`), so the
/// header shows them before any fetch; `None` in a shell built without content.
pub fn embedded_site() -> Option<Site> {
    let script = document()?.get_element_by_id("quire-site")?;
    serde_json::from_str(&script.text_content()?).ok()
}

/// Removes the head tags index.html marks `data-quire-static`.
pub fn remove_static_head_tags() {
    let Some(doc) = document() else { return };
    let Ok(nodes) = doc.query_selector_all("head [data-quire-static]") else {
        return;
    };
    for i in 0..nodes.length() {
        if let Some(node) = nodes.item(i)
            && let Some(parent) = node.parent_node()
        {
            let _ = parent.remove_child(&node);
        }
    }
}
