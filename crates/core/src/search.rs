//! Full-text search, shared by the compiler (which builds the index) and the app (which
//! queries it), so both read text the same way: the tokenizer and normaliser, the postings
//! codec, the choice of index terms for a word being typed, ranking and highlighting. The
//! files are described in [`crate::model::SearchManifest`].
//!
//! Text becomes terms as follows. A word is a run of letters and digits (an apostrophe ends
//! it: `l’École` is `l` and `ecole`, `OpenInfra’s` is `openinfra` and `s`); it is lower-cased
//! and loses its accents (`École` → `ecole`, `Straße` → `strasse`), so a query finds the word
//! with or without them.
//! Chinese and Japanese are written without spaces: each Han, Hiragana or Katakana character
//! is a term of its own, and so is each pair of neighbouring ones (bigrams), so that a query
//! of several characters is matched by its pairs.

use std::ops::Range;

/// Weight of a term in a post's title (or SEO title).
pub const TITLE_WEIGHT: u8 = 8;
/// Weight of a term in the post's own description (`seo.description`).
pub const DESCRIPTION_WEIGHT: u8 = 4;
/// Weight of a term in the author's name or a category label.
pub const BYLINE_WEIGHT: u8 = 2;
/// Weight of a term in the body: 1 for one occurrence, 2 for two or three, 3 for more.
pub const MAX_BODY_WEIGHT: u8 = 3;
/// Longer words (hashes, run-together URLs) are not indexed.
pub const MAX_TERM_CHARS: usize = 32;
/// The word being typed matches longer words from this many characters on (`le` finds
/// `leptos`); a single letter only matches itself.
pub const MIN_PREFIX_CHARS: usize = 2;
/// The most index terms a word being typed stands for: its most frequent continuations.
pub const MAX_EXPANSIONS: usize = 8;

/// A word or a Chinese/Japanese character of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What the index holds: lower case, without accents.
    pub term: String,
    /// Where the token is in the text, in bytes.
    pub span: Range<usize>,
    /// A Han, Hiragana or Katakana character (a token of one character).
    pub cjk: bool,
}

/// The words and Chinese/Japanese characters of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    scan(text, |term, span, cjk| tokens.push(Token { term: term.to_string(), span, cjk }));
    tokens
}

/// Calls `f` with each token of `text` in order (its term, span and whether it is a
/// Chinese/Japanese character), without allocating per token.
pub fn scan(text: &str, mut f: impl FnMut(&str, Range<usize>, bool)) {
    let mut term = String::new();
    // The word being read: where it starts and ends (`term` holds its term so far).
    let mut word: Option<Range<usize>> = None;
    let mut cjk = [0u8; 4];
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            if let Some(span) = word.take() {
                f(&term, span, false);
            }
            f(c.encode_utf8(&mut cjk), i..end, true);
        } else if c.is_alphanumeric() {
            let span = word.get_or_insert_with(|| {
                term.clear();
                i..end
            });
            span.end = end;
            push_folded(&mut term, c);
        } else if let Some(span) = word.as_mut().filter(|_| is_combining(c)) {
            // An accent written as a combining mark (`e` + U+0301): part of the word, dropped.
            span.end = end;
        } else if let Some(span) = word.take() {
            f(&term, span, false);
        }
    }
    if let Some(span) = word.take() {
        f(&term, span, false);
    }
}

/// The term of a single word as the index holds it (`École` → `ecole`).
pub fn normalize(word: &str) -> String {
    let mut term = String::with_capacity(word.len());
    for c in word.chars() {
        if !is_combining(c) {
            push_folded(&mut term, c);
        }
    }
    term
}

/// `c` lower-cased and without its accent.
fn push_folded(term: &mut String, c: char) {
    if c.is_ascii() {
        term.push(c.to_ascii_lowercase());
        return;
    }
    for plain in crate::url::deburr(c) {
        for lower in plain.to_lowercase() {
            match lower {
                // Greek final sigma is the same letter.
                'ς' => term.push('σ'),
                l if is_combining(l) || is_apostrophe(l) => {}
                l => term.push(l),
            }
        }
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Han ideographs, Hiragana and Katakana: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B–H
    )
}

/// The terms `text` is indexed under, in order, repeats included: its words (up to
/// [`MAX_TERM_CHARS`] characters), and each Chinese/Japanese character and pair of
/// neighbouring ones.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_index_term(text, |term| terms.push(term.to_string()));
    terms
}

