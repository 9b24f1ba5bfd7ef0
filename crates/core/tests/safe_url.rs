//! `is_safe_url` reads only a URL's scheme and media type (inline images are long): checked
//! against the former whole-string implementation on generated URLs made of the characters
//! that matter (scheme letters, separators, whitespace and control characters, case).

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::sanitize::{UrlKind, is_safe_url};
use quire_core::url::url_scheme;

/// The implementation before the shortcut: the oracle.
fn reference(url: &str, kind: UrlKind) -> bool {
    let compact: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let Some(scheme) = url_scheme(&compact).map(str::to_ascii_lowercase) else { return true };
    match scheme.as_str() {
        "http" | "https" => true,
        "mailto" | "tel" => kind == UrlKind::Link,
        "data" if kind == UrlKind::Image => {
            // The media type as a browser reads it: only tabs and newlines are removed (the
            // former check removed every control character; see fuzz_regressions.rs).
            let raw: String = url
                .split_once(':')
                .map_or("", |(_, rest)| rest)
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let mime = raw.split([';', ',']).next().unwrap_or("").to_ascii_lowercase();
            matches!(
                mime.trim_matches(|c: char| c.is_ascii_whitespace()),
                "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp" | "image/avif"
            )
        }
        _ => false,
    }
}

const PIECES: &[&str] = &[
    "data",
    "DaTa",
    "image/png",
    "IMAGE/JPEG",
    "image/svg+xml",
    "image/avif",
    "image/pngx",
    "http",
    "HTTPS",
    "mailto",
    "tel",
    "javascript",
    "java\tscript",
    ":",
    ":",
    "/",
    "//",
    "?",
    "#",
    ";",
    ",",
    "base64",
    " ",
    "\n",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "é",
    "x",
    "AAAA",
];

#[test]
fn agrees_with_the_whole_string_check() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..200_000 {
        let url: String = (0..1 + next(7)).map(|_| PIECES[next(PIECES.len())]).collect();
        for kind in [UrlKind::Link, UrlKind::Image] {
            assert_eq!(is_safe_url(&url, kind), reference(&url, kind), "{url:?} as {kind:?}");
        }
    }
}
