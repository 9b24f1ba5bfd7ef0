//! The app's JSON reader (`quire_core::json`) against serde_json: the same values from the same
//! documents, errors where serde has errors, and messages that name the field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::json::{from_slice, version_of};
use quire_core::model::{ListingPage, PostFile, PostSummary, SearchManifest, SearchTerm, Site};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Debug;

/// Both readers agree on `text`: the same value, or both an error.
fn agree<T: quire_core::json::FromJson + DeserializeOwned + PartialEq + Debug>(text: &str) -> Option<T> {
    let serde = serde_json::from_str::<T>(text);
    let ours = from_slice::<T>(text.as_bytes());
    match (&serde, &ours) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(_), Err(_)) => {}
        _ => panic!("serde {serde:?} but quire {ours:?} for {text}"),
    }
    ours.ok()
}

fn post_file() -> serde_json::Value {
    json!({
        "version": 5,
        "post": {
            "summary": { "slug": "a+b", "title": "A \"quoted\" title", "date": "2021-01-28T15:00:00.000Z",
                         "author": "Ada", "authorSlug": "ada",
                         "categories": [{ "id": "category-x", "label": "X", "slug": "x" }],
                         "excerpt": "e", "hidden": true, "readingMinutes": 3 },
            "seo": { "title": "T", "url": "https://quire.example/blog/a", "image": "/i.png" },
            "authorCompany": "ACME",
            // A post file's body follows its JSON line; a `body` in the JSON is not read.
            "body": "# Hello\n\n\u{e9}t\u{e9} \u{1F600} \\ \t"
        },
        "nav": { "previous": { "slug": "p", "title": "P", "date": "2020-01-01" },
                 "related": [{ "slug": "r", "title": "R", "date": "2020-02-02T00:00:00Z" }] },
        "unknown": { "nested": [1, 2.5, -3e4, true, null, "x"] }
    })
}

#[test]
fn a_post_file_reads_as_serde_reads_it() {
    let text = serde_json::to_string_pretty(&post_file()).unwrap();
    let file: PostFile = agree(&text).expect("reads");
    assert_eq!(file.post.summary.title, "A \"quoted\" title");
    assert_eq!(file.nav.next, None);
}

#[test]
fn the_site_s_settings_read_as_serde_reads_them() {
    let text = json!({ "title": "quire", "subtitle": "s", "titleTemplate": "%s – quire", "pageSize": 5,
                       "language": "de", "url": "https://quire.example/", "image": "/img/x.png",
                       "themeColor": "#123456", "twitterUsername": "@q", "description": "d" });
    let site: Site = agree(&text.to_string()).expect("reads");
    assert_eq!((site.page_size, site.language.as_str()), (5, "de"));
}