/// [`index_terms`] without allocating per term.
pub fn for_each_index_term(text: &str, mut f: impl FnMut(&str)) {
    // The previous token, when it was a Chinese/Japanese character: where it ended, and it.
    let mut previous: Option<(usize, char)> = None;
    let mut pair = String::with_capacity(8);
    scan(text, |term, span, cjk| {
        if !cjk {
            previous = None;
            if term.chars().nth(MAX_TERM_CHARS).is_none() {
                f(term);
            }
            return;
        }
        let c = term.chars().next().unwrap_or_default();
        if let Some((end, before)) = previous
            && end == span.start
        {
            pair.clear();
            pair.push(before);
            pair.push(c);
            f(&pair);
        }
        f(term);
        previous = Some((span.end, c));
    });
}

/// A search as the reader typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Every clause must match (AND).
    pub clauses: Vec<Clause>,
    /// The runs of Chinese/Japanese characters typed, as written: what results highlight.
    pub cjk_runs: Vec<String>,
}

/// One term a post must contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub term: String,
    /// The word being typed: longer words that begin with it match too.
    pub prefix: bool,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// The clauses of a query: each word, the last one as a prefix while it is being typed (no
/// space or punctuation after it yet, and at least [`MIN_PREFIX_CHARS`] long); a run of
/// Chinese/Japanese characters by its pairs (a single character by itself).
pub fn parse_query(text: &str) -> Query {
    let tokens = tokenize(text);
    let mut query = Query::default();
    let add = |query: &mut Query, term: String, prefix: bool| match query
        .clauses
        .iter_mut()
        .find(|c| c.term == term)
    {
        Some(existing) => existing.prefix &= prefix,
        None => query.clauses.push(Clause { term, prefix }),
    };
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        if !token.cjk {
            let typing = i + 1 == tokens.len() && token.span.end == text.len();
            let prefix = typing && token.term.chars().count() >= MIN_PREFIX_CHARS;
            add(&mut query, token.term.clone(), prefix);
            i += 1;
            continue;
        }
        let mut run = vec![token];
        while let Some(next) = tokens
            .get(i + run.len())
            .filter(|n| n.cjk && run.last().is_some_and(|last: &&Token| last.span.end == n.span.start))
        {
            run.push(next);
        }
        i += run.len();
        if let [single] = run.as_slice() {
            add(&mut query, single.term.clone(), false);
        }
        for pair in run.windows(2) {
            if let [a, b] = pair {
                add(&mut query, format!("{}{}", a.term, b.term), false);
            }
        }
        if let (Some(first), Some(last)) = (run.first(), run.last())
            && let Some(written) = text.get(first.span.start..last.span.end)
        {
            query.cjk_runs.push(written.to_string());
        }
    }
    query
}

/// The index terms a clause stands for, chosen from the dictionary `entries` (term and
/// number of posts) that may hold them: the clause's own term, and for a word being typed the
/// most frequent terms that begin with it (equals in alphabetical order), at most
/// [`MAX_EXPANSIONS`] in all, its own term first.
pub fn expand<'a>(clause: &Clause, entries: impl IntoIterator<Item = (&'a str, u32)>) -> Vec<&'a str> {
    let mut exact = None;
    // The most frequent longer terms so far, most frequent first (a few: kept by insertion).
    let mut longer: Vec<(&'a str, u32)> = Vec::with_capacity(MAX_EXPANSIONS + 1);
    for (term, docs) in entries {
        if term == clause.term {
            exact = Some(term);
        } else if clause.prefix && term.starts_with(clause.term.as_str()) {
            let at =
                longer.iter().position(|&(t, d)| docs > d || (docs == d && term < t)).unwrap_or(longer.len());
            if at < MAX_EXPANSIONS {
                longer.insert(at, (term, docs));
                longer.truncate(MAX_EXPANSIONS);
            }
        }
    }
    let room = MAX_EXPANSIONS - usize::from(exact.is_some());
    exact.into_iter().chain(longer.into_iter().take(room).map(|(t, _)| t)).collect()
}

/// A post containing a term, and how much: the sum of the weights of the fields it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The post's number: posts are numbered newest first from 0.
    pub doc: u32,
    pub weight: u8,
}

/// One index term a clause stands for, and the posts containing it.
#[derive(Clone, Copy, Debug)]
pub struct Match<'a> {
    /// The clause's own word (rather than a longer word it begins).
    pub exact: bool,
    pub postings: &'a [Posting],
}

