//! Search in the browser: the query the header's box holds, and the index, fetched piece by
//! piece as searches need it (never before the reader's first search) and kept for the rest
//! of the visit, so that once a word's pieces are in, each keystroke is answered at once.
//!
//! The files are described in `quire_core::model::SearchManifest`; the tokenizer and ranking
//! are `quire_core::search`, the same code the compiler indexed with.

use crate::api::{self, FetchError};
use leptos::prelude::*;
use quire_core::model::{PostSummary, SearchManifest, SearchTerm};
use quire_core::search::{Hit, Match, Posting, Query, expand, rank};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Results shown at first, and added by "More results".
pub const PAGE: usize = 20;
/// A word being typed reads at most this many dictionary shards (a very short prefix of a
/// very large dictionary spans more; its other continuations are left out).
const MAX_PREFIX_SHARDS: usize = 3;
/// How long the address waits after a keystroke before it shows the query.
const ADDRESS_DELAY_MS: u64 = 300;

/// The search box's state, shared by the header (which writes it) and the search route
/// (which shows its results): the query as typed, ahead of the address while the reader types.
#[derive(Clone, Copy)]
pub struct SearchBox {
    pub query: RwSignal<String>,
    pub input: NodeRef<leptos::html::Input>,
    state: StoredValue<BoxState>,
}

struct BoxState {
    /// The search page's path, under the base path (`/search`, `/quire/search`).
    page: String,
    /// The query the app last put into the address, to tell the reader's own typing from an
    /// address that changed otherwise (a reload, a link, back and forward).
    written: Option<String>,
    /// The address update waiting for the reader to pause.
    timer: Option<TimeoutHandle>,
}

impl SearchBox {
    /// `base`: the path the site is served under (see `api::base_path`).
    pub fn new(base: &str) -> Self {
        SearchBox {
            query: RwSignal::new(String::new()),
            input: NodeRef::new(),
            state: StoredValue::new(BoxState { page: format!("{base}/search"), written: None, timer: None }),
        }
    }

    /// The search page's path, under the base path.
    pub fn page(&self) -> String {
        self.state.with_value(|s| s.page.clone())
    }

    /// True for the search page's address (`/search`, `/search/`, `/search/index.html`).
    pub fn is_search_path(&self, pathname: &str) -> bool {
        self.state
            .with_value(|s| matches!(pathname.strip_prefix(s.page.as_str()), Some("" | "/" | "/index.html")))
    }

    /// `/search?q=…`, or `/search` for an empty query.
    pub fn href(&self, text: &str) -> String {
        let mut href = self.page();
        if text.is_empty() {
            return href;
        }
        href.push_str("?q=");
        for byte in text.bytes() {
            match byte {
                b' ' => href.push('+'),
                b if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => href.push(char::from(b)),
                b => href.push_str(&format!("%{b:02X}")),
            }
        }
        href
    }

    /// The reader typed `text`: results follow at once; the address follows once typing
    /// pauses, or at once when `now` (a submit, or the first keystroke on another page, which
    /// is a navigation to the search page). `navigate` goes to an address (replacing the
    /// search page's own, so that typing adds no history entry per keystroke).
    pub fn typed(&self, text: String, now: bool, navigate: impl Fn(&str) + 'static) {
        if self.query.get_untracked() != text {
            self.query.set(text.clone());
        }
        self.cancel_timer();
        if now {
            self.write_address(&text, &navigate);
            return;
        }
        let this = *self;
        let handle = set_timeout_with_handle(
            move || {
                this.state.update_value(|s| s.timer = None);
                let text = this.query.get_untracked();
                this.write_address(&text, &navigate);
            },
            std::time::Duration::from_millis(ADDRESS_DELAY_MS),
        );
        self.state.update_value(|s| s.timer = handle.ok());
    }

    fn write_address(&self, text: &str, navigate: &impl Fn(&str)) {
        if self.wrote(text) {
            return;
        }
        self.state.update_value(|s| s.written = Some(text.to_string()));
        navigate(&self.href(text));
    }

    fn wrote(&self, text: &str) -> bool {
        self.state.with_value(|s| s.written.as_deref() == Some(text))
    }

