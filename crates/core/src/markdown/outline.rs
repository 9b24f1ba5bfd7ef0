//! The renderer's last pass, over its own finished HTML: every heading gets a unique `id` and
//! an anchor link, the headings become the table of contents, and images load lazily.
//!
//! Working on the finished HTML treats Markdown and raw-HTML headings alike (a raw heading's
//! text may span several fragments, even Markdown inside it) and sees every id the page will
//! have, so a pre-pass is exact. It relies on what pulldown-cmark and the sanitiser guarantee
//! of that HTML: every `<` starts a tag and every `>` ends one (text and attribute values
//! have them escaped), tag names are lower case and attribute values double-quoted. Anything
//! else is copied through untouched.
//!
//! Id rules (see [`slug`]): the heading's text, lower-cased; Unicode letters and digits kept
//! (accents, CJK), every other run of characters one `-`, none at either end; `section` when
//! nothing is left; `section-` in front of an id the app reserves (`main`, `quire…`); then
//! `-1`, `-2`… until it differs from every id already on the page: the author's (`id` and
//! `name` attributes the sanitiser kept), footnotes' and earlier headings'. A heading whose
//! author gave it an id keeps that id when nothing else on the page has it; otherwise the
//! heading gets a generated one instead.

use super::TocEntry;
use crate::entities::{Context, decode};
use crate::sanitize::{decode_entities, escape_attr, is_reserved_id};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashSet, VecDeque};
use std::ops::Range;

/// Put after a heading's text; `{id}` is the heading's id. Keyboard-reachable; the stylesheet
/// shows it on hover and on focus.
fn anchor(id: &str) -> String {
    format!(
        "<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
        escape_attr(id)
    )
}

/// What images get unless the author chose (`loading` is kept as written; the sanitiser
/// drops any author `decoding`).
const LAZY: &str = " loading=\"lazy\"";
const ASYNC: &str = " decoding=\"async\"";

struct Heading {
    level: u8,
    /// Where a generated ` id="…"` goes: just after `<hN`.
    id_at: usize,
    /// The id the author wrote (kept by the sanitiser), and where its value is in the HTML.
    id: Option<(String, Range<usize>)>,
    text: String,
    /// Where the anchor goes: at the `</hN>` closing the heading, unless that is inside a
    /// link (links cannot nest).
    anchor_at: Option<usize>,
}

