//! All network and document look-ups of the app. Every fetch goes through [`fetch_json`],
//! which maps each way a request can fail to a [`FetchError`] the views can show.

use crate::SiteContext;
#[cfg(feature = "csr")]
use crate::initial::Initial;
use leptos::prelude::*;
use quire_core::json::FromJson;
use quire_core::model::{
    CONTENT_DIR, DecodeError, ListingPage, PAGES_DIR, POSTS_DIR, PostFile, PostSummary, SEARCH_DIR,
    SEARCH_MANIFEST_FILE, SearchManifest, SearchTerm, Site, Versioned, decode, decode_post, search_docs_file,
    search_postings_file, search_terms_file,
};
use quire_core::url::post_file_key;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

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
    /// A file of another data format: the site was rebuilt with another version of quire
    /// (newer: the page's app is out of date and a reload fixes it).
    Version { found: u32 },
}

impl FetchError {
    /// True when reloading the page (not retrying the request) is what may help: the data is
    /// of another version than the page's app.
    pub fn needs_reload(&self) -> bool {
        matches!(self, FetchError::Version { .. })
    }
}

impl From<DecodeError> for FetchError {
    fn from(error: DecodeError) -> Self {
        match error {
            DecodeError::Version { found } => FetchError::Version { found },
            DecodeError::Invalid(message) => FetchError::Invalid(message),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotFound => write!(f, "not found"),
            FetchError::Network(e) => write!(f, "the server could not be reached ({e})"),
            FetchError::Status(code) => write!(f, "the server answered with status {code}"),
            FetchError::Invalid(e) => write!(f, "the server sent data quire cannot read ({e})"),
            FetchError::Version { found } => DecodeError::Version { found: *found }.fmt(f),
        }
    }
}

/// One page of a listing: `file` as [`quire_core::model::Listing::file`] names it.
pub async fn fetch_listing(base: String, file: String) -> Result<ListingPage, FetchError> {
    fetch_json(&listing_url(&base, &file)).await
}

pub async fn fetch_post(base: String, slug: String) -> Result<FetchedPost, FetchError> {
    fetch_post_at(&post_url(&base, &slug)).await
}

/// A post file as the app reads it: everything but the Markdown body, and the body where it is.
#[derive(Clone, Debug)]
pub struct FetchedPost {
    /// The file, its `post.body` empty (see `markdown`).
    pub file: PostFile,
    pub markdown: Markdown,
}

/// A post's Markdown body as the app hands it to the renderer.
#[derive(Clone, Debug)]
pub enum Markdown {
    /// In the post file's bytes as the server sent them, at `range`, after the file's JSON line
    /// (`quire_core::model::decode_post`): the renderer module takes them from there, so the
    /// app never reads, checks or copies a body itself.
    InFile { bytes: Rc<[u8]>, range: Range<usize> },
    /// Text: a post file read whole (the prerender's).
    Text(String),
}

impl Markdown {
    /// The Markdown's bytes (UTF-8 unless the server sent something else).
    fn bytes(&self) -> &[u8] {
        match self {
            Markdown::InFile { bytes, range } => bytes.get(range.clone()).unwrap_or_default(),
            Markdown::Text(text) => text.as_bytes(),
        }
    }
}

impl From<PostFile> for FetchedPost {
    fn from(mut file: PostFile) -> Self {
        let markdown = Markdown::Text(std::mem::take(&mut file.post.body));
        FetchedPost { file, markdown }
    }
}

/// A post file's bytes read, its body left in them.
fn read_post(bytes: Rc<[u8]>) -> Result<FetchedPost, FetchError> {
    let (file, range) = decode_post(&bytes)?;
    Ok(FetchedPost { file, markdown: Markdown::InFile { bytes, range } })
}

/// Answers already fetched, by URL: a page the reader returns to (back, or a link to a
/// listing seen before) or one prefetched (see [`crate::prefetch`]) renders at once from
/// them, without a spinner or a request. The published files change only with a new deploy,
/// which a reload picks up. Bodies are kept as the bytes the server sent: they are copied into
/// wasm memory once and read by `quire_core::json` from there, never decoded to a JavaScript
/// string.
mod cache {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    /// Enough for every post and listing page a reader can reach from one listing page
    /// (prefetching is bounded well below this, see [`crate::prefetch`]).
    const ENTRIES: usize = 48;

