//! The JSON files the app fetches (and the settings embedded in every page), read as the app
//! reads them (`quire_core::json`, with the format-version check of `model::decode`), then used
//! as the app uses them: a malformed or hostile file must give an error, never a panic (a
//! panic kills the wasm app). And the two sides must agree: whatever value the app reads, or
//! the compiler's serde types can hold, the compiler writes (serde_json) in a form the app
//! reads back as the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_core::json::{FromJson, from_slice};
use quire_core::model::{
    FORMAT_VERSION, ListingPage, PostFile, PostSummary, SearchManifest, SearchTerm, Site, decode,
    decode_post, read_post_file, search_docs_file, search_postings_file, search_terms_file, write_post_file,
};
use quire_core::search::{MAX_EXPANSIONS, decode_postings, expand, highlight_pieces, parse_query};
use quire_core::seo::{home_tags, listing_tags, page_title, post_tags};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt::Debug;

const ORIGIN: &str = "https://blog.example";

fuzz_target!(|data: &[u8]| {
    let _ = decode::<PostFile>(data);
    let _ = decode_post(data);
    let _ = decode::<ListingPage>(data);
    let _ = decode::<SearchManifest>(data);
    let site = Site { title: "quire".into(), ..Site::default() };

    if let Some(mut file) = read::<PostFile>(data) {
        let _ = post_tags(&site, &file.post, ORIGIN);
        summary(&file.post.summary);
        // Written as a post file (its JSON line, then a body: here the input itself), it reads
        // back as the same file, the body where it was written.
        file.version = FORMAT_VERSION;
        file.post.body = String::from_utf8_lossy(data).into_owned();
        let bytes = write_post_file(&file).expect("a post file of the model encodes");
        let (read, body) = decode_post(&bytes).expect("a written post file reads");
        assert_eq!(bytes.get(body), Some(file.post.body.as_bytes()));
        assert_eq!(read.post.summary, file.post.summary);
        assert_eq!(read_post_file(&bytes).as_ref(), Ok(&file));
    }
    if let Some(page) = read::<ListingPage>(data) {
        let _ = listing_tags(&site, &page.listing, page.page, ORIGIN);
        for n in [0, 1, page.page, page.pages, page.page.saturating_add(1)] {
            let _ = page.listing.path(n);
            let _ = page.listing.file(n);
        }
        page.posts.iter().for_each(summary);
    }
    if let Some(site) = read::<Site>(data) {
        let _ = home_tags(&site, ORIGIN);
        let _ = page_title(&site, "A title");
    }
    if let Some(manifest) = read::<SearchManifest>(data) {
        let query = parse_query(&String::from_utf8_lossy(data.get(..40).unwrap_or(data)));
        for clause in &query.clauses {
            let _ = search_terms_file(manifest.terms_shard(&clause.term));
            let range = manifest.prefix_shards(&clause.term);
            assert!(range.start <= range.end && range.end <= manifest.terms.len().max(1), "{range:?}");
        }
        for doc in [0, 1, manifest.docs, manifest.docs.saturating_sub(1), u32::MAX] {
            let _ = search_docs_file(manifest.docs_shard(doc));
        }
    }
    if let Some(terms) = read::<Vec<SearchTerm>>(data) {
        for SearchTerm(_, _, shard) in &terms {
            let _ = search_postings_file(*shard);
        }
        for clause in &parse_query("op ope open infra").clauses {
            let expanded =
                expand(clause, terms.iter().map(|SearchTerm(term, posts, _)| (term.as_str(), *posts)));
            assert!(expanded.len() <= MAX_EXPANSIONS, "{expanded:?}");
        }
    }
    if let Some(postings) = read::<BTreeMap<String, String>>(data) {
        for encoded in postings.values() {
            let _ = decode_postings(encoded);
        }
    }
    if let Some(docs) = read::<Vec<PostSummary>>(data) {
        let query = parse_query("open infra 日本");
        for doc in &docs {
            summary(doc);
            let _ = highlight_pieces(&doc.title, &query);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_postings(text);
    }
});

/// `data` read as `T` by the app's reader, checked against the compiler's side both ways.
fn read<T>(data: &[u8]) -> Option<T>
where
    T: FromJson + Serialize + DeserializeOwned + PartialEq + Debug,
{
    // Whatever the compiler's types can hold, written by the compiler, the app reads.
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        written_reads_back(&value);
    }
    let value = from_slice::<T>(data).ok()?;
    written_reads_back(&value);
    Some(value)
}

/// `value` as the compiler writes it must read back, in the app, as `value`.
fn written_reads_back<T: FromJson + Serialize + PartialEq + Debug>(value: &T) {
    let written = serde_json::to_vec(value).expect("a value of the model encodes");
    match from_slice::<T>(&written) {
        Ok(read) => assert_eq!(&read, value, "{}", String::from_utf8_lossy(&written)),
        Err(error) => panic!("the app cannot read {}: {error}", String::from_utf8_lossy(&written)),
    }
}

fn summary(post: &PostSummary) {
    let _ = post.teaser();
    let _ = post.date.long_format();
    let _ = quire_core::url::post_path(&post.slug);
    let _ = quire_core::url::post_file_key(&post.slug);
}
