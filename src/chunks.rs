//! Chunks: the listing pages' code, the search page's, and the code that reads, renders and
//! shows a post the app fetched are split off the app's wasm into modules of their own, loaded
//! when a page needs them. A post's first view, which adopts its prerendered page, then
//! downloads none of them (README, "Wasm size levers": 182 → 126 KB brotli for the app).
//!
//! How: each split is a `#[wasm_split]` function (wasm_split_helpers, the crate behind Leptos'
//! `#[lazy]`). The wasm32 linker (`scripts/wasm-ld`, `.cargo/config.toml`) cuts the linked app
//! into the main module and one module per split (and modules for code several share), plus
//! the JavaScript that loads them (`__wasm_split.js`); the compiler's `finalize` optimises,
//! names and links those files into the site (crates/compiler/src/chunks.rs).
//!
//! When a chunk loads:
//! - the first page of a visit whose route is in one (a listing, search), before the app takes
//!   it over (`start` waits for it, so the take-over is still one task: no frame shows
//!   anything but the prerendered page);
//! - a pointer or focus on a link to such a route, or focus on the search box
//!   (`crate::prefetch`), so the click finds it; the post chunk with the first post
//!   prefetched;
//! - at the latest on the navigation itself, which then shows "Loading…" until it arrives.
//!
//! A chunk that cannot be loaded (offline, a deploy replaced it) shows the page's error view,
//! whose "Try again" loads it again. Natively (the prerender) there is nothing to split: the
//! views are called directly.

use crate::routes::listing::ListingKind;
use crate::routes::table::Route;
use leptos::prelude::*;

/// The view of a split route (`Route::Home`… and `Route::Search`).
pub fn view(route: Route) -> AnyView {
    #[cfg(feature = "csr")]
    return browser::view(route);
    #[cfg(not(feature = "csr"))]
    direct(route)
}

/// The route's view, called directly.
#[cfg(not(feature = "csr"))]
fn direct(route: Route) -> AnyView {
    match listing_kind(route) {
        Some(kind) => listing(kind),
        None => search(),
    }
}

fn listing(kind: ListingKind) -> AnyView {
    use crate::routes::listing::ListingRoute;
    view! { <ListingRoute kind /> }.into_any()
}

fn search() -> AnyView {
    use crate::routes::search::SearchRoute;
    view! { <SearchRoute /> }.into_any()
}

/// Which listing a route shows (`None`: the search page).
fn listing_kind(route: Route) -> Option<ListingKind> {
    match route {
        Route::Home | Route::HomePage => Some(ListingKind::Home),
        Route::Category | Route::CategoryPage => Some(ListingKind::Category),
        Route::Author | Route::AuthorPage => Some(ListingKind::Author),
        _ => None,
    }
}

/// A post the app renders itself: all of the post route but the take-over of its prerendered
/// page, which is what a post's first view needs.
pub fn post_in_app() -> AnyView {
    #[cfg(feature = "csr")]
    return browser::post_in_app();
    #[cfg(not(feature = "csr"))]
    crate::routes::post::in_app()
}

/// Loads the post chunk; `Err` when it could not be loaded.
#[cfg(feature = "csr")]
pub async fn post_chunk() -> Result<(), leptos::wasm_split::SplitLoaderError> {
    browser::post_chunk().await
}

#[cfg(feature = "csr")]
pub use browser::{prepare_post, rehearse_post, saved_posts};

/// Whether a route's view is in a chunk.
#[cfg(feature = "csr")]
pub fn is_split(route: Route) -> bool {
    route == Route::Search || listing_kind(route).is_some()
}

/// Starts loading the chunk a route needs, if it is split; resolves once it is loaded (or
/// could not be: the route's view then says so).
#[cfg(feature = "csr")]
pub async fn preload(route: Route) {
    if !is_split(route) {
        return;
    }
    let _ = match listing_kind(route) {
        Some(_) => browser::listing_chunk().await,
        None => browser::search_chunk().await,
    };
}

/// Starts loading the chunk a link's route needs (a pointer or focus on it), in the
/// background. `href` as written in the link, under `base`.
#[cfg(feature = "csr")]
pub fn preload_link(base: &str, href: &str) {
    if let Some((route, _)) = crate::routes::table::match_href(base, href)
        && is_split(route)
    {
        leptos::task::spawn_local(preload(route));
    }
}

