//! The address and the history: which URL the app shows, following link clicks without a
//! reload, back and forward, and the app's own navigations (the search box).
//!
//! By hand instead of leptos_router's `<Router>`, which carried a router's generality the app
//! does not use (nested routes, redirects, server actions, query mutations, form handling):
//! about 5 KB brotli of wasm that every reader's first view downloaded (README, "Wasm size
//! levers"). The behaviour is `<Router>`'s, which the browser tests pin down:
//!
//! - a click on a link to this site under the base path (no modifier key, no `target`,
//!   `download` or `rel="external"`) changes the address signal at once; the route table
//!   renders the new route and then calls [`ready_to_complete`], which adds the history entry
//!   and scrolls (to the top, or to the link's `#id`). A link to the address shown, or one
//!   changing only the query or the `#id`, completes at once;
//! - back and forward (`popstate`) only change the address signal (`crate::navigation`
//!   restores the scroll position);
//! - [`use_navigate`] changes the address and the history at once.
//!
//! Natively (the prerender) the address is the page's ([`RequestUrl`]) and never changes.

use leptos::prelude::*;

/// The address the prerender renders (a path with its query), provided by
/// `crate::prerender` around the app.
#[cfg(not(feature = "csr"))]
#[derive(Clone, Debug)]
pub struct RequestUrl(pub String);

/// An address of this site: its path as the browser writes it (percent-encoded), its query
/// without `?`, and its `#id` with the `#`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Url {
    path: String,
    search: String,
    hash: String,
}

impl Url {
    /// `/a/b?c#d` (an address on this site, as `href` attributes and `RequestUrl` write it).
    fn parse_local(address: &str) -> Self {
        let (rest, hash) = match address.find('#') {
            Some(at) => address.split_at(at),
            None => (address, ""),
        };
        let (path, search) = rest.split_once('?').unwrap_or((rest, ""));
        Url { path: path.to_string(), search: search.to_string(), hash: hash.to_string() }
    }

    /// An address as the browser's `Location` and `URL` give it (the query with its `?`).
    #[cfg(feature = "csr")]
    fn from_parts(path: String, search: &str, hash: String) -> Self {
        Url { path, search: search.trim_start_matches('?').to_string(), hash }
    }

    /// What goes into the address bar.
    #[cfg_attr(not(feature = "csr"), allow(dead_code, reason = "the prerender never navigates"))]
    fn full_path(&self) -> String {
        let query = if self.search.is_empty() { "" } else { "?" };
        format!("{}{query}{}{}", self.path, self.search, self.hash)
    }
}

/// The address being shown, as reactive reads.
#[derive(Clone, Copy, Debug)]
pub struct Location {
    /// The path (percent-encoded, as the browser has it).
    pub pathname: Memo<String>,
    /// The query, without `?`.
    pub search: Memo<String>,
}

/// How [`use_navigate`] goes to an address.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "csr"), allow(dead_code, reason = "the prerender never navigates"))]
pub struct NavigateOptions {
    /// Replaces the history entry shown instead of adding one.
    pub replace: bool,
    /// Scrolls to the top (or the address's `#id`) once there.
    pub scroll: bool,
}

/// A navigation whose history entry waits for the new route to have rendered.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "csr"), allow(dead_code, reason = "the prerender never navigates"))]
struct Pending {
    url: Url,
    scroll: bool,
}

#[derive(Clone, Copy)]
struct RouterContext {
    url: RwSignal<Url>,
    location: Location,
    #[cfg_attr(not(feature = "csr"), allow(dead_code, reason = "the prerender never navigates"))]
    pending: StoredValue<Option<Pending>>,
}

