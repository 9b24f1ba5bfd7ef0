//! Markdown → sanitised HTML. One function for every render path (browser now, prerender
//! later): pulldown-cmark events pass through an allowlist before `push_html` sees them.

use crate::sanitize::{HtmlSanitizer, UrlKind, escape_attr, is_safe_url};
use crate::url::needs_full_load;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The rendered body. A struct rather than a string so a table of contents and other
/// by-products can join it without changing callers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
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
            Event::Start(Tag::Image { .. }) => image_depth += 1,
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

    let mut sanitizer = HtmlSanitizer::new(u8::from(has_h1));
    let mut clean_events = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let mut clean = String::new();
                sanitizer.clean(&raw, &mut clean);
                clean_events.push(Event::InlineHtml(clean.into()));
            }
            Event::Start(tag) => {
                sanitizer.enter_scope();
                clean_events.push(match clean_tag(tag, has_h1) {
                    Tag::Link { dest_url, title, .. } if needs_full_load(&dest_url) => {
                        Event::InlineHtml(full_load_link(&dest_url, &title).into())
                    }
                    tag => Event::Start(tag),
                });
            }
            Event::End(end) => {
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
    Rendered { html: out }
}

/// Demotes headings when the body uses `<h1>`, and empties unsafe link and image targets.
fn clean_tag(tag: Tag<'_>, demote_headings: bool) -> Tag<'_> {
    match tag {
        Tag::Heading { level, id, classes, attrs } if demote_headings => {
            Tag::Heading { level: demote(level), id, classes, attrs }
        }
        Tag::Link { link_type, dest_url, title, id } => {
            Tag::Link { link_type, dest_url: safe_dest(dest_url, UrlKind::Link), title, id }
        }
        Tag::Image { link_type, dest_url, title, id } => {
            Tag::Image { link_type, dest_url: safe_dest(dest_url, UrlKind::Image), title, id }
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
