//! Native rendering of the app's own components to HTML, one page per route (feature
//! `ssr`). The compiler calls [`render_page`] for every route after Trunk has built the
//! browser app; the browser then takes each page over (see [`crate::initial`]).

use crate::App;
use crate::initial::Initial;
use futures::StreamExt;
use leptos::prelude::*;
use leptos_meta::ServerMetaContext;
use leptos_router::location::RequestUrl;
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
    // leptos_meta waits a tick of the async executor before it collects the head tags.
    EXECUTOR.call_once(|| {
        let _ = any_executor_init();
    });
    let owner = Owner::new_root(None);
    let page = owner.with(|| {
        provide_context(RequestUrl::new(&format!("{base}{path}")));
        let (meta, output) = ServerMetaContext::new();
        provide_context(meta);
        let site = site.clone();
        let base = base.to_string();
        let body = view! { <App site base initial=Some(initial) /> }.to_html();
        let head = futures::executor::block_on(async move {
            let shell = futures::stream::iter(["<head></head>".to_string()]);
            output.inject_meta_context(shell).await.collect::<String>().await
        });
        let head = head.strip_prefix("<head>").unwrap_or(&head);
        let head = head.strip_suffix("</head>").unwrap_or(head).to_string();
        Page { head, body: without_markers(&body) }
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