/// Provides the address to `children` (see the module's documentation). `base`: the path the
/// site is served under (`""` at a domain's root); links outside it are left to the browser.
#[component]
pub fn Router(base: String, children: Children) -> impl IntoView {
    #[cfg(feature = "csr")]
    let url = RwSignal::new(browser::current());
    #[cfg(not(feature = "csr"))]
    let url = RwSignal::new(use_context::<RequestUrl>().map(|r| Url::parse_local(&r.0)).unwrap_or_default());
    let location = Location {
        pathname: Memo::new(move |_| url.with(|u| u.path.clone())),
        search: Memo::new(move |_| url.with(|u| u.search.clone())),
    };
    let context = RouterContext { url, location, pending: StoredValue::new(None) };
    provide_context(context);
    #[cfg(feature = "csr")]
    browser::listen(context, base);
    #[cfg(not(feature = "csr"))]
    let _ = base;
    children()
}

fn context() -> Option<RouterContext> {
    use_context::<RouterContext>()
}

/// The address being shown. Outside [`Router`] (never in the app), an address that stays `/`.
pub fn use_location() -> Location {
    context().map(|c| c.location).unwrap_or_else(|| Location {
        pathname: Memo::new(|_| "/".to_string()),
        search: Memo::new(|_| String::new()),
    })
}

/// The value of the query parameter `key` of the address being shown, decoded as a form
/// field is (`+` is a space, percent-escapes are bytes of UTF-8).
pub fn use_query(key: &'static str) -> Memo<Option<String>> {
    let search = use_location().search;
    Memo::new(move |_| search.with(|s| query_value(s, key)))
}

/// Goes to `href` (an address on this site), changing the history at once.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    let context = context();
    move |href: &str, options: NavigateOptions| {
        let Some(context) = context else { return };
        let url = Url::parse_local(href);
        if context.url.with_untracked(|u| *u != url) {
            context.url.set(url.clone());
        }
        #[cfg(feature = "csr")]
        browser::complete(&url, options.replace, options.scroll);
        #[cfg(not(feature = "csr"))]
        let _ = options;
    }
}

/// What the route table calls once it has rendered the route of a new address: a link
/// click's history entry is added then (if the address is still the one clicked), and the
/// page scrolled.
#[cfg(feature = "csr")]
pub fn completer() -> impl Fn() + Copy {
    let context = context();
    move || {
        let Some(context) = context else { return };
        let Some(pending) = context.pending.try_update_value(Option::take).flatten() else { return };
        if context.url.with_untracked(|u| *u == pending.url) {
            browser::complete(&pending.url, false, pending.scroll);
        }
    }
}

/// The first value of `key` in a query (`a=1&b=2`, without `?`), decoded as
/// `URLSearchParams` decodes it.
fn query_value(search: &str, key: &str) -> Option<String> {
    search.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (form_decode(name) == key).then(|| form_decode(value))
    })
}

/// `+` as a space and `%XX` as a byte; a `%` not followed by two hex digits stays as it is,
/// and bytes that are not UTF-8 become U+FFFD (as in `URLSearchParams`).
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match byte {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(feature = "csr")]
mod browser {
    use super::{Pending, RouterContext, Url};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// The browser's address.
    pub fn current() -> Url {
        let Some(location) = web_sys::window().map(|w| w.location()) else { return Url::default() };
        Url::from_parts(
            location.pathname().unwrap_or_default(),
            &location.search().unwrap_or_default(),
            location.hash().unwrap_or_default(),
        )
    }

    pub fn listen(context: RouterContext, base: String) {
        // Both live as long as the page (the router is the app's root).
        let _ = window_event_listener(leptos::ev::click, move |ev| on_click(context, &base, &ev));
        let _ = window_event_listener(leptos::ev::popstate, move |_| context.url.set(current()));
    }

