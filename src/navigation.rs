//! What the browser does around an in-app navigation, which the router alone does not:
//! a new page starts at the top, back/forward returns to where the reader was, a link to a
//! heading (`/blog/x#setup`) scrolls to it once the post has rendered and focuses it, focus
//! moves into the new page, and screen readers hear its title.
//!
//! Scroll positions are remembered per address (path and query) while the reader scrolls;
//! `history.scrollRestoration` is manual, because the browser would restore before the new
//! page's content exists. Routes call [`route_rendered`] once their content is on the page.

use leptos::prelude::*;

/// The live region the new page's title is written into after each in-app navigation.
pub const ANNOUNCER_ID: &str = "quire-announcer";

/// Screen readers announce what is written here (empty in the prerendered page).
#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    view! { <p id=ANNOUNCER_ID class="visually-hidden" aria-live="polite" aria-atomic="true"></p> }
}

/// Starts remembering scroll positions. `adopted`: the first route showed the prerendered
/// page, so every later [`route_rendered`] follows a navigation.
#[cfg(feature = "csr")]
pub fn install(adopted: bool) {
    browser::install(adopted);
}

/// Focuses `element` (made focusable by script if it is not) without scrolling to it.
#[cfg(feature = "csr")]
pub use browser::focus_in_place;

/// Called by a route (in an effect) once its content is on the page.
pub fn route_rendered() {
    #[cfg(feature = "csr")]
    browser::route_rendered();
}

#[cfg(feature = "csr")]
mod browser {
    use super::ANNOUNCER_ID;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    thread_local! {
        /// Last scroll position per address.
        static POSITIONS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
        /// After back/forward: the position to restore once the page has rendered.
        static RESTORE: Cell<Option<f64>> = const { Cell::new(None) };
        /// False until the first page the app rendered itself (not adopted) is shown.
        static NAVIGATED: Cell<bool> = const { Cell::new(false) };
    }

    fn address() -> Option<String> {
        let location = web_sys::window()?.location();
        Some(format!("{}{}", location.pathname().ok()?, location.search().unwrap_or_default()))
    }

    pub fn install(adopted: bool) {
        NAVIGATED.set(adopted);
        let Some(window) = web_sys::window() else { return };
        if let Ok(history) = window.history() {
            let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
        }
        let on_scroll = Closure::<dyn Fn()>::new(|| {
            // While a restore waits for its page, the shrinking old page must not overwrite it.
            if RESTORE.get().is_some() {
                return;
            }
            if let (Some(address), Some(y)) = (address(), web_sys::window().and_then(|w| w.scroll_y().ok())) {
                POSITIONS.with_borrow_mut(|p| p.insert(address, y));
            }
        });
        // Registered before the router's own listener, so this runs first.
        let on_popstate = Closure::<dyn Fn()>::new(|| {
            let saved = address().and_then(|a| POSITIONS.with_borrow(|p| p.get(&a).copied()));
            RESTORE.set(Some(saved.unwrap_or(0.0)));
        });
        let _ = window.add_event_listener_with_callback("scroll", on_scroll.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
        // They live as long as the page.
        on_scroll.forget();
        on_popstate.forget();
    }

    /// On the next frame, before it is painted: the route's content is mounted by then (a
    /// view inside `Suspense` runs its effects before it is attached), and its `<title>` set.
    pub fn route_rendered() {
        leptos::prelude::request_animation_frame(after_render);
    }

    /// Focuses `element` (made focusable by script if it is not) without scrolling to it.
    pub fn focus_in_place(element: web_sys::Element) {
        let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() else { return };
        if element.get_attribute("tabindex").is_none() {
            let _ = element.set_attribute("tabindex", "-1");
        }
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = element.focus_with_options(&options);
    }

    fn after_render() {
        let Some(window) = web_sys::window() else { return };
        let Some(document) = window.document() else { return };
        let first = !NAVIGATED.replace(true);
        let hash = window.location().hash().unwrap_or_default();
        let target = hash
            .strip_prefix('#')
            .filter(|h| !h.is_empty())
            .map(|h| quire_core::url::percent_decode(h).unwrap_or_else(|| h.to_string()))
            .and_then(|id| document.get_element_by_id(&id));
        if let Some(y) = RESTORE.take() {
            window.scroll_to_with_x_and_y(0.0, y);
        } else if let Some(target) = &target {
            target.scroll_into_view();
        }
        if first {
            return;
        }
        // Focus the heading a link pointed at, else the page's main content, without moving.
        if let Some(element) = target.or_else(|| document.get_element_by_id("main")) {
            focus_in_place(element);
        }
        if let Some(announcer) = document.get_element_by_id(ANNOUNCER_ID) {
            announcer.set_text_content(Some(&document.title()));
        }
    }
}
