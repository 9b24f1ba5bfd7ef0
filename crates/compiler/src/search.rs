//! The search index, `content/search/…` (see `quire_core::model::SearchManifest`): every
//! visible post's title, description, author, categories and body, cut into small files so
//! that the app fetches only the few a search needs.

use crate::load::CompiledSite;
use crate::write::write_json;
use anyhow::{Context, Result};
use quire_core::model::{
    FORMAT_VERSION, Post, PostSummary, SEARCH_MANIFEST_FILE, SearchManifest, SearchTerm, search_docs_file,
    search_postings_file, search_terms_file,
};
use quire_core::search::{
    BYLINE_WEIGHT, DESCRIPTION_WEIGHT, MAX_BODY_WEIGHT, Posting, TITLE_WEIGHT, encode_postings,
    for_each_index_term, markdown_text,
};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

/// A dictionary shard holds about this many bytes of JSON.
const TERMS_SHARD_BYTES: usize = 8 * 1024;
/// A postings shard holds about this many bytes; a term's list is never split (a longer one
/// has a shard of its own).
const POSTINGS_SHARD_BYTES: usize = 16 * 1024;
/// Posts per docs shard.
pub const DOCS_PER_SHARD: u32 = 32;

/// The index as its files hold it.
pub struct SearchIndex {
    pub manifest: SearchManifest,
    pub terms: Vec<Vec<SearchTerm>>,
    pub postings: Vec<BTreeMap<String, String>>,
    pub docs: Vec<Vec<PostSummary>>,
}

/// Indexes the visible posts (hidden ones are never searchable), numbered newest first.
pub fn build(site: &CompiledSite) -> SearchIndex {
    let visible: Vec<&Post> = site.posts.iter().filter(|p| !p.summary.hidden).collect();
    // Reading the posts is most of the work: on every core.
    let weights: Vec<Vec<(String, u8)>> = crate::parallel::map(&visible, |post| post_weights(post));
    // Postings in document order whatever the maps' order: the output does not depend on it.
    let mut lists: TermMap<Vec<Posting>> = TermMap::default();
    for (doc, terms) in (0u32..).zip(weights) {
        for (term, weight) in terms {
            lists.entry(term).or_default().push(Posting { doc, weight });
        }
    }
    let mut lists: Vec<(String, Vec<Posting>)> = lists.into_iter().collect();
    lists.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut postings: Vec<BTreeMap<String, String>> = Vec::new();
    let mut postings_bytes = 0;
    let mut entries: Vec<SearchTerm> = Vec::with_capacity(lists.len());
    for (term, list) in lists {
        let text = encode_postings(&list);
        let bytes = term.len() + text.len() + 6;
        if postings.is_empty() || (postings_bytes + bytes > POSTINGS_SHARD_BYTES && postings_bytes > 0) {
            postings.push(BTreeMap::new());
            postings_bytes = 0;
        }
        postings_bytes += bytes;
        let shard = u32::try_from(postings.len() - 1).unwrap_or(u32::MAX);
        if let Some(current) = postings.last_mut() {
            current.insert(term.clone(), text);
        }
        entries.push(SearchTerm(term, u32::try_from(list.len()).unwrap_or(u32::MAX), shard));
    }

    let mut terms: Vec<Vec<SearchTerm>> = Vec::new();
    let mut terms_bytes = 0;
    for entry in entries {
        let bytes = entry.0.len() + 16;
        if terms.is_empty() || terms_bytes + bytes > TERMS_SHARD_BYTES {
            terms.push(Vec::new());
            terms_bytes = 0;
        }
        terms_bytes += bytes;
        if let Some(current) = terms.last_mut() {
            current.push(entry);
        }
    }

    let docs = visible
        .chunks(DOCS_PER_SHARD as usize)
        .map(|chunk| {
            chunk
                .iter()
                .map(|post| PostSummary {
                    slug: post.summary.slug.clone(),
                    title: post.summary.title.clone(),
                    date: post.summary.date,
                    author: post.summary.author.clone(),
                    author_slug: None,
                    categories: Vec::new(),
                    description: None,
                    excerpt: post.summary.teaser().to_string(),
                    hidden: false,
                    reading_minutes: None,
                })
                .collect()
        })
        .collect();
    let manifest = SearchManifest {
        version: FORMAT_VERSION,
        docs: u32::try_from(visible.len()).unwrap_or(u32::MAX),
        docs_per_shard: DOCS_PER_SHARD,
        terms: terms.iter().filter_map(|shard| shard.first().map(|t| t.0.clone())).collect(),
    };
    SearchIndex { manifest, terms, postings, docs }
}

/// The weight of each term of a post: the sum of its fields' weights (see
/// `quire_core::search`), the body's by how often the term occurs.
fn post_weights(post: &Post) -> Vec<(String, u8)> {
    #[derive(Default)]
    struct Seen {
        title: bool,
        description: bool,
        byline: bool,
        body: u32,
    }
    let mut seen: TermMap<Seen> = TermMap::default();
    let mut mark = |text: &str, field: &mut dyn FnMut(&mut Seen)| {
        for_each_index_term(text, |term| match seen.get_mut(term) {
            Some(s) => field(s),
            None => field(seen.entry(term.to_string()).or_default()),
        });
    };
    mark(&post.summary.title, &mut |s| s.title = true);
    mark(&post.seo.title, &mut |s| s.title = true);
    if let Some(description) = &post.summary.description {
        mark(description, &mut |s| s.description = true);
    }
    if let Some(author) = &post.summary.author {
        mark(author, &mut |s| s.byline = true);
    }
    for category in &post.summary.categories {
        mark(&category.label, &mut |s| s.byline = true);
    }
    mark(&markdown_text(&post.body), &mut |s| s.body += 1);
    seen.into_iter()
        .map(|(term, s)| {
            let body = match s.body {
                0 => 0,
                1 => 1,
                2 | 3 => 2,
                _ => MAX_BODY_WEIGHT,
            };
            let weight = u8::from(s.title) * TITLE_WEIGHT
                + u8::from(s.description) * DESCRIPTION_WEIGHT
                + u8::from(s.byline) * BYLINE_WEIGHT
                + body;
            (term, weight)
        })
        .collect()
}

