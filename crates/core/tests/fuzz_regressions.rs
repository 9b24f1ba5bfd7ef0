//! Inputs the fuzz targets (fuzz/, `scripts/fuzz`) crashed on, kept as tests once fixed.
//! The `markdown` target's crash inputs are also among its seeds (fuzz/corpus/markdown), which
//! the oracle's tests replay.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::date::PostDate;
use test_case::test_case;

/// front_matter: a date accepted with an offset was written (as UTC, four-digit year) in a
/// form the app's own parser then rejected, so the post's JSON failed to load.
#[test_case("9999-12-31T23:30-05:00" ; "into the year 10000")]
#[test_case("0000-01-01T00:30+01:00" ; "before the year 0")]
fn dates_outside_four_digit_years_are_rejected(input: &str) {
    let error = PostDate::parse(input).expect_err(input);
    assert!(error.to_string().contains("out of range"), "{error}");
    #[cfg(feature = "front-matter")]
    {
        let yaml = format!("title: T\ndate: {input}\n");
        let error = quire_core::front_matter::PostFrontMatter::parse(&yaml).expect_err(&yaml).to_string();
        assert!(error.contains("date"), "the error names the field: {error}");
    }
}

#[test_case("9999-12-31T23:30+05:00", "9999-12-31T18:30:00.000Z")]
#[test_case("0000-01-01T00:30-01:00", "0000-01-01T01:30:00.000Z")]
#[test_case("2024-02-29T23:30-01:00", "2024-03-01T00:30:00.000Z")]
fn dates_at_the_edges_round_trip(input: &str, utc: &str) {
    let date = PostDate::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    assert_eq!(date.to_string(), utc);
    assert_eq!(PostDate::parse(utc), Ok(date));
}

/// markdown: pulldown-cmark writes a fenced block's language as `class="language-…"` cut at
/// the first space only, so a tab or form feed after it let the author add any class (the
/// oracle saw the class `post__body`, the app's own).
#[test_case("```foo\tpost__body\nx\n```\n" ; "tab")]
#[test_case("```foo\x0cpost__body visually-hidden\nx\n```\n" ; "form feed")]
#[test_case("```r\0\0la\x0cu\"jadvascript=xt <:x\n\">x</a>\n```\n" ; "the fuzzer's input")]
fn a_code_block_has_one_language_class(markdown: &str) {
    let html = quire_core::markdown::render(markdown).html;
    let class = html.split("class=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
    assert!(class.starts_with("language-"), "{html}");
    assert!(!class.contains(|c: char| c.is_ascii_whitespace()), "more than one class: {class:?}");
}

/// markdown: the sanitiser removed control characters from a whole URL before reading a
/// `data:` image's type, so `data:imag\x01e/gif` passed as a GIF; a browser keeps the control
/// character, and the type is then invalid (the oracle saw "imag\x01\x04e/gif").
#[test_case("data:imag\u{1}\u{4}e/gif;base64,R0lGOD", false ; "control characters inside the type")]
#[test_case("data:image /png;base64,AA", false ; "a space inside the type")]
#[test_case("data:image/pn\u{0}g,AA", false ; "nul inside the type")]
#[test_case("data: image/png ;base64,AA", true ; "spaces around the type")]
#[test_case("data:image/\tpng,AA", true ; "a tab is removed by the url parser")]
#[test_case("DATA:IMAGE/GIF;base64,R0lGOD", true ; "any case")]
fn data_image_types_are_read_as_browsers_read_them(url: &str, safe: bool) {
    use quire_core::sanitize::{UrlKind, is_safe_url};
    assert_eq!(is_safe_url(url, UrlKind::Image), safe, "{url:?}");
    let html = quire_core::markdown::render(&format!("<img src=\"{url}\">")).html;
    assert_eq!(html.contains("src="), safe, "{html}");
}