    thread_local! {
        static ANSWERS: RefCell<VecDeque<(String, Rc<[u8]>)>> = const { RefCell::new(VecDeque::new()) };
    }

    pub fn get(url: &str) -> Option<Rc<[u8]>> {
        ANSWERS.with_borrow(|a| a.iter().find(|(u, _)| u == url).map(|(_, body)| Rc::clone(body)))
    }

    pub fn contains(url: &str) -> bool {
        ANSWERS.with_borrow(|a| a.iter().any(|(u, _)| u == url))
    }

    pub fn put(url: &str, body: Rc<[u8]>) {
        ANSWERS.with_borrow_mut(|a| {
            a.retain(|(u, _)| u != url);
            if a.len() >= ENTRIES {
                a.pop_front();
            }
            a.push_back((url.to_string(), body));
        });
    }
}

/// Requests under way, by URL: a navigation to a page whose prefetch has not finished yet
/// waits for that request instead of starting a second one.
mod pending {
    use super::FetchError;
    use futures::FutureExt;
    use futures::future::{LocalBoxFuture, Shared};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;

    pub type Answer = Shared<LocalBoxFuture<'static, Result<Rc<[u8]>, FetchError>>>;

    thread_local! {
        static REQUESTS: RefCell<HashMap<String, Answer>> = RefCell::new(HashMap::new());
    }

    pub fn is_pending(url: &str) -> bool {
        REQUESTS.with_borrow(|r| r.contains_key(url))
    }

    /// The request for `url`: the one under way, or a new one.
    pub fn request(url: &str) -> Answer {
        REQUESTS.with_borrow_mut(|r| {
            r.entry(url.to_string())
                .or_insert_with(|| {
                    let url = url.to_string();
                    async move {
                        let answer = super::fetch_bytes(&url).await.map(Rc::from);
                        REQUESTS.with_borrow_mut(|r| r.remove(&url));
                        if let Ok(body) = &answer {
                            super::cache::put(&url, Rc::clone(body));
                        }
                        answer
                    }
                    .boxed_local()
                    .shared()
                })
                .clone()
        })
    }
}

/// Fetches `url` into the answers' cache unless it is there or on its way: the page it
/// belongs to then renders without waiting for the network. Returns false when nothing was
/// started.
pub fn prefetch(url: &str) -> bool {
    if cache::contains(url) || pending::is_pending(url) {
        return false;
    }
    let answer = pending::request(url);
    leptos::task::spawn_local(async move {
        // The answer lands in the cache; a failure is the navigation's to report.
        let _ = answer.await;
    });
    true
}

/// The post whose JSON is at `url` (as [`post_url`] names it): for prefetching, which holds
/// URLs. Joins a request under way rather than starting another.
pub async fn fetch_post_at(url: &str) -> Result<FetchedPost, FetchError> {
    read_post(answer(url).await?)
}

/// The Markdown renderer: a wasm module of its own (`crates/render`), so that the app's
/// wasm, which every first visit loads, holds none; a prerendered page needs no renderer.
/// The page's loader names its files (`globalThis.quireRenderer`, written by the build, see
/// `crates/compiler/src/modules.rs`); it is loaded the first time the app renders a post
/// itself (a prefetched post, or a click on a post not prefetched) and kept. Natively
/// (prerendering) the renderer is `quire_core`'s, called directly.
#[derive(Clone)]
pub struct Renderer {
    #[cfg(feature = "csr")]
    module: wasm_bindgen::JsValue,
}

/// A post's body as its page shows it: the HTML and the headings.
pub struct RenderedBody {
    pub html: BodyHtml,
    pub toc: Vec<quire_core::markdown::TocEntry>,
}

/// A rendered post body's HTML, shown as an element's `inner_html`. In the browser it is the
/// JavaScript string the renderer module made, set as it is: never copied into the app's
/// memory to be decoded into a string again each time the post is shown. Natively
/// (prerendering) it is the renderer's string.
#[derive(Clone, Debug)]
pub struct BodyHtml(
    #[cfg(feature = "csr")] send_wrapper::SendWrapper<web_sys::js_sys::JsString>,
    #[cfg(not(feature = "csr"))] std::sync::Arc<str>,
);