/// A post that matches a query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// The posts matching every clause, best first. A post's score adds, for each clause, the
/// weight of its best term in the post (a word typed in full counts twice as much as a longer
/// word it begins) times the clause's rarity (`ln(1 + docs / matching posts)`); the newest post
/// wins ties. `clauses[i]` holds the terms clause `i` stands for; `docs` is the number of posts.
pub fn rank(clauses: &[Vec<Match<'_>>], docs: u32) -> Vec<Hit> {
    let n = docs as usize;
    let mut hits: Option<Vec<Hit>> = None;
    let mut best = vec![0u8; n];
    for clause in clauses {
        let mut matched: Vec<u32> = Vec::new();
        for m in clause {
            for p in m.postings {
                let Some(slot) = best.get_mut(p.doc as usize) else { continue };
                let weight = if m.exact { p.weight.saturating_mul(2) } else { p.weight }.max(1);
                if *slot == 0 {
                    matched.push(p.doc);
                }
                *slot = (*slot).max(weight);
            }
        }
        if matched.is_empty() {
            return Vec::new();
        }
        let rarity = (1.0 + docs as f32 / matched.len() as f32).ln();
        let score = |doc: u32| rarity * f32::from(best.get(doc as usize).copied().unwrap_or(0));
        hits = Some(match hits {
            None => matched.iter().map(|&doc| Hit { doc, score: score(doc) }).collect(),
            Some(previous) => previous
                .into_iter()
                .filter(|h| best.get(h.doc as usize).is_some_and(|b| *b > 0))
                .map(|h| Hit { doc: h.doc, score: h.score + score(h.doc) })
                .collect(),
        });
        for doc in matched {
            if let Some(slot) = best.get_mut(doc as usize) {
                *slot = 0;
            }
        }
    }
    // Best first, then newest: sorted as numbers (scores are finite and not negative, so their
    // bits order them), which keeps one sort routine in the app for ranking and highlighting.
    let mut keys: Vec<u64> = hits
        .unwrap_or_default()
        .into_iter()
        .map(|h| (u64::from(u32::MAX - h.score.max(0.0).to_bits()) << 32) | u64::from(h.doc))
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|key| Hit { doc: key as u32, score: f32::from_bits(u32::MAX - (key >> 32) as u32) })
        .collect()
}

/// The byte ranges of `text` to highlight for `query`: words equal to a clause (or beginning
/// with the word being typed), and the query's Chinese/Japanese runs where they occur.
/// Sorted and disjoint.
pub fn highlights(text: &str, query: &Query) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let words: Vec<&Clause> = query.clauses.iter().filter(|c| !c.term.chars().any(is_cjk)).collect();
    if !words.is_empty() {
        for token in tokenize(text).into_iter().filter(|t| !t.cjk) {
            let hit = words
                .iter()
                .any(|c| token.term == c.term || (c.prefix && token.term.starts_with(c.term.as_str())));
            if hit {
                ranges.push(token.span);
            }
        }
    }
    for run in query.cjk_runs.iter().filter(|r| !r.is_empty()) {
        ranges.extend(text.match_indices(run.as_str()).map(|(i, m)| i..i + m.len()));
    }
    let mut keys: Vec<u64> = ranges.into_iter().map(|r| ((r.start as u64) << 32) | r.end as u64).collect();
    keys.sort_unstable();
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(keys.len());
    for range in keys.into_iter().map(|k| (k >> 32) as usize..(k & 0xFFFF_FFFF) as usize) {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// `text` cut into pieces, each to be highlighted or not (see [`highlights`]).
pub fn highlight_pieces<'a>(text: &'a str, query: &Query) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in highlights(text, query) {
        if range.start > at {
            pieces.push((&text[at..range.start], false));
        }
        pieces.push((&text[range.clone()], true));
        at = range.end;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    pieces
}

// ---------------------------------------------------------------------------------------
// Postings as text: JSON-safe, about two characters a posting for common terms.

/// 64 JSON-safe digits: a value below 32 ends a number, one from 32 carries 5 more bits.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

fn push_number(out: &mut String, mut value: u32) {
    loop {
        // Below 32: a digit, and with 32 added still one of the 64.
        let low = (value & 31) as usize;
        value >>= 5;
        let digit = if value == 0 { DIGITS.get(low) } else { DIGITS.get(low + 32) };
        out.push(digit.copied().map_or('0', char::from));
        if value == 0 {
            return;
        }
    }
}

