//! The page frame Trunk built (`index.html`): its head (charset, viewport, the hashed CSS,
//! the app's preloads and loader) and an empty body. Every prerendered page is this frame
//! with the route's head tags and body put in.

use anyhow::{Context, Result, bail};
use quire_core::sanitize::escape_attr;

use quire::api::{HEAD_END, HEAD_START};

/// Around the tags every page carries, and around the page's body: they let a written page
/// serve as the frame again.
const SITE_HEAD_START: &str = "<!--quire-site-->";
const SITE_HEAD_END: &str = "<!--/quire-site-->";
const BODY_START: &str = "<!--quire-body-->";
const BODY_END: &str = "<!--/quire-body-->";

/// Byte range from the start of `start` to the end of `end`, when both occur in order.
fn marked(html: &str, start: &str, end: &str) -> Option<(usize, usize)> {
    let at = html.find(start)?;
    let end_at = at + html[at..].find(end)? + end.len();
    Some((at, end_at))
}

/// Trunk's `index.html`, split where a page puts its own content.
#[derive(Clone, Debug)]
pub struct Shell {
    /// Up to and including `<html`.
    html_open: String,
    /// From after `<html lang="…"` (the rest of the tag) to where `<title>` stood.
    head_start: String,
    /// From after `</title>` to and including `<body…>`.
    head_end: String,
    /// From after `<body…>` to the end.
    body_end: String,
}

/// What one page puts into the frame.
pub struct PageParts<'a> {
    pub language: &'a str,
    /// The route's head tags, placed between the `<!--quire-head-->` comments.
    pub route_head: &'a str,
    /// Tags every page carries (feeds, settings): outside the markers, never removed.
    pub site_head: &'a str,
    pub body: &'a str,
}

impl Shell {
    /// Splits Trunk's output. The placeholder `<title>` marks where head tags go.
    /// Splits Trunk's output. The placeholder `<title>` marks where head tags go. A page this
    /// step already wrote is a frame too (its own parts are marked), so running it twice
    /// gives the same pages.
    pub fn parse(html: &str) -> Result<Shell> {
        let html_at = html.find("<html").context("no <html> element")?;
        let html_tag_end = html_at + html[html_at..].find('>').context("unclosed <html> tag")?;
        let (title_at, title_end) = match marked(html, &format!("<!--{HEAD_START}-->"), SITE_HEAD_END) {
            Some(region) => region,
            None => {
                let at = html.find("<title>").context("no <title> element in <head>")?;
                (at, at + html[at..].find("</title>").context("unclosed <title>")? + "</title>".len())
            }
        };
        let body_at = html.find("<body").context("no <body> element")?;
        let body_open_end = body_at + html[body_at..].find('>').context("unclosed <body> tag")? + 1;
        if !(html_tag_end < title_at && title_end <= body_at) {
            bail!("<title> must be inside <head>, before <body>");
        }
        let body_rest = match marked(&html[body_open_end..], BODY_START, BODY_END) {
            Some((start, end)) => {
                format!("{}{}", &html[body_open_end..][..start], &html[body_open_end..][end..])
            }
            None => html[body_open_end..].to_string(),
        };
        // `<html lang="en">`: the language is set per site, so drop the written one.
        let rest_of_html_tag = strip_attr(&html[html_at + "<html".len()..html_tag_end], "lang");
        Ok(Shell {
            html_open: html[..html_at + "<html".len()].to_string(),
            head_start: format!("{rest_of_html_tag}{}", &html[html_tag_end..title_at]),
            head_end: html[title_end..body_open_end].to_string(),
            body_end: body_rest,
        })
    }

    pub fn page(&self, parts: &PageParts<'_>) -> String {
        let mut out = String::with_capacity(
            self.html_open.len()
                + self.head_start.len()
                + parts.route_head.len()
                + parts.site_head.len()
                + self.head_end.len()
                + parts.body.len()
                + self.body_end.len()
                + 64,
        );
        out.push_str(&self.html_open);
        out.push_str(&format!(" lang=\"{}\"", escape_attr(parts.language)));
        out.push_str(&self.head_start);
        // The app removes what is between these comments when the reader navigates on.
        out.push_str(&format!("<!--{HEAD_START}-->{}<!--{HEAD_END}-->", parts.route_head));
        out.push_str("\n    ");
        out.push_str(SITE_HEAD_START);
        out.push_str(parts.site_head);
        out.push_str(SITE_HEAD_END);
        out.push_str(&self.head_end);
        out.push_str(BODY_START);
        out.push_str(parts.body);
        out.push_str(BODY_END);
        out.push_str(&self.body_end);
        out
    }

