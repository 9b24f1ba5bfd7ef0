//! Any path no route matches.

use crate::components::status::NotFound;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound what="Nothing lives at this address." /> }
}