/// Terms to something. Terms are short words, hashed millions of times on 10,000 posts: with
/// FxHash (rustc's), not SipHash, whose resistance to chosen keys a build of one's own posts
/// does not need. Nothing written depends on the maps' order.
type TermMap<V> = HashMap<String, V, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last.iter_mut().zip(rest).for_each(|(to, from)| *to = *from);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Writes the index into `dir` (`content/search` of the output being built).
pub fn write(index: &SearchIndex, dir: &Path) -> Result<()> {
    for sub in ["terms", "postings", "docs"] {
        let path = dir.join(sub);
        fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
    }
    let content = dir.parent().unwrap_or(dir);
    write_json(&dir.join(SEARCH_MANIFEST_FILE), &index.manifest)?;
    for (n, shard) in index.terms.iter().enumerate() {
        write_json(&content.join(search_terms_file(n)), shard)?;
    }
    for (n, shard) in (0u32..).zip(&index.postings) {
        write_json(&content.join(search_postings_file(n)), shard)?;
    }
    for (n, shard) in (0u32..).zip(&index.docs) {
        write_json(&content.join(search_docs_file(n)), shard)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::model::{Category, Site};
    use quire_core::search::decode_postings;

    fn post(slug: &str, day: u32, title: &str, description: Option<&str>, body: &str, hidden: bool) -> Post {
        let summary = serde_json::json!({
            "slug": slug, "title": title, "date": format!("2024-01-{day:02}"), "author": "Ildikó Váncsa",
            "authorSlug": "ildiko-vancsa", "categories": [], "description": description,
            "excerpt": "", "hidden": hidden,
        });
        let post = serde_json::json!({ "summary": summary, "seo": { "title": title } });
        // The body is not part of a post's JSON (model::write_post_file).
        Post { body: body.to_string(), ..serde_json::from_value(post).expect("a post") }
    }

    fn site(posts: Vec<Post>) -> CompiledSite {
        CompiledSite {
            site: Site::default(),
            categories: Vec::<Category>::new(),
            authors: Vec::new(),
            posts,
            warnings: Vec::new(),
        }
    }

    /// The postings of `term`, looked up the way the app does: manifest → dictionary shard →
    /// postings shard.
    fn lookup(index: &SearchIndex, term: &str) -> Vec<(u32, u8)> {
        let shard = &index.terms[index.manifest.terms_shard(term)];
        let Some(entry) = shard.iter().find(|e| e.0 == term) else { return Vec::new() };
        let text = &index.postings[entry.2 as usize][term];
        let list = decode_postings(text).expect("postings decode");
        assert_eq!(list.len() as u32, entry.1, "{term}: the dictionary counts its posts");
        list.into_iter().map(|p| (p.doc, p.weight)).collect()
    }

    #[test]
    fn weights_add_up_per_field_and_hidden_posts_are_left_out() {
        let index = build(&site(vec![
            post("new", 3, "Quire news", None, "Nothing about it.", false),
            post("draft", 2, "Secret quire", Some("hush"), "quire quire", true),
            post("old", 1, "Other", Some("All about quire."), "quire, quire and quire again; quire.", false),
        ]));
        assert_eq!(index.manifest.docs, 2);
        assert_eq!(lookup(&index, "quire"), [(0, TITLE_WEIGHT), (1, DESCRIPTION_WEIGHT + MAX_BODY_WEIGHT)]);
        assert_eq!(lookup(&index, "secret"), [], "hidden posts are not indexed");
        assert_eq!(lookup(&index, "hush"), []);
        assert_eq!(lookup(&index, "vancsa"), [(0, BYLINE_WEIGHT), (1, BYLINE_WEIGHT)]);
        let slugs: Vec<&str> = index.docs.iter().flatten().map(|d| d.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "old"]);
        assert_eq!(index.docs[0][1].teaser(), "All about quire.");
    }

    #[test]
    fn large_indexes_are_cut_into_small_shards() {
        let posts: Vec<Post> = (0..300)
            .map(|i| {
                let body = format!("Post number {i} says word{i} and common words, and unique{}.", i * 7919);
                post(&format!("p{i}"), 1 + (i % 28), &format!("Title {i}"), None, &body, false)
            })
            .collect();
        let index = build(&site(posts));
        assert!(index.terms.len() > 1 && index.postings.len() > 1, "several shards");
        assert_eq!(index.manifest.terms.len(), index.terms.len());
        assert_eq!(index.docs.len(), 300usize.div_ceil(DOCS_PER_SHARD as usize));
        for shard in &index.terms {
            let json = serde_json::to_string(shard).expect("json");
            assert!(json.len() <= TERMS_SHARD_BYTES + 64, "{}", json.len());
        }
        // Every term is found through the manifest, in one shard, sorted.
        let all: Vec<&str> = index.terms.iter().flatten().map(|t| t.0.as_str()).collect();
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        for term in ["word17", "common", "unique7919", "title", "299"] {
            assert!(!lookup(&index, term).is_empty(), "{term}");
        }
        assert_eq!(lookup(&index, "common").len(), 300);
        let range = index.manifest.prefix_shards("word");
        let found = index.terms[range].iter().flatten().filter(|t| t.0.starts_with("word")).count();
        assert_eq!(found, 301, "word0 … word299 and words");
    }
}
