//! A post or author file as the compiler reads it: split, parse the YAML, check the fields.
//! Never a panic; and a date the compiler accepts must survive the JSON the app decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_core::date::PostDate;
use quire_core::front_matter::{AuthorFrontMatter, PostFrontMatter, split};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let yaml = match split(text) {
        Ok((yaml, _body)) => yaml,
        // Not a file with front matter: still feed the YAML parsers the whole text.
        Err(_) => text,
    };
    if let Ok(post) = PostFrontMatter::parse(yaml) {
        assert!(!post.title.trim().is_empty(), "a post without a title was accepted");
        round_trip(post.date);
    }
    let _ = AuthorFrontMatter::parse(yaml);
    if let Ok(date) = PostDate::parse(text) {
        round_trip(date);
    }
});

/// The compiler writes dates into JSON; the app reads them back with the same parser.
fn round_trip(date: PostDate) {
    let written = date.to_string();
    match PostDate::parse(&written) {
        Ok(read) => assert_eq!(read, date, "{written} reads back as another date"),
        Err(error) => {
            panic!("the accepted date {date:?} is written as {written:?}, which the app rejects: {error}")
        }
    }
    let _ = date.long_format();
}
