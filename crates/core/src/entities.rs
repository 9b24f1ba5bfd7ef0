//! HTML character references (`&eacute;`, `&#233;`, `&#xE9;`, `&copy`) decoded as a browser's
//! HTML parser decodes them (WHATWG HTML, "character reference state"), with the full HTML5
//! table of 2,231 names.
//!
//! The table is not carried twice. CommonMark requires Markdown parsers to decode every HTML5
//! entity name written with its `;`, so pulldown-cmark, which the renderer runs anyway, holds
//! the 2,125 names with their `;` already: a name is looked up by parsing `&name;` as
//! Markdown, its one public entry point to that table. The 106 legacy names that HTML also
//! accepts without the `;` (`&copy`, `&amp`, the Latin-1 letters) are listed here. Measured
//! on the release wasm: this costs 1.6 KB raw, 73 bytes brotli; decoding with a crate that
//! carries its own copy of the table (htmlize 1.1) cost 63 KB raw, 20.6 KB brotli.

use pulldown_cmark::{Event, Parser};

/// Where the text stands: HTML decodes a legacy name without `;` differently in an attribute
/// value (not when a letter, digit or `=` follows: `?a=1&copy=2` stays as written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Text,
    Attribute,
}

/// Names HTML decodes without a trailing `;` (WHATWG's table lists them twice, with and
/// without it), sorted.
const LEGACY: [&str; 106] = [
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil", "ETH",
    "Eacute", "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT", "Ntilde", "Oacute",
    "Ocirc", "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN", "Uacute", "Ucirc", "Ugrave",
    "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig", "agrave", "amp", "aring", "atilde", "auml",
    "brvbar", "ccedil", "cedil", "cent", "copy", "curren", "deg", "divide", "eacute", "ecirc", "egrave",
    "eth", "euml", "frac12", "frac14", "frac34", "gt", "iacute", "icirc", "iexcl", "igrave", "iquest",
    "iuml", "laquo", "lt", "macr", "micro", "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve",
    "ordf", "ordm", "oslash", "otilde", "ouml", "para", "plusmn", "pound", "quot", "raquo", "reg", "sect",
    "shy", "sup1", "sup2", "sup3", "szlig", "thorn", "times", "uacute", "ucirc", "ugrave", "uml", "uuml",
    "yacute", "yen", "yuml",
];

/// The longest entity name of HTML5 (`CounterClockwiseContourIntegral`).
const MAX_NAME: usize = 31;

/// What `name;` stands for, when it is one of HTML5's entity names.
pub fn named(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > MAX_NAME || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    // Alone on a line, `&name;` is a paragraph of one entity: Markdown gives no other
    // meaning to letters, digits, `&` and `;`.
    let source = format!("&{name};");
    let mut text = String::new();
    for event in Parser::new(&source) {
        if let Event::Text(piece) = event {
            text.push_str(&piece);
        }
    }
    (!text.is_empty() && text != source).then_some(text)
}

/// `s` with every character reference decoded as a browser decodes it in `context`.
/// Anything that is not a reference stays as written.
pub fn decode(s: &str, context: Context) -> String {
    let Some(first) = s.find('&') else { return s.to_string() };
    let mut out = String::with_capacity(s.len());
    out.push_str(s.get(..first).unwrap_or(""));
    let mut rest = s.get(first..).unwrap_or("");
    while let Some(after_amp) = rest.strip_prefix('&') {
        let (decoded, after) = reference(after_amp, context).unwrap_or((String::from("&"), after_amp));
        out.push_str(&decoded);
        let next = after.find('&').unwrap_or(after.len());
        out.push_str(after.get(..next).unwrap_or(""));
        rest = after.get(next..).unwrap_or("");
    }
    out
}

/// The reference at the start of `s` (just after its `&`): what it decodes to and what
/// follows it; `None` when the `&` starts no reference and stays as written.
fn reference(s: &str, context: Context) -> Option<(String, &str)> {
    if let Some(number) = s.strip_prefix('#') {
        return numeric(number);
    }
    let run = s.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = s.get(..run)?;
    let after_name = s.get(run..).unwrap_or("");
    if let Some(after) = after_name.strip_prefix(';')
        && let Some(text) = named(name)
    {
        return Some((text, after));
    }
    // Without its `;`, the longest legacy name the run starts with.
    let legacy =
        LEGACY.iter().filter(|legacy| name.starts_with(**legacy)).max_by_key(|legacy| legacy.len())?;
    let after = s.get(legacy.len()..).unwrap_or("");
    // In an attribute, `&copy=` and `&copyx` are not references (old query strings).
    if context == Context::Attribute && after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '=') {
        return None;
    }
    Some((named(legacy)?, after))
}