impl From<&str> for BodyHtml {
    fn from(html: &str) -> Self {
        #[cfg(feature = "csr")]
        return BodyHtml(send_wrapper::SendWrapper::new(html.into()));
        #[cfg(not(feature = "csr"))]
        BodyHtml(html.into())
    }
}

impl PartialEq for BodyHtml {
    fn eq(&self, other: &Self) -> bool {
        *self.0 == *other.0
    }
}

mod body_html {
    use super::BodyHtml;
    use leptos::tachys::html::element::InnerHtmlValue;
    use leptos::tachys::renderer::types::Element;

    impl BodyHtml {
        fn set(&self, el: &Element) {
            #[cfg(feature = "csr")]
            let _ = web_sys::js_sys::Reflect::set(el, &"innerHTML".into(), &self.0);
            #[cfg(not(feature = "csr"))]
            leptos::tachys::renderer::Rndr::set_inner_html(el, &self.0);
        }
    }

    /// As tachys does for `Arc<str>`, with [`BodyHtml::set`].
    impl InnerHtmlValue for BodyHtml {
        type AsyncOutput = Self;
        type State = (Element, Self);
        type Cloneable = Self;
        type CloneableOwned = Self;

        fn html_len(&self) -> usize {
            #[cfg(feature = "csr")]
            return self.0.length() as usize;
            #[cfg(not(feature = "csr"))]
            self.0.len()
        }

        fn to_html(self, buf: &mut String) {
            #[cfg(feature = "csr")]
            buf.push_str(&String::from(&*self.0));
            #[cfg(not(feature = "csr"))]
            buf.push_str(&self.0);
        }

        fn to_template(_buf: &mut String) {}

        fn hydrate<const FROM_SERVER: bool>(self, el: &Element) -> Self::State {
            if !FROM_SERVER {
                self.set(el);
            }
            (el.clone(), self)
        }

        fn build(self, el: &Element) -> Self::State {
            self.set(el);
            (el.clone(), self)
        }

        fn rebuild(self, state: &mut Self::State) {
            if self != state.1 {
                self.set(&state.0);
                state.1 = self;
            }
        }

        fn into_cloneable(self) -> Self {
            self
        }

        fn into_cloneable_owned(self) -> Self {
            self
        }

        fn dry_resolve(&mut self) {}

        async fn resolve(self) -> Self {
            self
        }
    }
}

/// Why there is no renderer; either way the post's prerendered page shows it
/// (`crate::routes::post`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RendererError {
    /// The page names no renderer (a site built with `QUIRE_RENDERER=off`).
    NotNamed,
    /// Its files could not be loaded (a page left open across a deploy asks for the old
    /// build's files; the network failed).
    Failed(FetchError),
}

impl Renderer {
    /// `markdown` rendered under the base path `url_root`.
    pub fn render(&self, markdown: &Markdown, url_root: &str) -> Result<RenderedBody, FetchError> {
        #[cfg(feature = "csr")]
        {
            let (headings, html) = renderer::render(&self.module, markdown.bytes(), url_root)?;
            let toc = quire_core::markdown::packed::unpack(&headings)
                .ok_or_else(|| FetchError::Invalid("the Markdown renderer answered no headings".into()))?;
            Ok(RenderedBody { html: BodyHtml(send_wrapper::SendWrapper::new(html)), toc })
        }
        #[cfg(not(feature = "csr"))]
        {
            use quire_core::markdown::{RenderOptions, render_with};
            let markdown = String::from_utf8_lossy(markdown.bytes());
            let rendered = render_with(&markdown, RenderOptions { url_root, ..RenderOptions::default() });
            Ok(RenderedBody { html: BodyHtml(rendered.html.into()), toc: rendered.toc })
        }
    }
}

/// The renderer if it is loaded (natively: always).
pub fn renderer_now() -> Option<Renderer> {
    #[cfg(feature = "csr")]
    return renderer::loaded().map(|module| Renderer { module });
    #[cfg(not(feature = "csr"))]
    Some(Renderer {})
}

