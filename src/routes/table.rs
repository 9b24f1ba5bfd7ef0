//! The route table: which page an address shows.
//!
//! Matched by hand instead of with leptos_router's `<Routes>`, whose generic matching of eight
//! routes cost about 15 KB brotli of wasm (README, "Wasm size levers"); the router itself
//! (address, history, link clicks) is the app's own, `crate::router`. The behaviour is `<Routes>`':
//! a change of address within one route (another post, another page number) keeps the route's
//! view and changes only its [`Params`]; a change to another route renders that route anew.

use crate::router::use_location;
use leptos::prelude::*;
use quire_core::url::percent_decode;

/// The routes, one per address pattern (two patterns showing the same view are two routes,
/// as they were in `<Routes>`: going from one to the other renders the view anew).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`
    Home,
    /// `/page/:n`
    HomePage,
    /// `/blog/category/:slug`
    Category,
    /// `/blog/category/:slug/page/:n`
    CategoryPage,
    /// `/blog/author/:slug`
    Author,
    /// `/blog/author/:slug/page/:n`
    AuthorPage,
    /// `/search`
    Search,
    /// `/blog/:slug`
    Post,
    /// Anything else, and any address outside the base path.
    NotFound,
}

/// The variable parts of an address, percent-decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// `:slug`: the post, category or author.
    pub slug: Option<String>,
    /// `:n`: the page number as written (the listing checks it is one).
    pub n: Option<String>,
}

/// The route and parameters of `path` (a browser path: base path included, percent-encoded
/// or not). A trailing slash is the same address (`/blog/x/` is the file `/blog/x/index.html`
/// that static hosts serve for `/blog/x`).
pub fn match_path(base: &str, path: &str) -> (Route, Params) {
    let Some(rest) = path.strip_prefix(base).filter(|r| r.is_empty() || r.starts_with('/')) else {
        return (Route::NotFound, Params::default());
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let decode = |raw: &str| Some(percent_decode(raw).unwrap_or_else(|| raw.to_string()));
    let params =
        |slug: Option<&str>, n: Option<&str>| Params { slug: slug.and_then(decode), n: n.and_then(decode) };
    match segments.as_slice() {
        [] => (Route::Home, Params::default()),
        ["page", n] => (Route::HomePage, params(None, Some(n))),
        ["blog", "category", slug] => (Route::Category, params(Some(slug), None)),
        ["blog", "category", slug, "page", n] => (Route::CategoryPage, params(Some(slug), Some(n))),
        ["blog", "author", slug] => (Route::Author, params(Some(slug), None)),
        ["blog", "author", slug, "page", n] => (Route::AuthorPage, params(Some(slug), Some(n))),
        ["search"] => (Route::Search, Params::default()),
        ["blog", slug] => (Route::Post, params(Some(slug), None)),
        _ => (Route::NotFound, Params::default()),
    }
}

/// The route and parameters of a link's `href` as written, when it is an address on this site
/// under `base` (not another site's `//host/…`, a relative link or an `#id` on this page).
#[cfg(any(feature = "csr", test))]
pub fn match_href(base: &str, href: &str) -> Option<(Route, Params)> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    path.strip_prefix(base).filter(|r| r.starts_with('/') && !r.starts_with("//"))?;
    Some(match_path(base, path))
}

/// The parameters of the route being shown (see [`use_params`]).
#[derive(Clone, Copy)]
struct CurrentParams(Memo<Params>);

/// The parameters of the address the current route shows (empty outside [`RouteView`]), as
/// a reactive read: it changes when the address changes within the route (another post).
pub fn use_params() -> impl Fn() -> Params + Copy {
    let params = use_context::<CurrentParams>();
    move || params.map(|CurrentParams(p)| p.get()).unwrap_or_default()
}

