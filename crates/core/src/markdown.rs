//! Markdown → sanitised HTML. One function for every render path (browser now, prerender
//! later): pulldown-cmark events pass through an allowlist before `push_html` sees them.

use crate::highlight::{self, Language};
use crate::sanitize::{HtmlSanitizer, UrlKind, escape_attr, is_safe_url, with_root};
use crate::url::needs_full_load;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};
use std::collections::{HashSet, VecDeque};

mod balance;
mod inline_data;
mod outline;
pub mod packed;

pub use inline_data::RenderedPieces;

/// The rendered body. A struct rather than a string so a table of contents and other
/// by-products can join it without changing callers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The first image of the body (Markdown or HTML) that is not a `data:` URL, as written
    /// (before `url_root`): the social card's fallback picture.
    pub first_image: Option<String>,
    /// Every heading of the body in document order, with the `id` it has in `html`.
    pub toc: Vec<TocEntry>,
}

/// One heading of a rendered body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TocEntry {
    /// 1–6, as in the HTML (after demotion: body headings start at 2 when the body uses `#`).
    pub level: u8,
    /// The heading's `id` in the HTML: the one its author wrote, else generated from its
    /// text (see the `outline` module), unique in the body and never one of the app's ids.
    pub id: String,
    /// The heading's text, whitespace collapsed (footnote marks left out).
    pub text: String,
}

/// A top-level entry of the table of contents a post page shows, with the entries nested
/// under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TocSection {
    pub entry: TocEntry,
    pub children: Vec<TocEntry>,
}

/// A post page shows a table of contents from this many headings on.
pub const TOC_MIN_HEADINGS: usize = 3;

/// The table of contents a post page shows: the headings of levels 2 and 3 (as rendered,
/// after demotion; deeper levels are left out), each level 3 nested under the level 2 before
/// it (a level 3 before any level 2 stands alone). Empty when fewer than
/// [`TOC_MIN_HEADINGS`] headings qualify: a short post needs no contents.
pub fn table_of_contents(toc: &[TocEntry]) -> Vec<TocSection> {
    let shown: Vec<&TocEntry> = toc.iter().filter(|e| matches!(e.level, 2 | 3)).collect();
    if shown.len() < TOC_MIN_HEADINGS {
        return Vec::new();
    }
    let mut sections: Vec<TocSection> = Vec::new();
    for entry in shown {
        match sections.last_mut() {
            Some(section) if entry.level == 3 && section.entry.level == 2 => {
                section.children.push(entry.clone())
            }
            _ => sections.push(TocSection { entry: entry.clone(), children: Vec::new() }),
        }
    }
    sections
}

/// Where the rendered HTML will live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions<'a> {
    /// Put before root-relative URLs (`/img/a.png`, `/blog/other`): `""` at a domain's root,
    /// `/quire` for a sub-path build, `https://example.org` for feeds.
    pub url_root: &'a str,
    /// Leave out the `#` links after headings (feeds: readers show them as stray text).
    /// Heading ids stay.
    pub without_anchors: bool,
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
    render_lifted(markdown, render_options, Passes::Auto)
}

/// [`render_with`] with the balancing and outline work always done as passes over the
/// finished HTML, never in the event stream: the reference the stream's shortcut is checked
/// against (the oracle, the fuzzer and the corpus tests compare the two). Not for pages.
#[doc(hidden)]
pub fn render_with_passes(markdown: &str, render_options: RenderOptions<'_>) -> Rendered {
    render_lifted(markdown, render_options, Passes::Always)
}

fn render_lifted(markdown: &str, render_options: RenderOptions<'_>, passes: Passes) -> Rendered {
    // Long base64 runs (inline images) skip the renderer's passes: see `inline_data`.
    if let Some(lifted) = inline_data::lift(markdown)
        && let Some(rendered) = lifted.restore(render_passes(&lifted.markdown, render_options, passes))
    {
        return rendered;
    }
    render_passes(markdown, render_options, passes)
}

/// Where [`render_passes`] does the work of the balancing and outline passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Passes {
    /// In the event stream when the body has no raw HTML (see `outline::StreamOutline`), else as
    /// passes over the finished HTML.
    Auto,
    /// Always as passes over the finished HTML.
    Always,
}