/// Adds heading ids and anchors and image loading hints to `html`; returns the new HTML and
/// the headings in document order. `taken` holds ids the page has beyond those written in
/// `html` (pulldown-cmark's footnote names).
pub(super) fn finish(html: String, mut taken: HashSet<String>, anchors: bool) -> (String, Vec<TocEntry>) {
    let mut headings: Vec<Heading> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // Replacements of byte ranges of `html`; most are insertions (empty ranges).
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Ids written more than once: a heading does not keep such an id.
    let mut repeated: HashSet<String> = HashSet::new();
    let mut in_link = false;
    let mut in_footnote_reference = false;
    let mut pos = 0;
    while let Some(lt) = html.get(pos..).and_then(|rest| rest.find('<')) {
        let start = pos + lt;
        if !in_footnote_reference {
            add_text(&mut headings, &open, html.get(pos..start).unwrap_or(""));
        }
        let Some(end) =
            html.get(start..).and_then(|rest| rest.bytes().position(|b| b == b'>')).map(|gt| start + gt)
        else {
            break;
        };
        pos = end + 1;
        let tag = html.get(start + 1..end).unwrap_or("");
        if let Some(name) = tag.strip_prefix('/') {
            match name.trim_end() {
                "a" => in_link = false,
                "sup" => in_footnote_reference = false,
                name if heading_level(name).is_some() => {
                    if let Some(heading) = open.pop().and_then(|i| headings.get_mut(i)) {
                        heading.anchor_at = (!in_link).then_some(start);
                    }
                }
                _ => {}
            }
            continue;
        }
        let name_end = tag.bytes().position(|b| b.is_ascii_whitespace() || b == b'/').unwrap_or(tag.len());
        let (name, attrs) = tag.split_at(name_end);
        // One scan of the attributes for both (most tags have neither).
        let [id, name_attr] = attributes(attrs, ["id", "name"]);
        for value in [id, name_attr].into_iter().flatten() {
            let value = decode(value, Context::Attribute);
            if taken.contains(&value) {
                repeated.insert(value);
            } else {
                taken.insert(value);
            }
        }
        match name {
            "a" => in_link = true,
            "sup" => in_footnote_reference = attribute(attrs, "class") == Some("footnote-reference"),
            "br" => add_text(&mut headings, &open, " "),
            "img" => {
                let at = start + 1 + attributes_end(tag);
                let mut hints = String::new();
                if attribute(attrs, "loading").is_none() {
                    hints.push_str(LAZY);
                }
                if attribute(attrs, "decoding").is_none() {
                    hints.push_str(ASYNC);
                }
                if !hints.is_empty() {
                    edits.push((at..at, hints));
                }
            }
            name => {
                if let Some(level) = heading_level(name) {
                    open.push(headings.len());
                    headings.push(Heading {
                        level,
                        id_at: start + 1 + name.len(),
                        id: id.filter(|id| !id.is_empty()).map(|raw| {
                            let at = offset(&html, raw);
                            (decode(raw, Context::Attribute), at..at + raw.len())
                        }),
                        text: String::new(),
                        anchor_at: None,
                    });
                }
            }
        }
    }

    let mut toc = Vec::with_capacity(headings.len());
    for heading in headings {
        let text = collapse_whitespace(&heading.text);
        let id = match heading.id {
            Some((id, _)) if !repeated.contains(&id) => id,
            written => {
                let id = unique(slug(&text), &mut taken);
                match written {
                    Some((_, range)) => edits.push((range, escape_attr(&id))),
                    None => {
                        edits.push((heading.id_at..heading.id_at, format!(" id=\"{}\"", escape_attr(&id))))
                    }
                }
                id
            }
        };
        if let Some(at) = heading.anchor_at.filter(|_| anchors) {
            edits.push((at..at, anchor(&id)));
        }
        toc.push(TocEntry { level: heading.level, id, text });
    }
    if edits.is_empty() {
        return (html, toc);
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(html.len() + edits.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut copied = 0;
    for (range, text) in edits {
        out.push_str(html.get(copied..range.start).unwrap_or(""));
        out.push_str(&text);
        copied = copied.max(range.end);
    }
    out.push_str(html.get(copied..).unwrap_or(""));
    (out, toc)
}

/// The outline's work done in the renderer's event stream, for a body whose HTML is all
/// pulldown-cmark's and the renderer's own (no raw HTML, no link inside a link, nesting
/// shallow enough): such HTML is already balanced, its only ids are the footnotes' (known
/// before the first heading), its headings are Markdown headings and its images Markdown
/// images. So each heading's id is exact when its end event arrives, and is written into its
/// start event (the events between wait for it); the anchor is an event before its end. What
/// remains for the finished HTML is the images' loading hints, found by their `<img ` (text
/// has its `<` escaped).
///
/// The result is the same HTML and contents as [`balance`](super::balance) and [`finish`]
/// give (`render_with_passes` keeps that path: the oracle, the fuzzer and the corpus tests
/// compare the two); it saves both scans of the finished HTML, a third of the renderer's time.
pub(super) struct StreamOutline {
    taken: HashSet<String>,
    anchors: bool,
    /// The open heading: the index of its start event, its level and its text so far.
    heading: Option<(usize, HeadingLevel, String)>,
    image_depth: usize,
    /// How many images the HTML has: the search for them stops at the last.
    images: usize,
    toc: Vec<TocEntry>,
}

impl StreamOutline {
    /// `taken`: the footnotes' ids.
    pub(super) fn new(taken: HashSet<String>, anchors: bool) -> Self {
        Self { taken, anchors, heading: None, image_depth: 0, images: 0, toc: Vec::new() }
    }

    /// A start event on its way out; true for a heading's, which must then wait in the
    /// queue of events at index `at` until the heading's end (see [`Self::ending`]).
    pub(super) fn started(&mut self, event: &Event<'_>, at: usize) -> bool {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((at, *level, String::new()));
                true
            }
            Event::Start(Tag::Image { .. }) => {
                self.image_depth += 1;
                self.images += 1;
                false
            }
            _ => false,
        }
    }

    /// A heading is open: its events must wait for its id.
    pub(super) fn in_heading(&self) -> bool {
        self.heading.is_some()
    }

    /// Text and other events without an end: a heading's text (an image's alt text is not
    /// part of it: the HTML has it in an attribute).
    pub(super) fn inline(&mut self, event: &Event<'_>) {
        let Some((_, _, text)) = self.heading.as_mut().filter(|_| self.image_depth == 0) else { return };
        match event {
            Event::Text(piece) | Event::Code(piece) => text.push_str(piece),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }

    /// Before an end event is pushed onto `events`: a heading's id goes into its start event
    /// and its anchor before its end.
    pub(super) fn ending(&mut self, end: TagEnd, events: &mut VecDeque<Event<'_>>) {
        match end {
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::Heading(_) => {
                let Some((at, level, text)) = self.heading.take() else { return };
                let text = collapse_whitespace(&text);
                let id = unique(slug(&text), &mut self.taken);
                if let Some(start) = events.get_mut(at) {
                    *start = Event::Start(Tag::Heading {
                        level,
                        id: Some(id.clone().into()),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    });
                }
                if self.anchors {
                    events.push_back(Event::InlineHtml(anchor(&id).into()));
                }
                self.toc.push(TocEntry { level: level as u8, id, text });
            }
            _ => {}
        }
    }

    /// The finished HTML with the images' loading hints, and the headings.
    pub(super) fn finish(self, html: String) -> (String, Vec<TocEntry>) {
        if self.images == 0 {
            return (html, self.toc);
        }
        let mut out = String::with_capacity(html.len() + self.images * (LAZY.len() + ASYNC.len()));
        let mut copied = 0;
        for (start, _) in html.match_indices("<img ").take(self.images) {
            let Some(gt) = html.get(start..).and_then(|rest| rest.find('>')) else { break };
            let tag = html.get(start + 1..start + gt).unwrap_or("");
            let at = start + 1 + attributes_end(tag);
            out.push_str(html.get(copied..at).unwrap_or(""));
            out.push_str(LAZY);
            out.push_str(ASYNC);
            copied = at;
        }
        out.push_str(html.get(copied..).unwrap_or(""));
        (out, self.toc)
    }
}

/// Where the attributes of `tag` (a tag's text between `<` and `>`, `img src="a" /`) end:
/// where loading hints go, before any `/` that ends it.
fn attributes_end(tag: &str) -> usize {
    tag.trim_end_matches(|c: char| c == '/' || c.is_ascii_whitespace()).len()
}

/// A heading's text as the contents show it: white space runs collapsed to one space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Where `inner`, a slice of `outer`, starts in it.
fn offset(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// Text between tags goes to every heading still open (raw-HTML headings may nest).
fn add_text(headings: &mut [Heading], open: &[usize], text: &str) {
    if open.is_empty() || text.is_empty() {
        return;
    }
    let text = decode_entities(text);
    for &i in open {
        if let Some(heading) = headings.get_mut(i) {
            heading.text.push_str(&text);
        }
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The value of attribute `key` in the attribute part of a tag the renderer wrote
/// (` src="a" alt="b" /`); `Some("")` for an attribute without a value.
fn attribute<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let [value] = attributes(attrs, [key]);
    value
}

/// [`attribute`] of each of `keys`, in one scan of `attrs`.
fn attributes<'a, const N: usize>(mut attrs: &'a str, keys: [&str; N]) -> [Option<&'a str>; N] {
    let mut found = [None; N];
    let mut missing = N;
    loop {
        attrs = attrs.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if attrs.is_empty() || missing == 0 {
            return found;
        }
        let name_end = attrs
            .bytes()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'=' | b'/'))
            .unwrap_or(attrs.len());
        let name = attrs.get(..name_end).unwrap_or("");
        attrs = attrs.get(name_end..).unwrap_or("");
        let mut value = None;
        if let Some(quoted) = attrs.strip_prefix("=\"") {
            // `find` looks for the quote with memchr: an image's `src` may be a long `data:` URL.
            let Some(close) = quoted.find('"') else { return found };
            value = quoted.get(..close);
            attrs = quoted.get(close + 1..).unwrap_or("");
        } else if name.is_empty() {
            // Not the renderer's own markup: skip a character rather than loop.
            let skip = attrs.chars().next().map_or(1, char::len_utf8);
            attrs = attrs.get(skip..).unwrap_or("");
        }
        for (key, slot) in keys.iter().zip(found.iter_mut()) {
            if slot.is_none() && name == *key {
                *slot = Some(value.unwrap_or(""));
                missing -= 1;
            }
        }
    }
}

