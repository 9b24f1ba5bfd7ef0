//! The quire app: App shell, router and route table. Everything that is not browser UI lives
//! in `quire-core`. Built twice from the same components: for the browser (`csr`, by Trunk)
//! and natively (`ssr`) for the compiler, which prerenders every page with [`prerender`].

pub mod api;
mod chunks;
mod components;
pub mod initial;
mod navigation;
#[cfg(feature = "csr")]
pub mod panic;
#[cfg(any(feature = "csr", test))]
mod prefetch;
#[cfg(feature = "ssr")]
pub mod prerender;
mod router;
mod routes;
mod search;

use components::layout::{SiteFooter, SiteHeader};
use initial::{Initial, InitialSlot};
use leptos::prelude::*;
use quire_core::model::Site;
use router::{Router, use_location};
use routes::table::{Route, RouteView};
use routes::{not_found::NotFoundPage, post::PostPage};

/// Takes over the prerendered page: reads the settings and the route root it holds, removes
/// the prerendered copy and mounts the app in the same task, so no frame shows anything else.
/// A page whose route is in a chunk (a listing, search) first loads that chunk; until then the
/// prerendered page stays as it is, its links plain links.
#[cfg(feature = "csr")]
pub fn start() {
    // First: a panic anywhere after this shows a readable screen instead of a dead page.
    panic::install();
    let route = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        // `/page/2/index.html` is `/page/2/` (the take-over drops the file name).
        .map(|path| {
            let path = path.strip_suffix("index.html").unwrap_or(&path);
            routes::table::match_path(&api::document_base(), path).0
        });
    match route {
        // Leptos' executor starts with the mount: before it, wasm-bindgen's.
        Some(route) if chunks::is_split(route) => wasm_bindgen_futures::spawn_local(async move {
            chunks::preload(route).await;
            take_over();
        }),
        _ => take_over(),
    }
}

#[cfg(feature = "csr")]
fn take_over() {
    let boot = api::take_over_document();
    navigation::install(boot.initial.is_some());
    let (base, site) = (boot.base.clone(), boot.site.clone());
    leptos::mount::mount_to_body(move || {
        view! { <App site=boot.site base=boot.base initial=boot.initial /> }
    });
    prefetch::install(base, site);
}

/// What every component may read: the blog's settings and the path it is served under.
#[derive(Clone, Debug, Default)]
pub struct SiteContext {
    pub site: Site,
    /// `""` at a domain's root, `/quire` under a sub-path.
    pub base: String,
}

#[component]
pub fn App(site: Site, base: String, initial: Option<Initial>) -> impl IntoView {
    provide_context(SiteContext { site, base: base.clone() });
    provide_context(InitialSlot::new(initial));
    provide_context(search::SearchBox::new(&base));
    view! {
        <Router base=base>
            <NavigationWatch />
            <SiteHeader />
            <main id="main" class="page" tabindex="-1">
                <RouteView view=route_view />
            </main>
            <SiteFooter />
            <navigation::RouteAnnouncer />
        </Router>
    }
}

/// The view of each route (the table of addresses is `routes::table`).
fn route_view(route: Route) -> AnyView {
    match route {
        // Listings and search: in chunks of their own (`chunks`).
        Route::Home
        | Route::HomePage
        | Route::Category
        | Route::CategoryPage
        | Route::Author
        | Route::AuthorPage
        | Route::Search => chunks::view(route),
        Route::Post => view! { <PostPage /> }.into_any(),
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

/// After the first navigation, the prerendered page's head tags and initial data no longer
/// apply: the route now showing has rendered its own.
#[component]
fn NavigationWatch() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            initial::discard();
            api::remove_static_head_tags();
        }
        path
    });
}
