//! Loading, error and not-found views shared by the routes.

use crate::api::FetchError;
use crate::initial::{RouteKind, RouteRoot};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="status status--loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </div>
    }
}

/// A failed fetch, with a button that runs `retry`.
#[component]
pub fn ErrorView(error: FetchError, retry: Callback<()>) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    view! {
        <Title text=quire_core::seo::page_title(&crate::api::site(), "Something went wrong") />
        <section class="status status--error" role="alert">
            <h1>"This page could not be loaded"</h1>
            <p class="status__detail">{format!("Reason: {error}.")}</p>
            <p>"Check your connection and try again."</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>
                "Try again"
            </button>
        </section>
    }
}

#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    view! {
        <Title text=quire_core::seo::page_title(&crate::api::site(), "Page not found") />
        <Meta name="robots" content="noindex" />
        <RouteRoot kind=RouteKind::NotFound>
            <section class="status status--not-found">
                <p class="status__code">"404"</p>
                <h1>"Page not found"</h1>
                <p>{what}</p>
                <p>
                    <A href=crate::api::href("/")>"Back to all posts"</A>
                </p>
            </section>
        </RouteRoot>
    }
}