    /// The search page's address says `q`: unless the app wrote it, it is the query now (and
    /// the box shows it).
    pub fn follow_address(&self, q: String) {
        if self.wrote(&q) {
            return;
        }
        self.cancel_timer();
        self.state.update_value(|s| s.written = Some(q.clone()));
        self.show_in_box(&q);
        if self.query.get_untracked() != q {
            self.query.set(q);
        }
    }

    /// The reader left the search page: the box empties.
    pub fn reset(&self) {
        self.cancel_timer();
        self.state.update_value(|s| s.written = None);
        self.show_in_box("");
        if !self.query.get_untracked().is_empty() {
            self.query.set(String::new());
        }
    }

    fn show_in_box(&self, text: &str) {
        if let Some(input) = self.input.get_untracked()
            && input.value() != text
        {
            input.set_value(text);
        }
    }

    fn cancel_timer(&self) {
        if let Some(handle) = self.state.try_update_value(|s| s.timer.take()).flatten() {
            handle.clear();
        }
    }
}

// ---------------------------------------------------------------------------------------
// The index, as far as it is fetched.

/// What a search found: how many posts match, and the first ones.
#[derive(Clone, Debug, Default)]
pub struct Results {
    pub total: usize,
    pub shown: Vec<PostSummary>,
}

/// A file of the index the store lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    Manifest,
    Terms(usize),
    Postings(u32),
    Docs(u32),
}

#[derive(Default)]
struct Store {
    manifest: Option<Rc<SearchManifest>>,
    terms: HashMap<usize, Rc<Vec<SearchTerm>>>,
    postings: HashMap<u32, Rc<BTreeMap<String, String>>>,
    decoded: HashMap<String, Rc<Vec<Posting>>>,
    docs: HashMap<u32, Rc<Vec<PostSummary>>>,
    /// The last ranking and the query it was for: "More results" and the repeats of a query
    /// (typing a space) reuse it.
    last: Option<(Query, Rc<Vec<Hit>>)>,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::new(Store::default());
}

/// The results of `query` if every file they need is fetched: what each keystroke runs.
pub fn search_now(query: &Query, limit: usize) -> Option<Results> {
    STORE.with_borrow_mut(|store| store.search(query, limit).ok())
}

/// The results of `query`, fetching the files they need first.
pub async fn search(base: String, query: Query, limit: usize) -> Result<Results, FetchError> {
    // Each round fetches what the previous one showed missing: the manifest, dictionary
    // shards, postings, then the results' documents.
    for _ in 0..6 {
        let needs = match STORE.with_borrow_mut(|store| store.search(&query, limit)) {
            Ok(results) => return Ok(results),
            Err(needs) => needs,
        };
        let fetched =
            futures::future::join_all(needs.into_iter().map(|need| fetch(base.clone(), need))).await;
        for result in fetched {
            result?;
        }
    }
    Err(FetchError::Invalid("the search index is incomplete".into()))
}

async fn fetch(base: String, need: Need) -> Result<(), FetchError> {
    match need {
        Need::Manifest => {
            let manifest = Rc::new(api::fetch_search_manifest(base).await?);
            STORE.with_borrow_mut(|s| s.manifest = Some(manifest));
        }
        Need::Terms(n) => {
            let terms = Rc::new(api::fetch_search_terms(base, n).await?);
            STORE.with_borrow_mut(|s| s.terms.insert(n, terms));
        }
        Need::Postings(n) => {
            let postings = Rc::new(api::fetch_search_postings(base, n).await?);
            STORE.with_borrow_mut(|s| s.postings.insert(n, postings));
        }
        Need::Docs(n) => {
            let docs = Rc::new(api::fetch_search_docs(base, n).await?);
            STORE.with_borrow_mut(|s| s.docs.insert(n, docs));
        }
    }
    Ok(())
}