/// The renderer, loaded now if it is not yet (one load at a time; a failed one is tried again
/// on the next call).
pub async fn renderer() -> Result<Renderer, RendererError> {
    #[cfg(feature = "csr")]
    return renderer::load().await.map(|module| Renderer { module });
    #[cfg(not(feature = "csr"))]
    Ok(Renderer {})
}

#[cfg(feature = "csr")]
mod renderer {
    use super::{FetchError, RendererError};
    use futures::FutureExt;
    use futures::future::{LocalBoxFuture, Shared};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Array, Function, JsString, Promise, Reflect, Uint8Array};

    type Loading = Shared<LocalBoxFuture<'static, Result<JsValue, RendererError>>>;

    thread_local! {
        static LOADED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
        static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
        /// Failed loads so far: a new attempt asks for `?again=N`, as a browser may keep a
        /// failed module import for the page's lifetime.
        static FAILED: Cell<u32> = const { Cell::new(0) };
    }

    pub fn loaded() -> Option<JsValue> {
        LOADED.with_borrow(Clone::clone)
    }

    pub async fn load() -> Result<JsValue, RendererError> {
        if let Some(module) = loaded() {
            return Ok(module);
        }
        let loading =
            LOADING.with_borrow_mut(|l| l.get_or_insert_with(|| start().boxed_local().shared()).clone());
        loading.await
    }

    async fn start() -> Result<JsValue, RendererError> {
        let answer = import().await;
        LOADING.set(None);
        match &answer {
            Ok(module) => LOADED.set(Some(module.clone())),
            Err(RendererError::Failed(_)) => FAILED.set(FAILED.get() + 1),
            Err(RendererError::NotNamed) => {}
        }
        answer
    }

    /// Calls the loader's `quireRenderer.load(again)`: the module's namespace once its wasm runs.
    async fn import() -> Result<JsValue, RendererError> {
        let failed = |e: JsValue| RendererError::Failed(FetchError::Network(describe(&e)));
        let files = Reflect::get(&web_sys::js_sys::global(), &"quireRenderer".into()).map_err(failed)?;
        let Ok(load) = Reflect::get(&files, &"load".into()).and_then(|f| f.dyn_into::<Function>()) else {
            return Err(RendererError::NotNamed);
        };
        let again = match FAILED.get() {
            0 => String::new(),
            n => format!("?again={n}"),
        };
        let promise = load.call1(&files, &again.into()).and_then(|p| p.dyn_into::<Promise>());
        wasm_bindgen_futures::JsFuture::from(promise.map_err(failed)?).await.map_err(failed)
    }

    /// The Markdown goes in as UTF-8 bytes (`Uint8Array`, a view of the app's memory): copied
    /// once, into the module's memory, never decoded to a JavaScript string and encoded again.
    /// The answer is `[headings, html]` (`crates/render`): the headings packed, as UTF-8 bytes
    /// in a view of the module's memory that holds until its next call, copied here at once;
    /// the HTML a JavaScript string, kept as it is.
    pub fn render(
        module: &JsValue,
        markdown: &[u8],
        url_root: &str,
    ) -> Result<(String, JsString), FetchError> {
        let invalid =
            |e: JsValue| FetchError::Invalid(format!("the Markdown renderer failed: {}", describe(&e)));
        let render: Function =
            Reflect::get(module, &"render".into()).and_then(|f| f.dyn_into()).map_err(invalid)?;
        // Made before the view: a JavaScript value taken into the app's externref table may
        // grow the table's slab, and so the app's memory, which would detach the view.
        let url_root = JsValue::from(url_root);
        let input = attached_view(markdown);
        let answer = render.call2(module, &input, &url_root).map_err(invalid)?;
        let answer = answer.dyn_into::<Array>().map_err(invalid)?;
        let (Ok(headings), Ok(html)) =
            (answer.get(0).dyn_into::<Uint8Array>(), answer.get(1).dyn_into::<JsString>())
        else {
            return Err(FetchError::Invalid("the Markdown renderer answered no rendered body".into()));
        };
        let headings = String::from_utf8(headings.to_vec())
            .map_err(|_| FetchError::Invalid("the Markdown renderer's headings are not UTF-8".into()))?;
        Ok((headings, html))
    }

    /// A view of the app's memory, not a copy: a new typed array of a post's size costs about
    /// 1 ms per MB to allocate in Chromium, more than the copy into the renderer module.
    ///
    /// The view goes into the app's externref table like any JavaScript value, and taking a
    /// slot there allocates when the table is full (it doubles, now and then, as pages hold
    /// more DOM nodes). If that allocation grew the app's memory, the view came back
    /// detached, empty: one made again is attached, as the table then has room.
    fn attached_view(bytes: &[u8]) -> Uint8Array {
        // An empty view cannot be told from a detached one (both have length 0), and the
        // renderer's glue would throw on a detached one: an empty body needs no view.
        if bytes.is_empty() {
            return Uint8Array::new_with_length(0);
        }
        // SAFETY: the view is read only by the renderer module's glue, which copies it into the
        // module's own memory during the call it is made for; nothing between here and that
        // copy runs the app's wasm or allocates in it, so the app's memory cannot grow (which
        // would detach the view) and `bytes` stays borrowed.
        #[allow(unsafe_code)]
        let view = unsafe { Uint8Array::view(bytes) };
        if view.length() as usize == bytes.len() {
            return view;
        }
        #[allow(unsafe_code)]
        unsafe {
            Uint8Array::view(bytes)
        }
    }

    fn describe(error: &JsValue) -> String {
        error
            .dyn_ref::<web_sys::js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "unknown error".into())
    }
}