/// A body nested deeper than this (in Markdown containers and inline markup) takes the
/// balancing pass, which leaves out elements too deep for a browser's parser.
const STREAM_MAX_DEPTH: usize = 64;

/// [`render_with`], its HTML left in pieces (the lifted base64 runs apart, see
/// [`RenderedPieces`]): for the browser's renderer module (`crates/render`).
pub fn render_pieces<'a>(markdown: &'a str, render_options: RenderOptions<'_>) -> RenderedPieces<'a> {
    if let Some(lifted) = inline_data::lift(markdown)
        && let Some(pieces) = lifted.pieces(render_passes(&lifted.markdown, render_options, Passes::Auto))
    {
        return pieces;
    }
    RenderedPieces::whole(render_passes(markdown, render_options, Passes::Auto))
}

/// [`render_with`] without the inline-data shortcut.
#[cfg(test)]
fn render_events(markdown: &str, render_options: RenderOptions<'_>) -> Rendered {
    render_passes(markdown, render_options, Passes::Auto)
}

fn render_passes(markdown: &str, render_options: RenderOptions<'_>, passes: Passes) -> Rendered {
    let mut first_image: Option<String> = None;
    // About one event per 40 bytes of the corpus's Markdown: room for most posts' events at
    // once, capped so that a long inline image (one event) reserves little.
    let mut events = Vec::with_capacity((markdown.len() / 32).min(4096) + 16);
    let mut has_h1 = false;
    let mut html_block: Option<String> = None;
    let mut image_depth = 0usize;
    // pulldown-cmark writes footnote definitions with their names as ids: they become
    // `fn-…` ids (see `footnote_id`), which headings and author elements avoid.
    let mut footnotes = HashSet::new();
    // What decides whether the HTML needs the passes (see `StreamOutline`): the author's raw
    // HTML, a link inside a link (a footnote mark is one), and the nesting depth.
    let mut raw_html = false;
    let mut nested_link = false;
    let (mut depth, mut max_depth, mut link_depth) = (0usize, 0usize, 0usize);
    for event in Parser::new_ext(markdown, options()) {
        match &event {
            Event::Start(tag) => {
                depth += 1;
                max_depth = max_depth.max(depth);
                match tag {
                    Tag::HtmlBlock => raw_html = true,
                    Tag::Link { .. } => {
                        nested_link |= link_depth > 0;
                        link_depth += 1;
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if *end == TagEnd::Link {
                    link_depth = link_depth.saturating_sub(1);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::FootnoteReference(_) => nested_link |= link_depth > 0,
            _ => {}
        }
        let event = match event {
            Event::FootnoteReference(name) => {
                let id = footnote_id(&name);
                footnotes.insert(id.clone());
                Event::FootnoteReference(id.into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let id = footnote_id(&name);
                footnotes.insert(id.clone());
                Event::Start(Tag::FootnoteDefinition(id.into()))
            }
            other => other,
        };
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
    let sanitizer =
        HtmlSanitizer::new(u8::from(has_h1)).with_url_root(root).with_taken_ids(footnotes.iter().cloned());
    // The stream takes the footnotes' ids; the passes need them only when there is no stream.
    let stream =
        (passes == Passes::Auto && !raw_html && !nested_link && max_depth <= STREAM_MAX_DEPTH).then(|| {
            outline::StreamOutline::new(std::mem::take(&mut footnotes), !render_options.without_anchors)
        });
    let mut clean = Clean {
        events: events.into_iter(),
        sanitizer,
        has_h1,
        root,
        table: TableState::default(),
        code: None,
        inside_dropped: Vec::new(),
        stream,
        out: VecDeque::new(),
    };
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    // pulldown-cmark writes the events as the sanitiser lets them through, one at a time.
    html::push_html(&mut out, &mut clean);
    let Clean { mut sanitizer, stream, .. } = clean;
    sanitizer.finish(&mut out);
    // A raw-HTML image may come before the first Markdown one; order of appearance is not
    // tracked across the two, and Markdown images win (they are what writers normally use).
    let first_image = first_image.or_else(|| {
        sanitizer
            .first_image()
            .map(|src| src.strip_prefix(root).filter(|_| !root.is_empty()).unwrap_or(src).to_string())
    });
    let (html, toc) = match stream {
        // Ids, anchors and the contents were done in the stream: the images' hints remain.
        Some(stream) => stream.finish(out),
        None => {
            // Every close an HTML parser would make on its own made explicit, so that no end
            // tag can reach past the body (see `balance`).
            let out = balance::balance(&out);
            // Heading ids and anchors, the table of contents and image loading hints, for
            // Markdown and raw HTML alike.
            outline::finish(out, footnotes, !render_options.without_anchors)
        }
    };
    Rendered { html, first_image, toc }
}

/// The parser's events on their way to pulldown-cmark's HTML writer: through the sanitiser,
/// with the renderer's own markup added (table cell classes, highlighted code, links that need
/// a full load, task-list boxes) and, for a body without raw HTML, the outline's heading ids
/// and anchors (see `outline::StreamOutline`). An iterator, so that no list of the clean events
/// is built: each event is written as it comes out.
struct Clean<'a, 'r, I> {
    events: I,
    sanitizer: HtmlSanitizer,
    has_h1: bool,
    root: &'r str,
    table: TableState,
    /// A fenced block in a language the highlighter knows: its text, collected until the end.
    code: Option<(Language, String)>,
    /// Markdown elements that start inside a script-like element the author left open in
    /// inline HTML (`a <script>*x*</script> b`): `true` for those left out with it.
    inside_dropped: Vec<bool>,
    stream: Option<outline::StreamOutline>,
    /// Clean events not yet written. While a heading is open in the stream, its events wait
    /// here for its id (written into its start event at its end).
    out: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Clean<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if !self.holding()
                && let Some(event) = self.out.pop_front()
            {
                return Some(event);
            }
            let Some(event) = self.events.next() else { return self.out.pop_front() };
            if let Some(event) = self.feed(event) {
                // Most events pass one for one, straight through; the rest queue behind what
                // `feed` put before them.
                if self.holding() || !self.out.is_empty() {
                    self.out.push_back(event);
                } else {
                    return Some(event);
                }
            }
        }
    }
}

impl<'a, I> Clean<'a, '_, I> {
    /// A heading is open in the stream: its events wait on `self.out` for its id.
    fn holding(&self) -> bool {
        self.stream.as_ref().is_some_and(outline::StreamOutline::in_heading)
    }

    /// Lets `event` through, changed or with more before it (onto `self.out`), or leaves it
    /// out: the event to write after what is on `self.out`, if any.
    fn feed(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        if self.sanitizer.is_dropping() || !self.inside_dropped.is_empty() {
            match &event {
                // May hold the close tag.
                Event::Html(_) | Event::InlineHtml(_) => {}
                Event::Start(_) => {
                    self.inside_dropped.push(self.sanitizer.is_dropping());
                    if self.sanitizer.is_dropping() {
                        return None;
                    }
                }
                Event::End(_) => {
                    // Without a start inside, it ends the container the element started
                    // in, which ends the element too (`exit_scope`).
                    let started_inside_dropped = self.inside_dropped.pop() == Some(true);
                    if started_inside_dropped {
                        return None;
                    }
                }
                _ if self.sanitizer.is_dropping() => return None,
                _ => {}
            }
        }
        if let Some((language, text)) = self.code.as_mut() {
            match event {
                Event::Text(piece) => {
                    text.push_str(&piece);
                    return None;
                }
                // The spans are the renderer's own markup, not the author's: they are written
                // after the sanitiser, which never sees them.
                Event::End(TagEnd::CodeBlock) => {
                    self.out.push_back(Event::InlineHtml(language.highlight(text).into()));
                    self.code = None;
                }
                _ => {}
            }
        }
        match event {
            Event::Html(raw) => {
                let mut clean = String::new();
                self.sanitizer.clean(&raw, &mut clean);
                self.sanitizer.stop_dropping();
                Some(Event::InlineHtml(clean.into()))
            }
            Event::InlineHtml(raw) => {
                let mut clean = String::new();
                self.sanitizer.clean(&raw, &mut clean);
                Some(Event::InlineHtml(clean.into()))
            }
            Event::Start(tag) => {
                self.sanitizer.enter_scope();
                let event = match clean_tag(tag, self.has_h1, self.root) {
                    // pulldown-cmark would write column alignment as a style attribute, which
                    // a strict CSP blocks: the alignments become classes on the cells.
                    Tag::Table(alignments) => {
                        self.table.columns = alignments;
                        Event::Start(Tag::Table(Vec::new()))
                    }
                    Tag::TableHead => {
                        self.table.enter_row(true);
                        Event::Start(Tag::TableHead)
                    }
                    Tag::TableRow => {
                        self.table.enter_row(false);
                        Event::Start(Tag::TableRow)
                    }
                    Tag::TableCell => Event::InlineHtml(self.table.open_cell().into()),
                    // `class="language-rust"` from `rust,ignore`: the info string's first word.
                    Tag::CodeBlock(CodeBlockKind::Fenced(info)) => match highlight::language(&info) {
                        Some((word, language)) => {
                            self.code = Some((language, String::new()));
                            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(word.to_string().into())))
                        }
                        // pulldown-cmark cuts the class at a space only: a tab or form feed
                        // after the language would add a class of the author's choosing
                        // (found by fuzzing), so the first word is cut here.
                        None => {
                            let word = info.split(|c: char| c.is_ascii_whitespace()).next().unwrap_or("");
                            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(word.to_string().into())))
                        }
                    },
                    Tag::Link { dest_url, title, .. } if needs_full_load(&dest_url) => {
                        Event::InlineHtml(full_load_link(&with_root(self.root, &dest_url), &title).into())
                    }
                    Tag::Link { link_type, dest_url, title, id } => Event::Start(Tag::Link {
                        link_type,
                        dest_url: rooted(dest_url, self.root),
                        title,
                        id,
                    }),
                    tag => Event::Start(tag),
                };
                // A heading's start waits on `self.out` for its id.
                if let Some(stream) = self.stream.as_mut()
                    && stream.started(&event, self.out.len())
                {
                    self.out.push_back(event);
                    return None;
                }
                Some(event)
            }
            Event::End(end) => {
                if end == TagEnd::TableCell {
                    self.table.cell += 1;
                }
                let mut closes = String::new();
                self.sanitizer.exit_scope(&mut closes);
                if !closes.is_empty() {
                    self.out.push_back(Event::InlineHtml(closes.into()));
                }
                let end = match end {
                    TagEnd::Heading(level) if self.has_h1 => TagEnd::Heading(demote(level)),
                    other => other,
                };
                if let Some(stream) = self.stream.as_mut() {
                    stream.ending(end, &mut self.out);
                }
                Some(Event::End(end))
            }
            // A task-list box needs an accessible name (axe: "label"); it says the state.
            Event::TaskListMarker(done) => Some(Event::InlineHtml(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                }
                .into(),
            )),
            other => {
                if let Some(stream) = self.stream.as_mut() {
                    stream.inline(&other);
                }
                Some(other)
            }
        }
    }
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
            let (link_type, dest_url) = match link_type {
                // `<ada@example.com>`: pulldown-cmark adds the `mailto:` only when writing, so
                // it is added here, before the link's target is checked and classified.
                LinkType::Email => (LinkType::Inline, CowStr::from(format!("mailto:{dest_url}"))),
                other => (other, dest_url),
            };
            Tag::Link { link_type, dest_url: safe_dest(dest_url, UrlKind::Link), title, id }
        }
        Tag::Image { link_type, dest_url, title, id } => {
            Tag::Image { link_type, dest_url: rooted(safe_dest(dest_url, UrlKind::Image), root), title, id }
        }
        other => other,
    }
}

