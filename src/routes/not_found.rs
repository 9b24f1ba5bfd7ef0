//! Any path no route matches (and `404.html`).

use crate::components::status::NotFound;
use crate::initial::{self, Initial, RouteKind, adopted};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    if let Some(Initial::Adopt { kind, html }) = initial::take(RouteKind::NotFound) {
        return adopted(kind, html);
    }
    view! { <NotFound what="Nothing lives at this address." /> }.into_any()
}