    /// Runs `f` over the whole head (e.g. to move Trunk's inline loader into a file).
    pub fn map_head(&mut self, f: impl FnOnce(&str) -> Result<String>) -> Result<()> {
        let joined = format!("{}\u{0}{}", self.head_start, self.head_end);
        let mapped = f(&joined)?;
        let (start, end) = mapped.split_once('\u{0}').context("head lost its title position")?;
        self.head_start = start.to_string();
        self.head_end = end.to_string();
        Ok(())
    }
}

/// Drops the frame's comments, which are notes for whoever edits `index.html` and would
/// otherwise go out in every page, before its text (about 2 KB raw, 0.6 KB brotli): all but
/// quire's own markers (`<!--quire-…-->`, `<!--/quire-…-->`), which the app and this step
/// read. A comment on a line of its own goes with that line. Script and style elements are
/// copied as they are (a `<!--` in a script is not a comment).
pub fn strip_comments(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    // Everything before `at` is done.
    let mut at = 0;
    loop {
        let comment = html[at..].find("<!--").map(|c| at + c);
        let raw = ["<script", "<style"].iter().filter_map(|tag| lower[at..].find(tag)).min().map(|r| at + r);
        if let Some(start) = comment
            && raw.is_none_or(|r| start < r)
        {
            let Some(end) = html[start..].find("-->").map(|e| start + e + "-->".len()) else {
                out.push_str(&html[at..]);
                return out;
            };
            let body = &html[start + "<!--".len()..end - "-->".len()];
            let before = &html[at..start];
            if body.starts_with("quire-") || body.starts_with("/quire-") {
                out.push_str(&html[at..end]);
            } else {
                let line_start = before.trim_end_matches([' ', '\t']);
                let alone = line_start.ends_with('\n')
                    && html[end..].trim_start_matches([' ', '\t']).starts_with('\n');
                // A comment alone on its line: the line's indentation and its line feed go too.
                out.push_str(if alone {
                    line_start.strip_suffix('\n').unwrap_or(line_start)
                } else {
                    before
                });
            }
            at = end;
        } else if let Some(start) = raw {
            let close = if lower[start..].starts_with("<script") { "</script" } else { "</style" };
            let end = lower[start..].find(close).map_or(html.len(), |e| start + e + close.len());
            out.push_str(&html[at..end]);
            at = end;
        } else {
            out.push_str(&html[at..]);
            return out;
        }
    }
}

/// Removes `name="…"` (or `name='…'`, `name=…`) from a tag's attribute text.
fn strip_attr(attrs: &str, name: &str) -> String {
    let lower = attrs.to_ascii_lowercase();
    let Some(at) = lower.find(&format!("{name}=")) else { return attrs.to_string() };
    let value_start = at + name.len() + 1;
    let rest = &attrs[value_start..];
    let value_len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |end| end + 2),
        _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
    };
    format!("{}{}", attrs[..at].trim_end(), &attrs[value_start + value_len..])
}

