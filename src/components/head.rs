//! Turns `quire_core::seo::HeadTags` into leptos_meta tags for the route that renders it.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Script, Title};
use quire_core::seo::{HeadTags, MetaKey};

#[component]
pub fn Head(tags: HeadTags) -> impl IntoView {
    let HeadTags { title, canonical, meta, json_ld, .. } = tags;
    let meta = meta
        .into_iter()
        .map(|tag| match tag.key {
            MetaKey::Name(name) => view! { <Meta name=name content=tag.content /> }.into_any(),
            MetaKey::Property(property) => {
                view! { <Meta property=property content=tag.content /> }.into_any()
            }
        })
        .collect_view();
    view! {
        <Title text=title />
        {canonical.map(|href| view! { <Link rel="canonical" href=href /> })}
        {meta}
        <Script type_="application/ld+json">{json_ld}</Script>
    }
}
