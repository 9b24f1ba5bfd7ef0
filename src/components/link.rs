//! Links to pages of the site.
//!
//! A plain `<a href>`: the app's router (`crate::router`) follows every link click to this site
//! without a reload, whatever renders the link. What leptos_router's `<A>` added, and this
//! keeps, is `aria-current="page"` on links to the page the reader is on; `<A>` itself, a
//! generic component, cost about 5 KB brotli of wasm for that (README, "Wasm size levers").

use crate::router::use_location;
use leptos::prelude::*;

/// A link to `href` (a site path under the base path, see `crate::api::href`), marked as
/// the current page when the address is that page or a page below it (a category's link
/// stays current on the category's page 2), as leptos_router's `<A>` marks it. `current`
/// decides instead, when given.
#[component]
pub fn Link(
    href: String,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] rel: Option<&'static str>,
    #[prop(optional)] current: Option<bool>,
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let aria_current = {
        let href = href.clone();
        let base = crate::api::base_path();
        move || {
            current
                .unwrap_or_else(|| location.pathname.with(|here| is_current(&base, &href, here)))
                .then_some("page")
        }
    };
    // A `class` attribute only when there is one: leptos' `class=None` writes `class=""`,
    // while a plain attribute with `None` is left out.
    view! {
        <a href=href rel=rel aria-current=aria_current>
            {children()}
        </a>
    }
    .add_any_attr(leptos::attr::custom::custom_attribute("class", class))
}

/// One post in a list of posts (related posts, posts saved for offline reading): its title
/// as a link, then its date.
#[component]
pub fn PostLinkItem(link: quire_core::model::PostLink) -> impl IntoView {
    view! {
        <li>
            <Link href=crate::api::href(&quire_core::url::post_path(&link.slug))>{link.title}</Link>
            " "
            <time datetime=link.date.to_string()>{link.date.long_format()}</time>
        </li>
    }
}

/// Whether a link to `href` points at `location` or a page below it, both under the base
/// path: every segment of `href` equals the address's (an empty one after the first matches
/// anything, so `/x/` covers `/x/y`), and `href` has no segments left over. The home page's
/// link (`/`) is current only there, under a sub-path too.
fn is_current(base: &str, href: &str, location: &str) -> bool {
    let (Some(href), Some(location)) = (href.strip_prefix(base), location.strip_prefix(base)) else {
        return false;
    };
    let mut wanted = href.split('/');
    let all_equal = location
        .split('/')
        .zip(wanted.by_ref())
        .enumerate()
        .all(|(i, (here, want))| here == want || (want.is_empty() && i > 1));
    all_equal && matches!(wanted.next(), None | Some(""))
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn a_link_is_current_on_its_page_and_below() {
        let at_root = |href, location| is_current("", href, location);
        assert!(at_root("/", "/"));
        assert!(!at_root("/", "/blog/x"));
        assert!(!at_root("/", "/page/2"));
        assert!(at_root("/blog/x", "/blog/x"));
        assert!(at_root("/blog/x", "/blog/x/"));
        assert!(at_root("/blog/x/", "/blog/x"));
        assert!(!at_root("/blog/x", "/blog/xy"));
        assert!(!at_root("/blog/x", "/blog"));
        assert!(at_root("/blog/category/guides", "/blog/category/guides/page/2"));
        assert!(!at_root("/blog/category/guides", "/blog/category/releases"));
    }

    #[test]
    fn under_a_sub_path_the_home_link_is_current_only_at_home() {
        let under = |href, location| is_current("/quire", href, location);
        assert!(under("/quire/", "/quire/"));
        assert!(under("/quire/", "/quire"));
        assert!(!under("/quire/", "/quire/blog/x"));
        assert!(!under("/quire/", "/quire/page/2"));
        assert!(under("/quire/blog/x", "/quire/blog/x/"));
        assert!(!under("/quire/blog/x", "/blog/x"));
    }
}