/// Sets the `content` of `<meta name="quire-base" content="…">`.
pub fn set_base_meta(html: &str, public_url: &str) -> Option<String> {
    let name_at = html.find("name=\"quire-base\"")?;
    let tag_start = html[..name_at].rfind('<')?;
    let tag_end = name_at + html[name_at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value_start = tag_start + tag.find("content=\"")? + "content=\"".len();
    let value_end = value_start + html[value_start..tag_end].find('"')?;
    Some(format!("{}{}{}", &html[..value_start], escape_attr(public_url), &html[value_end..]))
}

/// How the loader's file name starts (`quire-loader-<hash>.js`, see [`extract_loader`]).
pub const LOADER_PREFIX: &str = "quire-loader-";

/// Moves Trunk's inline module loader (`<script type="module">import init … </script>`) into
/// `quire-loader-<hash>.js`, so the Content-Security-Policy needs no hash for it (its text
/// changes with every build; the theme's script, which does not, is allowed by its hash). The
/// file starts with `prelude` (the service worker's registration, see `offline.rs`). Returns
/// the new head and the loader's file name and text; `None` when there is no inline loader.
pub fn extract_loader(head: &str, base: &str, prelude: &str) -> Option<(String, String, String)> {
    let mut from = 0;
    while let Some(at) = head[from..].find("<script").map(|i| i + from) {
        let open_end = at + head[at..].find('>')?;
        let close = open_end + head[open_end..].find("</script>")?;
        let open = &head[at..=open_end];
        let code = &head[open_end + 1..close];
        if open.contains("type=\"module\"") && !open.contains(" src=") && code.contains("init(") {
            let code = format!("{prelude}{}\n", code.trim());
            let name = format!("{LOADER_PREFIX}{:016x}.js", fnv1a(code.as_bytes()));
            let tag = format!("<script type=\"module\" src=\"{base}/{name}\"></script>");
            let new_head = format!("{}{tag}{}", &head[..at], &head[close + "</script>".len()..]);
            return Some((new_head, name, code));
        }
        from = close;
    }
    None
}

/// FNV-1a: a stable content hash for cache-busting file names (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"quire-base\" content=\"/\" />\n    <title>Blog</title>\n    <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\"/>\n<script type=\"module\">\nimport init, * as bindings from '/quire-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/quire-0123456789abcdef_bg.wasm' });\n</script></head>\n  <body>\n  </body>\n</html>\n";

    #[test]
    fn writes_the_public_url() {
        let html = "<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/\" /></head>";
        assert_eq!(
            set_base_meta(html, "/quire/").as_deref(),
            Some("<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/quire/\" /></head>")
        );
        assert_eq!(set_base_meta("<head></head>", "/"), None);
    }

    #[test]
    fn a_page_is_the_frame_with_the_routes_parts() {
        let shell = Shell::parse(TRUNK).expect("parses");
        let page = shell.page(&PageParts {
            language: "de",
            route_head: "<title>T</title>",
            site_head: "<link rel=\"alternate\">",
            body: "<main>hi</main>",
        });
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"de\">\n  <head>"), "{page}");
        assert!(page.contains(
            "<!--quire-head--><title>T</title><!--/quire-head-->\n    <!--quire-site--><link rel=\"alternate\"><!--/quire-site-->"
        ));
        assert!(!page.contains("<title>Blog</title>"));
        assert!(
            page.contains("<body><!--quire-body--><main>hi</main><!--/quire-body-->\n  </body>"),
            "{page}"
        );
        assert!(page.contains("main-0123456789abcdef.css"));

        // A written page is a frame again: the same parts give the same page.
        let again = Shell::parse(&page).expect("a written page parses");
        let parts = PageParts {
            language: "de",
            route_head: "<title>T</title>",
            site_head: "<link rel=\"alternate\">",
            body: "<main>hi</main>",
        };
        assert_eq!(again.page(&parts), page);
    }

    #[test]
    fn the_loader_moves_to_a_file() {
        let mut shell = Shell::parse(TRUNK).expect("parses");
        let mut loader = None;
        shell
            .map_head(|head| {
                let (head, name, code) = extract_loader(head, "/sub", "").expect("has a loader");
                loader = Some((name, code));
                Ok(head)
            })
            .expect("maps");
        let (name, code) = loader.expect("loader");
        assert!(name.starts_with("quire-loader-") && name.ends_with(".js") && name.len() == 32, "{name}");
        assert!(code.starts_with("import init") && code.contains("await init("));
        let page = shell.page(&PageParts { language: "en", route_head: "", site_head: "", body: "" });
        assert!(
            page.contains(&format!("<script type=\"module\" src=\"/sub/{name}\"></script></head>")),
            "{page}"
        );
        assert!(!page.contains("import init"));
    }

    #[test]
    fn comments_go_but_quire_markers_and_scripts_stay() {
        let frame = "<head>\n    <meta a />\n    <!-- A note\n         on two lines. -->\n    <script>if (a <!--b) {}</script>\n    <!--quire-head--><title>T</title><!--/quire-head-->\n    <link x /><!-- after a tag -->\n  </head>\n  <body><!--quire-body--><p>a<!-- b -->c</p><!--/quire-body--></body>";
        assert_eq!(
            strip_comments(frame),
            "<head>\n    <meta a />\n    <script>if (a <!--b) {}</script>\n    <!--quire-head--><title>T</title><!--/quire-head-->\n    <link x />\n  </head>\n  <body><!--quire-body--><p>ac</p><!--/quire-body--></body>"
        );
        // Written pages go through again unchanged; an unclosed comment is left as it is.
        let once = strip_comments(frame);
        assert_eq!(strip_comments(&once), once);
        assert_eq!(strip_comments("<p>a<!-- open"), "<p>a<!-- open");
        assert_eq!(strip_comments("<STYLE>a<!-- b --></STYLE><!-- c -->"), "<STYLE>a<!-- b --></STYLE>");
    }

    #[test]
    fn a_frame_without_title_or_body_is_an_error() {
        assert!(Shell::parse("<html><head></head><body></body></html>").is_err());
        assert!(Shell::parse("<html><head><title>x</title></head></html>").is_err());
    }
}