fn digit_value(b: u8) -> Option<u32> {
    let v = match b {
        b'0'..=b'9' => b - b'0',
        b'A'..=b'Z' => b - b'A' + 10,
        b'a'..=b'z' => b - b'a' + 36,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Postings sorted by post, as text: for each, the gap since the previous post (0 for the
/// next one) and the weight, each a little-endian number of 5-bit digits.
pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut next = 0u32;
    for p in postings {
        push_number(&mut out, p.doc.saturating_sub(next));
        push_number(&mut out, u32::from(p.weight));
        next = p.doc.saturating_add(1);
    }
    out
}

/// The postings [`encode_postings`] wrote; `None` for text it cannot have written.
pub fn decode_postings(text: &str) -> Option<Vec<Posting>> {
    let mut postings = Vec::with_capacity(text.len() / 2);
    // A posting is two numbers: the gap since the previous post, read first, and the weight.
    let mut gap: Option<u32> = None;
    let (mut value, mut shift) = (0u32, 0u32);
    let mut next = 0u32;
    for b in text.bytes() {
        let d = digit_value(b)?;
        if shift >= 32 {
            return None;
        }
        value |= (d & 31).checked_shl(shift)?;
        if d >= 32 {
            shift += 5;
            continue;
        }
        match gap.take() {
            None => gap = Some(value),
            Some(gap) => {
                let doc = next.checked_add(gap)?;
                postings.push(Posting { doc, weight: u8::try_from(value).ok()? });
                next = doc.checked_add(1)?;
            }
        }
        (value, shift) = (0, 0);
    }
    (gap.is_none() && shift == 0).then_some(postings)
}

// ---------------------------------------------------------------------------------------
// What the compiler indexes of a post body.

/// The text a reader sees of a Markdown body, as one string: text, code, image descriptions
/// and the text of the raw HTML the sanitiser keeps.
pub fn markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    let mut raw_html = String::new();
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        // Raw HTML arrives in pieces (a block line by line): clean it whole.
        if let Event::Html(raw) | Event::InlineHtml(raw) = &event {
            raw_html.push_str(raw);
            continue;
        }
        if !raw_html.is_empty() {
            push_html_text(&mut text, &std::mem::take(&mut raw_html));
        }
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Rule => text.push(' '),
            _ => {}
        }
    }
    push_html_text(&mut text, &raw_html);
    text
}

