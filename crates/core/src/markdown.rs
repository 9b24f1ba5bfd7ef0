//! Markdown → sanitised HTML. One function for every render path (browser now, prerender
//! later): pulldown-cmark events pass through an allowlist before `push_html` sees them.

use crate::sanitize::{HtmlSanitizer, UrlKind, escape_attr, is_safe_url, with_root};
use crate::url::needs_full_load;
use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The rendered body. A struct rather than a string so a table of contents and other
/// by-products can join it without changing callers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The first image of the body (Markdown or HTML) that is not a `data:` URL, as written
    /// (before `url_root`): the social card's fallback picture.
    pub first_image: Option<String>,
}

/// Where the rendered HTML will live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions<'a> {
    /// Put before root-relative URLs (`/img/a.png`, `/blog/other`): `""` at a domain's root,
    /// `/quire` for a sub-path build, `https://example.org` for feeds.
    pub url_root: &'a str,
}

/// The dialect posts are written in: CommonMark plus GitHub-style tables, footnotes,
/// strikethrough and task lists, with smart punctuation.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The page's only `<h1>` is the post title. A body that uses level-1 headings (in Markdown
/// or raw HTML) has all its headings demoted one level, keeping their hierarchy; a body that
/// starts at level 2 is left as written.
pub fn render(markdown: &str) -> Rendered {
    render_with(markdown, RenderOptions::default())
}

/// [`render`] for a page served under `options.url_root`.
pub fn render_with(markdown: &str, render_options: RenderOptions<'_>) -> Rendered {
    let mut first_image: Option<String> = None;
    let mut events = Vec::new();
    let mut has_h1 = false;
    let mut html_block: Option<String> = None;
    let mut image_depth = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        // Raw HTML blocks arrive line by line; a tag may span lines, so keep the block whole.
        if let Some(block) = html_block.as_mut() {
            match event {
                Event::Html(text) => block.push_str(&text),
                Event::End(TagEnd::HtmlBlock) => {
                    let block = html_block.take().unwrap_or_default();
                    has_h1 |= mentions_h1(&block);
                    events.push(Event::Html(block.into()));
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some(String::new());
                continue;
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image_depth += 1;
                if first_image.is_none()
                    && !dest_url.trim_start().starts_with("data:")
                    && is_safe_url(dest_url, UrlKind::Image)
                {
                    first_image = Some(dest_url.to_string());
                }
            }
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => has_h1 = true,
            // Inside an image, HTML is only alt text: pulldown-cmark escapes it.
            Event::InlineHtml(text) if image_depth > 0 => {
                events.push(Event::Text(text.clone()));
                continue;
            }
            Event::InlineHtml(text) => has_h1 |= mentions_h1(text),
            _ => {}
        }
        events.push(event);
    }

    let root = render_options.url_root.trim_end_matches('/');
    let mut sanitizer = HtmlSanitizer::new(u8::from(has_h1)).with_url_root(root);
    let mut clean_events = Vec::with_capacity(events.len());
    let mut table = TableState::default();
    for event in events {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let mut clean = String::new();
                sanitizer.clean(&raw, &mut clean);
                clean_events.push(Event::InlineHtml(clean.into()));
            }
            Event::Start(tag) => {
                sanitizer.enter_scope();
                clean_events.push(match clean_tag(tag, has_h1, root) {
                    // pulldown-cmark would write column alignment as a style attribute, which
                    // a strict CSP blocks: the alignments become classes on the cells.
                    Tag::Table(alignments) => {
                        table.columns = alignments;
                        Event::Start(Tag::Table(Vec::new()))
                    }
                    Tag::TableHead => {
                        table.enter_row(true);
                        Event::Start(Tag::TableHead)
                    }
                    Tag::TableRow => {
                        table.enter_row(false);
                        Event::Start(Tag::TableRow)
                    }
                    Tag::TableCell => Event::InlineHtml(table.open_cell().into()),
                    Tag::Link { dest_url, title, .. } if needs_full_load(&dest_url) => {
                        Event::InlineHtml(full_load_link(&with_root(root, &dest_url), &title).into())
                    }
                    Tag::Link { link_type, dest_url, title, id } => {
                        Event::Start(Tag::Link { link_type, dest_url: rooted(dest_url, root), title, id })
                    }
                    tag => Event::Start(tag),
                });
            }
            Event::End(end) => {
                if end == TagEnd::TableCell {
                    table.cell += 1;
                }
                let mut closes = String::new();
                sanitizer.exit_scope(&mut closes);
                if !closes.is_empty() {
                    clean_events.push(Event::InlineHtml(closes.into()));
                }
                let end = match end {
                    TagEnd::Heading(level) if has_h1 => TagEnd::Heading(demote(level)),
                    other => other,
                };
                clean_events.push(Event::End(end));
            }
            other => clean_events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, clean_events.into_iter());
    sanitizer.finish(&mut out);
    // A raw-HTML image may come before the first Markdown one; order of appearance is not
    // tracked across the two, and Markdown images win (they are what writers normally use).
    let first_image = first_image.or_else(|| {
        sanitizer
            .first_image()
            .map(|src| src.strip_prefix(root).filter(|_| !root.is_empty()).unwrap_or(src).to_string())
    });
    Rendered { html: out, first_image }
}

