//! Loading, error, not-found and offline views shared by the routes.

use crate::api::FetchError;
use crate::components::head::{Meta, PageTitle};
use crate::components::link::Link;
use crate::initial::{RouteKind, RouteRoot};
use leptos::prelude::*;

#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="status status--loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </div>
    }
}

/// A failed fetch, with a button that runs `retry` (run by itself too when the connection
/// returns after a network error).
#[component]
pub fn ErrorView(error: FetchError, retry: Callback<()>) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    if matches!(error, FetchError::Network(_)) {
        retry_when_online(move || retry.run(()));
    }
    // Data of another version than the app: the same request would fail again, a full load
    // of the page (`rel="external"`: not the router) brings the app that matches it.
    let action = if error.needs_reload() {
        let location = crate::router::use_location();
        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
        view! {
            <a class="button" href=here rel="external">
                "Reload the page"
            </a>
        }
        .into_any()
    } else {
        view! {
            <p>"Check your connection and try again."</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>
                "Try again"
            </button>
        }
        .into_any()
    };
    view! {
        <PageTitle text=quire_core::seo::page_title(&crate::api::site(), "Something went wrong") />
        <section class="status status--error" role="alert">
            <h1>"This page could not be loaded"</h1>
            <p class="status__detail">{format!("Reason: {error}.")}</p>
            {action}
        </section>
    }
}

#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    view! {
        <PageTitle text=quire_core::seo::page_title(&crate::api::site(), "Page not found") />
        <Meta name="robots" content="noindex" />
        <RouteRoot kind=RouteKind::NotFound>
            <section class="status status--not-found">
                <p class="status__code">"404"</p>
                <h1>"Page not found"</h1>
                <p>{what}</p>
                <p>
                    <Link href=crate::api::href("/")>"Back to all posts"</Link>
                </p>
            </section>
        </RouteRoot>
    }
}

/// True when the browser knows it has no network (`navigator.onLine` is false): a failed
/// fetch then shows the offline view rather than an error.
pub fn browser_offline() -> bool {
    #[cfg(feature = "csr")]
    {
        web_sys::window().is_some_and(|w| !w.navigator().on_line())
    }
    #[cfg(not(feature = "csr"))]
    false
}

/// A fetch that failed because the reader is offline: shown instead of [`ErrorView`].
pub fn is_offline(error: &FetchError) -> bool {
    matches!(error, FetchError::Network(_)) && browser_offline()
}

/// What the offline view says for a post that was not saved.
pub const POST_NOT_SAVED: &str = "This post has not been saved for reading offline.";
/// What it says for a page of a listing that was not saved.
pub const LISTING_NOT_SAVED: &str = "This page of posts has not been saved for reading offline.";

/// `offline.html`, prerendered by the compiler: what the service worker answers for a page it
/// has not saved while the network is gone. In the browser the route that matches the address
/// renders it again in place of the prerendered copy (see [`crate::initial::adopted`]), the
/// post and listing routes with their own sentence.
#[component]
pub fn OfflinePage(#[prop(optional, into)] what: Option<String>) -> impl IntoView {
    // The prerendered page carries the tag; the browser keeps it until the next navigation.
    let noindex = cfg!(feature = "ssr").then(|| view! { <Meta name="robots" content="noindex" /> });
    let what = what.unwrap_or_else(|| "This page has not been saved for reading offline.".to_string());
    view! {
        {noindex}
        <Offline what />
    }
}

/// The reader is offline and what they asked for was not saved for reading offline: says so,
/// lists what was saved, and tries again when the connection returns (or when the reader
/// asks). `retry` fetches again; without it (the offline page) the page is loaded again.
/// `navigated`: shown by an in-app navigation, so focus and announcements follow it.
#[component]
pub fn Offline(
    #[prop(into)] what: String,
    #[prop(optional)] retry: Option<Callback<()>>,
    #[prop(optional)] navigated: bool,
) -> impl IntoView {
    if navigated {
        Effect::new(|_| crate::navigation::route_rendered());
    }
    let again = move || match retry {
        Some(retry) => retry.run(()),
        None => reload(),
    };
    retry_when_online(again);
    view! {
        <PageTitle text=quire_core::seo::page_title(&crate::api::site(), "You are offline") />
        <RouteRoot kind=RouteKind::Offline>
            <section class="status status--offline">
                <h1>"You are offline"</h1>
                <p>{what}</p>
                <SavedPosts />
                <p class="status__actions">
                    <Link href=crate::api::href("/")>"Back to all posts"</Link>
                    <button type="button" class="button" on:click=move |_| again()>
                        "Try again"
                    </button>
                </p>
            </section>
        </RouteRoot>
    }
}

/// Runs `again` when the browser says it is online again (the `online` event), while the
/// calling view is shown.
fn retry_when_online(again: impl Fn() + 'static) {
    #[cfg(feature = "csr")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| again());
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "csr"))]
    let _ = again;
}

fn reload() {
    #[cfg(feature = "csr")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The posts the service worker saved for reading offline, newest first; nothing while the
/// list is loading, when it is empty or when there is no service worker.
#[component]
fn SavedPosts() -> impl IntoView {
    #[cfg(feature = "csr")]
    return {
        let saved = RwSignal::new(None::<Vec<quire_core::model::PostLink>>);
        // Read here: the task runs outside the component, where its context is not at hand.
        let base = crate::api::base_path();
        leptos::task::spawn_local(async move {
            if let Some(posts) = crate::chunks::saved_posts(base).await {
                // The view may be gone by then.
                let _ = saved.try_set(Some(posts));
            }
        });
        move || {
            let posts = saved.get().filter(|posts| !posts.is_empty())?;
            Some(view! { <SavedList posts /> })
        }
    };
    // The prerendered offline page cannot know what a reader saved.
    #[cfg(not(feature = "csr"))]
    ()
}

#[cfg(feature = "csr")]
#[component]
fn SavedList(posts: Vec<quire_core::model::PostLink>) -> impl IntoView {
    use crate::components::link::PostLinkItem;
    view! {
        <section class="offline-saved" aria-labelledby="quire-offline-saved">
            <h2 class="offline-saved__title" id="quire-offline-saved">
                "Saved for reading offline"
            </h2>
            <ul class="offline-saved__list">
                {posts.into_iter().map(|link| view! { <PostLinkItem link /> }).collect_view()}
            </ul>
        </section>
    }
}