/// `<a … rel="external">`: the app's router leaves such links to the browser, so a link to a file
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

/// The `id` of a footnote's definition (and the target of its references): `fn-` and the
/// label as CommonMark matches labels (case and runs of white space do not count), with
/// every character but letters, digits, `-`, `_` and `.` as its UTF-8 bytes, each `~XX`:
/// `[^Main]` → `fn-main`, `[^my note]` → `fn-my~20note`. The prefix keeps labels off the
/// app's ids (`main`, `quire…`) and off the author's.
fn footnote_id(label: &str) -> String {
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut id = String::with_capacity(label.len() + 3);
    id.push_str("fn-");
    for c in label.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            id.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                id.push_str(&format!("~{b:02X}"));
            }
        }
    }
    id
}

fn mentions_h1(raw: &str) -> bool {
    raw.as_bytes().windows(3).any(|w| matches!(w, [b'<', b'h' | b'H', b'1']))
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

/// The first image of the body, as `render(markdown).first_image` gives it, without rendering
/// the body: one parse, and the sanitiser over the raw HTML only (the compiler needs the
/// picture of every post, and a full render of each for it would double its work).
pub fn first_image(markdown: &str) -> Option<String> {
    let mut sanitizer = HtmlSanitizer::new(0);
    let mut scratch = String::new();
    let mut html_block: Option<String> = None;
    let mut image_depth = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        if let Some(block) = html_block.as_mut() {
            match event {
                Event::Html(text) => block.push_str(&text),
                Event::End(TagEnd::HtmlBlock) => {
                    sanitizer.clean(&html_block.take().unwrap_or_default(), &mut scratch);
                    sanitizer.stop_dropping();
                    scratch.clear();
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            // Markdown images win over raw HTML ones, wherever these are.
            Event::Start(Tag::Image { dest_url, .. })
                if !dest_url.trim_start().starts_with("data:") && is_safe_url(&dest_url, UrlKind::Image) =>
            {
                return Some(dest_url.to_string());
            }
            Event::Start(Tag::Image { .. }) => {
                image_depth += 1;
                sanitizer.enter_scope();
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                sanitizer.exit_scope(&mut scratch);
            }
            Event::Start(_) => sanitizer.enter_scope(),
            Event::End(_) => sanitizer.exit_scope(&mut scratch),
            // Inside an image, HTML is alt text.
            Event::InlineHtml(text) if image_depth == 0 => sanitizer.clean(&text, &mut scratch),
            _ => {}
        }
        scratch.clear();
    }
    sanitizer.first_image().map(str::to_string)
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

/// Reading speed for text that separates its words with spaces.
pub const WORDS_PER_MINUTE: u64 = 230;
/// Reading speed for Chinese and Japanese, written without spaces: characters per minute.
pub const CJK_CHARS_PER_MINUTE: u64 = 500;

/// Minutes a reader needs for the body: the words of its text (Markdown text, code, and the
/// text of raw HTML the sanitiser keeps) at [`WORDS_PER_MINUTE`], plus its Han, Hiragana and
/// Katakana characters, each counted alone, at [`CJK_CHARS_PER_MINUTE`]; rounded to the
/// nearest minute, at least 1. A word is a run of other non-space characters holding at least
/// one letter or digit (a lone dash is none; Korean, written with spaces, counts by words).
pub fn reading_minutes(markdown: &str) -> u32 {
    let mut text = String::with_capacity(markdown.len());
    let mut raw_html = String::new();
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        // Raw HTML arrives in pieces (a block line by line): clean it whole.
        if let Event::Html(raw) | Event::InlineHtml(raw) = &event {
            raw_html.push_str(raw);
            continue;
        }
        if !raw_html.is_empty() {
            push_html_text(&mut text, &std::mem::take(&mut raw_html));
        }
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            // Alt text is not read.
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(&t),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    push_html_text(&mut text, &raw_html);
    let (words, cjk) = count_words(&text);
    // words / 230 + cjk / 500 minutes, rounded to the nearest minute.
    let scale = WORDS_PER_MINUTE * CJK_CHARS_PER_MINUTE;
    let minutes = (words * CJK_CHARS_PER_MINUTE + cjk * WORDS_PER_MINUTE + scale / 2) / scale;
    u32::try_from(minutes).unwrap_or(u32::MAX).max(1)
}

/// The text a reader sees of raw HTML: what the sanitiser keeps, tags as spaces.
fn push_html_text(text: &mut String, raw: &str) {
    let mut clean = String::new();
    let mut sanitizer = HtmlSanitizer::new(0);
    sanitizer.clean(raw, &mut clean);
    let mut rest = clean.as_str();
    while let Some((before, tag)) = rest.split_once('<') {
        text.push_str(&crate::sanitize::decode_entities(before));
        text.push(' ');
        rest = tag.split_once('>').map_or("", |(_, after)| after);
    }
    text.push_str(&crate::sanitize::decode_entities(rest));
    text.push(' ');
}

/// Words and CJK characters of `text` (see [`reading_minutes`]).
fn count_words(text: &str) -> (u64, u64) {
    let (mut words, mut cjk) = (0u64, 0u64);
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_whitespace() {
            in_word = false;
        } else if c.is_alphanumeric() && !in_word {
            words += 1;
            in_word = true;
        }
    }
    (words, cjk)
}

/// Han ideographs, Hiragana and Katakana: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B–H
    )
}