/// `#233;`, `#xE9`: the code point, with HTML's corrections (0 and surrogates and beyond
/// U+10FFFF are U+FFFD; 0x80–0x9F are read as windows-1252, as old pages meant them).
fn numeric(s: &str) -> Option<(String, &str)> {
    let (digits, radix) = match s.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (s, 10),
    };
    let len = digits.bytes().take_while(|b| char::from(*b).is_digit(radix)).count();
    if len == 0 {
        return None;
    }
    let value = digits
        .get(..len)?
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0u32, |n, d| n.saturating_mul(radix).saturating_add(d));
    let after = digits.get(len..).unwrap_or("");
    let after = after.strip_prefix(';').unwrap_or(after);
    Some((corrected(value).to_string(), after))
}

fn corrected(value: u32) -> char {
    const WINDOWS_1252: [(u32, char); 27] = [
        (0x80, '\u{20AC}'),
        (0x82, '\u{201A}'),
        (0x83, '\u{0192}'),
        (0x84, '\u{201E}'),
        (0x85, '\u{2026}'),
        (0x86, '\u{2020}'),
        (0x87, '\u{2021}'),
        (0x88, '\u{02C6}'),
        (0x89, '\u{2030}'),
        (0x8A, '\u{0160}'),
        (0x8B, '\u{2039}'),
        (0x8C, '\u{0152}'),
        (0x8E, '\u{017D}'),
        (0x91, '\u{2018}'),
        (0x92, '\u{2019}'),
        (0x93, '\u{201C}'),
        (0x94, '\u{201D}'),
        (0x95, '\u{2022}'),
        (0x96, '\u{2013}'),
        (0x97, '\u{2014}'),
        (0x98, '\u{02DC}'),
        (0x99, '\u{2122}'),
        (0x9A, '\u{0161}'),
        (0x9B, '\u{203A}'),
        (0x9C, '\u{0153}'),
        (0x9E, '\u{017E}'),
        (0x9F, '\u{0178}'),
    ];
    if value == 0 {
        return char::REPLACEMENT_CHARACTER;
    }
    if let Some((_, c)) = WINDOWS_1252.iter().find(|(code, _)| *code == value) {
        return *c;
    }
    char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("caf&eacute;", "café" ; "named")]
    #[test_case("&CounterClockwiseContourIntegral;", "∳" ; "longest name")]
    #[test_case("&fjlig;", "fj" ; "two characters")]
    #[test_case("&nosuchname;", "&nosuchname;" ; "unknown name kept")]
    #[test_case("a&b", "a&b" ; "lone ampersand")]
    #[test_case("&#233;&#xe9;&#XE9", "ééé" ; "numeric, semicolon optional")]
    #[test_case("&#;&#x;&#xg", "&#;&#x;&#xg" ; "numeric without digits kept")]
    #[test_case("&#0;&#xD800;&#x110000;&#99999999999999;", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}" ; "invalid code points")]
    #[test_case("&#128;&#x9F;&#x81;", "€Ÿ\u{81}" ; "windows 1252 range")]
    #[test_case("&copy 2024 &copy;", "© 2024 ©" ; "legacy without semicolon")]
    #[test_case("&notit; &notin;", "¬it; ∉" ; "longest legacy prefix")]
    fn text(input: &str, expected: &str) {
        assert_eq!(decode(input, Context::Text), expected);
    }

    #[test_case("?a=1&copy=2", "?a=1&copy=2" ; "legacy before equals")]
    #[test_case("?x&copyright", "?x&copyright" ; "legacy before a letter")]
    #[test_case("&copy;x &copy x", "©x © x" ; "legacy before other characters")]
    #[test_case("&notit;", "&notit;" ; "no legacy prefix in attributes")]
    #[test_case("javascript&colon;x", "javascript:x" ; "colon")]
    fn attribute(input: &str, expected: &str) {
        assert_eq!(decode(input, Context::Attribute), expected);
    }
}
