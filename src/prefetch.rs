//! Prefetching: the JSON of a page the reader is about to open is fetched before the click,
//! so that following the link renders from memory in the frame after the click.
//!
//! - **Intent**: a pointer over a link (`pointerover`, also a finger touching it) or keyboard
//!   focus on it fetches its page's JSON at once (at most `INTENT_BUDGET` per page).
//! - **Viewport**: a link to a post that stays on screen for `DWELL_MS` (300 ms) is fetched
//!   when the browser is idle (`requestIdleCallback`), at most `VIEWPORT_BUDGET` (6) per page.
//!
//! A post the reader pointed at or focused is also rendered at once; one only on screen is
//! rendered by its click (see `prepare`).
//!
//! Only the app's own routes are prefetched (posts and listing pages: the links the router
//! would handle), each at most once (answers are cached by URL in [`crate::api`], and a click
//! during a prefetch waits for that request rather than starting another), and nothing at all
//! when the reader asked to save data (`navigator.connection.saveData`) or the connection is
//! slow (`effectiveType` 2g or slower). Every link, prefetched or not, keeps working as before.

use quire_core::model::Listing;

/// The JSON file the app renders a site path from, for a link's `href` as written (`path` is
/// `/blog/x`, `/page/2`, `/blog/category/zuul/page/3`…, under `base`); `None` for anything
/// else (the search page, files, other sites, relative links).
pub fn json_url(base: &str, href: &str) -> Option<String> {
    use crate::routes::table::{Params, Route, match_href};
    let (route, Params { slug, n }) = match_href(base, href)?;
    let page = || n.as_deref()?.parse::<u32>().ok().filter(|n| *n >= 1);
    let slug = || slug.clone().filter(|s| !s.is_empty());
    let listing = |listing: Listing, n: u32| Some(crate::api::listing_url(base, &listing.file(n)));
    let category = |slug| Listing::Category { slug, label: String::new() };
    let author = |slug| Listing::Author { slug, name: String::new(), company: None };
    match route {
        Route::Home => listing(Listing::Home, 1),
        Route::HomePage => listing(Listing::Home, page()?),
        Route::Category => listing(category(slug()?), 1),
        Route::CategoryPage => listing(category(slug()?), page()?),
        Route::Author => listing(author(slug()?), 1),
        Route::AuthorPage => listing(author(slug()?), page()?),
        Route::Post => Some(crate::api::post_url(base, &slug()?)),
        Route::Search | Route::NotFound => None,
    }
}

/// The connection is 2g or slower (`navigator.connection.effectiveType`): a post the app has
/// no renderer for yet then opens as its prerendered page (a few KB) rather than with the
/// renderer's module (over a hundred), see `crate::routes::post`.
#[cfg(feature = "csr")]
pub fn slow_connection() -> bool {
    browser::slow_connection()
}

/// Starts watching the page for links to prefetch. Call once, after the app is mounted.
#[cfg(feature = "csr")]
pub fn install(base: String, site: quire_core::model::Site) {
    browser::install(base, site);
}

#[cfg(feature = "csr")]
mod browser {
    use super::json_url;
    use quire_core::model::{CONTENT_DIR, POSTS_DIR, Site};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::js_sys::{Array, Function, Object, Reflect};

