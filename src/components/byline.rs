//! Date, author and categories of a post, as listings and post pages show them.

use leptos::prelude::*;
use quire_core::model::PostSummary;

#[component]
pub fn Byline(post: PostSummary, company: Option<String>) -> impl IntoView {
    let PostSummary { date, author, categories, .. } = post;
    let author = author.map(|name| {
        let company = company
            .filter(|c| !c.is_empty())
            .map(|c| view! { <span class="byline__company">{format!(", {c}")}</span> });
        view! {
            <span class="byline__author">"by " {name} {company}</span>
        }
    });
    let categories = (!categories.is_empty()).then(|| {
        view! {
            <ul class="byline__categories" aria-label="Categories">
                {categories
                    .into_iter()
                    .map(|c| view! { <li class="category">{c.label}</li> })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <div class="byline">
            <time datetime=date.to_string()>{date.long_format()}</time>
            {author}
            {categories}
        </div>
    }
}
