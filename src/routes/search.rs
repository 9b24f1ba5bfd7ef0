//! `/search?q=…`: the posts matching what the reader types into the header's search box, best
//! first, the words found highlighted. Prerendered without a query (`search/index.html`): what
//! the header's form leads to without JavaScript, so that page says search needs it.

use crate::api::{self, FetchError};
use crate::components::head::{Meta, PageTitle};
use crate::components::link::Link;
use crate::initial::{self, Initial, RouteKind, RouteRoot, adopted};
use crate::search::{self, PAGE, Results, SearchBox};
use leptos::either::Either;
use leptos::prelude::*;
use quire_core::model::PostSummary;
use quire_core::search::{Query, highlight_pieces, parse_query};
use quire_core::seo::page_title;
use quire_core::url::post_path;

#[component]
pub fn SearchRoute() -> impl IntoView {
    let search = expect_context::<SearchBox>();
    let taken = initial::take(RouteKind::Search);
    // The first page of the visit (prerendered), rather than one the reader navigated to.
    let first_page = taken.is_some();
    let prerendered = match taken {
        Some(Initial::Adopt { html, .. }) => Some(html),
        _ => None,
    };
    // The address decides the query unless the box wrote it: a reload, a link, back/forward.
    let q = crate::router::use_query("q");
    search.follow_address(q.get_untracked().unwrap_or_default());
    // The prerendered page (no query) is shown as it is until the reader types.
    let adopting = prerendered.is_some();
    let live = RwSignal::new(!adopting || !search.query.get_untracked().is_empty());
    if adopting && live.get_untracked() {
        // The route renders its own head tags.
        api::remove_static_head_tags();
    }
    Effect::new(move |_| {
        search.follow_address(q.get().unwrap_or_default());
        if !live.get_untracked() && !search.query.get().is_empty() {
            api::remove_static_head_tags();
            live.set(true);
        }
    });
    let html = StoredValue::new(prerendered.unwrap_or_default());
    let announce = !first_page;
    move || {
        if live.get() {
            view! { <SearchView announce /> }.into_any()
        } else {
            adopted(RouteKind::Search, html.get_value())
        }
    }
}

/// What the page shows below its heading.
#[derive(Clone, Debug)]
enum State {
    /// No query yet: how to search.
    Hint,
    /// Fetching what the first results need.
    Searching,
    Found {
        query: Query,
        text: String,
        results: Results,
    },
    Failed(FetchError),
}

/// The search page's state, shared by its closures (all `Copy`).
#[derive(Clone, Copy)]
struct Page {
    search: SearchBox,
    /// How many results to show.
    limit: RwSignal<usize>,
    state: RwSignal<State>,
    local: StoredValue<Local>,
}

struct Local {
    base: String,
    /// A search is fetching the index; when it ends it starts again if the query changed.
    running: bool,
    /// The query the limit was last reset for.
    seen: Option<String>,
    /// The navigation code was told the page is shown (or need not be).
    told: bool,
}

impl Page {
    /// Shows the results of the box's query, at once when the index pieces they need are in.
    fn update(self) {
        let text = self.search.query.get();
        let limit = self.limit.get();
        let new_query = self.local.with_value(|l| l.seen.as_deref() != Some(text.as_str()));
        if new_query {
            self.local.update_value(|l| l.seen = Some(text.clone()));
            if limit != PAGE {
                // A new query starts with one page of results (this runs again).
                self.limit.set(PAGE);
                return;
            }
        }
        let query = parse_query(&text);
        if query.is_empty() {
            self.state.set(State::Hint);
        } else if let Some(results) = search::search_now(&query, limit) {
            self.state.set(State::Found { query, text, results });
        } else {
            if self.state.with_untracked(|s| !matches!(s, State::Found { .. })) {
                self.state.set(State::Searching);
            }
            self.fetch();
        }
    }

    /// Fetches what the box's latest query needs, then shows its results.
    fn fetch(self) {
        if self.local.with_value(|l| l.running) {
            return;
        }
        self.local.update_value(|l| l.running = true);
        let base = self.local.with_value(|l| l.base.clone());
        leptos::task::spawn_local(async move {
            loop {
                let text = self.search.query.get_untracked();
                let Some(limit) = self.limit.try_get_untracked() else { break };
                let query = parse_query(&text);
                if query.is_empty() {
                    break;
                }
                let outcome = search::search(base.clone(), query.clone(), limit).await;
                if self.search.query.get_untracked() == text && self.limit.try_get_untracked() == Some(limit)
                {
                    self.state.try_set(match outcome {
                        Ok(results) => State::Found { query, text, results },
                        Err(error) => State::Failed(error),
                    });
                    break;
                }
            }
            self.local.try_update_value(|l| l.running = false);
        });
    }
}

