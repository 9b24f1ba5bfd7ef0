//! The frame around every page. The header shows the blog's title and subtitle from the
//! settings the build embeds in every page, so it needs no fetch.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = crate::api::site();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href=crate::api::href("/") attr:class="site-title">
                    {site.title}
                </A>
                <p class="site-subtitle">{site.subtitle}</p>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Published with quire."</p>
        </footer>
    }
}
