//! Slugs, paths and file names from untrusted URLs and names: never a panic, and the
//! encodings keep their promises (a path segment is one segment that decodes back; distinct
//! slugs get distinct file names; only safe characters reach a file name or a path).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_core::sanitize::{UrlKind, is_safe_url, with_root};
use quire_core::url::{
    base_path_from_href, is_app_route, kebab_case, needs_full_load, path_segment, percent_decode,
    post_file_key, post_path, post_slug, slug_from_url, url_scheme,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = url_scheme(text);
    let _ = is_app_route(text);
    let _ = needs_full_load(text);
    let _ = base_path_from_href(text);
    let _ = is_safe_url(text, UrlKind::Link);
    let _ = is_safe_url(text, UrlKind::Image);
    let _ = with_root("/quire", text);
    let _ = slug_from_url(text);

    if let Some(slug) = post_slug(Some(text), text) {
        assert!(!slug.is_empty() && !slug.contains('/'), "slug {slug:?}");
    }

    let segment = path_segment(text);
    assert!(
        segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%".contains(&b)),
        "path segment {segment:?}"
    );
    assert_eq!(percent_decode(&segment).as_deref(), Some(text), "path segment {segment:?}");
    assert!(post_path(text).starts_with("/blog/"));

    let key = post_file_key(text);
    assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)), "file key {key:?}");
    assert!(!key.starts_with('.'), "file key {key:?} is hidden");
    assert_eq!(decode_file_key(&key).as_deref(), Some(text.as_bytes()), "file key {key:?}");

    let kebab = kebab_case(text);
    assert!(!kebab.starts_with('-') && !kebab.ends_with('-') && !kebab.contains("--"), "kebab {kebab:?}");
    assert!(!kebab.chars().any(|c| c.is_ascii_uppercase() || c.is_whitespace()), "kebab {kebab:?}");
});

/// The inverse of `post_file_key`: `~XX` back to the byte.
fn decode_file_key(key: &str) -> Option<Vec<u8>> {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'~' {
            out.push(u8::from_str_radix(key.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}