/// The post whose JSON is at `url`, decoded now, if the answers' cache holds it.
pub fn cached_post(url: &str) -> Option<Result<FetchedPost, FetchError>> {
    Some(read_post(cache::get(url)?))
}

/// The URL of a post's JSON file.
pub fn post_url(base: &str, slug: &str) -> String {
    format!("{base}/{CONTENT_DIR}/{POSTS_DIR}/{}.json", post_file_key(slug))
}

/// The URL of a listing page's JSON file (`file` as [`quire_core::model::Listing::file`]
/// names it).
pub fn listing_url(base: &str, file: &str) -> String {
    format!("{base}/{CONTENT_DIR}/{PAGES_DIR}/{file}")
}

/// The search index's manifest, fetched when the reader first searches (see
/// [`crate::search`]); its other files follow as searches need them.
pub async fn fetch_search_manifest(base: String) -> Result<SearchManifest, FetchError> {
    let body = fetch_bytes(&format!("{base}/{CONTENT_DIR}/{SEARCH_DIR}/{SEARCH_MANIFEST_FILE}")).await?;
    Ok(decode(&body)?)
}

/// Dictionary shard `n` of the search index.
pub async fn fetch_search_terms(base: String, n: usize) -> Result<Vec<SearchTerm>, FetchError> {
    fetch_search_file(&format!("{base}/{CONTENT_DIR}/{}", search_terms_file(n))).await
}

/// Postings shard `n` of the search index: term → postings text.
pub async fn fetch_search_postings(base: String, n: u32) -> Result<BTreeMap<String, String>, FetchError> {
    fetch_search_file(&format!("{base}/{CONTENT_DIR}/{}", search_postings_file(n))).await
}

/// Docs shard `n` of the search index: what results show of its posts.
pub async fn fetch_search_docs(base: String, n: u32) -> Result<Vec<PostSummary>, FetchError> {
    fetch_search_file(&format!("{base}/{CONTENT_DIR}/{}", search_docs_file(n))).await
}

async fn fetch_json<T: FromJson + Versioned>(url: &str) -> Result<T, FetchError> {
    Ok(decode(&answer(url).await?)?)
}

/// The bytes of the file at `url`: from the answers' cache, the request under way or a new one.
async fn answer(url: &str) -> Result<Rc<[u8]>, FetchError> {
    match cache::get(url) {
        Some(body) => Ok(body),
        None => pending::request(url).await,
    }
}

/// A file of the search index: the search code keeps what it fetched, so it stays out of the
/// answers' cache.
async fn fetch_search_file<T: FromJson>(url: &str) -> Result<T, FetchError> {
    let body = fetch_bytes(url).await?;
    quire_core::json::from_slice(&body).map_err(|e| FetchError::Invalid(e.to_string()))
}

