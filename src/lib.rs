//! The quire app: App shell, router and route table. Everything that is not browser UI lives
//! in `quire-core`.

mod api;
mod components;
mod routes;

use components::layout::{SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use routes::{home::HomePage, not_found::NotFoundPage, post::PostPage};

/// Mounts the app. The site-wide head tags that index.html carries for readers without
/// JavaScript are removed first, so leptos_meta's per-route tags replace them instead of
/// duplicating them. (`<title>` stays: leptos_meta reuses it.)
pub fn start() {
    api::remove_static_head_tags();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let base = api::base_path();
    view! {
        <Router base=base>
            <SiteHeader />
            <main id="main" class="page">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/blog/:slug") view=PostPage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