/// The slug of a heading's text: lower case, Unicode letters and digits kept, every run of
/// other characters one `-`, none at either end; `section` when nothing is left, and
/// `section-…` in front of an id the app reserves (`main`, anything starting `quire`).
pub(super) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            if c.is_ascii() {
                slug.push(c.to_ascii_lowercase());
            } else {
                slug.extend(c.to_lowercase());
            }
        } else {
            gap = true;
        }
    }
    if slug.is_empty() {
        "section".to_string()
    } else if is_reserved_id(&slug) {
        format!("section-{slug}")
    } else {
        slug
    }
}

/// `base`, or `base-1`, `base-2`… : the first not in `taken`, which it joins.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if !taken.contains(&base) {
        taken.insert(base.clone());
        return base;
    }
    let mut n = 1u32;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            taken.insert(candidate.clone());
            return candidate;
        }
        n = n.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("Emphasis and friends", "emphasis-and-friends" ; "words")]
    #[test_case("  What's new — in 2.0?  ", "what-s-new-in-2-0" ; "punctuation collapsed and trimmed")]
    #[test_case("Café & Crème brûlée", "café-crème-brûlée" ; "accents kept")]
    #[test_case("日本語の見出し", "日本語の見出し" ; "cjk kept")]
    #[test_case("ÜBER Straße", "über-straße" ; "unicode lower case")]
    #[test_case("snake_case_name", "snake-case-name" ; "underscore is a separator")]
    #[test_case("!!!", "section" ; "nothing usable")]
    #[test_case("", "section" ; "empty")]
    #[test_case("Main", "section-main" ; "reserved main")]
    #[test_case("Quire internals", "section-quire-internals" ; "reserved prefix")]
    #[test_case("Quiresome", "section-quiresome" ; "reserved prefix inside a word")]
    #[test_case("Quirky", "quirky" ; "not the reserved prefix")]
    fn slugs(text: &str, expected: &str) {
        assert_eq!(slug(text), expected);
    }

    #[test]
    fn repeats_count_past_taken_ids() {
        let mut taken: HashSet<String> = ["intro".to_string(), "intro-1".to_string()].into();
        assert_eq!(unique("intro".into(), &mut taken), "intro-2");
        assert_eq!(unique("intro".into(), &mut taken), "intro-3");
        assert_eq!(unique("other".into(), &mut taken), "other");
    }

    #[test_case(" src=\"a.png\" alt=\"b c\" /", "alt", Some("b c") ; "quoted")]
    #[test_case(" disabled=\"\" type=\"checkbox\"/", "type", Some("checkbox") ; "self closing")]
    #[test_case(" checked", "checked", Some("") ; "no value")]
    #[test_case(" title=\"id=x\" class=\"y\"", "id", None ; "name inside a value")]
    #[test_case(" =x \"y", "x", Some("") ; "junk skipped")]
    #[test_case(" =x \"y", "y", None ; "junk ends")]
    fn attributes(attrs: &str, key: &str, expected: Option<&str>) {
        assert_eq!(attribute(attrs, key), expected);
    }

    #[test]
    fn unexpected_markup_is_copied_through() {
        for html in ["<h2>open", "<h2", "text <", "</h2>stray", "<img src=\"x\"", "<h2><h3>a</h2>"] {
            let (out, _) = finish(html.to_string(), HashSet::new(), true);
            assert!(out.len() >= html.len(), "{html} → {out}");
        }
    }
}