    /// How long a link must stay on screen before it is prefetched.
    const DWELL_MS: i32 = 300;
    /// Links prefetched for being on screen, per page shown.
    const VIEWPORT_BUDGET: usize = 6;
    /// Links prefetched for a pointer or focus on them, per page shown (a pointer sweeping over a
    /// long listing must not fetch all of it).
    const INTENT_BUDGET: usize = 24;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = IntersectionObserver)]
        type Intersections;
        #[wasm_bindgen(constructor, catch, js_class = "IntersectionObserver")]
        fn new(callback: &Function) -> Result<Intersections, JsValue>;
        #[wasm_bindgen(method)]
        fn observe(this: &Intersections, target: &web_sys::Element);
        #[wasm_bindgen(method)]
        fn disconnect(this: &Intersections);

        type IntersectionEntry;
        #[wasm_bindgen(method, getter, js_name = isIntersecting)]
        fn is_intersecting(this: &IntersectionEntry) -> bool;
        #[wasm_bindgen(method, getter)]
        fn target(this: &IntersectionEntry) -> web_sys::Element;

        #[wasm_bindgen(js_name = MutationObserver)]
        type Mutations;
        #[wasm_bindgen(constructor, catch, js_class = "MutationObserver")]
        fn new(callback: &Function) -> Result<Mutations, JsValue>;
        #[wasm_bindgen(method, catch)]
        fn observe(this: &Mutations, target: &web_sys::Node, options: &Object) -> Result<(), JsValue>;

        /// Missing in some browsers (Safari): the call then throws, and a timeout stands in.
        #[wasm_bindgen(catch, js_name = requestIdleCallback)]
        fn request_idle_callback(callback: &Function, options: &Object) -> Result<u32, JsValue>;
    }

    thread_local! {
        static BASE: RefCell<String> = const { RefCell::new(String::new()) };
        /// The blog's settings, for the head tags of the posts prepared here.
        static SITE: RefCell<Site> = RefCell::new(Site::default());
        /// The address the links were last collected for: budgets start again on a new page.
        static PAGE: RefCell<String> = const { RefCell::new(String::new()) };
        static INTENT_LEFT: Cell<usize> = const { Cell::new(INTENT_BUDGET) };
        static VIEWPORT_LEFT: Cell<usize> = const { Cell::new(VIEWPORT_BUDGET) };
        static OBSERVER: RefCell<Option<Intersections>> = const { RefCell::new(None) };
        /// Links on screen now (each waits out its dwell).
        static VISIBLE: RefCell<Vec<web_sys::Element>> = const { RefCell::new(Vec::new()) };
        static RESCAN_QUEUED: Cell<bool> = const { Cell::new(false) };
        static REHEARSED: Cell<bool> = const { Cell::new(false) };
        static WARMED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn install(base: String, site: Site) {
        BASE.set(base);
        SITE.set(site);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let on_intent = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
            let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            // The search box: its page's code, before the first letter typed.
            if target.as_ref().is_some_and(|t| t.id() == crate::components::layout::SEARCH_INPUT_ID) {
                leptos::task::spawn_local(crate::chunks::preload(crate::routes::table::Route::Search));
                return;
            }
            let link = target.and_then(|e| e.closest("a[href]").ok().flatten());
            if let Some(link) = link {
                // A listing's or the search page's code (`crate::chunks`), whatever the budget.
                if let Some(href) = link.get_attribute("href") {
                    BASE.with_borrow(|base| crate::chunks::preload_link(base, &href));
                }
                prefetch_link(&link, Reason::Intent);
            }
        });
        for kind in ["pointerover", "focusin"] {
            let _ = document.add_event_listener_with_callback_and_bool(
                kind,
                on_intent.as_ref().unchecked_ref(),
                true,
            );
        }
        on_intent.forget();

        let on_intersection = Closure::<dyn Fn(Array)>::new(|entries: Array| {
            for entry in entries.iter() {
                let entry: IntersectionEntry = entry.unchecked_into();
                let link = entry.target();
                if entry.is_intersecting() {
                    VISIBLE.with_borrow_mut(|v| v.push(link.clone()));
                    after(DWELL_MS, move || {
                        if VISIBLE.with_borrow(|v| v.contains(&link)) {
                            when_idle(move || {
                                if is_post_link(&link) {
                                    prefetch_link(&link, Reason::OnScreen)
                                }
                            });
                        }
                    });
                } else {
                    VISIBLE.with_borrow_mut(|v| v.retain(|l| *l != link));
                }
            }
        });
        let observer = Intersections::new(on_intersection.as_ref().unchecked_ref()).ok();
        on_intersection.forget();
        if observer.is_none() {
            return;
        }
        OBSERVER.set(observer);

        // Routes replace the content of <main>: collect its links again after each change.
        let on_mutation = Closure::<dyn Fn()>::new(|| {
            if !RESCAN_QUEUED.replace(true) {
                after(0, rescan);
            }
        });
        let mutations = Mutations::new(on_mutation.as_ref().unchecked_ref()).ok();
        on_mutation.forget();
        let main = document.get_element_by_id("main");
        if let (Some(mutations), Some(main)) = (mutations, main) {
            let options = Object::new();
            let _ = Reflect::set(&options, &"childList".into(), &true.into());
            let _ = Reflect::set(&options, &"subtree".into(), &true.into());
            let _ = mutations.observe(&main, &options);
        }
        rescan();
    }

    /// Observes the app links now in `<main>`; a new address starts the budgets again.
    fn rescan() {
        RESCAN_QUEUED.set(false);
        let Some(window) = web_sys::window() else { return };
        let Some(document) = window.document() else { return };
        let address = window.location().href().unwrap_or_default();
        if PAGE.with_borrow(|p| *p != address) {
            PAGE.set(address);
            INTENT_LEFT.set(INTENT_BUDGET);
            VIEWPORT_LEFT.set(VIEWPORT_BUDGET);
        }
        OBSERVER.with_borrow(|observer| {
            let Some(observer) = observer else { return };
            observer.disconnect();
            VISIBLE.with_borrow_mut(Vec::clear);
            let Ok(links) = document.query_selector_all("#main a[href]") else { return };
            for i in 0..links.length() {
                if let Some(link) = links.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    && target_url(&link).is_some()
                {
                    observer.observe(&link);
                }
            }
        });
    }

    /// The JSON behind a link the router would follow itself (not one to a file, another
    /// site, a new tab or the page shown now).
    fn target_url(link: &web_sys::Element) -> Option<String> {
        if link.has_attribute("download")
            || link.get_attribute("target").is_some_and(|t| !t.is_empty() && t != "_self")
            || link.get_attribute("rel").is_some_and(|r| r.split_ascii_whitespace().any(|w| w == "external"))
        {
            return None;
        }
        let href = link.get_attribute("href")?;
        let here = web_sys::window()?.location().pathname().ok()?;
        if href.split(['?', '#']).next() == Some(here.as_str()) {
            return None;
        }
        BASE.with_borrow(|base| json_url(base, &href))
    }

    /// Only post links are prefetched for being on screen (a post page's byline links to its
    /// author's and categories' listings, which a reader follows far less often).
    fn is_post_link(link: &web_sys::Element) -> bool {
        target_url(link).is_some_and(|url| is_post_json(&url))
    }

    fn is_post_json(url: &str) -> bool {
        url.contains(&format!("/{CONTENT_DIR}/{POSTS_DIR}/"))
    }

    /// Why a link is prefetched; each reason has its own budget.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Reason {
        /// A pointer or focus on the link: the click may follow within moments.
        Intent,
        /// The link stayed on screen.
        OnScreen,
    }

    fn prefetch_link(link: &web_sys::Element, reason: Reason) {
        let budget = match reason {
            Reason::Intent => &INTENT_LEFT,
            Reason::OnScreen => &VIEWPORT_LEFT,
        };
        if budget.get() == 0 || !connection_allows() {
            return;
        }
        if let Some(url) = target_url(link)
            && crate::api::prefetch(&url)
        {
            budget.set(budget.get() - 1);
            if is_post_json(&url) {
                prepare(url, reason);
            }
        }
    }

    /// A post is being prefetched (its JSON is on its way: `crate::api::prefetch`). The
    /// renderer (a module of its own) and the post chunk (the code that prepares and shows a
    /// post, `crate::chunks`) load beside the first one. A post the reader pointed at or
    /// focused is then rendered at once and kept (see `crate::routes::post::ready`): its click
    /// only builds the page.
    ///
    /// A post that is only on screen is rendered by its click instead (from the JSON in
    /// memory, in the click's task: the renderer's code is compiled by then), except the
    /// first, which [`warm_up`] renders in idle time. Rendering all six posts a listing
    /// shows, as this did until 2026-11-28, ran the renderer's parsing code often enough for
    /// the browser to optimise it (V8's top tier): a few of its largest functions, 250 ms of
    /// compiling on background threads, on every core of a two-core machine, in the second
    /// after the listing was shown, when a reader's click on a post then waited for a core
    /// (README "Prefetching").
    fn prepare(url: String, reason: Reason) {
        leptos::task::spawn_local(async move {
            let chunk = async {
                let loaded = crate::chunks::post_chunk().await;
                if loaded.is_ok() {
                    rehearse().await;
                }
                loaded
            };
            let (renderer, chunk) = futures::future::join(crate::api::renderer(), chunk).await;
            let (Ok(renderer), Ok(())) = (renderer, chunk) else { return };
            if reason == Reason::Intent {
                // Rendering a real post compiles the renderer's code as well as a warm-up would.
                WARMED.set(true);
                prepare_post(url, renderer).await;
            } else {
                warm_up(url, renderer);
            }
        });
    }

    /// Once, when the renderer has arrived for a post on screen and no post has been rendered
    /// yet: that post is rendered in idle time and kept, as a hovered one is. The browser
    /// compiles a wasm function the first time it runs, so the renderer's code (a few hundred
    /// KB) is compiled before the first click that renders a post rather than during it. A
    /// real post also runs the renderer's hottest functions long enough for the browser to
    /// optimise the few that a click's post would otherwise push over V8's budget, on a
    /// background thread in the click's frames: with a short made-up post rendered here
    /// instead (until 2026-11-29), traces of a click on a post on screen showed 8–20 ms of
    /// `wasm.TopTierCompilation` in every one, and none after a hover. One post only (see
    /// [`prepare`]).
    fn warm_up(url: String, renderer: crate::api::Renderer) {
        if WARMED.replace(true) {
            return;
        }
        when_idle(move || leptos::task::spawn_local(prepare_post(url, renderer)));
    }

    /// Renders the post at `url` (its JSON fetched or on its way) and keeps it, with this
    /// page's base path and the blog's settings (`crate::chunks::prepare_post`).
    async fn prepare_post(url: String, renderer: crate::api::Renderer) {
        let (base, site) = (BASE.with_borrow(Clone::clone), SITE.with_borrow(Clone::clone));
        crate::chunks::prepare_post(url, site, base, renderer).await;
    }

    /// Once, as soon as the post chunk has arrived (most often before the renderer's larger
    /// module): a made-up post's page is built off the document. The browser compiles a wasm
    /// function the first time it runs, so a post page's code would otherwise be compiled
    /// during the reader's first click on a post. (In idle time, it came after a click made
    /// two frames after the post's files had arrived: `bench/run nav`, README "Prefetching".)
    async fn rehearse() {
        if !REHEARSED.replace(true) {
            crate::chunks::rehearse_post(BASE.with_borrow(Clone::clone)).await;
        }
    }

    /// False when the reader asked to save data or the connection is 2g or slower.
    fn connection_allows() -> bool {
        let connection = connection();
        let save_data = Reflect::get(&connection, &"saveData".into()).ok().and_then(|v| v.as_bool());
        save_data != Some(true) && !is_slow(&connection)
    }

    /// `navigator.connection` (undefined where the browser has none: reading a field of it is
    /// then an error, which the callers take as "not set").
    fn connection() -> JsValue {
        web_sys::window()
            .and_then(|w| Reflect::get(&w, &"navigator".into()).ok())
            .and_then(|n| Reflect::get(&n, &"connection".into()).ok())
            .unwrap_or(JsValue::UNDEFINED)
    }

    fn is_slow(connection: &JsValue) -> bool {
        let speed = Reflect::get(connection, &"effectiveType".into()).ok().and_then(|v| v.as_string());
        matches!(speed.as_deref(), Some("slow-2g" | "2g"))
    }

    pub fn slow_connection() -> bool {
        is_slow(&connection())
    }

    fn after(ms: i32, f: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else { return };
        let callback = Closure::once_into_js(f);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }

    /// Runs `f` when the browser has nothing else to do (within a second at the latest).
    pub fn when_idle(f: impl FnOnce() + 'static) {
        let callback = Closure::once_into_js(f);
        let options = Object::new();
        let _ = Reflect::set(&options, &"timeout".into(), &1000.into());
        if request_idle_callback(callback.unchecked_ref(), &options).is_err()
            && let Some(window) = web_sys::window()
        {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_url;

    #[test]
    fn app_routes_map_to_their_json() {
        let cases = [
            ("", "/", Some("/content/pages/home/1.json")),
            ("", "/page/3", Some("/content/pages/home/3.json")),
            ("", "/blog/hello-quire", Some("/content/posts/hello-quire.json")),
            ("", "/blog/hello-quire#setup", Some("/content/posts/hello-quire.json")),
            ("", "/blog/quire%2Bleptos", Some("/content/posts/quire~2Bleptos.json")),
            ("", "/blog/category/open-stack", Some("/content/pages/category/open-stack/1.json")),
            ("", "/blog/category/open-stack/page/2", Some("/content/pages/category/open-stack/2.json")),
            ("", "/blog/author/ada-quill/page/2", Some("/content/pages/author/ada-quill/2.json")),
            ("/quire", "/quire/blog/x", Some("/quire/content/posts/x.json")),
            ("/quire", "/quire/", Some("/quire/content/pages/home/1.json")),
        ];
        for (base, href, expected) in cases {
            assert_eq!(json_url(base, href).as_deref(), expected, "{base} {href}");
        }
    }

    #[test]
    fn other_links_are_left_alone() {
        for (base, href) in [
            ("", "/search?q=x"),
            ("", "/files/report.pdf"),
            ("", "/page/0"),
            ("", "/page/x"),
            ("", "/blog/"),
            ("", "/blog/a/b"),
            ("", "https://example.org/blog/x"),
            ("", "//cdn.example.org/blog/x"),
            ("", "blog/x"),
            ("", "#footnote"),
            ("/quire", "/blog/x"),
            ("/quire", "/quirex/blog/x"),
        ] {
            assert_eq!(json_url(base, href), None, "{base} {href}");
        }
    }
}
