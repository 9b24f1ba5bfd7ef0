//! The listing pages: the home listing, one per category and one per author, each cut into
//! pages of the blog's page size. Each page is a file of its own (`content/pages/…`), so the
//! first view of any listing costs the same with 10,000 posts as with 10.

use crate::load::CompiledSite;
use quire_core::model::{CategoryCount, FORMAT_VERSION, Listing, ListingPage, PostSummary};
use std::collections::BTreeMap;

/// Every page of every listing. Categories named in `blog-config.json` get a page even
/// without posts (their links keep working); other categories and authors get one when a
/// visible post names them.
pub fn listing_pages(site: &CompiledSite) -> Vec<ListingPage> {
    let visible: Vec<&PostSummary> = site.posts.iter().map(|p| &p.summary).filter(|s| !s.hidden).collect();
    let categories = category_counts(site, &visible);
    let page_size = usize::try_from(site.site.page_size.max(1)).unwrap_or(10);

    let mut listings: Vec<(Listing, Vec<&PostSummary>)> = vec![(Listing::Home, visible.clone())];
    for category in &categories {
        let posts = visible
            .iter()
            .copied()
            .filter(|p| p.categories.iter().any(|c| c.slug == category.slug))
            .collect();
        listings
            .push((Listing::Category { slug: category.slug.clone(), label: category.label.clone() }, posts));
    }
    // One page per author slug; the name is the one the newest post writes.
    let mut authors: BTreeMap<&str, (&str, Vec<&PostSummary>)> = BTreeMap::new();
    for post in &visible {
        if let (Some(name), Some(slug)) = (post.author.as_deref(), post.author_slug.as_deref()) {
            authors.entry(slug).or_insert_with(|| (name, Vec::new())).1.push(post);
        }
    }
    for (slug, (name, posts)) in authors {
        let company = site.authors.iter().find(|a| a.slug == slug).and_then(|a| a.company.clone());
        listings.push((Listing::Author { slug: slug.to_string(), name: name.to_string(), company }, posts));
    }

    let mut pages = Vec::new();
    for (listing, posts) in listings {
        let total = posts.len();
        let count = total.div_ceil(page_size).max(1);
        for (index, chunk) in (0..count).map(|i| (i, posts.iter().skip(i * page_size).take(page_size))) {
            pages.push(ListingPage {
                version: FORMAT_VERSION,
                listing: listing.clone(),
                page: u32::try_from(index + 1).unwrap_or(u32::MAX),
                pages: u32::try_from(count).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
                posts: chunk.map(|p| (*p).clone()).collect(),
                categories: categories.clone(),
            });
        }
    }
    pages
}