/// Where the renderer is inside a Markdown table: the columns' alignments, and the cell.
#[derive(Default)]
struct TableState {
    columns: Vec<Alignment>,
    head: bool,
    cell: usize,
}

impl TableState {
    fn enter_row(&mut self, head: bool) {
        self.head = head;
        self.cell = 0;
    }

    /// `<th>` in the head row, `<td>` in the body, with the column's alignment as a class.
    /// (pulldown-cmark writes the matching close tag from its own head/body state.)
    fn open_cell(&self) -> String {
        let name = if self.head { "th" } else { "td" };
        match self.columns.get(self.cell) {
            Some(Alignment::Left) => format!("<{name} class=\"align-left\">"),
            Some(Alignment::Center) => format!("<{name} class=\"align-center\">"),
            Some(Alignment::Right) => format!("<{name} class=\"align-right\">"),
            _ => format!("<{name}>"),
        }
    }
}

/// Demotes headings when the body uses `<h1>`, empties unsafe link and image targets and puts
/// `root` before root-relative image targets (links get theirs from the caller, which first
/// decides by the written target whether the link needs a full load).
fn clean_tag<'a>(tag: Tag<'a>, demote_headings: bool, root: &str) -> Tag<'a> {
    match tag {
        Tag::Heading { level, id, classes, attrs } if demote_headings => {
            Tag::Heading { level: demote(level), id, classes, attrs }
        }
        Tag::Link { link_type, dest_url, title, id } => {
            Tag::Link { link_type, dest_url: safe_dest(dest_url, UrlKind::Link), title, id }
        }
        Tag::Image { link_type, dest_url, title, id } => {
            Tag::Image { link_type, dest_url: rooted(safe_dest(dest_url, UrlKind::Image), root), title, id }
        }
        other => other,
    }
}

/// `<a … rel="external">`: leptos_router leaves such links to the browser, so a link to a file
/// or another section of the site loads it instead of showing the app's 404 view.
fn full_load_link(href: &str, title: &str) -> String {
    let href = escape_attr(href).replace(' ', "%20");
    if title.is_empty() {
        format!("<a href=\"{href}\" rel=\"external\">")
    } else {
        format!("<a href=\"{href}\" title=\"{}\" rel=\"external\">", escape_attr(title))
    }
}

/// An unsafe link or image URL becomes empty: the text stays, the target goes.
fn safe_dest(url: CowStr<'_>, kind: UrlKind) -> CowStr<'_> {
    if is_safe_url(&url, kind) { url } else { CowStr::Borrowed("") }
}

fn rooted<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    if root.is_empty() || !url.starts_with('/') || url.starts_with("//") {
        url
    } else {
        with_root(root, &url).into()
    }
}

fn mentions_h1(raw: &str) -> bool {
    raw.as_bytes().windows(3).any(|w| w[0] == b'<' && w[1].eq_ignore_ascii_case(&b'h') && w[2] == b'1')
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The opening of the body as plain text, cut at a word boundary to at most `max_chars`
/// characters (an ellipsis marks the cut). Raw HTML and images are left out.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                text.push(' ')
            }
            _ => {}
        }
        if text.chars().count() > max_chars * 2 {
            break;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in &words {
        let extra = if out.is_empty() { 0 } else { 1 };
        if out.chars().count() + extra + word.chars().count() > max_chars {
            let trimmed = out.trim_end_matches([',', ';', ':', '.', '—', '–', '-']).to_string();
            return format!("{trimmed}…");
        }
        if extra == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Markdown written where plain text belongs (a `seo.description` with a link in it), as
/// the text a reader sees: `[OpenInfra](https://openinfra.org) news` → `OpenInfra news`.
/// Whitespace runs become one space; raw HTML is left out.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
