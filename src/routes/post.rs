//! `/blog/:slug`: one post, its Markdown rendered in the browser (or by the prerender).

use crate::api::{self, BodyHtml, FetchError, FetchedPost, Renderer};
use crate::components::byline::Byline;
use crate::components::head::Head;
use crate::components::link::{Link, PostLinkItem};
use crate::components::status::{
    ErrorView, Loading, NotFound, Offline, OfflinePage, POST_NOT_SAVED, is_offline,
};
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::routes::not_found::NotFoundPage;
use leptos::prelude::*;
use quire_core::markdown::{TocSection, table_of_contents};
use quire_core::model::{Post, PostFile, PostLink, PostNav, Site};
use quire_core::seo::{HeadTags, post_tags};
use quire_core::url::post_path;

#[component]
pub fn PostPage() -> impl IntoView {
    match initial::take(RouteKind::Post) {
        Some(Initial::Adopt { kind: RouteKind::Offline, .. }) => {
            return view! { <OfflinePage what=POST_NOT_SAVED /> }.into_any();
        }
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        // The prerender's (natively the renderer is always at hand); the browser adopts pages.
        Some(Initial::Post(file)) => {
            #[cfg(not(feature = "csr"))]
            if let Some(Ok(post)) = api::renderer_now()
                .map(|r| prepare(FetchedPost::from(*file), &api::site(), &api::base_path(), &r))
            {
                return view! { <PostView post /> }.into_any();
            }
            #[cfg(feature = "csr")]
            let _ = file;
        }
        Some(Initial::NotFound) => return view! { <NotFoundPage /> }.into_any(),
        Some(Initial::Offline) => return view! { <OfflinePage /> }.into_any(),
        Some(Initial::Listing(_) | Initial::Search) | None => {}
    }
    // In the browser, the code below is a chunk of its own (`crate::chunks`): a post's first
    // view only adopts its prerendered page.
    crate::chunks::post_in_app()
}

/// The post at the address, rendered by the app: from memory when it was prepared (the
/// click's task builds it), else fetched.
pub fn in_app() -> AnyView {
    let params = crate::routes::table::use_params();
    // Percent-decoded by the route table.
    let slug = move || params().slug.unwrap_or_default();
    let base = api::base_path();
    let site = api::site();
    // A post already in memory (prefetched, or seen before) renders in the task of the click,
    // with no fallback, spinner or await in between; any other is fetched.
    (move || {
        let slug = slug();
        match ready_post(&site, &base, &slug) {
            Some(post) => view! { <PostView post /> }.into_any(),
            // On a 2g connection, with no renderer yet: the post's prerendered page costs a
            // few KB, the renderer's module over a hundred.
            None if api::renderer_now().is_none() && slow_connection() => {
                load_page(&format!("{base}{}", post_path(&slug)));
                view! { <Loading label="Loading post…" /> }.into_any()
            }
            None => view! { <FetchedPost base=base.clone() slug /> }.into_any(),
        }
    })
    .into_any()
}

