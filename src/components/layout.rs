//! The frame around every page. The header shows the blog's title once any page has loaded
//! the site settings (the index or a post file carries them).

use leptos::prelude::*;
use leptos_router::components::A;
use quire_core::model::Site;

#[derive(Clone, Copy)]
pub struct CurrentSite(pub RwSignal<Option<Site>>);

/// The site settings shared by header and pages, provided by `App`.
pub fn current_site() -> CurrentSite {
    use_context::<CurrentSite>().unwrap_or_else(|| CurrentSite(RwSignal::new(None)))
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = current_site().0;
    let title = move || site.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default());
    let subtitle = move || site.with(|s| s.as_ref().map(|s| s.subtitle.clone()).unwrap_or_default());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href=crate::api::href("/") attr:class="site-title">
                    {title}
                </A>
                <p class="site-subtitle">{subtitle}</p>
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
