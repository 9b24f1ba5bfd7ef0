//! The search index the compiler writes (`content/search/…`), read back the way the app reads
//! it, and the prerendered search page.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::model::{
    PostSummary, SearchManifest, SearchTerm, search_docs_file, search_postings_file, search_terms_file,
};
use quire_core::search::{Match, Posting, decode_postings, expand, parse_query, rank};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

mod common;

fn run(step: &str, content: &Path, out: &Path) {
    let output = common::run(step, content, out, "/");
    assert!(output.status.success(), "{step}: {}", String::from_utf8_lossy(&output.stderr));
}

fn read<T: DeserializeOwned>(out: &Path, file: &str) -> T {
    let path = out.join("content").join(file);
    serde_json::from_str(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn content(posts: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("posts")).expect("posts dir");
    for (name, text) in posts {
        fs::write(dir.path().join("posts").join(name), text).expect("write post");
    }
    dir
}

/// The index of a built site, as the app reads it.
struct Index {
    out: TempDir,
    manifest: SearchManifest,
}

impl Index {
    fn build(content: &Path) -> Index {
        let out = tempfile::tempdir().expect("out");
        run("build", content, out.path());
        let manifest = read(out.path(), "search/index.json");
        Index { out, manifest }
    }

    /// The dictionary entries of a shard.
    fn terms(&self, shard: usize) -> Vec<SearchTerm> {
        read(self.out.path(), &search_terms_file(shard))
    }

    fn postings(&self, term: &str) -> Vec<Posting> {
        let shard = self.terms(self.manifest.terms_shard(term));
        let Some(entry) = shard.iter().find(|t| t.0 == term) else { return Vec::new() };
        let texts: BTreeMap<String, String> = read(self.out.path(), &search_postings_file(entry.2));
        decode_postings(&texts[term]).expect("postings")
    }

    /// The slugs of the posts matching `text`, best first: the app's lookup, natively.
    fn search(&self, text: &str) -> Vec<String> {
        let query = parse_query(text);
        let mut lists: Vec<Vec<(bool, Vec<Posting>)>> = Vec::new();
        for clause in &query.clauses {
            let range = if clause.prefix {
                self.manifest.prefix_shards(&clause.term)
            } else {
                let n = self.manifest.terms_shard(&clause.term);
                n..n + 1
            };
            let entries: Vec<SearchTerm> = range.flat_map(|n| self.terms(n)).collect();
            let terms = expand(clause, entries.iter().map(|t| (t.0.as_str(), t.1)));
            lists.push(terms.iter().map(|t| (*t == clause.term, self.postings(t))).collect());
        }
        let clauses: Vec<Vec<Match<'_>>> = lists
            .iter()
            .map(|c| c.iter().map(|(exact, p)| Match { exact: *exact, postings: p }).collect())
            .collect();
        rank(&clauses, self.manifest.docs)
            .into_iter()
            .map(|hit| {
                let shard: Vec<PostSummary> =
                    read(self.out.path(), &search_docs_file(self.manifest.docs_shard(hit.doc)));
                shard[(hit.doc % self.manifest.docs_per_shard) as usize].slug.clone()
            })
            .collect()
    }
}

fn post(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n")
}

#[test]
fn the_index_holds_visible_posts_with_accents_and_japanese_searchable() {
    let dir = content(&[
        (
            "ecole.md",
            &post(
                "Rendez-vous à l’École",
                "2025-03-01",
                "author: Ildikó Váncsa\n",
                "The summit meets at **École Polytechnique** in Palaiseau.",
            ),
        ),
        (
            "nihongo.md",
            &post("Notes", "2025-02-01", "", "Plain words first. 日本語の文章も、そのまま書けます。"),
        ),
        (
            "secret.md",
            &post("Secret plans", "2025-04-01", "hidePost: true\n", "Nobody may find zanzibar here."),
        ),
        (
            "older.md",
            &post(
                "Summit notes",
                "2024-01-01",
                "seo:\n  description: All about the summit.\n",
                "Nothing else.",
            ),
        ),
    ]);
    let index = Index::build(dir.path());
    assert_eq!(index.manifest.docs, 3, "the hidden post is not indexed");
    assert_eq!(index.manifest.version, quire_core::model::FORMAT_VERSION);

    // Accented words are indexed without their accents and found with or without them.
    assert!(!index.postings("ecole").is_empty());
    assert!(!index.postings("vancsa").is_empty(), "the author's name");
    assert_eq!(index.search("École"), ["ecole"]);
    assert_eq!(index.search("ecole"), ["ecole"]);
    assert_eq!(index.search("ILDIKÓ"), ["ecole"]);
    // Japanese: characters and pairs.
    for term in ["日", "日本", "本語", "文章", "書"] {
        assert!(!index.postings(term).is_empty(), "{term}");
    }
    assert_eq!(index.search("日本語"), ["nihongo"]);
    assert_eq!(index.search("そのまま"), ["nihongo"]);
    // The word being typed is a prefix.
    assert_eq!(index.search("polyt"), ["ecole"]);
    // Hidden posts are nowhere in the index.
    assert!(index.postings("zanzibar").is_empty());
    assert!(index.postings("secret").is_empty());
    let all: String = fs::read_dir(index.out.path().join("content/search/docs"))
        .expect("docs")
        .map(|e| fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert!(!all.contains("secret"), "{all}");
    // The title and the description weigh more than the body; the newest wins ties.
    assert_eq!(index.search("summit"), ["older", "ecole"]);
    assert_eq!(index.search("notes"), ["nihongo", "older"]);
}

#[test]
fn the_search_page_is_prerendered_and_every_header_holds_the_form() {
    const FRAME: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    \
<meta name=\"quire-base\" content=\"/\" />\n    <title>Blog</title>\n  </head>\n  <body>\n  </body>\n</html>\n";
    let dir = content(&[("one.md", &post("One", "2025-01-01", "", "Body."))]);
    let out = tempfile::tempdir().expect("out");
    fs::write(out.path().join("index.html"), FRAME).expect("frame");
    run("build", dir.path(), out.path());
    run("finalize", dir.path(), out.path());
    let page = fs::read_to_string(out.path().join("search/index.html")).expect("search page");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
    assert!(page.contains("<meta name=\"quire-path\" content=\"/search\">"), "{page}");
    assert!(page.contains("data-route=\"search\""), "{page}");
    assert!(page.contains("Searching needs JavaScript"), "{page}");
    for file in ["index.html", "search/index.html", "blog/one/index.html", "404.html"] {
        let html = fs::read_to_string(out.path().join(file)).expect(file);
        assert!(html.contains("<form role=\"search\" action=\"/search\" method=\"get\""), "{file}");
        assert!(html.contains("type=\"search\" name=\"q\""), "{file}");
    }
}