/// A post not in memory: fetched (with the renderer, the first time), with a loading view
/// until it arrives.
#[component]
fn FetchedPost(base: String, slug: String) -> impl IntoView {
    let url = api::post_url(&base, &slug);
    let page = format!("{base}{}", post_path(&slug));
    let root = base.clone();
    let site = api::site();
    let post = LocalResource::new(move || {
        futures::future::join(api::fetch_post(base.clone(), slug.clone()), api::renderer())
    });
    let retry = Callback::new(move |()| post.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading post…" /> }>
            {move || {
                let (url, root, page, site) = (url.clone(), root.clone(), page.clone(), site.clone());
                Suspend::new(async move {
                    let (file, renderer) = post.await;
                    let prepared = match (file, renderer) {
                        (Ok(file), Ok(renderer)) => ready::keep(url, file, &site, &root, &renderer),
                        // No renderer (a site built without one, or its files did not load:
                        // a new deploy replaced them, or the network failed): the post's
                        // prerendered page shows it (offline, the service worker answers).
                        (Ok(_), Err(_)) => {
                            load_page(&page);
                            return view! { <Loading label="Loading post…" /> }.into_any();
                        }
                        (Err(error), _) => Err(error),
                    };
                    match prepared {
                        Ok(post) => view! { <PostView post /> }.into_any(),
                        Err(FetchError::NotFound) => {
                            view! { <NotFound what="There is no post at this address. It may have moved or been removed." /> }
                                .into_any()
                        }
                        Err(error) if is_offline(&error) => {
                            view! { <Offline what=POST_NOT_SAVED retry navigated=true /> }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorView error retry /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A post ready to show: what its page needs, the Markdown already rendered. Made when a
/// prefetched post arrives (in idle time, see [`crate::prefetch`]), so that a click on its
/// link only builds the page.
#[derive(Clone, Debug)]
pub struct PreparedPost {
    head: HeadTags,
    /// The post, its Markdown body left out (rendered in `html`).
    post: Post,
    nav: PostNav,
    /// Shared, not copied, each time the post is shown.
    html: BodyHtml,
    sections: Vec<TocSection>,
}

/// Renders a post's Markdown and head tags (`site`: the blog's settings, `base`: the site's
/// base path).
pub fn prepare(
    fetched: FetchedPost,
    site: &Site,
    base: &str,
    renderer: &Renderer,
) -> Result<PreparedPost, FetchError> {
    let FetchedPost { file: PostFile { post, nav, .. }, markdown } = fetched;
    let head = post_tags(site, &post, &api::site_origin_at(base));
    let rendered = renderer.render(&markdown, base)?;
    let sections = table_of_contents(&rendered.toc);
    Ok(PreparedPost { head, post, nav, html: rendered.html, sections })
}

/// The post at `slug` if it can be shown without waiting: prepared already, or its JSON in
/// the answers' cache and the renderer loaded (then decoded and rendered now).
fn ready_post(site: &Site, base: &str, slug: &str) -> Option<PreparedPost> {
    let url = api::post_url(base, slug);
    if let Some(post) = ready::get(&url) {
        return Some(post);
    }
    let renderer = api::renderer_now()?;
    let file = api::cached_post(&url)?.ok()?;
    ready::keep(url, file, site, base, &renderer).ok()
}

/// The connection is 2g or slower (see `crate::prefetch::slow_connection`).
fn slow_connection() -> bool {
    #[cfg(feature = "csr")]
    return crate::prefetch::slow_connection();
    #[cfg(not(feature = "csr"))]
    false
}

/// Loads `page` (a post's address) as a whole page, in place of the history entry the router
/// made for it: the prerendered page shows the post.
///
/// After the click's task: a route renders before the router pushes the new entry (in the
/// microtasks that follow), and replacing the entry shown during the render, the listing's,
/// lost the page the reader came from (Back did not return to it). Nothing is loaded if the
/// address is no longer the post's by then: the reader has gone elsewhere.
fn load_page(page: &str) {
    #[cfg(feature = "csr")]
    {
        let page = page.to_string();
        set_timeout(
            move || {
                let Some(window) = web_sys::window() else { return };
                let location = window.location();
                let target = location
                    .href()
                    .ok()
                    .and_then(|here| web_sys::Url::new_with_base(&page, &here).ok())
                    .map(|url| url.pathname());
                if target.is_some() && target == location.pathname().ok() {
                    let _ = location.replace(&page);
                }
            },
            std::time::Duration::ZERO,
        );
    }
    #[cfg(not(feature = "csr"))]
    let _ = page;
}

/// The posts prepared last, by the URL of their JSON: a few, as each holds its rendered HTML
/// (prefetching prepares at most the posts linked from the page shown).
pub mod ready {
    use super::{PreparedPost, prepare};
    use crate::api::{FetchError, FetchedPost, Renderer};
    use quire_core::model::Site;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    const ENTRIES: usize = 8;

    thread_local! {
        static POSTS: RefCell<VecDeque<(String, PreparedPost)>> = const { RefCell::new(VecDeque::new()) };
    }

    pub fn get(url: &str) -> Option<PreparedPost> {
        POSTS.with_borrow(|p| p.iter().find(|(u, _)| u == url).map(|(_, post)| post.clone()))
    }

    #[cfg(feature = "csr")]
    pub fn contains(url: &str) -> bool {
        POSTS.with_borrow(|p| p.iter().any(|(u, _)| u == url))
    }

    /// Reads the prefetched post at `url` (its JSON fetched or on its way), then prepares and
    /// keeps it (the reader pointed at or focused its link, `crate::prefetch`).
    #[cfg(feature = "csr")]
    pub async fn prefetched(url: String, site: Site, base: String, renderer: Renderer) {
        let Ok(file) = crate::api::fetch_post_at(&url).await else { return };
        if !contains(&url) {
            let _ = keep(url, file, &site, &base, &renderer);
        }
    }

    /// Prepares `file` (the post at `url`) and keeps it; returns it.
    pub fn keep(
        url: String,
        file: FetchedPost,
        site: &Site,
        base: &str,
        renderer: &Renderer,
    ) -> Result<PreparedPost, FetchError> {
        let post = prepare(file, site, base, renderer)?;
        POSTS.with_borrow_mut(|p| {
            p.retain(|(u, _)| *u != url);
            if p.len() >= ENTRIES {
                p.pop_front();
            }
            p.push_back((url, post.clone()));
        });
        Ok(post)
    }
}

/// The owner the routes render under (inside the router), for [`rehearse`].
#[cfg(feature = "csr")]
mod routes_owner {
    use leptos::prelude::Owner;
    use std::cell::RefCell;

    thread_local! {
        pub static OWNER: RefCell<Option<Owner>> = const { RefCell::new(None) };
    }
}

/// Remembers the current owner as the one routes render under (called by the route table).
#[cfg(feature = "csr")]
pub fn set_routes_owner() {
    routes_owner::OWNER.set(Owner::current());
}

/// Goes once, off the document, from an adopted page to a post's page, as the reader's first
/// click on a post goes from the prerendered listing the app adopted: both as reactive views,
/// as the route table shows them, the second built in place of the first (no head tags, no
/// focus or scrolling); then drops both. The browser compiles a wasm function the first time
/// it runs, so the code that builds a post page, replaces one route's view with another's and
/// tears the old one down would otherwise be compiled during that click.
#[cfg(feature = "csr")]
pub fn rehearse(post: PreparedPost) {
    use leptos::tachys::view::{Mountable, Render};
    let Some(owner) = routes_owner::OWNER.with_borrow(Clone::clone) else { return };
    let document = web_sys::window().and_then(|w| w.document());
    let Some(parent) = document.and_then(|d| d.create_element("div").ok()) else { return };
    owner.with(|| {
        let scratch = Owner::new();
        crate::components::head::off_document(|| {
            scratch.with(|| {
                let listing = move || adopted(RouteKind::Listing, String::new());
                let mut state = listing.into_any().build();
                state.mount(&parent, None);
                let page = move || view! { <PostView post=post.clone() rehearsal=true /> };
                page.into_any().rebuild(&mut state);
                state.unmount();
            })
        });
        scratch.cleanup();
    });
}

/// A made-up post with every part a post page shows (byline, contents, body with the
/// elements most posts have, previous, next and related posts), prepared: for [`rehearse`]
/// before any real post has arrived. Its body is HTML already: the renderer (a module of its
/// own) is not needed to build a page.
#[cfg(feature = "csr")]
pub fn sample_post(base: &str) -> Option<PreparedPost> {
    use quire_core::date::PostDate;
    use quire_core::markdown::TocEntry;
    use quire_core::model::{Category, PostSeo, PostSummary, Site};
    let date = PostDate::parse("2024-01-01").ok()?;
    let text = || "a".to_string();
    let link = || PostLink { slug: text(), title: text(), date };
    let summary = PostSummary {
        slug: text(),
        title: text(),
        date,
        author: Some(text()),
        author_slug: Some(text()),
        categories: vec![Category { id: text(), label: text(), slug: text() }],
        description: None,
        excerpt: text(),
        hidden: false,
        reading_minutes: Some(1),
    };
    let seo = PostSeo { title: text(), url: None, twitter_username: None, image: None };
    let html = "<h2 id=\"quire-sample-a\">A</h2><h3 id=\"quire-sample-b\">B</h3><h2 id=\"quire-sample-c\">C</h2>\
        <p>A <em>b</em> <strong>c</strong> \
        <a href=\"/e\">d</a> <code>f</code>.</p><ul><li>g</li></ul><ol><li>h</li></ol><blockquote><p>i</p>\
        </blockquote><pre><code>j</code></pre>";
    let heading = |level, id: &str| TocEntry { level, id: id.into(), text: text() };
    let sections = table_of_contents(&[
        heading(2, "quire-sample-a"),
        heading(3, "quire-sample-b"),
        heading(2, "quire-sample-c"),
    ]);
    let post = Post { summary, seo, author_company: Some(text()), body: String::new() };
    let nav = PostNav { previous: Some(link()), next: Some(link()), related: vec![link()] };
    let head = post_tags(&Site::default(), &post, &api::site_origin_at(base));
    Some(PreparedPost { head, post, nav, html: BodyHtml::from(html), sections })
}

/// A post's page. `rehearsal`: built off the document by [`rehearse`], without the effects
/// of a page being shown (head tags, title, scrolling and focus).
#[component]
fn PostView(post: PreparedPost, #[prop(optional)] rehearsal: bool) -> impl IntoView {
    if !rehearsal {
        Effect::new(|_| crate::navigation::route_rendered());
    }
    let PreparedPost { head, post, nav, html, sections } = post;
    // A rehearsal's head tags go off the document too (`head::off_document`).
    let head = view! { <Head tags=head /> };
    let contents = (!sections.is_empty()).then(|| view! { <Contents sections /> });
    let title = post.summary.title.clone();
    // The builder, as the macro's `inner_html=` accepts only attribute values.
    let body = leptos::html::div().class("post__body prose").inner_html(html);
    view! {
        {head}
        <RouteRoot kind=RouteKind::Post>
            <article class="post">
                <header class="post__header">
                    <h1 class="post__title">{title}</h1>
                    <Byline post=post.summary company=post.author_company />
                </header>
                {contents}
                {body}
                <MorePosts nav />
                <nav class="post__nav" aria-label="Blog">
                    <Link href=api::href("/")>"← All posts"</Link>
                </nav>
            </article>
        </RouteRoot>
    }
}

/// The table of contents: links to the body's level-2 headings, with their level-3 headings
/// nested (see `quire_core::markdown::table_of_contents`). Plain in-page links, which work
/// without JavaScript too.
#[component]
fn Contents(sections: Vec<TocSection>) -> impl IntoView {
    let item = |id: String, text: String| view! { <a href=format!("#{id}")>{text}</a> };
    view! {
        <nav class="toc" aria-label="Contents">
            <p class="toc__title" aria-hidden="true">"Contents"</p>
            <ol class="toc__list">
                {sections
                    .into_iter()
                    .map(|TocSection { entry, children }| {
                        let children = (!children.is_empty())
                            .then(|| {
                                view! {
                                    <ol class="toc__list toc__list--nested">
                                        {children
                                            .into_iter()
                                            .map(|c| view! { <li>{item(c.id, c.text)}</li> })
                                            .collect_view()}
                                    </ol>
                                }
                            });
                        view! { <li>{item(entry.id, entry.text)} {children}</li> }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// Previous and next post by date, and related posts: whatever the compiler found.
#[component]
fn MorePosts(nav: PostNav) -> impl IntoView {
    let PostNav { previous, next, related } = nav;
    if previous.is_none() && next.is_none() && related.is_empty() {
        return None;
    }
    // The arrow points the way the post lies: back for the older one, on for the newer.
    let step = |link: PostLink, older: bool| {
        let href = api::href(&post_path(&link.slug));
        let (class, label) =
            if older { ("post-nav__previous", "Previous post") } else { ("post-nav__next", "Next post") };
        let back = older.then(|| view! { <span aria-hidden="true">"← "</span> });
        let on = (!older).then(|| view! { <span aria-hidden="true">" →"</span> });
        view! {
            <li class=class>
                <Link href=href>
                    <span class="post-nav__label">{back}{label}{on}</span>
                    <span class="post-nav__post">{link.title}</span>
                </Link>
            </li>
        }
    };
    let steps = (previous.is_some() || next.is_some()).then(|| {
        view! {
            <ul class="post-nav__steps">
                {previous.map(|p| step(p, true))}
                {next.map(|n| step(n, false))}
            </ul>
        }
    });
    let related = (!related.is_empty()).then(|| {
        view! {
            <section class="post-nav__related" aria-labelledby="quire-related-posts">
                <h2 class="post-nav__title" id="quire-related-posts">"Related posts"</h2>
                <ul class="post-nav__list">
                    {related.into_iter().map(|link| view! { <PostLinkItem link /> }).collect_view()}
                </ul>
            </section>
        }
    });
    Some(view! {
        <nav class="post-nav" aria-label="More posts">
            {steps}
            {related}
        </nav>
    })
}