impl Store {
    /// The results, or the files still needed for them.
    fn search(&mut self, query: &Query, limit: usize) -> Result<Results, Vec<Need>> {
        let Some(manifest) = self.manifest.clone() else { return Err(vec![Need::Manifest]) };
        if query.is_empty() || manifest.terms.is_empty() {
            return Ok(Results::default());
        }
        let hits = match &self.last {
            Some((last, hits)) if last == query => Rc::clone(hits),
            _ => {
                let hits = Rc::new(self.rank(&manifest, query)?);
                self.last = Some((query.clone(), Rc::clone(&hits)));
                hits
            }
        };
        let shown = hits.get(..limit).unwrap_or(&hits);
        let needs = distinct(
            shown
                .iter()
                .map(|h| manifest.docs_shard(h.doc))
                .filter(|n| !self.docs.contains_key(n))
                .map(Need::Docs),
        );
        if !needs.is_empty() {
            return Err(needs);
        }
        let per_shard = manifest.docs_per_shard.max(1);
        let shown = shown
            .iter()
            .filter_map(|h| {
                let shard = self.docs.get(&manifest.docs_shard(h.doc))?;
                shard.get((h.doc % per_shard) as usize).cloned()
            })
            .collect();
        Ok(Results { total: hits.len(), shown })
    }

    fn rank(&mut self, manifest: &SearchManifest, query: &Query) -> Result<Vec<Hit>, Vec<Need>> {
        // The dictionary shards of every clause.
        let shards: Vec<std::ops::Range<usize>> = query
            .clauses
            .iter()
            .map(|clause| {
                if clause.prefix {
                    let range = manifest.prefix_shards(&clause.term);
                    range.start..range.end.min(range.start + MAX_PREFIX_SHARDS)
                } else {
                    let shard = manifest.terms_shard(&clause.term);
                    shard..shard + 1
                }
            })
            .collect();
        let needs = distinct(
            shards.iter().flat_map(|r| r.clone()).filter(|n| !self.terms.contains_key(n)).map(Need::Terms),
        );
        if !needs.is_empty() {
            return Err(needs);
        }
        // The terms each clause stands for, and where their postings are.
        let mut chosen: Vec<Vec<(bool, String, u32)>> = Vec::with_capacity(query.clauses.len());
        for (clause, range) in query.clauses.iter().zip(&shards) {
            let mut candidates: Vec<&SearchTerm> = Vec::new();
            for shard in range.clone().filter_map(|n| self.terms.get(&n)) {
                let from = shard.partition_point(|t| t.0.as_str() < clause.term.as_str());
                candidates.extend(shard.get(from..).unwrap_or_default().iter().take_while(|t| {
                    if clause.prefix { t.0.starts_with(&clause.term) } else { t.0 == clause.term }
                }));
            }
            let terms = expand(clause, candidates.iter().map(|t| (t.0.as_str(), t.1)));
            if terms.is_empty() {
                // Every clause must match: this one matches nothing.
                return Ok(Vec::new());
            }
            chosen.push(
                terms
                    .into_iter()
                    .filter_map(|term| candidates.iter().find(|t| t.0 == term))
                    .map(|t| (t.0 == clause.term, t.0.clone(), t.2))
                    .collect(),
            );
        }
        let needs = distinct(
            chosen
                .iter()
                .flatten()
                .filter(|(_, term, shard)| {
                    !self.decoded.contains_key(term) && !self.postings.contains_key(shard)
                })
                .map(|(_, _, shard)| Need::Postings(*shard)),
        );
        if !needs.is_empty() {
            return Err(needs);
        }
        let mut lists: Vec<Vec<(bool, Rc<Vec<Posting>>)>> = Vec::with_capacity(chosen.len());
        for clause in &chosen {
            let mut matches = Vec::with_capacity(clause.len());
            for (exact, term, shard) in clause {
                let list = match self.decoded.get(term) {
                    Some(list) => Rc::clone(list),
                    None => {
                        let text = self.postings.get(shard).and_then(|p| p.get(term));
                        let list = Rc::new(
                            text.and_then(|t| quire_core::search::decode_postings(t)).unwrap_or_default(),
                        );
                        self.decoded.insert(term.clone(), Rc::clone(&list));
                        list
                    }
                };
                matches.push((*exact, list));
            }
            lists.push(matches);
        }
        let clauses: Vec<Vec<Match<'_>>> = lists
            .iter()
            .map(|c| {
                c.iter().map(|(exact, list)| Match { exact: *exact, postings: list.as_slice() }).collect()
            })
            .collect();
        Ok(rank(&clauses, manifest.docs))
    }
}

/// The files of `needs`, each once.
fn distinct(needs: impl Iterator<Item = Need>) -> Vec<Need> {
    let mut files: Vec<Need> = Vec::new();
    for need in needs {
        if !files.contains(&need) {
            files.push(need);
        }
    }
    files
}
