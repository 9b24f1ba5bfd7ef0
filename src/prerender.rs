//! Native rendering of the app's own components to HTML, one page per route (feature
//! `ssr`). The compiler calls [`render_page`] for every route after Trunk has built the
//! browser app; the browser then takes each page over (see [`crate::initial`]).

use crate::App;
use crate::components::head::HeadHtml;
use crate::initial::Initial;
use crate::router::RequestUrl;
use leptos::prelude::*;
use quire_core::model::Site;
use std::sync::Once;

/// A rendered route: what goes into `<head>` (title, meta, canonical, JSON-LD) and the
/// content of `<body>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub head: String,
    pub body: String,
}

/// Renders the app at `path` (a route path such as `/blog/x`, without the base path) with
/// its data, as the browser would show it.
pub fn render_page(site: &Site, base: &str, path: &str, initial: Initial) -> Page {
    static EXECUTOR: Once = Once::new();
    // Leptos spawns its tasks on this executor when rendering natively.
    EXECUTOR.call_once(|| {
        let _ = any_executor_init();
    });
    let owner = Owner::new_root(None);
    let page = owner.with(|| {
        provide_context(RequestUrl(format!("{base}{path}")));
        // The route's head tags land here as it renders (see `components::head`).
        let head = StoredValue::new(String::new());
        provide_context(HeadHtml(head));
        let site = site.clone();
        let base = base.to_string();
        let body = view! { <App site base initial=Some(initial) /> }.to_html();
        Page { head: head.get_value(), body: without_markers(&body) }
    });
    owner.unset();
    page
}

fn any_executor_init() -> Result<(), any_spawner::ExecutorError> {
    any_spawner::Executor::init_futures_executor()
}

/// Leptos marks text boundaries and empty views with comments (`<!>`, `<!--<() />-->`) for
/// hydration, which quire does not use: the browser adopts the page instead. Post bodies
/// never hold comments (the sanitiser drops them, and `<` in text is escaped), so these are
/// all Leptos' own.
fn without_markers(html: &str) -> String {
    html.replace("<!--<() />-->", "").replace("<!>", "")
}
