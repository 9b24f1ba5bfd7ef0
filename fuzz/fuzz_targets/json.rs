//! The JSON files the app fetches (and the settings embedded in every page), decoded as the
//! app decodes them, then used as the app uses them: a malformed or hostile file must give an
//! error, never a panic (a panic kills the wasm app).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_core::model::{
    Index, ListingPage, PostFile, PostSummary, SearchManifest, SearchTerm, Site, search_docs_file,
    search_postings_file, search_terms_file,
};
use quire_core::search::{MAX_EXPANSIONS, decode_postings, expand, highlight_pieces, parse_query};
use quire_core::seo::{home_tags, listing_tags, page_title, post_tags};
use std::collections::BTreeMap;

const ORIGIN: &str = "https://blog.example";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(file) = serde_json::from_str::<PostFile>(text) {
        let _ = post_tags(&file.site, &file.post, ORIGIN);
        summary(&file.post.summary);
        round_trip(&file);
    }
    if let Ok(page) = serde_json::from_str::<ListingPage>(text) {
        let _ = listing_tags(&page.site, &page.listing, page.page, ORIGIN);
        for n in [0, 1, page.page, page.pages, page.page.saturating_add(1)] {
            let _ = page.listing.path(n);
            let _ = page.listing.file(n);
        }
        page.posts.iter().for_each(summary);
        round_trip(&page);
    }
    if let Ok(site) = serde_json::from_str::<Site>(text) {
        let _ = home_tags(&site, ORIGIN);
        let _ = page_title(&site, "A title");
    }
    if let Ok(manifest) = serde_json::from_str::<SearchManifest>(text) {
        let query = parse_query(text.get(..40).unwrap_or(text));
        for clause in &query.clauses {
            let _ = search_terms_file(manifest.terms_shard(&clause.term));
            let range = manifest.prefix_shards(&clause.term);
            assert!(range.start <= range.end && range.end <= manifest.terms.len().max(1), "{range:?}");
        }
        for doc in [0, 1, manifest.docs, manifest.docs.saturating_sub(1), u32::MAX] {
            let _ = search_docs_file(manifest.docs_shard(doc));
        }
        round_trip(&manifest);
    }
    if let Ok(terms) = serde_json::from_str::<Vec<SearchTerm>>(text) {
        for SearchTerm(_, _, shard) in &terms {
            let _ = search_postings_file(*shard);
        }
        for clause in &parse_query("op ope open infra").clauses {
            let expanded =
                expand(clause, terms.iter().map(|SearchTerm(term, posts, _)| (term.as_str(), *posts)));
            assert!(expanded.len() <= MAX_EXPANSIONS, "{expanded:?}");
        }
    }
    if let Ok(postings) = serde_json::from_str::<BTreeMap<String, String>>(text) {
        for encoded in postings.values() {
            let _ = decode_postings(encoded);
        }
    }
    if let Ok(docs) = serde_json::from_str::<Vec<PostSummary>>(text) {
        let query = parse_query("open infra 日本");
        for doc in &docs {
            summary(doc);
            let _ = highlight_pieces(&doc.title, &query);
        }
    }
    if let Ok(index) = serde_json::from_str::<Index>(text) {
        let _ = index.visible_posts().count();
    }
    let _ = decode_postings(text);
});

fn summary(post: &PostSummary) {
    let _ = post.teaser();
    let _ = post.date.long_format();
    let _ = quire_core::url::post_path(&post.slug);
    let _ = quire_core::url::post_file_key(&post.slug);
}

/// What decodes must encode and decode to the same value (the compiler writes with the same
/// types the app reads with).
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let written = serde_json::to_string(value).expect("a decoded value encodes");
    let read: T = serde_json::from_str(&written).unwrap_or_else(|e| panic!("{written} does not decode: {e}"));
    assert_eq!(&read, value, "{written}");
}
