//! Inline images (`![](data:image/png;base64,…)`) can be hundreds of kilobytes of base64 that
//! every pass of the renderer would read: the parser (link destination, unescaping), the URL
//! check, the HTML escaper and the outline pass. [`lift`] puts a short placeholder in each long
//! base64 run before rendering, and [`Lifted::restore`] puts the runs back into the HTML.
//!
//! This is exact because a base64 run (`A–Z a–z 0–9 + / =`) passes through every part of the
//! renderer unchanged, in any context (text, code, link and image targets, raw HTML): none of
//! its characters is escaped, percent-encoded, unescaped or treated as punctuation, and URL
//! checks read only the scheme and media type before it. A placeholder is made of lower-case
//! letters and digits, which pass through alike. Where a run would be seen differently (a
//! heading's text becomes its id and the table of contents; a dropped element loses it), the
//! placeholder would not come out exactly once in the HTML and nowhere else, and
//! [`Lifted::restore`] refuses: the caller then renders the original text.

use super::Rendered;

/// Runs shorter than this are left in place (lifting them would not pay).
const MIN_RUN: usize = 1024;
/// Start of every placeholder: `qiredata<n>z`. A body containing it outside the lifted runs is
/// left alone (inside a run it is harmless: runs are put back without being searched, and
/// [`Lifted::restore`] checks every placeholder comes out exactly once).
const PREFIX: &str = "qiredata";

/// The Markdown with its long base64 runs replaced by placeholders, and the runs.
pub(super) struct Lifted<'a> {
    pub markdown: String,
    runs: Vec<&'a str>,
}

/// `None` when there is nothing to lift (or the text around the runs contains the
/// placeholder prefix). The runs themselves are read once, by [`is_base64`].
pub(super) fn lift(markdown: &str) -> Option<Lifted<'_>> {
    let mut next = Some(find_marker(markdown, 0)?);
    let mut runs = Vec::new();
    let mut out = String::new();
    let mut copied = 0;
    while let Some(at) = next {
        let start = at + MARKER.len();
        let len = base64_run(markdown.as_bytes().get(start..).unwrap_or_default());
        next = find_marker(markdown, start + len);
        if len < MIN_RUN {
            continue;
        }
        if out.is_empty() {
            out.reserve(markdown.len() / 4);
        }
        let around = &markdown[copied..start];
        if around.contains(PREFIX) {
            return None;
        }
        out.push_str(around);
        out.push_str(&placeholder(runs.len()));
        runs.push(&markdown[start..start + len]);
        copied = start + len;
    }
    let tail = &markdown[copied..];
    if runs.is_empty() || tail.contains(PREFIX) {
        return None;
    }
    out.push_str(tail);
    Some(Lifted { markdown: out, runs })
}

const MARKER: &str = ";base64,";

