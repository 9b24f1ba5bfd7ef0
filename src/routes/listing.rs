//! `/`, `/page/:n`, `/blog/category/:slug[/page/:n]`, `/blog/author/:slug[/page/:n]`: one
//! page of a listing, newest posts first, with the pages around it and the blog's categories.

use crate::api::{self, FetchError};
use crate::components::byline::Byline;
use crate::components::head::Head;
use crate::components::link::Link;
use crate::components::status::{
    ErrorView, LISTING_NOT_SAVED, Loading, NotFound, Offline, OfflinePage, is_offline,
};
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::routes::not_found::NotFoundPage;
use crate::routes::table::Params;
use leptos::prelude::*;
use quire_core::model::{CategoryCount, Listing, ListingPage, PostSummary};
use quire_core::seo::listing_tags;
use quire_core::url::post_path;

/// Which listing a route shows; the slug and page number come from the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingKind {
    Home,
    Category,
    Author,
}

#[component]
pub fn ListingRoute(kind: ListingKind) -> impl IntoView {
    match initial::take(RouteKind::Listing) {
        Some(Initial::Adopt { kind: RouteKind::Offline, .. }) => {
            return view! { <OfflinePage what=LISTING_NOT_SAVED /> }.into_any();
        }
        Some(Initial::Adopt { kind, html }) => return adopted(kind, html),
        Some(Initial::Listing(page)) => return view! { <ListingView page=*page /> }.into_any(),
        Some(Initial::NotFound) => return view! { <NotFoundPage /> }.into_any(),
        Some(Initial::Offline) => return view! { <OfflinePage /> }.into_any(),
        Some(Initial::Post(_) | Initial::Search) | None => {}
    }
    let params = crate::routes::table::use_params();
    // `None` for a page number that is not one (`/page/0`, `/page/x`).
    let wanted = move || {
        let Params { slug, n } = params();
        let slug = slug.unwrap_or_default();
        let page = match n {
            None => Some(1),
            Some(n) => n.parse::<u32>().ok().filter(|n| *n >= 1),
        };
        let listing = match kind {
            ListingKind::Home => Listing::Home,
            ListingKind::Category => Listing::Category { slug, label: String::new() },
            ListingKind::Author => Listing::Author { slug, name: String::new(), company: None },
        };
        page.map(|page| (listing, page))
    };
    let base = api::base_path();
    let data = LocalResource::new(move || {
        let base = base.clone();
        let wanted = wanted();
        async move {
            match wanted {
                Some((listing, page)) => api::fetch_listing(base, listing.file(page)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let retry = Callback::new(move |()| data.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading posts…" /> }>
            {move || Suspend::new(async move {
                let page = wanted().map_or(0, |(_, page)| page);
                match data.await {
                    Ok(Some(listing)) => view! { <ListingView page=listing /> }.into_any(),
                    Ok(None) | Err(FetchError::NotFound) => view! { <NotFound what=missing_page(page) /> }.into_any(),
                    Err(error) if is_offline(&error) => {
                        view! { <Offline what=LISTING_NOT_SAVED retry navigated=true /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorView error retry /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn missing_page(page: u32) -> String {
    if page > 1 {
        format!("This listing has no page {page}: it has fewer posts than that.")
    } else {
        "There is no listing at this address.".to_string()
    }
}

#[component]
fn ListingView(page: ListingPage) -> impl IntoView {
    Effect::new(|_| crate::navigation::route_rendered());
    let site = api::site();
    let head = listing_tags(&site, &page.listing, page.page, &api::site_origin());
    let ListingPage { listing, page: number, pages, total, posts, categories, .. } = page;
    let heading = match &listing {
        Listing::Home if number <= 1 => {
            view! { <h1 class="visually-hidden">{site.title.clone()}</h1> }.into_any()
        }
        Listing::Home => {
            view! { <h1 class="listing__title">{format!("All posts, page {number}")}</h1> }.into_any()
        }
        Listing::Category { label, .. } => view! {
            <header class="listing__header">
                <p class="listing__kind">"Category"</p>
                <h1 class="listing__title">{label.clone()}</h1>
                <p class="listing__count">{posts_count(total)}</p>
            </header>
        }
        .into_any(),
        Listing::Author { name, company, .. } => {
            let company = company
                .clone()
                .filter(|c| !c.is_empty())
                .map(|c| view! { <p class="listing__company">{c}</p> });
            view! {
                <header class="listing__header">
                    <p class="listing__kind">"Author"</p>
                    <h1 class="listing__title">{name.clone()}</h1>
                    {company}
                    <p class="listing__count">{posts_count(total)}</p>
                </header>
            }
            .into_any()
        }
    };
    let empty = posts.is_empty().then(|| {
        let text = match listing {
            Listing::Home => "No posts yet.",
            _ => "No posts here yet.",
        };
        view! { <p class="status">{text}</p> }
    });
    let current_category = match &listing {
        Listing::Category { slug, .. } => Some(slug.clone()),
        _ => None,
    };
    view! {
        <Head tags=head />
        <RouteRoot kind=RouteKind::Listing>
            {heading}
            {empty}
            <ol class="post-list">
                {posts.into_iter().map(|post| view! { <PostCard post /> }).collect_view()}
            </ol>
            <Pagination listing=listing.clone() page=number pages />
            <CategoryNav categories current=current_category />
        </RouteRoot>
    }
}

fn posts_count(total: u32) -> String {
    match total {
        1 => "1 post".to_string(),
        n => format!("{n} posts"),
    }
}

/// Newer and older pages of the listing, as plain links.
#[component]
fn Pagination(listing: Listing, page: u32, pages: u32) -> impl IntoView {
    (pages > 1).then(|| {
        let newer = (page > 1).then(|| {
            let href = api::href(&listing.path(page - 1));
            view! { <Link href=href class="pagination__newer" rel="prev">"← Newer posts"</Link> }
        });
        let older = (page < pages).then(|| {
            let href = api::href(&listing.path(page + 1));
            view! { <Link href=href class="pagination__older" rel="next">"Older posts →"</Link> }
        });
        view! {
            <nav class="pagination" aria-label="Pages">
                {newer}
                <span class="pagination__where">{format!("Page {page} of {pages}")}</span>
                {older}
            </nav>
        }
    })
}

/// The blog's categories with their post counts, on every listing page.
#[component]
fn CategoryNav(categories: Vec<CategoryCount>, current: Option<String>) -> impl IntoView {
    (!categories.is_empty()).then(|| {
        let items = categories
            .into_iter()
            .map(|c| {
                let href =
                    api::href(&Listing::Category { slug: c.slug.clone(), label: String::new() }.path(1));
                let here = current.as_deref() == Some(c.slug.as_str());
                let label = format!("{} ({})", c.label, c.count);
                view! {
                    <li>
                        <Link href=href current=here>{label}</Link>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="category-nav" aria-labelledby="category-nav-title">
                <h2 id="category-nav-title" class="category-nav__title">"Categories"</h2>
                <ul class="category-nav__list">{items}</ul>
            </nav>
        }
    })
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
                    <Link href=href>{title}</Link>
                </h2>
                <Byline post company=None />
                <p class="post-card__teaser">{teaser}</p>
            </article>
        </li>
    }
}