    /// A click on a link the app can show itself: the address changes without a reload.
    fn on_click(context: RouterContext, base: &str, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let href = link.href();
        let external =
            link.get_attribute("rel").is_some_and(|r| r.split_ascii_whitespace().any(|w| w == "external"));
        if !link.target().is_empty() || href.is_empty() || link.has_attribute("download") || external {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let Ok(origin) = window.location().origin() else { return };
        let Ok(target) = web_sys::Url::new(&href) else { return };
        // Another site, or this one outside the base path: the browser's.
        if target.origin() != origin || !target.pathname().starts_with(base) {
            return;
        }
        ev.prevent_default();
        let url = Url::from_parts(target.pathname(), &target.search(), target.hash());
        let scroll = !link.has_attribute("noscroll") && !link.has_attribute("data-noscroll");
        let same_path = context.url.with_untracked(|u| u.path == url.path);
        if !same_path {
            focus_out_of_the_old_route();
        }
        context.url.set(url.clone());
        if same_path {
            context.pending.set_value(None);
            complete(&url, false, scroll);
        } else {
            // Completed by the route table once the new route has rendered.
            context.pending.set_value(Some(Pending { url, scroll }));
        }
    }

    /// Before the route the focused element is in is replaced, focus moves to `<main>`, which
    /// stays: removing the element that has focus makes Chromium recalculate styles at once,
    /// inside the click (1.3–5 ms of the first navigation to a post in traces), while focusing
    /// with the styles still clean from the last frame costs about 0.15 ms and leaves the
    /// recalculation to the frame. `navigation::route_rendered` then focuses the new page (the
    /// same `<main>`, or the heading the address names) as before.
    fn focus_out_of_the_old_route() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let (Some(main), Some(focused)) = (document.get_element_by_id("main"), document.active_element())
        else {
            return;
        };
        if focused != main && main.contains(Some(&focused)) {
            crate::navigation::focus_in_place(main);
        }
    }

    /// The history entry for `url` (a new one unless `replace`, and none for the address shown
    /// already), then the scrolling: to the `#id`'s element if there is one, else to the top
    /// when `scroll`.
    pub fn complete(url: &Url, replace: bool, scroll: bool) {
        let Some(window) = web_sys::window() else { return };
        let address = url.full_path();
        if let Ok(history) = window.history() {
            let _ = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::UNDEFINED, "", Some(&address))
            } else if current().full_path() != address {
                history.push_state_with_url(&wasm_bindgen::JsValue::UNDEFINED, "", Some(&address))
            } else {
                Ok(())
            };
        }
        let target = url
            .hash
            .strip_prefix('#')
            .filter(|h| !h.is_empty())
            .map(|h| quire_core::url::percent_decode(h).unwrap_or_else(|| h.to_string()))
            .and_then(|id| window.document()?.get_element_by_id(&id));
        match target {
            Some(element) => element.scroll_into_view(),
            None if scroll => window.scroll_to_with_x_and_y(0.0, 0.0),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_split_into_path_query_and_id() {
        let url = Url::parse_local("/search?q=a+b&x=1#top");
        assert_eq!(url, Url { path: "/search".into(), search: "q=a+b&x=1".into(), hash: "#top".into() });
        assert_eq!(url.full_path(), "/search?q=a+b&x=1#top");
        let url = Url::parse_local("/blog/x#a?b");
        assert_eq!(url, Url { path: "/blog/x".into(), search: String::new(), hash: "#a?b".into() });
        assert_eq!(Url::parse_local("/").full_path(), "/");
        assert_eq!(Url::parse_local("/search?").full_path(), "/search");
    }

    #[test]
    fn query_values_decode_as_url_search_params_does() {
        assert_eq!(query_value("q=open+infra", "q").as_deref(), Some("open infra"));
        assert_eq!(query_value("a=1&q=%C3%B6zg%C3%BCr%20bal", "q").as_deref(), Some("özgür bal"));
        assert_eq!(query_value("q=a%2Bb%26c", "q").as_deref(), Some("a+b&c"));
        assert_eq!(query_value("q=100%&x", "q").as_deref(), Some("100%"));
        assert_eq!(query_value("q=%zz%4", "q").as_deref(), Some("%zz%4"));
        assert_eq!(query_value("q=%FF", "q").as_deref(), Some("\u{FFFD}"));
        assert_eq!(query_value("q", "q").as_deref(), Some(""));
        assert_eq!(query_value("q=1&q=2", "q").as_deref(), Some("1"));
        assert_eq!(query_value("%71=x", "q").as_deref(), Some("x"));
        assert_eq!(query_value("qq=1", "q"), None);
        assert_eq!(query_value("", "q"), None);
    }
}
