//! Where a reader goes after a post: the previous and next visible post by date, and up to
//! [`RELATED_POSTS`] related ones. Stored in the post's JSON (`nav`), shown after its body.
//!
//! Rules:
//! - Order is the listing's: newest first, then by slug. `previous` is the visible post just
//!   older (after it in the listing), `next` the one just newer; the oldest post has no
//!   previous, the newest no next.
//! - Hidden posts are never linked. A hidden post itself (its URL works) gets the visible
//!   posts around its date as previous and next, and its related posts, so a reader who was
//!   sent its link can read on.
//! - Related posts share at least one category with the post: most shared categories first,
//!   then newest, then by slug; never the post itself. They may also be its previous or next.

use quire_core::model::{Post, PostLink, PostNav};
use std::cmp::{Ordering, Reverse};

/// How many related posts a post links to at most.
pub const RELATED_POSTS: usize = 3;

/// The way on from `post`, among `posts` in the listing's order (as `CompiledSite` holds
/// them; hidden ones are skipped). Called once per post, so it avoids scanning every post:
/// the post is found by binary search, its neighbours by walking outwards, and the search
/// for related posts stops once three posts share all its categories.
pub fn post_nav(posts: &[Post], post: &Post) -> PostNav {
    let me = &post.summary;
    let at = posts.binary_search_by(|p| listing_order(p, post));
    // Newer posts come before `post` in the listing, older ones after it (it is not among
    // them itself when it was not found).
    let (newer, older) = match at {
        Ok(i) => (posts.get(..i).unwrap_or(&[]), posts.get(i + 1..).unwrap_or(&[])),
        Err(i) => (posts.get(..i).unwrap_or(&[]), posts.get(i..).unwrap_or(&[])),
    };
    let next = newer.iter().rev().find(|p| !p.summary.hidden);
    let previous = older.iter().find(|p| !p.summary.hidden);

    // Distinct category ids of the post; candidates come newest first, so among posts
    // sharing as many categories the first found stays ahead.
    let mut categories: Vec<&str> = me.categories.iter().map(|c| c.id.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let mut related: Vec<(usize, &Post)> = Vec::with_capacity(RELATED_POSTS + 1);
    if !categories.is_empty() {
        for other in posts.iter().filter(|p| !p.summary.hidden && p.summary.slug != me.slug) {
            let shared =
                categories.iter().filter(|id| other.summary.categories.iter().any(|c| c.id == **id)).count();
            if shared == 0 {
                continue;
            }
            let rank = related.partition_point(|(s, _)| *s >= shared);
            if rank < RELATED_POSTS {
                related.insert(rank, (shared, other));
                related.truncate(RELATED_POSTS);
            }
            if related.len() == RELATED_POSTS && related.iter().all(|(s, _)| *s == categories.len()) {
                break;
            }
        }
    }
    PostNav {
        previous: previous.map(link),
        next: next.map(link),
        related: related.into_iter().map(|(_, p)| link(p)).collect(),
    }
}

/// The listing's order: newest first, then by slug (slugs are unique).
fn listing_order(a: &Post, b: &Post) -> Ordering {
    (Reverse(a.summary.date), &a.summary.slug).cmp(&(Reverse(b.summary.date), &b.summary.slug))
}

fn link(post: &Post) -> PostLink {
    PostLink { slug: post.summary.slug.clone(), title: post.summary.title.clone(), date: post.summary.date }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::date::PostDate;
    use quire_core::model::{Category, PostSeo, PostSummary};

    fn post(slug: &str, date: &str, categories: &[&str], hidden: bool) -> Post {
        let summary = PostSummary {
            slug: slug.into(),
            title: slug.to_uppercase(),
            date: PostDate::parse(date).expect("date"),
            author: None,
            author_slug: None,
            categories: categories
                .iter()
                .map(|id| Category { id: (*id).into(), label: (*id).into(), slug: (*id).into() })
                .collect(),
            description: None,
            excerpt: String::new(),
            hidden,
            reading_minutes: None,
        };
        Post {
            summary,
            seo: PostSeo { title: slug.into(), url: None, twitter_username: None, image: None },
            author_company: None,
            body: String::new(),
        }
    }

    fn slugs(links: &[PostLink]) -> Vec<&str> {
        links.iter().map(|l| l.slug.as_str()).collect()
    }

    /// `post_nav` for `slug`, with `posts` put in the listing's order first (the tests list
    /// them in any order).
    fn nav(posts: &[Post], slug: &str) -> PostNav {
        let mut posts = posts.to_vec();
        posts.sort_by(listing_order);
        let me = posts.iter().find(|p| p.summary.slug == slug).expect("post");
        post_nav(&posts, me)
    }

    fn steps(nav: &PostNav) -> (Option<&str>, Option<&str>) {
        (nav.previous.as_ref().map(|l| l.slug.as_str()), nav.next.as_ref().map(|l| l.slug.as_str()))
    }

    #[test]
    fn previous_is_older_and_next_is_newer() {
        let posts = [
            post("b", "2024-02-01", &[], false),
            post("d", "2024-04-01", &[], false),
            post("a", "2024-01-01", &[], false),
            post("c", "2024-03-01", &[], false),
        ];
        assert_eq!(steps(&nav(&posts, "a")), (None, Some("b")));
        assert_eq!(steps(&nav(&posts, "b")), (Some("a"), Some("c")));
        assert_eq!(steps(&nav(&posts, "d")), (Some("c"), None));
        let link = nav(&posts, "b").next.expect("next");
        assert_eq!((link.title.as_str(), link.date.to_string()), ("C", "2024-03-01".to_string()));
    }

    #[test]
    fn same_date_follows_the_listing_by_slug() {
        // Listing: x (newer), then a, b (same day, by slug), then o (older).
        let posts = [
            post("b", "2024-01-02", &[], false),
            post("a", "2024-01-02", &[], false),
            post("x", "2024-01-03", &[], false),
            post("o", "2024-01-01", &[], false),
        ];
        assert_eq!(steps(&nav(&posts, "a")), (Some("b"), Some("x")));
        assert_eq!(steps(&nav(&posts, "b")), (Some("o"), Some("a")));
    }

    #[test]
    fn hidden_posts_are_skipped_and_get_their_visible_neighbours() {
        let posts = [
            post("new", "2024-03-01", &["c"], false),
            post("draft", "2024-02-01", &["c"], true),
            post("old", "2024-01-01", &["c"], false),
        ];
        let old = nav(&posts, "old");
        assert_eq!(steps(&old), (None, Some("new")));
        assert_eq!(slugs(&old.related), ["new"]);
        let draft = nav(&posts, "draft");
        assert_eq!(steps(&draft), (Some("old"), Some("new")));
        assert_eq!(slugs(&draft.related), ["new", "old"]);
        assert!(["new", "old"].iter().all(|s| nav(&posts, s).related.iter().all(|l| l.slug != "draft")));
    }

    #[test]
    fn related_posts_share_most_categories_then_are_newest() {
        let posts = [
            post("me", "2024-01-10", &["a", "b", "c"], false),
            post("one-old", "2023-01-01", &["a"], false),
            post("two-old", "2023-02-01", &["a", "b"], false),
            post("three", "2022-01-01", &["c", "b", "a"], false),
            post("one-new", "2024-06-01", &["c"], false),
            post("none", "2024-07-01", &["z"], false),
            post("uncategorised", "2024-08-01", &[], false),
            post("two-new", "2024-05-01", &["b", "c", "z"], false),
            post("hidden", "2024-09-01", &["a", "b", "c"], true),
        ];
        let me = nav(&posts, "me");
        assert_eq!(slugs(&me.related), ["three", "two-new", "two-old"]);
        // Fewer candidates than slots: only posts sharing a category.
        assert_eq!(slugs(&nav(&posts, "none").related), ["two-new"]);
        assert!(nav(&posts, "uncategorised").related.is_empty());
    }

    #[test]
    fn related_ties_go_to_the_newest_then_by_slug() {
        let posts = [
            post("me", "2024-01-01", &["a", "a"], false),
            post("b", "2024-02-01", &["a"], false),
            post("a", "2024-02-01", &["a"], false),
            post("newest", "2024-03-01", &["a"], false),
            post("older", "2023-01-01", &["a"], false),
        ];
        // A category listed twice counts once.
        assert_eq!(slugs(&nav(&posts, "me").related), ["newest", "a", "b"]);
    }

    #[test]
    fn a_lone_post_goes_nowhere() {
        let posts = [post("only", "2024-01-01", &["a"], false)];
        assert_eq!(nav(&posts, "only"), PostNav::default());
    }
}
