//! A rendered body as one string, for the browser app: its renderer is a wasm module of its
//! own (`crates/render`), loaded when the app first needs it, and a string is the one value
//! that crosses between two wasm modules through JavaScript without glue for a struct.
//!
//! Layout: the number of headings and a line feed; per heading `level`, the byte lengths of
//! its `id` and `text` and a line feed, then the id and the text; then the HTML, to the end.
//! Lengths make it independent of what ids, texts and HTML contain.

use super::{Rendered, TocEntry};
use std::fmt::Write;

/// [`Rendered`]'s HTML and headings as one string (its `first_image` is for the compiler's
/// social cards only and is left out).
pub fn pack(rendered: &Rendered) -> String {
    let headings: usize = rendered.toc.iter().map(|e| e.id.len() + e.text.len() + 16).sum();
    let mut out = String::with_capacity(rendered.html.len() + headings + 8);
    let _ = writeln!(out, "{}", rendered.toc.len());
    for entry in &rendered.toc {
        let _ = writeln!(out, "{} {} {}", entry.level, entry.id.len(), entry.text.len());
        out.push_str(&entry.id);
        out.push_str(&entry.text);
    }
    out.push_str(&rendered.html);
    out
}

/// The headings and the HTML of a [`pack`]ed body; `None` when `packed` is not one.
pub fn unpack(packed: &str) -> Option<(Vec<TocEntry>, &str)> {
    let (count, mut rest) = packed.split_once('\n')?;
    let count: usize = count.parse().ok()?;
    // Every heading takes at least 7 bytes: a bound on the allocation for a broken count.
    let mut toc = Vec::with_capacity(count.min(rest.len() / 7));
    for _ in 0..count {
        let (line, after) = rest.split_once('\n')?;
        let mut numbers = line.split(' ');
        let level: u8 = numbers.next()?.parse().ok()?;
        let id_len: usize = numbers.next()?.parse().ok()?;
        let text_len: usize = numbers.next()?.parse().ok()?;
        if numbers.next().is_some() {
            return None;
        }
        let id = after.get(..id_len)?;
        let text = after.get(id_len..id_len.checked_add(text_len)?)?;
        rest = after.get(id_len + text_len..)?;
        toc.push(TocEntry { level, id: id.to_string(), text: text.to_string() });
    }
    Some((toc, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{RenderOptions, render_with};

    #[test]
    fn a_packed_body_unpacks_to_its_html_and_headings() {
        let markdown = "# Title\n\n## Ünïcode — *and* `code`\n\ntext\n\n### 3 4\n\n## x\n\n<p>raw</p>\n";
        let rendered = render_with(markdown, RenderOptions { url_root: "/sub", ..Default::default() });
        assert!(rendered.toc.len() >= 3);
        let packed = pack(&rendered);
        let (toc, html) = unpack(&packed).expect("unpacks");
        assert_eq!(toc, rendered.toc);
        assert_eq!(html, rendered.html);
    }

    #[test]
    fn headings_may_hold_anything_and_bodies_may_be_empty() {
        let rendered = Rendered {
            html: "7\n1 2 3\n".into(),
            first_image: Some("x.png".into()),
            toc: vec![
                TocEntry { level: 2, id: "a\nb 1".into(), text: "\n2 3 4\n".into() },
                TocEntry { level: 6, id: String::new(), text: "é".into() },
            ],
        };
        let packed = pack(&rendered);
        let (toc, html) = unpack(&packed).expect("unpacks");
        assert_eq!((toc, html), (rendered.toc.clone(), rendered.html.as_str()));
        let empty = Rendered { html: String::new(), first_image: None, toc: Vec::new() };
        assert_eq!(unpack(&pack(&empty)), Some((Vec::new(), "")));
    }

    #[test]
    fn anything_else_is_none() {
        for bad in
            ["", "x\n", "1\n", "1\n2 1\nab", "1\n2 5 1\nab", "1\n2 1 1 1\nab", "2\n2 1 1\nab", "1\n2 1 1\né"]
        {
            assert_eq!(unpack(bad), None, "{bad:?}");
        }
    }
}