/// The body of a JSON file, as bytes (one copy of the request code for every type of file).
/// The browser's `fetch` through web-sys (gloo-net's request builder cost the app's wasm
/// its weight in headers, options and error types it never used).
#[cfg(feature = "csr")]
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let network = |e: wasm_bindgen::JsValue| {
        FetchError::Network(
            e.dyn_ref::<web_sys::js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "the request failed".into()),
        )
    };
    let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(network)?.unchecked_into();
    match response.status() {
        200 => {}
        404 | 410 => return Err(FetchError::NotFound),
        code => return Err(FetchError::Status(code)),
    }
    // SPA hosts answer a missing file with index.html and status 200.
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if content_type.contains("text/html") {
        return Err(FetchError::NotFound);
    }
    let body = JsFuture::from(response.array_buffer().map_err(network)?).await.map_err(network)?;
    Ok(web_sys::js_sys::Uint8Array::new(&body).to_vec())
}

/// Natively nothing is fetched: the prerender hands every route its data.
#[cfg(not(feature = "csr"))]
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    Err(FetchError::Network(format!("{url}: nothing is fetched natively")))
}

/// Where, under the base path, the service worker answers with the posts it has saved for
/// reading offline, as `[{ "slug", "title", "date" }]`, newest first. No file of the site: the
/// worker answers it from its caches (`crates/compiler/src/sw.js`); without a worker the
/// request fails and the offline view lists nothing.
pub const SAVED_POSTS_PATH: &str = "/offline/saved.json";

/// The posts saved for reading offline (see [`SAVED_POSTS_PATH`]); never kept in the
/// answers' cache, as the list grows while the reader reads.
pub async fn fetch_saved_posts(base: String) -> Result<Vec<quire_core::model::PostLink>, FetchError> {
    let body = fetch_bytes(&format!("{base}{SAVED_POSTS_PATH}")).await?;
    quire_core::json::from_slice(&body).map_err(|e| FetchError::Invalid(e.to_string()))
}

/// The path the site is served under, without a trailing slash: `""` at a domain's root,
/// `"/quire"` for `trunk build --public-url /quire/`.
pub fn base_path() -> String {
    use_context::<SiteContext>().map(|c| c.base).unwrap_or_default()
}

/// The blog's settings (embedded in every page by the build, so no fetch is needed).
pub fn site() -> Site {
    use_context::<SiteContext>().map(|c| c.site).unwrap_or_default()
}

/// A site path (`/blog/x`) as a link href under the base path (links are plain `<a href>`:
/// nothing else adds the prefix).
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// `https://example.org/quire`: the site's own address, for canonical links when the blog
/// settings name none. Empty when prerendering: the build knows no origin.
pub fn site_origin() -> String {
    site_origin_at(&base_path())
}

/// [`site_origin`] for the base path `base` (outside a component, where no context is).
pub fn site_origin_at(base: &str) -> String {
    #[cfg(feature = "csr")]
    {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        format!("{origin}{base}")
    }
    #[cfg(not(feature = "csr"))]
    {
        let _ = base;
        String::new()
    }
}

/// Comments around the head tags the build prerendered for the page's route.
pub const HEAD_START: &str = "quire-head";
pub const HEAD_END: &str = "/quire-head";

/// Removes the prerendered route's head tags (between the `<!--quire-head-->` markers),
/// keeping `<title>`, whose text `document.title` sets.
pub fn remove_static_head_tags() {
    #[cfg(feature = "csr")]
    browser::remove_static_head_tags();
}

/// What the browser app starts with, read from the prerendered document.
#[cfg(feature = "csr")]
pub struct Boot {
    pub site: Site,
    pub base: String,
    pub initial: Option<Initial>,
}

/// Reads the settings, the base path and the prerendered route root, then removes the
/// prerendered body content (not its scripts): the caller mounts the app at once.
#[cfg(feature = "csr")]
pub fn take_over_document() -> Boot {
    browser::take_over_document()
}

/// The base path the page was built for (its `quire-base` meta tag), before the app is mounted.
#[cfg(feature = "csr")]
pub fn document_base() -> String {
    browser::document().map(|doc| browser::base(&doc)).unwrap_or_default()
}

