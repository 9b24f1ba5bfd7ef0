//! The frame around every page. The header shows the blog's title and subtitle from the
//! settings the build embeds in every page, so it needs no fetch, and the theme toggle.

use crate::components::link::Link;
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = crate::api::site();
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <Link href=crate::api::href("/") class="site-title">
                    {site.title}
                </Link>
                <p class="site-subtitle">{site.subtitle}</p>
                <ThemeToggle />
                <SearchForm />
            </div>
            // The header's last element: index.html's <link rel="expect"> holds the first paint
            // until the parser has reached it.
            <span id=HEADER_END hidden></span>
        </header>
    }
}

/// The id of an empty element at the end of the site header (index.html names it).
pub const HEADER_END: &str = "site-header-end";

/// The search box's id (the route checks whether the reader is typing in it).
pub const SEARCH_INPUT_ID: &str = "quire-search";

/// The search box: a plain GET form to `/search?q=…`, which works without JavaScript (the
/// prerendered search page then says searching needs it). With the app running, results show
/// as the reader types (see `crate::search::SearchBox`), and the address follows. The markup
/// is the same prerendered and in the browser (an empty box); the box then shows the query of
/// a search page's address.
#[component]
fn SearchForm() -> impl IntoView {
    use crate::router::{NavigateOptions, use_location, use_navigate};
    use crate::search::SearchBox;
    let search = expect_context::<SearchBox>();
    let location = use_location();
    let navigate = use_navigate();
    // On the search page the address is replaced (no history entry per keystroke); from any
    // other page, the first keystroke is a navigation of its own.
    let go = move |href: &str| {
        let replace = search.is_search_path(&location.pathname.get_untracked());
        navigate(href, NavigateOptions { replace, scroll: !replace });
    };
    Effect::new(move |_| {
        // Leaving the search page empties the box.
        if !search.is_search_path(&location.pathname.get()) {
            search.reset();
        }
        // The box shows the query when something else set it (a search page's address).
        let query = search.query.get();
        if let Some(input) = search.input.get()
            && input.value() != query
        {
            input.set_value(&query);
        }
    });
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let elsewhere = !search.is_search_path(&location.pathname.get_untracked());
            if elsewhere && text.trim().is_empty() {
                // Nothing to search for yet: stay on the page.
                return;
            }
            search.typed(text, elsewhere, go.clone());
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search.input.get_untracked().map(|i| i.value()).unwrap_or_default();
        search.typed(text, true, go.clone());
    };
    view! {
        <form class="site-search" role="search" action=search.page() method="get" on:submit=on_submit>
            <label class="visually-hidden" for=SEARCH_INPUT_ID>
                "Search posts"
            </label>
            <input
                id=SEARCH_INPUT_ID
                class="site-search__input"
                type="search"
                name="q"
                placeholder="Search posts"
                autocomplete="off"
                node_ref=search.input
                on:input=on_input
            />
            <button type="submit" class="site-search__button">
                "Search"
            </button>
        </form>
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

/// The skip link moves the keyboard focus to `<main>`. Before the take-over (and without
/// JavaScript) the browser follows `#main` itself; afterwards the router would take the click
/// and only scroll, so the link focuses `<main>` (which needs a tabindex for that) and scrolls
/// it into view with the focus.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "csr")]
    {
        use wasm_bindgen::JsCast;
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(main) = main {
            ev.prevent_default();
            if !main.has_attribute("tabindex") {
                let _ = main.set_attribute("tabindex", "-1");
            }
            let _ = main.focus();
        }
    }
    #[cfg(not(feature = "csr"))]
    let _ = ev;
}

/// The reader's colour theme: the system's (`prefers-color-scheme`), or one chosen with the
/// toggle and kept in `localStorage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value of `<html data-theme>` and of the stored choice.
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

/// Three toggle buttons (System, Light, Dark), one of them pressed.
///
/// The theme script inline in `index.html`'s head applies the stored choice to `<html data-theme>` before the first
/// paint, and the CSS draws the pressed button from that attribute, so the page never shows
/// the wrong theme or the wrong button. The markup is the same in the prerendered page and in
/// the browser's first render ("System" pressed, as the build cannot know the choice): the
/// effect, which runs once the app is mounted, then sets `aria-pressed` from the attribute.
/// Only that attribute changes, never the layout. Without JavaScript the CSS hides the
/// toggle, which could not work, and follows the system.
#[component]
fn ThemeToggle() -> impl IntoView {
    let (theme, set_theme) = signal(Theme::System);
    Effect::new(move |_| set_theme.set(document_theme()));
    let choices = Theme::ALL.map(|choice| {
        view! {
            <button
                type="button"
                class="theme-toggle__choice"
                data-choice=choice.as_str()
                aria-pressed=move || if theme.get() == choice { "true" } else { "false" }
                on:click=move |_| {
                    apply_theme(choice);
                    set_theme.set(choice);
                }
            >
                {choice.label()}
            </button>
        }
    });
    view! {
        <div class="theme-toggle" role="group" aria-label="Theme">
            {choices}
        </div>
    }
}

/// The key the theme script in `index.html` reads.
#[cfg(feature = "csr")]
const THEME_KEY: &str = "quire-theme";

/// The theme `<html data-theme>` holds (set by the theme script in `index.html`).
fn document_theme() -> Theme {
    #[cfg(feature = "csr")]
    {
        let value = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|html| html.get_attribute("data-theme"));
        if let Some(theme) = Theme::ALL.into_iter().find(|t| Some(t.as_str()) == value.as_deref()) {
            return theme;
        }
    }
    Theme::System
}

/// Shows `theme` at once and remembers it ("System" forgets the choice). Without storage
/// (disabled by the reader) the choice lasts until the page is left.
fn apply_theme(theme: Theme) {
    #[cfg(feature = "csr")]
    {
        let Some(window) = web_sys::window() else { return };
        if let Some(html) = window.document().and_then(|d| d.document_element()) {
            let _ = html.set_attribute("data-theme", theme.as_str());
        }
        if let Ok(Some(storage)) = window.local_storage() {
            let _ = match theme {
                Theme::System => storage.remove_item(THEME_KEY),
                _ => storage.set_item(THEME_KEY, theme.as_str()),
            };
        }
    }
    #[cfg(not(feature = "csr"))]
    let _ = theme;
}