/// Shows the route that matches the address, with `view` rendering each route.
#[component]
pub fn RouteView(view: fn(Route) -> AnyView) -> impl IntoView {
    let location = use_location();
    let base = crate::api::base_path();
    let matched = Memo::new(move |_| location.pathname.with(|path| match_path(&base, path)));
    // The first page's view may be its prerendered page, adopted as it is (`crate::initial`),
    // which does not follow the address: the first time the address leaves that page, the
    // route renders anew even when it stays the same (a post's link to the next post).
    let first_path = location.pathname.get_untracked();
    let left_first = Memo::new(move |left: Option<&bool>| {
        left == Some(&true) || location.pathname.with(|p| *p != first_path)
    });
    let route = Memo::new(move |_| (matched.with(|(route, _)| *route), left_first.get()));
    #[cfg(feature = "csr")]
    complete_navigations(location.pathname);
    #[cfg(feature = "csr")]
    crate::routes::post::set_routes_owner();
    move || {
        let (route, _) = route.get();
        // The route's parameters follow the address while it stays on this route. Once it
        // leaves, they keep their last value: the outgoing view must not react (fetch, or
        // await a resource about to be disposed) to an address that is not its own.
        let params = Memo::new(move |last: Option<&Params>| match matched.get() {
            (now, params) if now == route => params,
            _ => last.cloned().unwrap_or_default(),
        });
        provide_context(CurrentParams(params));
        view(route)
    }
}

/// A link click changes the address at once but leaves the history entry and the scrolling
/// (to the top, or to the link's `#id`) to the route table, once the new route has rendered
/// (`crate::router`), so this completes them after every change of path.
#[cfg(feature = "csr")]
fn complete_navigations(pathname: Memo<String>) {
    let complete = crate::router::completer();
    Effect::new(move |previous: Option<String>| {
        let path = pathname.get();
        if previous.is_some_and(|p| p != path) {
            complete();
        }
        path
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(slug: Option<&str>, n: Option<&str>) -> Params {
        Params { slug: slug.map(String::from), n: n.map(String::from) }
    }

    #[test]
    fn every_route_matches_its_paths() {
        let cases = [
            ("/", Route::Home, params(None, None)),
            ("", Route::Home, params(None, None)),
            ("/page/2", Route::HomePage, params(None, Some("2"))),
            ("/page/x", Route::HomePage, params(None, Some("x"))),
            ("/blog/category/open-stack", Route::Category, params(Some("open-stack"), None)),
            ("/blog/category/open-stack/page/3", Route::CategoryPage, params(Some("open-stack"), Some("3"))),
            ("/blog/author/ada-quill", Route::Author, params(Some("ada-quill"), None)),
            ("/blog/author/ada-quill/page/2", Route::AuthorPage, params(Some("ada-quill"), Some("2"))),
            ("/search", Route::Search, params(None, None)),
            ("/blog/hello-quire", Route::Post, params(Some("hello-quire"), None)),
            ("/blog/category", Route::Post, params(Some("category"), None)),
            ("/blog", Route::NotFound, params(None, None)),
            ("/blog/a/b", Route::NotFound, params(None, None)),
            ("/page", Route::NotFound, params(None, None)),
            ("/search/x", Route::NotFound, params(None, None)),
            ("/blog/category/x/page", Route::NotFound, params(None, None)),
            ("/elsewhere", Route::NotFound, params(None, None)),
        ];
        for (path, route, expected) in cases {
            assert_eq!(match_path("", path), (route, expected), "{path}");
        }
    }

    #[test]
    fn a_trailing_slash_is_the_same_address() {
        assert_eq!(match_path("", "/blog/hello-quire/"), (Route::Post, params(Some("hello-quire"), None)));
        assert_eq!(match_path("", "/page/2/"), (Route::HomePage, params(None, Some("2"))));
    }

    #[test]
    fn parameters_are_percent_decoded() {
        assert_eq!(match_path("", "/blog/quire%2Bleptos"), (Route::Post, params(Some("quire+leptos"), None)));
        assert_eq!(match_path("", "/blog/quire+leptos"), (Route::Post, params(Some("quire+leptos"), None)));
        assert_eq!(
            match_path("", "/blog/author/%C3%B6zg%C3%BCr-bal"),
            (Route::Author, params(Some("özgür-bal"), None))
        );
    }

    #[test]
    fn the_base_path_is_required_and_stripped() {
        assert_eq!(match_path("/quire", "/quire/"), (Route::Home, params(None, None)));
        assert_eq!(match_path("/quire", "/quire"), (Route::Home, params(None, None)));
        assert_eq!(match_path("/quire", "/quire/blog/x"), (Route::Post, params(Some("x"), None)));
        assert_eq!(match_path("/quire", "/blog/x"), (Route::NotFound, params(None, None)));
        assert_eq!(match_path("/quire", "/quirex/blog/x"), (Route::NotFound, params(None, None)));
    }
}
