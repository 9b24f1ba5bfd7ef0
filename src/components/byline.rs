//! Date, author and categories of a post, as listings and post pages show them.

use crate::components::link::Link;
use leptos::prelude::*;
use quire_core::model::{Listing, PostSummary};

#[component]
pub fn Byline(post: PostSummary, company: Option<String>) -> impl IntoView {
    let PostSummary { date, author, author_slug, categories, .. } = post;
    let author = author.map(|name| {
        let company = company
            .filter(|c| !c.is_empty())
            .map(|c| view! { <span class="byline__company">{format!(", {c}")}</span> });
        // The author's page lists their posts (openinfra.dev's /blog/author/<name> paths).
        let name = match author_slug {
            Some(slug) => {
                let href =
                    crate::api::href(&Listing::Author { slug, name: String::new(), company: None }.path(1));
                view! { <Link href=href>{name}</Link> }.into_any()
            }
            None => name.into_any(),
        };
        view! {
            <span class="byline__author">"by " {name} {company}</span>
        }
    });
    let categories = (!categories.is_empty()).then(|| {
        view! {
            <ul class="byline__categories" aria-label="Categories">
                {categories
                    .into_iter()
                    .map(|c| {
                        let href =
                            crate::api::href(&Listing::Category { slug: c.slug, label: String::new() }.path(1));
                        view! {
                            <li class="category">
                                <Link href=href>{c.label}</Link>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <div class="byline">
            <time datetime=date.to_string()>{date.long_format()}</time>
            {post
                .reading_minutes
                .map(|m| view! { <span class="byline__reading">{format!("{m} min read")}</span> })}
            {author}
            {categories}
        </div>
    }
}