#[cfg(feature = "csr")]
mod browser {
    use super::{listing, listing_kind, search};
    use crate::api::{FetchError, Renderer};
    use crate::components::status::{ErrorView, LISTING_NOT_SAVED, Loading, OfflinePage};
    use crate::initial::RouteKind;
    use crate::routes::listing::ListingKind;
    use crate::routes::not_found::NotFoundPage;
    use crate::routes::table::Route;
    use futures::future::LocalBoxFuture;
    use leptos::prelude::*;
    use leptos::wasm_split::{SplitLoaderError, wasm_split};
    use quire_core::model::{PostLink, Site};

    /// The listing pages' views, in their chunk.
    #[wasm_split(listing, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn listing_view(kind: ListingKind) -> Result<AnyView, SplitLoaderError> {
        Ok(listing(kind))
    }

    /// The search page's view and search itself, in their chunk.
    #[wasm_split(search, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn search_view() -> Result<AnyView, SplitLoaderError> {
        Ok(search())
    }

    /// A post the app renders itself (`routes::post::in_app`), in the post chunk.
    #[wasm_split(post, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn post_view() -> Result<AnyView, SplitLoaderError> {
        Ok(crate::routes::post::in_app())
    }

    /// Reads and prepares a prefetched post (`routes::post::ready::prefetched`), in the post
    /// chunk. Split functions cannot be `async`: this one returns the work's future.
    #[wasm_split(post, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn prepare(
        url: String,
        site: Site,
        base: String,
        renderer: Renderer,
    ) -> Result<LocalBoxFuture<'static, ()>, SplitLoaderError> {
        Ok(Box::pin(crate::routes::post::ready::prefetched(url, site, base, renderer)))
    }

    /// Builds a made-up post's page off the document once (`routes::post::rehearse`), in the
    /// post chunk.
    #[wasm_split(post, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn rehearse(base: String) -> Result<(), SplitLoaderError> {
        if let Some(post) = crate::routes::post::sample_post(&base) {
            crate::routes::post::rehearse(post);
        }
        Ok(())
    }

    /// Fetches and reads the posts saved for reading offline (`api::fetch_saved_posts`), in
    /// a chunk of its own: only the offline view asks for them.
    #[wasm_split(offline, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn saved(base: String) -> Result<LocalBoxFuture<'static, Option<Vec<PostLink>>>, SplitLoaderError> {
        Ok(Box::pin(async move { crate::api::fetch_saved_posts(base).await.ok() }))
    }

    /// The posts saved for reading offline; `None` when they or their chunk could not be
    /// loaded.
    pub async fn saved_posts(base: String) -> Option<Vec<PostLink>> {
        saved(base).await.ok()?.await
    }

    pub async fn listing_chunk() -> Result<(), SplitLoaderError> {
        __wasm_split_preload_listing_view().await?;
        LOADED.with(|l| l.listing.set(true));
        Ok(())
    }

    pub async fn search_chunk() -> Result<(), SplitLoaderError> {
        __wasm_split_preload_search_view().await?;
        LOADED.with(|l| l.search.set(true));
        Ok(())
    }

    /// Each split function has its own record of its chunk being loaded: all three are
    /// asked, so that none of them waits a turn of the event loop the first time it is
    /// called (a prepared post renders in the click's task).
    pub async fn post_chunk() -> Result<(), SplitLoaderError> {
        __wasm_split_preload_post_view().await?;
        __wasm_split_preload_prepare().await?;
        __wasm_split_preload_rehearse().await?;
        LOADED.with(|l| l.post.set(true));
        Ok(())
    }

    /// Which chunks are loaded (through the functions above): their split functions then
    /// return at their first poll.
    #[derive(Default)]
    struct Loaded {
        listing: std::cell::Cell<bool>,
        search: std::cell::Cell<bool>,
        post: std::cell::Cell<bool>,
    }

    thread_local! {
        static LOADED: Loaded = Loaded::default();
    }

    fn loaded(what: Lazy) -> bool {
        LOADED.with(|l| match what {
            Lazy::Listing(_) => l.listing.get(),
            Lazy::Search => l.search.get(),
            Lazy::Post => l.post.get(),
        })
    }

    pub async fn prepare_post(url: String, site: Site, base: String, renderer: Renderer) {
        if let Ok(work) = prepare(url, site, base, renderer).await {
            work.await;
        }
    }

    pub async fn rehearse_post(base: String) {
        let _ = rehearse(base).await;
    }

    /// What a chunk shows.
    #[derive(Clone, Copy)]
    enum Lazy {
        Listing(ListingKind),
        Search,
        Post,
    }

    /// A split route's view (see [`lazy`]).
    pub fn view(route: Route) -> AnyView {
        // The not-found and offline pages answer any address, and need no chunk: shown as
        // `ListingRoute` and `NotFoundPage` would show them (search renders itself offline).
        match crate::initial::held() {
            Some(RouteKind::NotFound) => return view! { <NotFoundPage /> }.into_any(),
            Some(RouteKind::Offline) if listing_kind(route).is_some() => {
                let _ = crate::initial::take(RouteKind::Listing);
                return view! { <OfflinePage what=LISTING_NOT_SAVED /> }.into_any();
            }
            _ => {}
        }
        match listing_kind(route) {
            Some(kind) => lazy(Lazy::Listing(kind), "Loading posts…"),
            None => lazy(Lazy::Search, "Loading search…"),
        }
    }

    pub fn post_in_app() -> AnyView {
        if !loaded(Lazy::Post) {
            // A post not prefetched (Save-Data on, a click faster than the prefetch): its JSON
            // and the renderer are asked for beside the chunk (which `lazy` loads), not once
            // it has arrived. The chunk's view then finds them on their way (the answers' cache
            // joins requests). On a 2g connection without the renderer, the post opens as its
            // prerendered page instead (`routes::post::in_app`): nothing is asked for then.
            if crate::api::renderer_now().is_some() || !crate::prefetch::slow_connection() {
                let slug = crate::routes::table::use_params()().slug.unwrap_or_default();
                crate::api::prefetch(&crate::api::post_url(&crate::api::base_path(), &slug));
                leptos::task::spawn_local(async {
                    let _ = crate::api::renderer().await;
                });
            }
        }
        lazy(Lazy::Post, "Loading post…")
    }

    /// The view once its chunk is loaded: at once when it already is (the view is then built
    /// in the same task, as an unsplit one would be), else `label` until then.
    ///
    /// Without `Suspense`: a split function whose chunk is loaded returns at its first poll,
    /// so the view is built in the reactive closure itself; otherwise the chunk is loaded in
    /// the background and the closure runs again once it is (Leptos' `Suspense` and its
    /// async machinery then stay in the chunks that use them, off a post's first view).
    fn lazy(what: Lazy, label: &'static str) -> AnyView {
        use futures::FutureExt;
        // Bumped when a load ends (the closure runs again) and by "Try again".
        let attempt = RwSignal::new(0u32);
        // The last load failed: the error view, until "Try again".
        let failed = RwSignal::new(false);
        let error = move || {
            let retry = Callback::new(move |()| {
                failed.set(false);
                attempt.update(|n| *n += 1);
            });
            let error = FetchError::Network("the page's code could not be loaded".into());
            view! { <ErrorView error retry /> }.into_any()
        };
        (move || {
            attempt.track();
            if failed.get_untracked() {
                return error();
            }
            if loaded(what) {
                let built = match what {
                    Lazy::Listing(kind) => listing_view(kind).now_or_never(),
                    Lazy::Search => search_view().now_or_never(),
                    Lazy::Post => post_view().now_or_never(),
                };
                // Once loaded, a split function returns at its first poll.
                return match built {
                    Some(Ok(view)) => view,
                    _ => error(),
                };
            }
            // Not loaded yet (or a failed load, tried again): loaded in the background, and
            // the closure runs again once it has arrived.
            leptos::task::spawn_local(async move {
                let result = match what {
                    Lazy::Listing(_) => listing_chunk().await,
                    Lazy::Search => search_chunk().await,
                    Lazy::Post => post_chunk().await,
                };
                // The view may be gone by then (the reader went elsewhere).
                if result.is_err() {
                    let _ = failed.try_set(true);
                }
                let _ = attempt.try_update(|n| *n += 1);
            });
            view! { <Loading label=label /> }.into_any()
        })
        .into_any()
    }
}
