//! `/`: the visible posts, newest first.

use crate::api;
use crate::components::byline::Byline;
use crate::components::head::Head;
use crate::components::status::{ErrorView, Loading};
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::routes::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_router::components::A;
use quire_core::model::{Index, PostSummary};
use quire_core::seo::home_tags;
use quire_core::url::post_path;

#[component]
pub fn HomePage() -> impl IntoView {
    match initial::take(RouteKind::Home) {
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        Some(Initial::Home(index)) => return view! { <PostList index=*index /> }.into_any(),
        Some(Initial::NotFound) => return view! { <NotFoundPage /> }.into_any(),
        Some(Initial::Post(_)) | None => {}
    }
    let base = api::base_path();
    let index = LocalResource::new(move || api::fetch_index(base.clone()));
    let retry = Callback::new(move |()| index.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading posts…" /> }>
            {move || Suspend::new(async move {
                match index.await {
                    Ok(index) => view! { <PostList index /> }.into_any(),
                    Err(error) => view! { <ErrorView error retry /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PostList(index: Index) -> impl IntoView {
    let head = home_tags(&index.site, &api::site_origin());
    let posts: Vec<PostSummary> = index.visible_posts().cloned().collect();
    let empty = posts.is_empty().then(|| view! { <p class="status">"No posts yet."</p> });
    let heading = index.site.title.clone();
    view! {
        <Head tags=head />
        <RouteRoot kind=RouteKind::Home>
            <h1 class="visually-hidden">{heading}</h1>
            {empty}
            <ol class="post-list">
                {posts.into_iter().map(|post| view! { <PostCard post /> }).collect_view()}
            </ol>
        </RouteRoot>
    }
}

#[component]
fn PostCard(post: PostSummary) -> impl IntoView {
    let href = api::href(&post_path(&post.slug));
    let title = post.title.clone();
    let teaser = post.teaser().to_string();
    view! {
        <li class="post-card">
            <article>
                <h2 class="post-card__title">
                    <A href=href>{title}</A>
                </h2>
                <Byline post company=None />
                <p class="post-card__teaser">{teaser}</p>
            </article>
        </li>
    }
}
