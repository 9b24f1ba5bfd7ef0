//! What a rendered post body may contain once a browser has parsed it, written from the
//! sanitiser's documented contract (README, "Writing posts"; the doc comments of
//! `quire_core::sanitize`) and from the markup the renderer itself writes (pulldown-cmark's
//! tags, task-list boxes, heading anchors, highlighted code, table alignment classes), not
//! from the sanitiser's tables: a name that slips into those tables by mistake still fails
//! here.

/// HTML elements a body may hold, each with the attributes it may carry beyond [`GLOBAL`].
/// Everything else is refused, notably `script`, `style`, `iframe`, `object`, `embed`,
/// `form` and its controls, `svg`, `math`, `template`, `noscript`, `base`, `meta`, `link`.
pub const ELEMENTS: &[(&str, &[&str])] = &[
    // Links and pictures: the URL attributes are checked by [`url_problem`].
    ("a", &["href", "target", "rel", "name", "aria-label"]),
    ("img", &["src", "alt", "width", "height", "loading", "decoding"]),
    // Text.
    ("p", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("pre", &[]),
    ("code", &[]),
    ("div", &[]),
    ("span", &[]),
    ("center", &[]),
    ("figure", &[]),
    ("figcaption", &[]),
    ("details", &[]),
    ("summary", &[]),
    ("time", &["datetime"]),
    // Phrasing.
    ("abbr", &[]),
    ("b", &[]),
    ("big", &[]),
    ("cite", &[]),
    ("del", &[]),
    ("dfn", &[]),
    ("em", &[]),
    ("i", &[]),
    ("ins", &[]),
    ("kbd", &[]),
    ("mark", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("strike", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("u", &[]),
    ("var", &[]),
    // Lists.
    ("ul", &[]),
    ("ol", &["start", "type", "reversed"]),
    ("li", &["value"]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    // Tables.
    ("table", &["width", "border", "cellpadding", "cellspacing", "summary"]),
    ("caption", &[]),
    ("colgroup", &["span", "width"]),
    ("col", &["span", "width"]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan", "width", "height", "valign", "scope"]),
    ("td", &["colspan", "rowspan", "width", "height", "valign"]),
    // The renderer's task-list box: `<input type="checkbox" disabled>`, see [`INPUT`].
    ("input", &["type", "disabled", "checked", "aria-label"]),
];

/// Attributes any allowed element may carry. `style` is not one: the sanitiser turns
/// `text-align` into a class, as the Content-Security-Policy forbids style attributes.
pub const GLOBAL: &[&str] = &["id", "title", "lang", "dir", "align", "class"];

/// The only `<input>` a body holds is the renderer's read-only task-list box.
pub const INPUT_TYPE: &str = "checkbox";

/// `rel` tokens the renderer and sanitiser write: `noopener noreferrer` with `target`,
/// `external` on links the app leaves to the browser.
pub const REL_TOKENS: &[&str] = &["noopener", "noreferrer", "external"];

/// Class names a body may carry (authors cannot set classes: only the renderer does).
pub fn class_allowed(class: &str) -> bool {
    const EXACT: &[&str] = &[
        "align-left",
        "align-center",
        "align-right",
        "align-justify",
        "heading-anchor",
        "footnote-reference",
        "footnote-definition",
        "footnote-definition-label",
    ];
    EXACT.contains(&class)
        // Highlighted code: `<span class="tok-keyword">`.
        || class.strip_prefix("tok-").is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        // A fenced block's language, from the author's info string: any word is harmless.
        || class.strip_prefix("language-").is_some_and(|rest| !rest.is_empty())
}

/// True for an `id` or `name` the app itself uses or may use: `main` (the skip link's target)
/// and everything starting `quire` (`quire-site`, the page's settings, `quire-search`…).
/// An author element holding one would shadow the app's own (DOM clobbering).
pub fn id_reserved(value: &str) -> bool {
    value == "main" || value.starts_with("quire")
}

/// Which attribute a URL sits in, for [`url_problem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// `a href`, `blockquote cite`, `q cite`: followed or shown as a link.
    Link,
    /// `img src`: fetched and decoded as a picture.
    Image,
}

/// Raster pictures an `<img>` may inline as `data:` (never SVG, which can carry script).
const DATA_IMAGES: &[&str] =
    &["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/avif"];

/// Why a URL may not appear where it is, or `None` when it may: relative URLs, `http(s)`,
/// `mailto:` and `tel:` for links, and raster `data:` images for pictures.
///
/// The scheme is found as the WHATWG URL parser finds it, on the attribute's value as the
/// HTML parser decoded it: leading and trailing C0 controls and spaces are stripped, every
/// tab and newline removed, then a scheme is an ASCII letter followed by letters, digits,
/// `+`, `-` or `.`, up to the first `:`. Anything else is a relative URL.
pub fn url_problem(value: &str, use_: UrlUse) -> Option<String> {
    let trimmed = value.trim_matches(|c: char| c <= '\u{20}');
    let url: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    // No scheme: a relative URL, always fine.
    let scheme = scheme(&url)?;
    match (scheme.as_str(), use_) {
        ("http" | "https", _) => None,
        ("mailto" | "tel", UrlUse::Link) => None,
        ("data", UrlUse::Image) => {
            let rest = &url[5..];
            let media = rest.split(',').next().unwrap_or("").to_ascii_lowercase();
            let essence =
                media.split(';').next().unwrap_or("").trim_matches(|c: char| c.is_ascii_whitespace());
            if DATA_IMAGES.contains(&essence) {
                None
            } else {
                Some(format!("data: URL of type {essence:?}, not a raster image"))
            }
        }
        (other, _) => Some(format!("URL scheme {other:?} is not allowed in {use_:?} attributes")),
    }
}

/// The lower-cased scheme of a URL the way the URL parser's scheme state reads it.
fn scheme(url: &str) -> Option<String> {
    let mut chars = url.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    for (at, c) in chars {
        match c {
            ':' => return Some(url[..at].to_ascii_lowercase()),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("https://x.org/a", UrlUse::Link, true)]
    #[test_case("/img/a.png", UrlUse::Image, true)]
    #[test_case("#top", UrlUse::Link, true)]
    #[test_case("a:b/c", UrlUse::Link, false ; "unknown scheme")]
    #[test_case("page?x=a:b", UrlUse::Link, true ; "colon after a query is no scheme")]
    #[test_case("1a:b", UrlUse::Link, true ; "digit first is no scheme")]
    #[test_case("mailto:a@b.c", UrlUse::Link, true)]
    #[test_case("mailto:a@b.c", UrlUse::Image, false)]
    #[test_case("javascript:alert(1)", UrlUse::Link, false)]
    #[test_case("JaVaScRiPt:alert(1)", UrlUse::Link, false)]
    #[test_case("java\tscr\nipt:alert(1)", UrlUse::Link, false ; "tab and newline removed")]
    #[test_case("\u{1}\u{20}javascript:alert(1)\u{0}", UrlUse::Link, false ; "c0 and space stripped at the ends")]
    #[test_case("vbscript:x", UrlUse::Link, false)]
    #[test_case("data:image/png;base64,AAAA", UrlUse::Image, true)]
    #[test_case("DATA: image/GIF ;base64,AAAA", UrlUse::Image, true ; "spaces and case in the type")]
    #[test_case("data:image/svg+xml;base64,AAAA", UrlUse::Image, false)]
    #[test_case("data:text/html,<script>x</script>", UrlUse::Image, false)]
    #[test_case("data:image/png;base64,AAAA", UrlUse::Link, false ; "data links")]
    fn urls(url: &str, use_: UrlUse, safe: bool) {
        assert_eq!(url_problem(url, use_).is_none(), safe, "{url:?}");
    }

    #[test_case("main", true)]
    #[test_case("quire-site", true)]
    #[test_case("quirement", true)]
    #[test_case("Main", false)]
    #[test_case("intro", false)]
    fn reserved_ids(id: &str, reserved: bool) {
        assert_eq!(id_reserved(id), reserved);
    }

    #[test_case("tok-keyword", true)]
    #[test_case("language-rust", true)]
    #[test_case("align-center", true)]
    #[test_case("post__body", false)]
    #[test_case("tok-", false)]
    #[test_case("visually-hidden", false)]
    fn classes(class: &str, allowed: bool) {
        assert_eq!(class_allowed(class), allowed);
    }
}
