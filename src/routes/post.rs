//! `/blog/:slug`: one post, its Markdown rendered in the browser (or by the prerender).

use crate::api::{self, FetchError};
use crate::components::byline::Byline;
use crate::components::head::Head;
use crate::components::status::{ErrorView, Loading, NotFound};
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::routes::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use quire_core::markdown::{RenderOptions, render_with};
use quire_core::model::PostFile;
use quire_core::seo::post_tags;
use quire_core::url::percent_decode;

#[component]
pub fn PostPage() -> impl IntoView {
    match initial::take(RouteKind::Post) {
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        Some(Initial::Post(file)) => return view! { <PostView file=*file /> }.into_any(),
        Some(Initial::NotFound) => return view! { <NotFoundPage /> }.into_any(),
        Some(Initial::Home(_)) | None => {}
    }
    let params = use_params_map();
    // The router decodes the path already; decoding again is harmless because slugs never
    // contain `%` (the compiler rejects them).
    let slug =
        move || params.read().get("slug").map(|raw| percent_decode(&raw).unwrap_or(raw)).unwrap_or_default();
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
                    Err(error) => view! { <ErrorView error retry /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PostView(file: PostFile) -> impl IntoView {
    let PostFile { site, post, .. } = file;
    let head = post_tags(&site, &post, &api::site_origin());
    let base = api::base_path();
    let body = render_with(&post.body, RenderOptions { url_root: &base }).html;
    let title = post.summary.title.clone();
    view! {
        <Head tags=head />
        <RouteRoot kind=RouteKind::Post>
            <article class="post">
                <header class="post__header">
                    <h1 class="post__title">{title}</h1>
                    <Byline post=post.summary company=post.author_company />
                </header>
                <div class="post__body prose" inner_html=body></div>
                <nav class="post__nav" aria-label="Blog">
                    <A href=api::href("/")>"← All posts"</A>
                </nav>
            </article>
        </RouteRoot>
    }
}
