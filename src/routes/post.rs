//! `/blog/:slug`: one post, its Markdown rendered in the browser (or by the prerender).

use crate::api::{self, FetchError};
use crate::components::byline::Byline;
use crate::components::head::Head;
use crate::components::link::{Link, PostLinkItem};
use crate::components::status::{
    ErrorView, Loading, NotFound, Offline, OfflinePage, POST_NOT_SAVED, is_offline,
};
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::routes::not_found::NotFoundPage;
use leptos::prelude::*;
use quire_core::markdown::{RenderOptions, TocSection, render_with, table_of_contents};
use quire_core::model::{PostFile, PostLink, PostNav};
use quire_core::seo::post_tags;
use quire_core::url::post_path;

#[component]
pub fn PostPage() -> impl IntoView {
    match initial::take(RouteKind::Post) {
        Some(Initial::Adopt { kind: RouteKind::Offline, .. }) => {
            return view! { <OfflinePage what=POST_NOT_SAVED /> }.into_any();
        }
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        Some(Initial::Post(file)) => return view! { <PostView file=*file /> }.into_any(),
        Some(Initial::NotFound) => return view! { <NotFoundPage /> }.into_any(),
        Some(Initial::Offline) => return view! { <OfflinePage /> }.into_any(),
        Some(Initial::Listing(_) | Initial::Search) | None => {}
    }
    let params = crate::routes::table::use_params();
    // Percent-decoded by the route table.
    let slug = move || params().slug.unwrap_or_default();
    let base = api::base_path();
    let post = LocalResource::new(move || api::fetch_post(base.clone(), slug()));
    let retry = Callback::new(move |()| post.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading post…" /> }>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(file) => view! { <PostView file /> }.into_any(),
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
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PostView(file: PostFile) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    let PostFile { site, post, nav, .. } = file;
    let head = post_tags(&site, &post, &api::site_origin());
    let base = api::base_path();
    let rendered = render_with(&post.body, RenderOptions { url_root: &base, ..RenderOptions::default() });
    let sections = table_of_contents(&rendered.toc);
    let contents = (!sections.is_empty()).then(|| view! { <Contents sections /> });
    let title = post.summary.title.clone();
    view! {
        <Head tags=head />
        <RouteRoot kind=RouteKind::Post>
            <article class="post">
                <header class="post__header">
                    <h1 class="post__title">{title}</h1>
                    <Byline post=post.summary company=post.author_company />
                </header>
                {contents}
                <div class="post__body prose" inner_html=rendered.html></div>
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
