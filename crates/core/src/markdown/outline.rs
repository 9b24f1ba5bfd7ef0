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
use std::collections::HashSet;
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
                let at =
                    start + 1 + tag.trim_end_matches(|c: char| c == '/' || c.is_ascii_whitespace()).len();
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
        let text = heading.text.split_whitespace().collect::<Vec<_>>().join(" ");
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
            slug.extend(c.to_lowercase());
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
