//! What a route shows on its first render without fetching anything.
//!
//! Every page of the built site is prerendered by the compiler (see [`crate::prerender`]),
//! which renders the app's own components natively with its data ([`Initial::Post`], …).
//! In the browser the app then takes that page over instead of hydrating it: `start` finds
//! the prerendered route root (`<div class="route" data-route="…">`), and the route that
//! matches the URL renders the same element with the same inner HTML ([`Initial::Adopt`]),
//! in the same task that removes the prerendered copy. The reader sees no change, nothing is
//! fetched, and no hydration code or markup-matching rules are needed. Every later
//! navigation renders normally (fetch the JSON, render the Markdown in the browser).

use leptos::prelude::*;
use quire_core::model::{ListingPage, PostFile};
use std::sync::{Arc, Mutex};

/// The kinds of prerendered page, as written in the route root's `data-route`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// A page of the home, a category's or an author's listing.
    Listing,
    Post,
    NotFound,
    /// The search page, prerendered without a query.
    Search,
    /// `offline.html`: what the service worker answers, with the network gone, for a page it
    /// has not saved (see `crates/compiler/src/offline.rs`). Like the not-found page, every
    /// route but search takes it, whatever the URL.
    Offline,
}

impl RouteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteKind::Listing => "listing",
            RouteKind::Post => "post",
            RouteKind::NotFound => "not-found",
            RouteKind::Search => "search",
            RouteKind::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RouteKind::Listing, RouteKind::Post, RouteKind::NotFound, RouteKind::Search, RouteKind::Offline]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug)]
pub enum Initial {
    /// Browser: the prerendered route root's inner HTML, shown as it is.
    Adopt { kind: RouteKind, html: String },
    /// Prerender: one page of a listing.
    Listing(Box<ListingPage>),
    /// Prerender: the post's data.
    Post(Box<PostFile>),
    /// Prerender: `404.html`.
    NotFound,
    /// Prerender: `search/index.html`, the search page without a query.
    Search,
    /// Prerender: `offline.html`.
    Offline,
}

impl Initial {
    fn kind(&self) -> RouteKind {
        match self {
            Initial::Adopt { kind, .. } => *kind,
            Initial::Listing(_) => RouteKind::Listing,
            Initial::Post(_) => RouteKind::Post,
            Initial::NotFound => RouteKind::NotFound,
            Initial::Search => RouteKind::Search,
            Initial::Offline => RouteKind::Offline,
        }
    }
}

/// Holds the initial data until the first route that can use it takes it.
#[derive(Clone, Default)]
pub struct InitialSlot(Arc<Mutex<Option<Initial>>>);

impl InitialSlot {
    pub fn new(initial: Option<Initial>) -> Self {
        InitialSlot(Arc::new(Mutex::new(initial)))
    }
}

/// The initial data for a route of `kind`, once: a page prerendered as `404.html` answers
/// any URL the host did not know, so every route takes a not-found page; `offline.html`
/// answers any URL the service worker has not saved, so every route takes it too, except
/// search, which drops it and renders itself (its page needs no data).
pub fn take(kind: RouteKind) -> Option<Initial> {
    let slot = use_context::<InitialSlot>()?;
    let mut guard = slot.0.lock().ok()?;
    let held = guard.as_ref()?.kind();
    if held == kind || held == RouteKind::NotFound {
        return guard.take();
    }
    if held == RouteKind::Offline {
        let offline = guard.take();
        return if kind == RouteKind::Search { None } else { offline };
    }
    None
}

/// The kind of initial data waiting in the slot, without taking it.
pub fn held() -> Option<RouteKind> {
    let slot = use_context::<InitialSlot>()?;
    let guard = slot.0.lock().ok()?;
    guard.as_ref().map(Initial::kind)
}

/// Empties the slot: after the first navigation nothing prerendered applies any more.
pub fn discard() {
    if let Some(slot) = use_context::<InitialSlot>()
        && let Ok(mut guard) = slot.0.lock()
    {
        guard.take();
    }
}

/// The route root every prerenderable view renders, so the browser can adopt it.
#[component]
pub fn RouteRoot(kind: RouteKind, children: Children) -> impl IntoView {
    view! { <div class="route" data-route=kind.as_str()>{children()}</div> }
}

/// A prerendered route root, adopted as it is. The offline page is rendered again instead
/// (the same markup): it then lists the posts saved for reading offline and tries again when
/// the connection returns.
pub fn adopted(kind: RouteKind, html: String) -> AnyView {
    if kind == RouteKind::Offline {
        return view! { <crate::components::status::OfflinePage /> }.into_any();
    }
    view! { <div class="route" data-route=kind.as_str() inner_html=html></div> }.into_any()
}
