//! Untrusted Markdown through the renderer, with the oracle (quire-oracle: html5ever parses
//! the output as a browser would) as the assertion: any element, attribute, URL scheme or id
//! outside the sanitiser's contract, markup escaping the post container, or a mutation on a
//! round trip is a crash. The other functions that read a body must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_core::markdown::{excerpt, plain_text, reading_minutes};

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    if let Err(report) = quire_oracle::check_markdown(markdown) {
        panic!("{report}");
    }
    let _ = excerpt(markdown, 160);
    let _ = plain_text(markdown);
    assert!(reading_minutes(markdown) >= 1);
    let _ = quire_core::search::markdown_text(markdown);
});