/// The text of raw HTML as the sanitiser keeps it, tags as spaces.
fn push_html_text(text: &mut String, raw: &str) {
    if raw.is_empty() {
        return;
    }
    let mut clean = String::new();
    let mut sanitizer = crate::sanitize::HtmlSanitizer::new(0);
    sanitizer.clean(raw, &mut clean);
    sanitizer.finish(&mut clean);
    let mut rest = clean.as_str();
    while let Some((before, tag)) = rest.split_once('<') {
        text.push_str(&crate::sanitize::decode_entities(before));
        text.push(' ');
        rest = tag.split_once('>').map_or("", |(_, after)| after);
    }
    text.push_str(&crate::sanitize::decode_entities(rest));
    text.push(' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn words_are_lower_cased_without_accents_or_apostrophes() {
        assert_eq!(terms("École Polytechnique"), ["ecole", "polytechnique"]);
        assert_eq!(terms("Ildikó VÁNCSA, Özgür Bal"), ["ildiko", "vancsa", "ozgur", "bal"]);
        assert_eq!(terms("Straße œuvre ÆSIR"), ["strasse", "oeuvre", "aesir"]);
        // A combining accent (NFD) is the same word as the precomposed letter (NFC).
        assert_eq!(terms("cafe\u{301} café"), ["cafe", "cafe"]);
        assert_eq!(terms("l’École, OpenInfra's 'quoted'"), ["l", "ecole", "openinfra", "s", "quoted"]);
        assert_eq!(terms("Σίσυφος ΣΊΣΥΦΟΣ"), terms("σίσυφοσ σίσυφοσ"));
        assert_eq!(terms("Привет, МИР"), ["привет", "мир"]);
        assert_eq!(normalize("Café"), "cafe");
        assert_eq!(normalize("İstanbul"), "istanbul");
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(
            terms("open-source, v1.2 (beta) snake_case quire.example/blog?x=1 — end…"),
            [
                "open", "source", "v1", "2", "beta", "snake", "case", "quire", "example", "blog", "x", "1",
                "end"
            ]
        );
        assert_eq!(terms("  ..,;!  "), Vec::<String>::new());
        let spans: Vec<_> = tokenize("a École!").into_iter().map(|t| t.span).collect();
        assert_eq!(spans, [0..1, 2..8]);
    }

    #[test]
    fn chinese_and_japanese_are_indexed_by_characters_and_pairs() {
        assert_eq!(index_terms("日本語 ok"), ["日", "日本", "本", "本語", "語", "ok"]);
        // Kana too; a space or a Latin word ends the run.
        assert_eq!(index_terms("すし 東京tower"), ["す", "すし", "し", "東", "東京", "京", "tower"]);
        // Korean is written with spaces: words.
        assert_eq!(index_terms("오픈 인프라"), ["오픈", "인프라"]);
        let long = "x".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(index_terms(&format!("a {long} b")), ["a", "b"]);
    }

    #[test]
    fn queries_match_the_word_being_typed_as_a_prefix() {
        let q = parse_query("Quire lep");
        assert_eq!(
            q.clauses,
            [Clause { term: "quire".into(), prefix: false }, Clause { term: "lep".into(), prefix: true }]
        );
        // Finished with a space or punctuation: the word is whole.
        assert!(!parse_query("lep ").clauses[0].prefix);
        assert!(!parse_query("lep,").clauses[0].prefix);
        // One letter is too short to stand for its continuations.
        assert!(!parse_query("l").clauses[0].prefix);
        assert_eq!(parse_query("É").clauses[0].term, "e");
        // Repeats are one clause.
        assert_eq!(parse_query("quire QUIRE").clauses.len(), 1);
        assert!(parse_query(" ?! ").is_empty());
    }

    #[test]
    fn chinese_and_japanese_queries_are_matched_by_their_pairs() {
        let q = parse_query("日本語");
        let clauses: Vec<&str> = q.clauses.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(clauses, ["日本", "本語"]);
        assert!(q.clauses.iter().all(|c| !c.prefix));
        assert_eq!(q.cjk_runs, ["日本語"]);
        let q = parse_query("本 quire");
        let clauses: Vec<&str> = q.clauses.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(clauses, ["本", "quire"]);
    }

    #[test]
    fn a_prefix_stands_for_its_most_frequent_continuations() {
        let dict = [("le", 1), ("leap", 3), ("leptos", 9), ("let", 9), ("lexicon", 2), ("other", 50)];
        let exact = Clause { term: "le".into(), prefix: false };
        assert_eq!(expand(&exact, dict), ["le"]);
        let typing = Clause { term: "le".into(), prefix: true };
        assert_eq!(expand(&typing, dict), ["le", "leptos", "let", "leap", "lexicon"]);
        let many: Vec<(String, u32)> = (0..20).map(|i| (format!("le{i:02}"), i)).collect();
        let expanded = expand(&typing, many.iter().map(|(t, d)| (t.as_str(), *d)));
        assert_eq!(expanded.len(), MAX_EXPANSIONS);
        assert_eq!(expanded[0], "le19", "the most frequent first");
        assert!(expand(&Clause { term: "zz".into(), prefix: true }, dict).is_empty());
    }

    fn postings(list: &[(u32, u8)]) -> Vec<Posting> {
        list.iter().map(|&(doc, weight)| Posting { doc, weight }).collect()
    }

    #[test]
    fn ranking_weighs_titles_over_bodies_and_the_newest_wins_ties() {
        // Posts 0 (newest) … 3: "quire" in 2's title, in the bodies of 0, 1 and 3.
        let quire = postings(&[(0, 1), (1, 1), (2, TITLE_WEIGHT + 1), (3, 1)]);
        let hits = rank(&[vec![Match { exact: true, postings: &quire }]], 4);
        let order: Vec<u32> = hits.iter().map(|h| h.doc).collect();
        assert_eq!(order, [2, 0, 1, 3], "title first, then newest first among equals");
        // A description outweighs a body, and a body mentioning the word often a single mention.
        let word = postings(&[(0, 1), (1, MAX_BODY_WEIGHT), (2, DESCRIPTION_WEIGHT)]);
        let order: Vec<u32> =
            rank(&[vec![Match { exact: true, postings: &word }]], 3).iter().map(|h| h.doc).collect();
        assert_eq!(order, [2, 1, 0]);
    }

    #[test]
    fn every_clause_must_match_and_whole_words_beat_longer_ones() {
        let quire = postings(&[(0, 1), (1, 1), (2, 1)]);
        let leptos = postings(&[(1, 1), (2, 1), (5, 8)]);
        let hits = rank(
            &[vec![Match { exact: true, postings: &quire }], vec![Match { exact: true, postings: &leptos }]],
            6,
        );
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [1, 2], "both words");
        let nothing: Vec<Posting> = Vec::new();
        assert!(rank(&[vec![Match { exact: true, postings: &quire }], vec![]], 6).is_empty());
        assert!(
            rank(
                &[vec![Match { exact: true, postings: &quire }, Match { exact: false, postings: &nothing }]],
                6
            )
            .len()
                == 3
        );
        // "lep" typed: post 1 has the word "lep" itself, post 0 "leptos".
        let lep = postings(&[(1, 1)]);
        let leptos = postings(&[(0, 1)]);
        let hits = rank(
            &[vec![Match { exact: true, postings: &lep }, Match { exact: false, postings: &leptos }]],
            2,
        );
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [1, 0]);
        // Out-of-range posts (a damaged file) are ignored.
        let bad = postings(&[(0, 1), (99, 1)]);
        assert_eq!(rank(&[vec![Match { exact: true, postings: &bad }]], 2).len(), 1);
        assert!(rank(&[], 2).is_empty());
    }

    #[test]
    fn postings_round_trip_through_text() {
        let list = postings(&[(0, 1), (1, 17), (2, 3), (40, 8), (1_000_000, 31), (1_000_001, 1)]);
        let text = encode_postings(&list);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        assert_eq!(decode_postings(&text), Some(list));
        // A dense list costs two characters a post.
        let dense = postings(&(0..100).map(|d| (d, 1)).collect::<Vec<_>>());
        assert_eq!(encode_postings(&dense).len(), 200);
        assert_eq!(decode_postings(""), Some(Vec::new()));
        for bad in ["0", "!1", "_", "0_"] {
            assert_eq!(decode_postings(bad), None, "{bad}");
        }
    }

    #[test]
    fn highlights_mark_whole_words_prefixes_and_cjk_runs() {
        let q = parse_query("ecole lep");
        let pieces = highlight_pieces("L’École de Leptos, leap", &q);
        // (An apostrophe ends a word: `L’École` holds the word `École`.)
        assert_eq!(
            pieces,
            [("L’", false), ("École", true), (" de ", false), ("Leptos", true), (", leap", false)]
        );
        let q = parse_query("日本");
        assert_eq!(
            highlight_pieces("東京は日本の首都", &q),
            [("東京は", false), ("日本", true), ("の首都", false)]
        );
        assert_eq!(highlight_pieces("plain", &parse_query("")), [("plain", false)]);
        // A longer word is marked only for the word being typed.
        assert_eq!(highlight_pieces("leptos", &parse_query("lep ")), [("leptos", false)]);
    }

    #[test]
    fn the_manifest_finds_the_dictionary_shards_of_a_term_and_a_prefix() {
        use crate::model::SearchManifest;
        let first = |terms: &[&str]| SearchManifest {
            version: crate::model::FORMAT_VERSION,
            docs: 1,
            docs_per_shard: 32,
            terms: terms.iter().map(|t| t.to_string()).collect(),
        };
        let manifest = first(&["a", "co", "cz", "e"]);
        for (term, shard) in [("", 0), ("b", 0), ("co", 1), ("cob", 1), ("d", 2), ("zz", 3)] {
            assert_eq!(manifest.terms_shard(term), shard, "{term}");
        }
        assert_eq!(manifest.prefix_shards("co"), 1..2);
        assert_eq!(manifest.prefix_shards("c"), 0..3);
        assert_eq!(manifest.prefix_shards("e"), 3..4);
        assert_eq!(first(&[]).prefix_shards("a"), 0..0);
        assert_eq!(manifest.docs_shard(31), 0);
        assert_eq!(manifest.docs_shard(32), 1);
    }

    #[test]
    fn markdown_text_keeps_what_readers_read() {
        let text = markdown_text(
            "# Title\n\nSome *emphasis* and `code`.\n\n<p style=\"x\">Raw &amp; <b>bold</b></p>\n\n<script>evil()</script>\n\n![alt text](a.png)\n",
        );
        let words = terms(&text);
        for w in ["title", "emphasis", "code", "raw", "bold", "alt", "text"] {
            assert!(words.contains(&w.to_string()), "{w} in {words:?}");
        }
        assert!(!words.contains(&"evil".to_string()), "{words:?}");
    }
}
