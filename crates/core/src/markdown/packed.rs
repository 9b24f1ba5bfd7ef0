//! A rendered body's headings as one string, for the browser app: its renderer is a wasm
//! module of its own (`crates/render`), loaded when the app first needs it, and a string's
//! UTF-8 bytes cross between two wasm modules through JavaScript as they are (a `Uint8Array`),
//! without glue for a struct and without a JavaScript string's decode and encode. (The HTML
//! crosses as a JavaScript string of its own, see `RenderedPieces`.)
//!
//! Layout: the number of headings and a line feed; per heading `level`, the byte lengths of
//! its `id` and `text` and a line feed, then the id and the text. Lengths make it independent
//! of what ids and texts contain.

use super::TocEntry;

/// The headings as one string.
pub fn pack(toc: &[TocEntry]) -> String {
    let mut out =
        String::with_capacity(toc.iter().map(|e| e.id.len() + e.text.len() + 16).sum::<usize>() + 8);
    push_number(&mut out, toc.len());
    out.push('\n');
    for entry in toc {
        push_number(&mut out, usize::from(entry.level));
        out.push(' ');
        push_number(&mut out, entry.id.len());
        out.push(' ');
        push_number(&mut out, entry.text.len());
        out.push('\n');
        out.push_str(&entry.id);
        out.push_str(&entry.text);
    }
    out
}

/// `n` in decimal, without the formatting machinery (`write!`), which the renderer module
/// otherwise calls for every post.
fn push_number(out: &mut String, n: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        if let Some(digit) = digits.get_mut(at) {
            *digit = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
}

/// The headings of a [`pack`]ed string; `None` when `packed` is not one.
pub fn unpack(packed: &str) -> Option<Vec<TocEntry>> {
    let (count, mut rest) = packed.split_once('\n')?;
    let count: usize = count.parse().ok()?;
    // Every heading takes at least 6 bytes (`2 0 0\n`): a bound on the allocation for a broken count.
    let mut toc = Vec::with_capacity(count.min(rest.len() / 6));
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
    rest.is_empty().then_some(toc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{RenderOptions, render_with};

    #[test]
    fn packed_headings_unpack_to_the_headings() {
        let markdown = "# Title\n\n## Ünïcode — *and* `code`\n\ntext\n\n### 3 4\n\n## x\n\n<p>raw</p>\n";
        let rendered = render_with(markdown, RenderOptions { url_root: "/sub", ..Default::default() });
        assert!(rendered.toc.len() >= 3);
        assert_eq!(unpack(&pack(&rendered.toc)), Some(rendered.toc));
    }

    #[test]
    fn the_layout_is_counts_and_lengths_in_decimal() {
        let long = "x".repeat(1_234_567);
        let toc = vec![
            TocEntry { level: 2, id: "ab".into(), text: "é".into() },
            TocEntry { level: 3, id: String::new(), text: long.clone() },
        ];
        assert_eq!(pack(&toc), format!("2\n2 2 2\nabé3 0 1234567\n{long}"));
        assert_eq!(pack(&[]), "0\n");
    }

    #[test]
    fn headings_may_hold_anything_and_there_may_be_none() {
        let toc = vec![
            TocEntry { level: 2, id: "a\nb 1".into(), text: "\n2 3 4\n".into() },
            TocEntry { level: 6, id: String::new(), text: "é".into() },
        ];
        assert_eq!(unpack(&pack(&toc)), Some(toc));
        assert_eq!(unpack(&pack(&[])), Some(Vec::new()));
    }

    #[test]
    fn anything_else_is_none() {
        for bad in [
            "",
            "x\n",
            "1\n",
            "1\n2 1\nab",
            "1\n2 5 1\nab",
            "1\n2 1 1 1\nab",
            "2\n2 1 1\nab",
            "1\n2 1 1\né",
            "1\n2 1 1\nabc",
            "0\n<p>",
        ] {
            assert_eq!(unpack(bad), None, "{bad:?}");
        }
    }
}