/// The blog's categories with their visible posts: those of `blog-config.json` in its order,
/// then the others posts name, by label.
fn category_counts(site: &CompiledSite, visible: &[&PostSummary]) -> Vec<CategoryCount> {
    let mut counts: Vec<CategoryCount> = Vec::new();
    for category in &site.categories {
        if !category.slug.is_empty() && !counts.iter().any(|c| c.slug == category.slug) {
            counts.push(CategoryCount {
                slug: category.slug.clone(),
                label: category.label.clone(),
                count: 0,
            });
        }
    }
    let configured = counts.len();
    for post in visible {
        for category in &post.categories {
            if category.slug.is_empty() {
                continue;
            }
            match counts.iter_mut().find(|c| c.slug == category.slug) {
                Some(count) => count.count += 1,
                None => counts.push(CategoryCount {
                    slug: category.slug.clone(),
                    label: category.label.clone(),
                    count: 1,
                }),
            }
        }
    }
    if let Some(extra) = counts.get_mut(configured..) {
        extra.sort_by(|a, b| a.label.cmp(&b.label));
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::model::{Author, Category, Post, Site};

    fn post(slug: &str, day: u32, categories: &[&str], author: Option<&str>, hidden: bool) -> Post {
        // Through JSON, so fields other parts add later take their defaults.
        let categories: Vec<serde_json::Value> = categories
            .iter()
            .map(|c| serde_json::json!({ "id": c, "label": c, "slug": quire_core::url::kebab_case(c) }))
            .collect();
        let summary = serde_json::json!({
            "slug": slug, "title": slug, "date": format!("2024-01-{day:02}"), "author": author,
            "authorSlug": author.map(quire_core::url::kebab_case), "categories": categories,
            "excerpt": "", "hidden": hidden,
        });
        let post = serde_json::json!({ "summary": summary, "seo": { "title": slug }, "body": "" });
        serde_json::from_value(post).expect("a post")
    }

    fn site(posts: Vec<Post>, page_size: u32) -> CompiledSite {
        CompiledSite {
            site: Site { page_size, ..Site::default() },
            categories: vec![
                Category { id: "c1".into(), label: "OpenStack".into(), slug: "open-stack".into() },
                Category { id: "c2".into(), label: "Empty One".into(), slug: "empty-one".into() },
            ],
            authors: vec![Author {
                name: "Ada Quill".into(),
                slug: "ada-quill".into(),
                company: Some("Q".into()),
            }],
            posts,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn listings_are_cut_into_pages_of_the_page_size() {
        let posts = (1..=7)
            .rev()
            .map(|d| post(&format!("p{d}"), d, &["OpenStack"], Some("Ada Quill"), false))
            .collect();
        let pages = listing_pages(&site(posts, 3));
        let home: Vec<&ListingPage> = pages.iter().filter(|p| p.listing == Listing::Home).collect();
        assert_eq!(home.len(), 3);
        assert_eq!(home.iter().map(|p| p.posts.len()).collect::<Vec<_>>(), [3, 3, 1]);
        assert!(home.iter().all(|p| p.pages == 3 && p.total == 7));
        assert_eq!(home[0].posts[0].slug, "p7", "newest first");
        assert_eq!(home[2].posts[0].slug, "p1");
        let author: Vec<&ListingPage> =
            pages.iter().filter(|p| matches!(p.listing, Listing::Author { .. })).collect();
        assert_eq!(author.len(), 3);
        assert_eq!(
            author[0].listing,
            Listing::Author { slug: "ada-quill".into(), name: "Ada Quill".into(), company: Some("Q".into()) }
        );
    }

    #[test]
    fn hidden_posts_are_in_no_listing_and_configured_categories_always_have_a_page() {
        let posts = vec![
            post("shown", 2, &["OpenStack", "Zuul"], None, false),
            post("draft", 3, &["OpenStack", "Secret"], Some("Ghost"), true),
        ];
        let pages = listing_pages(&site(posts, 10));
        let labels: Vec<(String, u32)> =
            pages[0].categories.iter().map(|c| (c.label.clone(), c.count)).collect();
        assert_eq!(labels, [("OpenStack".into(), 1), ("Empty One".into(), 0), ("Zuul".into(), 1)]);
        let empty = pages
            .iter()
            .find(|p| matches!(&p.listing, Listing::Category { slug, .. } if slug == "empty-one"));
        assert!(empty.is_some_and(|p| p.posts.is_empty() && p.pages == 1 && p.total == 0));
        assert!(pages.iter().all(|p| p.posts.iter().all(|s| s.slug != "draft")));
        assert!(!pages.iter().any(|p| matches!(&p.listing, Listing::Author { name, .. } if name == "Ghost")));
        assert!(
            !pages.iter().any(|p| matches!(&p.listing, Listing::Category { label, .. } if label == "Secret"))
        );
    }

    #[test]
    fn an_empty_blog_has_one_empty_home_page() {
        let pages = listing_pages(&site(Vec::new(), 10));
        let home: Vec<&ListingPage> = pages.iter().filter(|p| p.listing == Listing::Home).collect();
        assert_eq!(home.len(), 1);
        assert_eq!((home[0].page, home[0].pages, home[0].total), (1, 1, 0));
    }

    #[test]
    fn listing_paths_and_files() {
        let category = Listing::Category { slug: "open-stack".into(), label: "OpenStack".into() };
        assert_eq!(Listing::Home.path(1), "/");
        assert_eq!(Listing::Home.path(2), "/page/2");
        assert_eq!(category.path(1), "/blog/category/open-stack");
        assert_eq!(category.path(3), "/blog/category/open-stack/page/3");
        assert_eq!(category.file(3), "category/open-stack/3.json");
        let cjk = Listing::Author { slug: "日本".into(), name: "日本".into(), company: None };
        assert_eq!(cjk.path(1), "/blog/author/%E6%97%A5%E6%9C%AC");
        assert_eq!(cjk.file(1), "author/~E6~97~A5~E6~9C~AC/1.json");
    }
}