#[test]
fn missing_fields_take_serde_s_defaults() {
    let site: Site = agree(r#"{"title":"t"}"#).expect("reads");
    assert_eq!(site, Site { title: "t".into(), ..Site::default() });
    assert_eq!(site.language, "en");
    assert_eq!(site.page_size, 10);
    let summary: PostSummary = agree(r#"{"slug":"s","title":"t","date":"2024-02-29"}"#).expect("reads");
    assert!(summary.categories.is_empty() && !summary.hidden && summary.reading_minutes.is_none());
    // null is None for an Option, and an error for anything else.
    agree::<Site>(r#"{"title":"t","url":null}"#).expect("reads");
    assert!(agree::<Site>(r#"{"title":"t","subtitle":null}"#).is_none());
    assert!(agree::<Site>(r#"{"title":null}"#).is_none());
}

#[test]
fn listings_search_files_and_postings_read_alike() {
    for listing in [
        json!({ "kind": "home" }),
        json!({ "kind": "category", "slug": "open-stack", "label": "OpenStack" }),
        json!({ "kind": "author", "slug": "ada", "name": "Ada", "company": "ACME" }),
        json!({ "kind": "author", "slug": "ada", "name": "Ada" }),
    ] {
        let page = json!({ "version": 5, "listing": listing, "page": 2, "pages": 3,
                           "total": 25, "posts": [], "categories": [{ "slug": "x", "label": "X", "count": 4 }] });
        agree::<ListingPage>(&page.to_string()).expect("reads");
    }
    for bad in [json!({ "kind": "tag" }), json!({ "kind": "category", "slug": "x" }), json!({ "slug": "x" })]
    {
        let page = json!({ "version": 5, "listing": bad, "page": 1, "pages": 1,
                           "total": 0, "posts": [], "categories": [] });
        assert!(agree::<ListingPage>(&page.to_string()).is_none(), "{bad}");
    }
    agree::<SearchManifest>(r#"{"version":4,"docs":108,"docsPerShard":32,"terms":["0","amended"]}"#)
        .expect("reads");
    agree::<Vec<SearchTerm>>(r#"[["computing",37,1],["zuul",1,0]]"#).expect("reads");
    assert!(agree::<Vec<SearchTerm>>(r#"[["computing",37]]"#).is_none());
    assert!(agree::<Vec<SearchTerm>>(r#"[["computing",37,1,2]]"#).is_none());
    agree::<BTreeMap<String, String>>(r#"{"finance":"O56181B1R151","caf\u00e9":"0"}"#).expect("reads");
}

#[test]
fn strings_unescape_as_json_says() {
    for text in [
        r#""plain""#,
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u00e9\u20AC""#,
        r#""\ud83d\ude00 surrogate pair""#,
        "\"raw UTF-8: \u{e9}\u{1F600}\"",
        r#""""#,
    ] {
        agree::<String>(text).unwrap_or_else(|| panic!("{text}"));
    }
    for bad in [
        r#""\ud83d alone""#,
        r#""\ude00""#,
        r#""\x""#,
        r#""\u12G4""#,
        "\"tab\tinside\"",
        r#""unterminated"#,
        r#""\u12"#,
    ] {
        assert!(agree::<String>(bad).is_none(), "{bad}");
    }
    assert!(from_slice::<String>(b"\"\xff\"").is_err(), "invalid UTF-8");
}

/// The reader skips plain bytes a word at a time: a quote, a backslash or a control character
/// at any position of a long string, at either side of a word's edge, is still seen there.
#[test]
fn special_bytes_are_seen_at_every_position() {
    let specials: [&str; 9] =
        ["\\\"", "\\\\", "\\n", "\\u00e9", "\u{e9}", "\u{1F600}", "\u{7f}", "\"", "\u{1f}"];
    for special in specials {
        for at in 0..40 {
            for len in [at, at + 1, at + 7, at + 8, at + 9, 64] {
                let mut text = String::from("\"");
                for i in 0..len.max(at) {
                    text.push(if i == at { '\u{0}' } else { char::from(b'a' + (i % 26) as u8) });
                }
                let text = text.replacen('\u{0}', special, 1) + "\"";
                agree::<String>(&text);
            }
        }
    }
}

#[test]
fn numbers_must_be_integers_of_the_field_s_range() {
    for (text, ok) in [
        ("0", true),
        ("4294967295", true),
        ("4294967296", false),
        ("-1", false),
        ("1.0", false),
        ("1e2", false),
        ("01", false),
        ("1.", false),
        ("", false),
        ("+1", false),
    ] {
        assert_eq!(agree::<u32>(text).is_some(), ok, "{text}");
    }
    // Ignored fields may hold any number JSON allows, and only those.
    agree::<Site>(r#"{"title":"t","x":-0.5e-3,"y":12E+2}"#).expect("reads");
    assert!(agree::<Site>(r#"{"title":"t","x":01}"#).is_none());
    assert!(agree::<Site>(r#"{"title":"t","x":.5}"#).is_none());
}

#[test]
fn malformed_documents_are_errors() {
    for bad in [
        "",
        "   ",
        "{",
        r#"{"title":"t""#,
        r#"{"title":"t",}"#,
        r#"{"title" "t"}"#,
        r#"{"title":"t"} x"#,
        r#"{"title":"t","x":[1,]}"#,
        r#"{"title":"t","x":tru}"#,
        r#"{'title':'t'}"#,
        "<!doctype html>",
    ] {
        assert!(agree::<Site>(bad).is_none(), "{bad}");
    }
    // serde also reads a struct from an array of its fields in order; the compiler never
    // writes one, and the app does not read one.
    assert!(from_slice::<Site>(br#"["title"]"#).is_err());
    assert!(agree::<Site>(" \n{ \"title\" : \"t\" } \n").is_some(), "white space anywhere");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(r#"{{"title":"t","x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    assert!(from_slice::<Site>(deep.as_bytes()).is_err());
    let fine = format!(r#"{{"title":"t","x":{}{}}}"#, "[".repeat(100), "]".repeat(100));
    assert!(from_slice::<Site>(fine.as_bytes()).is_ok());
}

#[test]
fn errors_name_the_field() {
    let mut file = post_file();
    file["post"]["summary"]["date"] = json!("yesterday");
    let error = from_slice::<PostFile>(file.to_string().as_bytes()).unwrap_err().to_string();
    assert!(error.starts_with("post.summary.date: "), "{error}");

    let mut file = post_file();
    file["nav"]["related"][0]["title"] = json!(3);
    let error = from_slice::<PostFile>(file.to_string().as_bytes()).unwrap_err().to_string();
    assert!(error.starts_with("nav.related.0.title: expected a string"), "{error}");

    let mut file = post_file();
    file["post"].as_object_mut().unwrap().remove("seo");
    let error = from_slice::<PostFile>(file.to_string().as_bytes()).unwrap_err().to_string();
    assert!(error.starts_with("post: missing field `seo`"), "{error}");
}

#[test]
fn the_version_is_found_whatever_the_other_fields_hold() {
    assert_eq!(version_of(br#"{"site":{"broken":[}, "version": 3}"#), None, "a malformed document has none");
    assert_eq!(version_of(br#"{"listing":7,"version":5,"posts":"no"}"#), Some(5));
    assert_eq!(version_of(br#"{"version":"5"}"#), None);
    assert_eq!(version_of(b"<!doctype html>"), None);
}

/// A post file as the compiler writes it (its JSON line, then the Markdown) reads back whole
/// with serde and, as the app reads it, as the same file with the body where it was written.
#[test]
fn a_post_file_is_its_json_line_then_its_markdown() {
    use quire_core::model::{DecodeError, FORMAT_VERSION, decode_post, read_post_file, write_post_file};
    let mut value = post_file();
    value["version"] = json!(FORMAT_VERSION);
    let mut file: PostFile = serde_json::from_value(value).unwrap();
    assert_eq!(file.post.body, "", "the body is not read from the JSON");
    let body = "# Hello\n\n\u{e9}t\u{e9} \u{1F600} \\ \"quoted\"\n{\"version\": 1}\n";
    file.post.body = body.to_string();
    let bytes = write_post_file(&file).unwrap();
    let first_line = bytes.iter().position(|&b| b == b'\n').unwrap();
    assert!(
        serde_json::from_slice::<serde_json::Value>(&bytes[..first_line]).is_ok(),
        "the first line is JSON"
    );
    assert_eq!(&bytes[first_line + 1..], body.as_bytes(), "the Markdown as written");
    assert_eq!(read_post_file(&bytes), Ok(file.clone()));
    let (read, range) = decode_post(&bytes).unwrap();
    assert_eq!(&bytes[range], body.as_bytes());
    assert_eq!(
        read,
        PostFile {
            post: quire_core::model::Post { body: String::new(), ..file.post.clone() },
            ..file.clone()
        }
    );
    // A file of an older format (all JSON, body included) is reported by its version.
    let mut old = post_file();
    old["version"] = json!(FORMAT_VERSION - 1);
    old["post"]["body"] = json!(body);
    assert_eq!(
        decode_post(old.to_string().as_bytes()).map(|_| ()),
        Err(DecodeError::Version { found: FORMAT_VERSION - 1 })
    );
    // A file cut after its JSON: no body; cut inside it: an error naming what is missing.
    assert_eq!(decode_post(&bytes[..first_line]).map(|(_, r)| r.is_empty()), Ok(true));
    assert!(matches!(decode_post(&bytes[..first_line / 2]), Err(DecodeError::Invalid(_))));
    assert!(
        read_post_file(&[&bytes[..first_line + 1], b"\xff"].concat()).is_err(),
        "a body that is not UTF-8"
    );
}

/// `find_byte` finds what a byte-by-byte search finds, at every position of every alignment.
#[test]
fn find_byte_agrees_with_a_plain_search() {
    let text: Vec<u8> = (0..64u8).map(|i| b'a' + i % 26).collect();
    for len in 0..text.len() {
        for at in 0..=len {
            let mut bytes = text[..len].to_vec();
            if at < len {
                bytes[at] = b'\n';
            }
            let plain = bytes.iter().position(|&b| b == b'\n');
            assert_eq!(quire_core::json::find_byte(&bytes, b'\n'), plain, "{len} {at}");
            // Bytes that differ from the one sought in one bit only, around it.
            let near: Vec<u8> =
                bytes.iter().map(|&b| if b == b'\n' { b'\n' } else { b'\n' ^ (1 << (b % 8)) }).collect();
            assert_eq!(quire_core::json::find_byte(&near, b'\n'), near.iter().position(|&b| b == b'\n'));
        }
    }
    assert_eq!(quire_core::json::find_byte(&[0x8a; 40], b'\n'), None, "high bytes are not line feeds");
}