#[cfg(feature = "csr")]
mod browser {
    use super::{Boot, HEAD_END, HEAD_START};
    use crate::initial::{Initial, RouteKind};
    use quire_core::url::{base_path_from_href, percent_decode};
    use wasm_bindgen::JsCast;

    pub fn document() -> Option<web_sys::Document> {
        web_sys::window().and_then(|w| w.document())
    }

    pub fn base(doc: &web_sys::Document) -> String {
        base_path_from_href(meta_content(doc, "quire-base").as_deref().unwrap_or("/"))
    }

    fn meta_content(doc: &web_sys::Document, name: &str) -> Option<String> {
        doc.query_selector(&format!("meta[name={name}]")).ok().flatten()?.get_attribute("content")
    }

    pub fn take_over_document() -> Boot {
        let Some(doc) = document() else {
            return Boot { site: Default::default(), base: String::new(), initial: None };
        };
        let site = doc
            .get_element_by_id("quire-site")
            .and_then(|s| s.text_content())
            .and_then(|json| quire_core::json::from_slice(json.as_bytes()).ok())
            .unwrap_or_default();
        let base = base(&doc);
        drop_index_html();
        let initial = prerendered_route(&doc);
        if let Some(body) = doc.body() {
            let children = body.children();
            let mut remove = Vec::new();
            for i in 0..children.length() {
                if let Some(child) = children.item(i)
                    && !child.tag_name().eq_ignore_ascii_case("script")
                {
                    remove.push(child);
                }
            }
            for child in remove {
                child.remove();
            }
        }
        Boot { site, base, initial }
    }

    /// The prerendered route root, if it was rendered for this URL (a host may answer any
    /// URL with `index.html`) or is the not-found page (`404.html` answers any URL) or the
    /// offline page (the service worker answers any page it has not saved with it).
    fn prerendered_route(doc: &web_sys::Document) -> Option<Initial> {
        let root = doc.query_selector("main#main > div.route[data-route]").ok().flatten()?;
        let kind = RouteKind::parse(&root.get_attribute("data-route")?)?;
        let rendered_for = meta_content(doc, "quire-path")?;
        let here = web_sys::window()?.location().pathname().ok()?;
        (matches!(kind, RouteKind::NotFound | RouteKind::Offline) || same_page(&rendered_for, &here))
            .then(|| Initial::Adopt { kind, html: root.inner_html() })
    }

    /// `/blog/a+b`, `/blog/a%2Bb/` and `/blog/a+b/index.html` are one page to a static host.
    fn same_page(a: &str, b: &str) -> bool {
        let normal = |p: &str| {
            let p = p.strip_suffix("index.html").unwrap_or(p);
            percent_decode(p).unwrap_or_else(|| p.to_string()).trim_end_matches('/').to_string()
        };
        normal(a) == normal(b)
    }

    /// A host serves `/blog/x/index.html` as `/blog/x/`, but the router knows only the
    /// latter: drop the file name from the address (same page, no reload).
    fn drop_index_html() {
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let Ok(path) = location.pathname() else { return };
        let Some(dir) = path.strip_suffix("index.html").filter(|d| d.ends_with('/')) else { return };
        let rest =
            format!("{}{}", location.search().unwrap_or_default(), location.hash().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{dir}{rest}")),
            );
        }
    }

    pub fn remove_static_head_tags() {
        let Some(head) = document().and_then(|d| d.head()) else { return };
        let nodes = head.child_nodes();
        let mut inside = false;
        let mut remove = Vec::new();
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else { continue };
            if node.node_type() == web_sys::Node::COMMENT_NODE {
                match node.text_content().as_deref() {
                    Some(HEAD_START) => inside = true,
                    Some(HEAD_END) => inside = false,
                    _ => {}
                }
                continue;
            }
            let is_title = node
                .dyn_ref::<web_sys::Element>()
                .is_some_and(|e| e.tag_name().eq_ignore_ascii_case("title"));
            if inside && !is_title {
                remove.push(node);
            }
        }
        for node in remove {
            let _ = head.remove_child(&node);
        }
    }
}
