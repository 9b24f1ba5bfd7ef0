//! Allowlist cleaning of author-supplied HTML and URLs. Whatever is not known to be safe is
//! dropped: unknown elements lose their tags (their text stays, escaped), script-like
//! elements lose their content too, attributes are kept per element, and URLs must use a
//! safe scheme. Pure string code, so the browser and a native prerender clean alike.

use crate::entities::{self, Context};
use crate::url::needs_full_load;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    Link,
    Image,
}

/// True when a URL may appear in an `href` (Link) or `src` (Image): relative URLs, http(s),
/// mailto and tel; for images also `data:` PNG/JPEG/GIF/WebP/AVIF (never SVG, which can
/// carry script). Browsers ignore tabs and newlines inside a scheme, so this does too.
pub fn is_safe_url(url: &str, kind: UrlKind) -> bool {
    // Only the scheme and, for `data:`, the media type decide, so nothing after them is read
    // (an inline image is often hundreds of kilobytes). A colon makes a scheme only before the
    // first `/`, `?` or `#` (as in `crate::url::url_scheme`). The scheme is read lower-cased
    // without allocating: every scheme allowed is ASCII and at most 6 long, so a longer one or
    // one with another character is none of them (`other`).
    let mut chars = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control());
    let mut scheme = [0u8; 6];
    let mut len = 0;
    let mut other = false;
    loop {
        match chars.next() {
            Some(':') => break,
            None | Some('/' | '?' | '#') => return true,
            Some(c) => match scheme.get_mut(len).filter(|_| c.is_ascii()) {
                Some(byte) => {
                    *byte = c.to_ascii_lowercase() as u8;
                    len += 1;
                }
                None => other = true,
            },
        }
    }
    match scheme.get(..len).filter(|_| !other).unwrap_or_default() {
        b"http" | b"https" => true,
        b"mailto" | b"tel" => kind == UrlKind::Link,
        b"data" if kind == UrlKind::Image => {
            // The media type as a browser reads it, up to the first `;` or `,`: the URL parser
            // removes only tabs and newlines, so another control character or a space inside
            // the type leaves an invalid type (read as text/plain), not a raster one (found by
            // fuzzing: `data:imag\x01e/gif` passed as a GIF). A type far longer than any
            // allowed one, white space included, is none of them.
            let raw_rest = url.split_once(':').map_or("", |(_, rest)| rest);
            let mut mime = String::new();
            for c in raw_rest.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
                if matches!(c, ';' | ',') {
                    break;
                }
                if mime.len() >= 64 {
                    return false;
                }
                mime.push(c.to_ascii_lowercase());
            }
            matches!(
                mime.trim_matches(|c: char| c.is_ascii_whitespace()),
                "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp" | "image/avif"
            )
        }
        _ => false,
    }
}

/// Elements dropped together with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "title", "xmp",
    "noembed", "noframes", "svg", "math", "select", "applet", "frameset", "frame",
];

const VOID: &[&str] = &["br", "hr", "img", "col", "wbr"];