/// Where the next `;base64,` at or after `from` starts. By its `;` (a byte search, `memchr`):
/// every post is searched, and a substring search costs several times more in wasm.
fn find_marker(markdown: &str, mut from: usize) -> Option<usize> {
    loop {
        let at = from + markdown.get(from..)?.find(';')?;
        if markdown.get(at..).is_some_and(|rest| rest.starts_with(MARKER)) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// `A–Z a–z 0–9 + / =`, by byte: one table load per byte of a run that may be megabytes long.
const BASE64: [bool; 256] = {
    let mut table = [false; 256];
    let mut slots: &mut [bool] = &mut table;
    let mut byte = 0u8;
    while let [slot, rest @ ..] = slots {
        *slot = byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=');
        byte = byte.wrapping_add(1);
        slots = rest;
    }
    table
};

/// How many bytes at the start of `bytes` are base64 ([`is_base64`]). Eight at a time while
/// all eight are (a run of an inline image is hundreds of kilobytes, and wasm has no vector
/// search to do it for us), then byte by byte.
fn base64_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte that is `>= c`, for bytes below 0x80 (no lane overflows).
    let at_least = |v: u64, c: u8| v.wrapping_add(ONES * u64::from(0x80 - c)) & HIGH;
    let within = |v: u64, lo: u8, hi: u8| at_least(v, lo) & !at_least(v, hi + 1);
    let mut run = 0;
    for word in bytes.chunks_exact(8) {
        let v = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        // `/` and the digits are one range (0x2F–0x39).
        let base64 = within(v, b'A', b'Z')
            | within(v, b'a', b'z')
            | within(v, b'/', b'9')
            | within(v, b'+', b'+')
            | within(v, b'=', b'=');
        if v & HIGH != 0 || base64 != HIGH {
            break;
        }
        run += 8;
    }
    run + bytes.get(run..).unwrap_or_default().iter().take_while(|&&b| is_base64(b)).count()
}

fn is_base64(byte: u8) -> bool {
    BASE64.get(usize::from(byte)).copied().unwrap_or(false)
}

fn placeholder(n: usize) -> String {
    format!("{PREFIX}{n}z")
}

impl<'a> Lifted<'a> {
    /// The HTML rendered from [`Lifted::markdown`] with the runs put back, or `None` when a
    /// placeholder did not come through exactly once, in the HTML only.
    pub(super) fn restore(&self, rendered: Rendered) -> Option<Rendered> {
        let pieces = self.pieces(rendered)?;
        let mut html = String::with_capacity(pieces.pieces().map(str::len).sum());
        pieces.pieces().for_each(|piece| html.push_str(piece));
        Some(Rendered { html, first_image: pieces.first_image, toc: pieces.toc })
    }

    /// [`Lifted::restore`] without copying: the HTML around the runs and the runs, in order.
    pub(super) fn pieces(&self, rendered: Rendered) -> Option<RenderedPieces<'a>> {
        let Rendered { html, first_image, toc } = rendered;
        if first_image.as_deref().is_some_and(|i| i.contains(PREFIX))
            || toc.iter().any(|e| e.id.contains(PREFIX) || e.text.contains(PREFIX))
        {
            return None;
        }
        let mut runs = Vec::with_capacity(self.runs.len());
        let mut seen = vec![false; self.runs.len()];
        let mut from = 0;
        while let Some(at) = html.get(from..).and_then(|rest| rest.find(PREFIX)).map(|at| from + at) {
            let after = html.get(at + PREFIX.len()..)?;
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let n: usize = after.get(..digits)?.parse().ok()?;
            if after.as_bytes().get(digits) != Some(&b'z') || seen.get(n).copied() != Some(false) {
                return None;
            }
            if let Some(seen) = seen.get_mut(n) {
                *seen = true;
            }
            from = at + PREFIX.len() + digits + 1;
            runs.push((at..from, *self.runs.get(n)?));
        }
        seen.iter().all(|s| *s).then_some(RenderedPieces { html, runs, first_image, toc })
    }
}

/// A rendered body whose HTML is in pieces: the HTML with placeholders, and the base64 runs
/// that replace them. The browser's renderer hands the pieces to JavaScript one by one: a
/// run is ASCII, which the browser decodes several times faster than text with any other
/// character in it (README, "Performance").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedPieces<'a> {
    html: String,
    /// Each placeholder's place in `html`, in order, and its run.
    runs: Vec<(std::ops::Range<usize>, &'a str)>,
    pub first_image: Option<String>,
    pub toc: Vec<super::TocEntry>,
}

impl<'a> RenderedPieces<'a> {
    /// A body without lifted runs: its HTML is one piece.
    pub(super) fn whole(rendered: Rendered) -> Self {
        let Rendered { html, first_image, toc } = rendered;
        RenderedPieces { html, runs: Vec::new(), first_image, toc }
    }