#[component]
fn SearchView(
    /// Arrived by an in-app navigation (a link, back/forward): tell the navigation code once the
    /// page is shown, unless the reader is typing in the box.
    announce: bool,
) -> impl IntoView {
    let search = expect_context::<SearchBox>();
    let site = api::site();
    let initial =
        if parse_query(&search.query.get_untracked()).is_empty() { State::Hint } else { State::Searching };
    let page = Page {
        search,
        limit: RwSignal::new(PAGE),
        state: RwSignal::new(initial),
        local: StoredValue::new(Local {
            base: api::base_path(),
            running: false,
            seen: None,
            told: !announce,
        }),
    };
    Effect::new(move |_| page.update());
    Effect::new(move |_| {
        let shown = page.state.with(|s| !matches!(s, State::Searching));
        if shown && !page.local.with_value(|l| l.told) {
            page.local.update_value(|l| l.told = true);
            if !box_has_focus() {
                crate::navigation::route_rendered();
            }
        }
    });

    let title = move || {
        let text = search.query.get();
        let text = text.trim();
        if text.is_empty() {
            page_title(&site, "Search")
        } else {
            page_title(&site, &format!("Search: {text}"))
        }
    };
    let status = move || {
        page.state.with(|state| match state {
            State::Hint => "Type words into the search box at the top of the page to find posts by their title, description, author or text.".to_string(),
            State::Failed(_) => "The search could not be completed.".to_string(),
            State::Searching => "Searching…".to_string(),
            State::Found { text, results, .. } => {
                let text = text.trim();
                match results.total {
                    0 => format!("No posts match “{text}”."),
                    1 => format!("1 post matches “{text}”."),
                    n => format!("{n} posts match “{text}”."),
                }
            }
        })
    };
    let body = move || match page.state.get() {
        State::Hint => view! {
            <p class="search__nojs">
                "Searching needs JavaScript, which is turned off or has not loaded in this browser."
            </p>
        }
        .into_any(),
        State::Searching => ().into_any(),
        State::Found { query, results, .. } => {
            let more = (results.total > results.shown.len()).then(|| {
                view! {
                    <button type="button" class="button search__more" on:click=move |_| page.limit.update(|l| *l += PAGE)>
                        "More results"
                    </button>
                }
            });
            let none = (results.total == 0).then(|| {
                view! { <p class="search__hint">"Check the spelling, or try fewer or shorter words."</p> }
            });
            view! {
                {none}
                <ol class="search-results">
                    {results
                        .shown
                        .into_iter()
                        .map(|doc| view! { <SearchResult doc query=query.clone() /> })
                        .collect_view()}
                </ol>
                {more}
            }
            .into_any()
        }
        State::Failed(error) => view! {
            <div class="search__error" role="alert">
                <p>{format!("Reason: {error}.")}</p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        page.state.set(State::Searching);
                        page.fetch();
                    }
                >
                    "Try again"
                </button>
            </div>
        }
        .into_any(),
    };
    view! {
        <PageTitle text=title />
        <Meta name="robots" content="noindex" />
        <RouteRoot kind=RouteKind::Search>
            <h1 class="search__title">"Search"</h1>
            <p class="search__status" role="status">
                {status}
            </p>
            {body}
        </RouteRoot>
    }
}

#[component]
fn SearchResult(doc: PostSummary, query: Query) -> impl IntoView {
    let href = api::href(&post_path(&doc.slug));
    let title = marked(&doc.title, &query);
    let teaser = marked(doc.teaser(), &query);
    let author = doc.author.map(|author| {
        let author = marked(&author, &query);
        view! {
            " · "
            <span class="search-result__author">{author}</span>
        }
    });
    view! {
        <li class="search-result">
            <h2 class="search-result__title">
                <Link href=href>{title}</Link>
            </h2>
            <p class="search-result__meta">
                <time datetime=doc.date.to_string()>{doc.date.long_format()}</time>
                {author}
            </p>
            <p class="search-result__teaser">{teaser}</p>
        </li>
    }
}

/// `text` with the words the query found in `<mark>` (as text nodes: nothing is parsed as
/// HTML).
fn marked(text: &str, query: &Query) -> impl IntoView + use<> {
    highlight_pieces(text, query)
        .into_iter()
        .map(|(piece, hit)| {
            let piece = piece.to_string();
            if hit { Either::Left(view! { <mark>{piece}</mark> }) } else { Either::Right(piece) }
        })
        .collect_view()
}

/// The reader is typing in the header's search box.
fn box_has_focus() -> bool {
    #[cfg(feature = "csr")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|e| e.id() == crate::components::layout::SEARCH_INPUT_ID)
    }
    #[cfg(not(feature = "csr"))]
    false
}