/// Allowed elements; each maps to the attributes it may keep (beyond the global ones).
const ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "target", "name"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("table", &["width", "border", "cellpadding", "cellspacing", "summary"]),
    ("td", &["colspan", "rowspan", "width", "height", "valign"]),
    ("th", &["colspan", "rowspan", "width", "height", "valign", "scope"]),
    ("col", &["span", "width"]),
    ("colgroup", &["span", "width"]),
    ("ol", &["start", "type", "reversed"]),
    ("li", &["value"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("time", &["datetime"]),
    ("abbr", &[]),
    ("b", &[]),
    ("big", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("center", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &[]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("ins", &[]),
    ("kbd", &[]),
    ("mark", &[]),
    ("p", &[]),
    ("pre", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strike", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("thead", &[]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
];

const GLOBAL_ATTRS: &[&str] = &["title", "id", "lang", "dir", "align", "style"];

/// Cleans a stream of HTML fragments (the raw-HTML pieces of one document, in order). Tags
/// opened by the author are tracked so that a stray close cannot end the app's own
/// elements, and [`HtmlSanitizer::finish`] closes what the author left open.
///
/// Markdown containers (a list item, a quote, a table cell, a paragraph…) are scopes: a
/// browser closes the author's elements left open inside them when the container ends, so
/// [`HtmlSanitizer::exit_scope`] closes them there too, and a close tag never reaches past
/// the innermost scope.
#[derive(Default)]
pub struct HtmlSanitizer {
    /// Author elements still open; `None` marks the start of a Markdown container.
    open: Vec<Option<&'static str>>,
    /// How many levels to demote headings: the page title is the only `<h1>`.
    heading_shift: u8,
    /// Put before root-relative URLs (`/img/a.png`): the sub-path a site is served under,
    /// or the site's absolute origin for feeds.
    url_root: String,
    /// The first image's `src` that is not a `data:` URL, for social cards.
    first_image: Option<String>,
    /// Inside a script-like element (see [`DROP_WITH_CONTENT`]) whose close tag has not come
    /// yet: its name, and how many Markdown containers were open when it started. Inline
    /// HTML arrives in pieces, with Markdown text between them that is the element's content.
    dropping: Option<(&'static str, usize)>,
    /// Ids the renderer gives its own elements (footnotes): an author element may not take one.
    taken_ids: Vec<String>,
}

impl HtmlSanitizer {
    pub fn new(heading_shift: u8) -> Self {
        HtmlSanitizer { heading_shift, ..HtmlSanitizer::default() }
    }

    /// Root-relative URLs in `href`/`src` get `root` in front (see [`with_url_root`]).
    pub fn with_url_root(mut self, root: &str) -> Self {
        self.url_root = root.trim_end_matches('/').to_string();
        self
    }

    /// Ids the renderer writes itself (footnotes): author elements lose them.
    pub fn with_taken_ids(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.taken_ids.extend(ids);
        self
    }

    /// True inside a script-like element the author opened in an earlier piece: what comes
    /// before its close tag (Markdown text included) is its content and is left out.
    pub fn is_dropping(&self) -> bool {
        self.dropping.is_some()
    }

    /// Ends a script-like element left open: at the end of a raw-HTML block (CommonMark ends
    /// `<script>` blocks only at `</script>`, so a block cannot hold more of it).
    pub fn stop_dropping(&mut self) {
        self.dropping = None;
    }

    /// The `src` of the first author `<img>` that is not inline data.
    pub fn first_image(&self) -> Option<&str> {
        self.first_image.as_deref()
    }

    pub fn enter_scope(&mut self) {
        self.open.push(None);
    }

    /// Closes the author elements opened since the matching [`HtmlSanitizer::enter_scope`].
    pub fn exit_scope(&mut self, out: &mut String) {
        while let Some(Some(name)) = self.open.pop() {
            push_close(out, self.shifted(name));
        }
        // A script-like element left open ends with the container it started in.
        if self.dropping.is_some_and(|(_, scopes)| scopes > self.scopes()) {
            self.dropping = None;
        }
    }

    /// How many Markdown containers are open.
    fn scopes(&self) -> usize {
        self.open.iter().filter(|open| open.is_none()).count()
    }

    pub fn clean(&mut self, html: &str, out: &mut String) {
        let mut rest = html;
        if let Some((name, _)) = self.dropping {
            match close_tag_end(rest, name) {
                Some(end) => {
                    self.dropping = None;
                    rest = rest.get(end..).unwrap_or("");
                }
                None => return,
            }
        }
        while let Some(lt) = rest.find('<') {
            push_escaped_text(out, &rest[..lt]);
            rest = &rest[lt..];
            rest = match self.markup(rest, out) {
                Some(after) => after,
                None => {
                    out.push_str("&lt;");
                    &rest[1..]
                }
            };
        }
        push_escaped_text(out, rest);
    }

    /// Closes every element the author opened and did not close.
    pub fn finish(&mut self, out: &mut String) {
        while let Some(open) = self.open.pop() {
            if let Some(name) = open {
                push_close(out, self.shifted(name));
            }
        }
    }

    /// Handles the markup at the start of `s` (which begins with `<`) and returns what
    /// follows it, or `None` when it is not markup (a lone `<` in text).
    fn markup<'a>(&mut self, s: &'a str, out: &mut String) -> Option<&'a str> {
        if let Some(comment) = s.strip_prefix("<!--") {
            return Some(comment.find("-->").map_or("", |end| &comment[end + 3..]));
        }
        if s.starts_with("<!") || s.starts_with("<?") {
            return Some(s.find('>').map_or("", |end| &s[end + 1..]));
        }
        if let Some(close) = s.strip_prefix("</") {
            let (name, after) = tag_name(close)?;
            let end = after.find('>')?;
            self.close(&name, out);
            return Some(&after[end + 1..]);
        }
        let (name, after) = tag_name(&s[1..])?;
        let (attrs, self_closing, after) = parse_attributes(after)?;
        if let Some(&dropped) = DROP_WITH_CONTENT.iter().find(|d| **d == name) {
            if self_closing {
                return Some(after);
            }
            return Some(match close_tag_end(after, dropped) {
                Some(end) => after.get(end..).unwrap_or(""),
                None => {
                    self.dropping = Some((dropped, self.scopes()));
                    ""
                }
            });
        }
        if let Some((name, allowed)) = ELEMENTS.iter().find(|(n, _)| *n == name) {
            self.open_tag(name, allowed, &attrs, out);
            // Browsers ignore `/>` on HTML elements: `<div/>` opens a div, so it is tracked
            // (and closed) like `<div>`, or it would swallow the page after the body.
            if !VOID.contains(name) {
                self.open.push(Some(name));
            }
        }
        Some(after)
    }

    fn open_tag(
        &mut self,
        name: &'static str,
        allowed: &[&str],
        attrs: &[(String, String)],
        out: &mut String,
    ) {
        out.push('<');
        out.push_str(self.shifted(name));
        let mut rel = Vec::new();
        for (key, value) in attrs {
            if !(allowed.contains(&key.as_str()) || GLOBAL_ATTRS.contains(&key.as_str())) {
                continue;
            }
            let clean = match key.as_str() {
                "href" | "cite" => is_safe_url(value, UrlKind::Link).then(|| value.clone()),
                "src" => is_safe_url(value, UrlKind::Image).then(|| value.clone()),
                "target" => (value == "_blank").then(|| value.clone()),
                "id" | "name" => {
                    (is_safe_id(value) && !self.taken_ids.contains(value)).then(|| value.clone())
                }
                "style" => clean_style(value),
                _ => Some(value.clone()),
            };
            let Some(mut clean) = clean else { continue };
            if key == "target" {
                rel.extend(["noopener", "noreferrer"]);
            }
            if name == "a" && key == "href" && needs_full_load(&clean) {
                rel.push("external");
            }
            if matches!(key.as_str(), "href" | "src" | "cite") {
                clean = with_root(&self.url_root, &clean);
            }
            if name == "img" && key == "src" && self.first_image.is_none() && !is_data_url(&clean) {
                self.first_image = Some(clean.clone());
            }
            // A strict Content-Security-Policy blocks style attributes: alignment is a class.
            let key = if key == "style" { "class" } else { key.as_str() };
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            push_escaped_attr(out, &clean);
            out.push('"');
        }
        if !rel.is_empty() {
            out.push_str(&format!(" rel=\"{}\"", rel.join(" ")));
        }
        out.push('>');
    }

    fn close(&mut self, name: &str, out: &mut String) {
        let scope_start = self.open.iter().rposition(Option::is_none).map_or(0, |marker| marker + 1);
        let scope = self.open.get(scope_start..).unwrap_or_default();
        let Some(depth) = scope.iter().rposition(|open| *open == Some(name)) else {
            return;
        };
        while self.open.len() > scope_start + depth {
            if let Some(Some(open)) = self.open.pop() {
                push_close(out, self.shifted(open));
            }
        }
    }

    fn shifted(&self, name: &'static str) -> &'static str {
        shift_heading(name, self.heading_shift)
    }
}

/// `h1` shifted by 1 is `h2`; `h6` stays `h6`; other names are unchanged.
pub fn shift_heading(name: &'static str, shift: u8) -> &'static str {
    const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
    match HEADINGS.iter().position(|h| *h == name) {
        Some(level) => HEADINGS.get(level + usize::from(shift)).copied().unwrap_or("h6"),
        None => name,
    }
}

fn push_close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// A lower-cased tag name at the start of `s` and what follows it.
fn tag_name(s: &str) -> Option<(String, &str)> {
    let end = s.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(s.len());
    let first = s.chars().next()?;
    if end == 0 || !first.is_ascii_alphabetic() {
        return None;
    }
    Some((s[..end].to_ascii_lowercase(), &s[end..]))
}

type Attributes = Vec<(String, String)>;

/// Parses attributes up to the tag's `>`; returns them (names lower-cased, values with
/// character references decoded), whether the tag ended with `/>`, and what follows.
fn parse_attributes(mut s: &str) -> Option<(Attributes, bool, &str)> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start();
        if let Some(after) = s.strip_prefix("/>") {
            return Some((attrs, true, after));
        }
        if let Some(after) = s.strip_prefix('>') {
            return Some((attrs, false, after));
        }
        if let Some(after) = s.strip_prefix('/') {
            s = after;
            continue;
        }
        let name_end = s.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/' | '"' | '\''))?;
        if name_end == 0 {
            // A stray quote: skip it rather than give up on the tag.
            s = &s[1..];
            continue;
        }
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after_eq) = s.strip_prefix('=') {
            let v = after_eq.trim_start();
            let (raw, after) = match v.chars().next()? {
                quote @ ('"' | '\'') => {
                    let close = v[1..].find(quote)?;
                    (&v[1..1 + close], &v[close + 2..])
                }
                _ => {
                    let end = v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len());
                    (&v[..end], &v[end..])
                }
            };
            value = entities::decode(raw, Context::Attribute);
            s = after;
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

/// Where the first `</name>` of `s` ends (the name in any case; as in HTML, the name must be
/// followed by whitespace, `/` or `>`, and the tag ends at the next `>`). `None` when the
/// element is not closed in `s`.
fn close_tag_end(s: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = s.get(from..).and_then(|rest| rest.find("</")).map(|i| from + i) {
        let after_slash = at + 2;
        let named =
            s.get(after_slash..after_slash + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name));
        let after_name = s.get(after_slash + name.len()..).unwrap_or("");
        if named && after_name.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>') {
            let gt = after_name.find('>')?;
            return Some(s.len() - after_name.len() + gt + 1);
        }
        from = after_slash;
    }
    None
}

/// Ids the app itself uses; an author element with one would shadow it.
const RESERVED_IDS: &[&str] = &["main"];

/// True for ids the app itself uses or may use (`main`, anything starting `quire`): neither an
/// author element nor a generated heading id may take one.
pub fn is_reserved_id(value: &str) -> bool {
    RESERVED_IDS.contains(&value) || value.starts_with("quire")
}

fn is_safe_id(value: &str) -> bool {
    if is_reserved_id(value) {
        return false;
    }
    let mut chars = value.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Keeps only `text-align` (the one style the real posts rely on) with a known value, as the
/// class `align-<value>` that the stylesheet defines (a strict CSP forbids style attributes).
fn clean_style(style: &str) -> Option<String> {
    style.split(';').rev().find_map(|decl| {
        let (prop, value) = decl.split_once(':')?;
        let (prop, value) = (prop.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
        (prop == "text-align" && matches!(value.as_str(), "left" | "right" | "center" | "justify"))
            .then(|| format!("align-{value}"))
    })
}

/// `/img/a.png` with root `/quire` → `/quire/img/a.png`; other URLs (`//cdn`, `https:`,
/// `#x`, `a.png`) are left as they are.
pub fn with_root(root: &str, url: &str) -> String {
    if !root.is_empty() && url.starts_with('/') && !url.starts_with("//") {
        format!("{root}{url}")
    } else {
        url.to_string()
    }
}

fn is_data_url(url: &str) -> bool {
    url.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:"))
}

/// `s` with its character references decoded as a browser decodes text between tags (the
/// full HTML5 table; see [`crate::entities`]).
pub fn decode_entities(s: &str) -> String {
    entities::decode(s, Context::Text)
}

/// Text between tags: `<` and `>` escaped; `&` left alone so existing entities keep working.
fn push_escaped_text(out: &mut String, mut s: &str) {
    while let Some(at) = s.bytes().position(|b| matches!(b, b'<' | b'>')) {
        out.push_str(&s[..at]);
        out.push_str(if s[at..].starts_with('<') { "&lt;" } else { "&gt;" });
        s = &s[at + 1..];
    }
    out.push_str(s);
}

pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped_attr(&mut out, s);
    out
}

/// [`escape_attr`] written to `out`: runs without a character to escape are copied whole.
pub fn push_escaped_attr(out: &mut String, mut s: &str) {
    while let Some(at) = s.bytes().position(|b| matches!(b, b'&' | b'"' | b'\'' | b'<' | b'>')) {
        out.push_str(&s[..at]);
        out.push_str(match s.as_bytes().get(at) {
            Some(b'&') => "&amp;",
            Some(b'"') => "&quot;",
            Some(b'\'') => "&#39;",
            Some(b'<') => "&lt;",
            _ => "&gt;",
        });
        s = &s[at + 1..];
    }
    out.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    fn clean(html: &str) -> String {
        let mut s = HtmlSanitizer::new(1);
        let mut out = String::new();
        s.clean(html, &mut out);
        s.finish(&mut out);
        out
    }

    #[test_case("https://openinfra.dev/x", true)]
    #[test_case("/img/a.png", true)]
    #[test_case("#section", true)]
    #[test_case("relative/page?x=a:b", true)]
    #[test_case("mailto:a@b.c", true)]
    #[test_case("javascript:alert(1)", false)]
    #[test_case("JaVaScRiPt:alert(1)", false)]
    #[test_case("java\tscript:alert(1)", false)]
    #[test_case(" javascript:alert(1)", false)]
    #[test_case("vbscript:x", false)]
    #[test_case("data:text/html,<script>", false)]
    #[test_case("HTTPS://openinfra.dev", true)]
    #[test_case("MailTo:a@b.c", true)]
    #[test_case("tel:+1", true)]
    #[test_case("mailtox:a@b.c", false ; "a seven-letter scheme")]
    #[test_case("httpsx:x", false)]
    #[test_case("http\u{455}:x", false ; "a Cyrillic letter in the scheme")]
    #[test_case("\u{ff48}ttp:x", false ; "a full-width letter")]
    #[test_case(":x", false ; "an empty scheme")]
    #[test_case("h\u{85}ttp://x", true ; "a control character inside the scheme")]
    fn link_urls(url: &str, safe: bool) {
        assert_eq!(is_safe_url(url, UrlKind::Link), safe);
    }

    #[test_case("data:image/png;base64,AAAA", true)]
    #[test_case("data:image/svg+xml;base64,AAAA", false)]
    #[test_case("mailto:a@b.c", false)]
    fn image_urls(url: &str, safe: bool) {
        assert_eq!(is_safe_url(url, UrlKind::Image), safe);
    }

    #[test_case("<script>alert(1)</script>after", "after" ; "script and its content")]
    #[test_case("<SCRIPT src=x></SCRIPT>", "" ; "upper case script")]
    #[test_case("<img src=x onerror=alert(1)>", "<img src=\"x\">" ; "event handler")]
    #[test_case("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>" ; "javascript href")]
    #[test_case("<a href=\"&#106;avascript:alert(1)\">x</a>", "<a>x</a>" ; "entity encoded scheme")]
    #[test_case("<a href=\"javascript&colon;alert(1)\">x</a>", "<a>x</a>" ; "named colon")]
    #[test_case("<a href=\"https://x.org\" target=\"_blank\">x</a>", "<a href=\"https://x.org\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>" ; "blank target gets rel")]
    #[test_case("<a href=\"/files/report.pdf\">pdf</a>", "<a href=\"/files/report.pdf\" rel=\"external\">pdf</a>" ; "file link loads the page")]
    #[test_case("<a href=\"/blog/other\">post</a>", "<a href=\"/blog/other\">post</a>" ; "post link stays in the app")]
    #[test_case("<iframe src=x></iframe>ok", "ok" ; "iframe")]
    #[test_case("<svg><script>alert(1)</script></svg>", "" ; "svg")]
    #[test_case("<p style=\"text-align: center;\">c</p>", "<p class=\"align-center\">c</p>" ; "text align kept")]
    #[test_case("<p style=\"background:url(javascript:x)\">c</p>", "<p>c</p>" ; "other styles dropped")]
    #[test_case("<td width=\"45%\">x</td>", "<td width=\"45%\">x</td>" ; "table width")]
    #[test_case("<br>", "<br>" ; "br")]
    #[test_case("</div></p>text", "text" ; "stray closes dropped")]
    #[test_case("<div><b>open", "<div><b>open</b></div>" ; "unclosed closed at end")]
    #[test_case("<h1>T</h1>", "<h2>T</h2>" ; "heading demoted")]
    #[test_case("a < b > c", "a &lt; b &gt; c" ; "lone angle brackets")]
    #[test_case("<!-- hidden -->x", "x" ; "comment")]
    #[test_case("<blink>x</blink>", "x" ; "unknown tag text kept")]
    #[test_case("<div id=\"main\">x</div><a id=\"quire-site\">y</a>", "<div>x</div><a>y</a>" ; "app ids reserved")]
    #[test_case("<div id=\"kr\" style=\"padding-top: 40px\">x</div>", "<div id=\"kr\">x</div>" ; "corpus anchor div")]
    #[test_case("<a title='\"><script>'>x</a>", "<a title=\"&quot;&gt;&lt;script&gt;\">x</a>" ; "attribute escaped")]
    fn html(input: &str, expected: &str) {
        assert_eq!(clean(input), expected);
    }

    #[test]
    fn scopes_close_what_the_author_left_open_inside() {
        let mut s = HtmlSanitizer::new(0);
        let mut out = String::new();
        s.enter_scope();
        s.clean("<div>item", &mut out);
        s.exit_scope(&mut out);
        s.clean("</div>after", &mut out);
        s.finish(&mut out);
        assert_eq!(out, "<div>item</div>after");
    }

    #[test]
    fn closes_only_what_the_author_opened() {
        let mut s = HtmlSanitizer::new(1);
        let mut out = String::new();
        s.clean("<div align=\"center\">", &mut out);
        out.push_str("<p>markdown</p>");
        s.clean("</div></article>", &mut out);
        s.finish(&mut out);
        assert_eq!(out, "<div align=\"center\"><p>markdown</p></div>");
    }
}