    /// The HTML, piece by piece: joined, they are [`Rendered::html`]. Runs are never empty;
    /// the HTML between them may be.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        let mut from = 0;
        let mut runs = self.runs.iter();
        let mut next_run: Option<&str> = None;
        std::iter::from_fn(move || {
            if let Some(run) = next_run.take() {
                return Some(run);
            }
            match runs.next() {
                Some((at, run)) => {
                    let before = self.html.get(from..at.start).unwrap_or_default();
                    from = at.end;
                    next_run = Some(run);
                    Some(before)
                }
                None if from <= self.html.len() => {
                    let rest = self.html.get(from..).unwrap_or_default();
                    from = self.html.len() + 1;
                    Some(rest)
                }
                None => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{RenderOptions, render_events, render_pieces, render_with};
    use super::*;

    #[test]
    fn base64_runs_are_measured_as_byte_by_byte() {
        let bytewise = |b: &[u8]| b.iter().take_while(|&&b| is_base64(b)).count();
        // Every byte value at every position of a word, after runs of every length mod 8.
        for len in 0..24 {
            for byte in 0..=255u8 {
                let mut input: Vec<u8> = b"QUJDabcz09+/=AZaz".iter().copied().cycle().take(len).collect();
                input.push(byte);
                input.extend_from_slice(b"xyzXYZ");
                assert_eq!(base64_run(&input), bytewise(&input), "{len} then {byte:#04x}");
            }
        }
    }

    /// `render_pieces` joined, as `render_with` renders it (`Rendered` with the joined HTML).
    fn joined(md: &str) -> Rendered {
        let pieces = render_pieces(md, RenderOptions::default());
        let html = pieces.pieces().collect();
        Rendered { html, first_image: pieces.first_image, toc: pieces.toc }
    }

    fn png(len: usize) -> String {
        "iVBORw0KGgo+/=".chars().cycle().take(len).collect()
    }

    #[test]
    fn long_runs_are_lifted_and_restored() {
        let run = png(5000);
        let md = format!(
            "Intro\n\n![chart](data:image/png;base64,{run})\n\n<img src=\"data:image/png;base64,{run}\">\n"
        );
        let lifted = lift(&md).expect("two runs");
        assert_eq!(lifted.runs.len(), 2);
        assert!(lifted.markdown.len() < 200);
        let fast = render_with(&md, RenderOptions::default());
        assert_eq!(fast, render_events(&md, RenderOptions::default()));
        assert_eq!(fast.html.matches(run.as_str()).count(), 2);
        assert_eq!(joined(&md), fast);
        let pieces = render_pieces(&md, RenderOptions::default());
        let pieces: Vec<&str> = pieces.pieces().collect();
        assert_eq!(pieces.len(), 5, "HTML, run, HTML, run, HTML");
        assert_eq!((pieces[1], pieces[3]), (run.as_str(), run.as_str()));
    }

    #[test]
    fn a_body_without_runs_is_one_piece() {
        for md in ["", "text", "![](data:image/png;base64,iVBORw0KGgo=)"] {
            let pieces = render_pieces(md, RenderOptions::default());
            assert_eq!(pieces.pieces().count(), 1, "{md}");
            assert_eq!(joined(md), render_with(md, RenderOptions::default()));
        }
    }

    #[test]
    fn a_placeholder_lookalike_inside_a_run_is_restored_as_written() {
        let run = format!("{}qiredata0z{}", png(3000), png(3000));
        let md = format!("![a](data:image/png;base64,{run}) and ![b](data:image/png;base64,{run}x)");
        assert!(lift(&md).is_some());
        let fast = render_with(&md, RenderOptions::default());
        assert_eq!(fast, render_events(&md, RenderOptions::default()));
        assert_eq!(joined(&md), fast);
    }

    #[test]
    fn short_runs_and_placeholder_lookalikes_are_left_alone() {
        assert!(lift(&format!("![](data:image/png;base64,{})", png(100))).is_none());
        assert!(lift(&format!("qiredata0z ![](data:image/png;base64,{})", png(5000))).is_none());
    }

    /// Every post of the openinfra.dev corpus (when it is there) renders the same both ways.
    #[test]
    fn corpus_renders_the_same_with_and_without_lifting() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/osf-website/posts");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut lifted = 0;
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
            lifted += usize::from(lift(body).is_some());
            let expected = render_events(body, RenderOptions::default());
            assert_eq!(render_with(body, RenderOptions::default()), expected, "{}", entry.path().display());
            assert_eq!(joined(body), expected, "{}", entry.path().display());
        }
        assert!(lifted > 0, "the corpus has an inline image to lift");
    }

    #[test]
    fn runs_seen_differently_fall_back_to_the_original() {
        let run = png(2000);
        for md in [
            format!("# Heading {run}\n\ntext"),
            format!("<script>{run}</script>after ;base64,{run}"),
            format!("`;base64,{run}` and *;base64,{run}*"),
            format!("| a |\n|---|\n| ;base64,{run} |"),
        ] {
            let expected = render_events(&md, RenderOptions::default());
            assert_eq!(render_with(&md, RenderOptions::default()), expected, "{md:.60}");
            assert_eq!(joined(&md), expected, "{md:.60}");
        }
    }
}
