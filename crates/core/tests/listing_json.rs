//! `Listing` is written as an internally tagged object (`{"kind": "category", …}`) and read
//! through a flat struct (smaller wasm than serde's tagged-enum path): both directions agree.

use quire_core::model::Listing;
use serde_json::json;

#[test]
fn every_kind_reads_back_what_is_written() {
    let listings = [
        (Listing::Home, json!({ "kind": "home" })),
        (
            Listing::Category { slug: "open-stack".into(), label: "OpenStack".into() },
            json!({ "kind": "category", "slug": "open-stack", "label": "OpenStack" }),
        ),
        (
            Listing::Author {
                slug: "ada-quill".into(),
                name: "Ada Quill".into(),
                company: Some("quire".into()),
            },
            json!({ "kind": "author", "slug": "ada-quill", "name": "Ada Quill", "company": "quire" }),
        ),
        (
            Listing::Author { slug: "ben".into(), name: "Ben".into(), company: None },
            json!({ "kind": "author", "slug": "ben", "name": "Ben" }),
        ),
    ];
    for (listing, written) in listings {
        assert_eq!(serde_json::to_value(&listing).unwrap(), written);
        assert_eq!(serde_json::from_value::<Listing>(written).unwrap(), listing);
    }
}

#[test]
fn fields_of_other_kinds_are_ignored() {
    let home: Listing = serde_json::from_str(r#"{"kind":"home","slug":"x","label":"y"}"#).unwrap();
    assert_eq!(home, Listing::Home);
}

#[test]
fn a_missing_field_or_an_unknown_kind_is_an_error_that_names_it() {
    let error = serde_json::from_str::<Listing>(r#"{"kind":"category","label":"OpenStack"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `slug` of a listing of kind `category`"), "{error}");
    let error = serde_json::from_str::<Listing>(r#"{"kind":"author","slug":"a"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `name`"), "{error}");
    let error = serde_json::from_str::<Listing>(r#"{"kind":"tag","slug":"a"}"#).unwrap_err();
    assert!(error.to_string().contains("unknown listing kind `tag`"), "{error}");
    let error = serde_json::from_str::<Listing>(r#"{"slug":"a"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `kind`"), "{error}");
}
