//! Any path no route matches (and `404.html`).

use crate::components::status::{NotFound, OfflinePage};
use crate::initial::{self, Initial, RouteKind, adopted};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    match initial::take(RouteKind::NotFound) {
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        // The prerender of `offline.html`, whose path matches no route.
        Some(Initial::Offline) => return view! { <OfflinePage /> }.into_any(),
        _ => {}
    }
    view! { <NotFound what="Nothing lives at this address." /> }.into_any()
}
