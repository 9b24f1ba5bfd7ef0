//! The renderer's balancing pass, over its finished HTML (pulldown-cmark's markup with the
//! sanitiser's author markup inside it): every element is closed by its own end tag, in
//! order, so that a browser never has to apply one of HTML's implicit rules to it.
//!
//! Why: the sanitiser tracks the author's elements and closes them, but an HTML parser also
//! closes elements on its own, on start tags: `<li>` closes an open `li` and any `div` in
//! between, `<h3>` closes an `h2` it finds open, `<td>` or `<table>` close whatever is open
//! in the current cell or table, `<a>` closes an open `a`, a block closes an open `p`. When
//! the parser closed an author's `div` that way, the sanitiser's later `</div>` closed the
//! next `div` up: the post's container, and the rest of the author's markup landed outside
//! it, over the page. An open formatting element popped that way (`<b>` in a `<div>` closed
//! by `</div>`) is reopened by the parser around the text that follows, even outside the body.
//!
//! This pass keeps the parser's stack of open elements for the elements the renderer writes
//! (the sanitiser's allowlist and pulldown-cmark's tags), following the tree-construction
//! rules of the HTML standard for them, and writes every close the parser would make
//! implicitly as an explicit end tag. An end tag that closes nothing open (within the scope
//! the parser would search) is dropped; start tags the parser would ignore (`<td>` outside a
//! table) are dropped; elements the parser would move out of a table ("foster parenting":
//! `<table><div>`) are dropped, their text kept. Formatting elements the parser would reopen
//! (its "active formatting elements") are reopened by writing their start tag again, so the
//! page looks as browsers have always shown such markup, but never after the body. What
//! remains parses without the parser's error recovery, and an end tag can only ever close an
//! element of the body. (On the openinfra.dev corpus every post parses to the same DOM with
//! and without this pass.)
//!
//! Like the `outline` pass, it relies on the renderer's HTML being tokenisable by `<` and `>`
//! (text and attribute values have them escaped).

/// Deeper elements are left out (their text is kept): Chromium's parser stops nesting at 512
/// levels, and the page around the body adds a few.
const MAX_DEPTH: usize = 256;

/// An element without content or end tag.
const VOID: u8 = 1;
/// Its start tag closes an open `p` ("close a `p` element" in the standard).
const CLOSES_P: u8 = 2;
/// The standard's "special" category.
const SPECIAL: u8 = 4;
/// Closed by the adoption agency, reopened by the parser if something else closed it.
const FORMATTING: u8 = 8;
const HEADING: u8 = 16;

/// What the parser's rules say of each element the renderer may write (and a few more),
/// sorted by name; other names are plain phrasing elements. One table rather than lists of
/// names keeps the wasm small.
const KINDS: &[(&str, u8)] = &[
    ("a", FORMATTING),
    ("address", CLOSES_P | SPECIAL),
    ("area", VOID | SPECIAL),
    ("article", CLOSES_P | SPECIAL),
    ("aside", CLOSES_P | SPECIAL),
    ("b", FORMATTING),
    ("base", VOID | SPECIAL),
    ("big", FORMATTING),
    ("blockquote", CLOSES_P | SPECIAL),
    ("br", VOID | SPECIAL),
    ("caption", SPECIAL),
    ("center", CLOSES_P | SPECIAL),
    ("code", FORMATTING),
    ("col", VOID | SPECIAL),
    ("colgroup", SPECIAL),
    ("dd", CLOSES_P | SPECIAL),
    ("details", CLOSES_P | SPECIAL),
    ("dialog", CLOSES_P | SPECIAL),
    ("dir", CLOSES_P | SPECIAL),
    ("div", CLOSES_P | SPECIAL),
    ("dl", CLOSES_P | SPECIAL),
    ("dt", CLOSES_P | SPECIAL),
    ("em", FORMATTING),
    ("embed", VOID | SPECIAL),
    ("fieldset", CLOSES_P | SPECIAL),
    ("figcaption", CLOSES_P | SPECIAL),
    ("figure", CLOSES_P | SPECIAL),
    ("font", FORMATTING),
    ("footer", CLOSES_P | SPECIAL),
    ("h1", CLOSES_P | SPECIAL | HEADING),
    ("h2", CLOSES_P | SPECIAL | HEADING),
    ("h3", CLOSES_P | SPECIAL | HEADING),
    ("h4", CLOSES_P | SPECIAL | HEADING),
    ("h5", CLOSES_P | SPECIAL | HEADING),
    ("h6", CLOSES_P | SPECIAL | HEADING),
    ("header", CLOSES_P | SPECIAL),
    ("hgroup", CLOSES_P | SPECIAL),
    ("hr", VOID | CLOSES_P | SPECIAL),
    ("i", FORMATTING),
    ("img", VOID | SPECIAL),
    ("input", VOID | SPECIAL),
    ("li", CLOSES_P | SPECIAL),
    ("link", VOID | SPECIAL),
    ("listing", CLOSES_P | SPECIAL),
    ("main", CLOSES_P | SPECIAL),
    ("menu", CLOSES_P | SPECIAL),
    ("meta", VOID | SPECIAL),
    ("nav", CLOSES_P | SPECIAL),
    ("nobr", FORMATTING),
    ("ol", CLOSES_P | SPECIAL),
    ("p", CLOSES_P | SPECIAL),
    ("pre", CLOSES_P | SPECIAL),
    ("s", FORMATTING),
    ("search", CLOSES_P | SPECIAL),
    ("section", CLOSES_P | SPECIAL),
    ("small", FORMATTING),
    ("source", VOID | SPECIAL),
    ("strike", FORMATTING),
    ("strong", FORMATTING),
    ("summary", CLOSES_P | SPECIAL),
    ("table", CLOSES_P | SPECIAL),
    ("tbody", SPECIAL),
    ("td", SPECIAL),
    ("tfoot", SPECIAL),
    ("th", SPECIAL),
    ("thead", SPECIAL),
    ("tr", SPECIAL),
    ("track", VOID | SPECIAL),
    ("tt", FORMATTING),
    ("u", FORMATTING),
    ("ul", CLOSES_P | SPECIAL),
    ("wbr", VOID | SPECIAL),
    ("xmp", CLOSES_P | SPECIAL),
];

fn kind(name: &str) -> u8 {
    KINDS.binary_search_by(|(n, _)| n.cmp(&name)).ok().and_then(|i| KINDS.get(i)).map_or(0, |(_, kind)| *kind)
}

fn is_void(name: &str) -> bool {
    kind(name) & VOID != 0
}

fn closes_p(name: &str) -> bool {
    kind(name) & CLOSES_P != 0
}

fn is_heading(name: &str) -> bool {
    kind(name) & HEADING != 0
}

fn is_special(name: &str) -> bool {
    kind(name) & SPECIAL != 0
}

fn is_formatting(name: &str) -> bool {
    kind(name) & FORMATTING != 0
}

/// Table-structure start tags that close an open cell or caption.
fn closes_cell(name: &str) -> bool {
    matches!(name, "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr")
}

fn is_section(name: &str) -> bool {
    matches!(name, "thead" | "tbody" | "tfoot")
}

/// Where a search of the stack of open elements stops (the standard's "scopes").
#[derive(Clone, Copy)]
enum Scope {
    /// "in scope": tables, cells and captions are boundaries.
    Default,
    /// "in list item scope": lists too.
    ListItem,
    /// "in button scope".
    Button,
    /// "in table scope": only tables.
    Table,
}

impl Scope {
    fn stops_at(self, name: &str) -> bool {
        let default = matches!(
            name,
            "table" | "td" | "th" | "caption" | "html" | "marquee" | "object" | "applet" | "template"
        );
        match self {
            Scope::Default | Scope::Button => default,
            Scope::ListItem => default || matches!(name, "ol" | "ul"),
            Scope::Table => matches!(name, "table" | "html" | "template"),
        }
    }
}

/// An element on the parser's stack of open elements.
#[derive(Clone, Copy)]
struct Open<'a> {
    name: &'a str,
    /// Its start tag as written: written again when the parser would reopen the element.
    tag: &'a str,
    id: u32,
}

/// An entry of the parser's list of active formatting elements.
#[derive(Clone, Copy)]
enum Active<'a> {
    /// Put by cells and captions: formatting elements opened before stay outside them.
    Marker,
    Element(Open<'a>),
}

/// Formatting elements kept for reopening, at most. The parser keeps any number and reopens
/// all of them around every later piece of text, which makes absurd input grow quadratically.
const MAX_ACTIVE: usize = 32;

struct Balancer<'a> {
    out: String,
    /// The parser's stack of open elements, below the body's container (not on it).
    open: Vec<Open<'a>>,
    /// The parser's list of active formatting elements: those closed by something else than
    /// their own end tag stay in it, and are reopened before the next text in the same cell
    /// (here by writing their start tag again), as the parser does.
    active: Vec<Active<'a>>,
    /// Start tags left out for depth, by name: their end tags are left out too.
    too_deep: Vec<&'a str>,
    next_id: u32,
}

/// `html` with every implicit close made explicit (see the module's documentation).
pub(super) fn balance(html: &str) -> String {
    let mut b = Balancer {
        out: String::with_capacity(html.len() + html.len() / 16),
        open: Vec::new(),
        active: Vec::new(),
        too_deep: Vec::new(),
        next_id: 0,
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        b.text(&rest[..lt]);
        let tag_and_after = &rest[lt..];
        let Some(gt) = tag_and_after.find('>') else {
            // Not the renderer's markup: kept as text, escaped.
            b.text(&tag_and_after.replace('<', "&lt;"));
            rest = "";
            break;
        };
        let tag = &tag_and_after[..=gt];
        rest = &tag_and_after[gt + 1..];
        let inner = &tag[1..tag.len() - 1];
        match inner.strip_prefix('/') {
            Some(end) => b.end(tag_name(end)),
            None if inner.starts_with(|c: char| c.is_ascii_alphabetic()) => b.start(tag_name(inner), tag),
            // `<!…>`, `<?…>`: never written by the renderer; dropped.
            None => {}
        }
    }
    b.text(rest);
    // Everything still open is closed here, and nothing is reopened after the body.
    b.close_from(0);
    b.out
}

/// The lower-case name at the start of a tag's inside (the renderer writes lower case).
fn tag_name(inner: &str) -> &str {
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(inner.len());
    &inner[..end]
}

/// The attributes of a start tag the renderer wrote (` key="value"` or a bare ` key`), in
/// the order written (see [`same_attributes`]).
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let mut rest = &inner[tag_name(inner).len()..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(rest.len());
        if name_end == 0 {
            break;
        }
        let name = &rest[..name_end];
        rest = &rest[name_end..];
        let mut value = "";
        if let Some(quoted) = rest.strip_prefix("=\"") {
            let close = quoted.find('"').unwrap_or(quoted.len());
            value = &quoted[..close];
            rest = quoted.get(close + 1..).unwrap_or("");
        } else if let Some(bare) = rest.strip_prefix('=') {
            // Not the renderer's quoting: skip the value.
            let end = bare.find(|c: char| c.is_ascii_whitespace()).unwrap_or(bare.len());
            value = &bare[..end];
            rest = &bare[end..];
        }
        attrs.push((name, value));
    }
    attrs
}

/// Two formatting elements are "the same" when they have the same attributes, in any order
/// (an element's attribute names are unique).
fn same_attributes(a: &[(&str, &str)], b: &[(&str, &str)]) -> bool {
    a.len() == b.len() && a.iter().all(|pair| b.contains(pair))
}

fn in_table_context(name: Option<&str>) -> bool {
    matches!(name, Some("table" | "thead" | "tbody" | "tfoot" | "tr" | "colgroup"))
}

impl<'a> Balancer<'a> {
    fn top(&self) -> Option<&'a str> {
        self.open.last().map(|o| o.name)
    }

    /// Index of the topmost open element matching `wanted`, unless the search meets a
    /// boundary of `scope` first.
    fn find(&self, scope: Scope, wanted: impl Fn(&str) -> bool) -> Option<usize> {
        for (i, open) in self.open.iter().enumerate().rev() {
            if wanted(open.name) {
                return Some(i);
            }
            if scope.stops_at(open.name) {
                return None;
            }
        }
        None
    }

    fn position(&self, id: u32) -> Option<usize> {
        self.open.iter().rposition(|o| o.id == id)
    }

    /// Closes the open elements from `index` up, innermost first, each by its end tag.
    fn close_from(&mut self, index: usize) {
        while self.open.len() > index {
            let Some(open) = self.open.pop() else { break };
            self.out.push_str("</");
            self.out.push_str(open.name);
            self.out.push('>');
            // Leaving a cell or caption forgets the formatting elements opened in it.
            if matches!(open.name, "td" | "th" | "caption") {
                while let Some(entry) = self.active.pop() {
                    if matches!(entry, Active::Marker) {
                        break;
                    }
                }
            }
        }
    }

    fn forget(&mut self, id: u32) {
        self.active.retain(|entry| !matches!(entry, Active::Element(o) if o.id == id));
    }

    /// The last active formatting element named `name` after the last marker.
    fn active_named(&self, name: &str) -> Option<Open<'a>> {
        for entry in self.active.iter().rev() {
            match entry {
                Active::Marker => return None,
                Active::Element(open) if open.name == name => return Some(*open),
                Active::Element(_) => {}
            }
        }
        None
    }

    /// The parser's "reconstruct the active formatting elements": reopens those that were
    /// closed by something else than their own end tag.
    fn reconstruct(&mut self) {
        let Some(Active::Element(last)) = self.active.last().copied() else { return };
        if self.position(last.id).is_some() {
            return;
        }
        let mut first = self.active.len() - 1;
        while first > 0 {
            match self.active.get(first - 1).copied() {
                None | Some(Active::Marker) => break,
                Some(Active::Element(open)) if self.position(open.id).is_some() => break,
                Some(Active::Element(_)) => first -= 1,
            }
        }
        for i in first..self.active.len() {
            let Some(Active::Element(closed)) = self.active.get(i).copied() else { continue };
            if self.open.len() >= MAX_DEPTH {
                self.active.truncate(i);
                return;
            }
            let open = Open { id: self.next_id, ..closed };
            self.next_id += 1;
            self.out.push_str(open.tag);
            self.open.push(open);
            if let Some(slot) = self.active.get_mut(i) {
                *slot = Active::Element(open);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        // In a column group, text other than white space closes the group.
        if self.top() == Some("colgroup") && !text.bytes().all(|b| b.is_ascii_whitespace()) {
            self.close_from(self.open.len() - 1);
        }
        if !in_table_context(self.top()) {
            self.reconstruct();
        }
        self.out.push_str(text);
    }

    fn push(&mut self, name: &'a str, tag: &'a str) {
        self.out.push_str(tag);
        if is_void(name) {
            return;
        }
        let open = Open { name, tag, id: self.next_id };
        self.next_id += 1;
        self.open.push(open);
        if is_formatting(name) {
            self.add_active(open);
        }
        if matches!(name, "td" | "th" | "caption") {
            self.active.push(Active::Marker);
        }
    }

    /// Adds a formatting element to the list, which keeps at most three equal ones after the
    /// last marker (the standard's "Noah's Ark" clause), and at most [`MAX_ACTIVE`] in all.
    fn add_active(&mut self, open: Open<'a>) {
        // Where the entries after the last marker start, and how many share the name.
        let mut first = self.active.len();
        let mut same_name = 0;
        for (i, entry) in self.active.iter().enumerate().rev() {
            match entry {
                Active::Marker => break,
                Active::Element(other) => {
                    first = i;
                    same_name += usize::from(other.name == open.name);
                }
            }
        }
        if same_name >= 3 {
            let attrs = attributes(open.tag);
            let equal: Vec<usize> = (first..self.active.len())
                .filter(|&i| {
                    matches!(self.active.get(i), Some(Active::Element(other))
                        if other.name == open.name && same_attributes(&attributes(other.tag), &attrs))
                })
                .collect();
            if let (true, Some(&oldest)) = (equal.len() >= 3, equal.first()) {
                self.active.remove(oldest);
            }
        }
        if self.active.len() - first >= MAX_ACTIVE {
            self.active.remove(first);
        }
        self.active.push(Active::Element(open));
    }

    fn start(&mut self, name: &'a str, tag: &'a str) {
        if name.is_empty() {
            return;
        }
        // Each round handles the tag in the current insertion mode; after a close the loop
        // handles it again (the standard's "reprocess the token").
        loop {
            match self.top() {
                Some("table") => match name {
                    "caption" | "colgroup" | "thead" | "tbody" | "tfoot" => return self.push(name, tag),
                    "col" => self.push("colgroup", "<colgroup>"),
                    "tr" | "td" | "th" => self.push("tbody", "<tbody>"),
                    "table" => self.close_from(self.open.len() - 1),
                    // Foster-parented by the parser, without content: harmless.
                    _ if is_void(name) => return self.out.push_str(tag),
                    // Would be moved before the table: left out, its text kept.
                    _ => return,
                },
                Some(section) if is_section(section) => match name {
                    "tr" => return self.push(name, tag),
                    "td" | "th" => self.push("tr", "<tr>"),
                    "caption" | "col" | "colgroup" | "thead" | "tbody" | "tfoot" | "table" => {
                        self.close_from(self.open.len() - 1)
                    }
                    _ if is_void(name) => return self.out.push_str(tag),
                    _ => return,
                },
                Some("tr") => match name {
                    "td" | "th" => return self.push(name, tag),
                    "tr" | "caption" | "col" | "colgroup" | "thead" | "tbody" | "tfoot" | "table" => {
                        self.close_from(self.open.len() - 1)
                    }
                    _ if is_void(name) => return self.out.push_str(tag),
                    _ => return,
                },
                Some("colgroup") if name == "col" => return self.out.push_str(tag),
                Some("colgroup") => self.close_from(self.open.len() - 1),
                _ if closes_cell(name) => {
                    // In a cell or a caption, these close it; elsewhere the parser ignores them.
                    let Some(at) = self.find(Scope::Table, |n| matches!(n, "td" | "th" | "caption")) else {
                        return;
                    };
                    self.close_from(at);
                }
                _ => break,
            }
        }
        self.start_in_body(name, tag);
    }

    fn start_in_body(&mut self, name: &'a str, tag: &'a str) {
        match name {
            "li" => self.close_list_item(|n| n == "li"),
            "dd" | "dt" => self.close_list_item(|n| matches!(n, "dd" | "dt")),
            // An open link is closed by a new one (the adoption agency), and forgotten.
            "a" => {
                if let Some(link) = self.active_named("a") {
                    if let Some(at) = self.position(link.id) {
                        self.close_from(at);
                    }
                    self.forget(link.id);
                }
            }
            _ => {}
        }
        if closes_p(name)
            && let Some(at) = self.find(Scope::Button, |n| n == "p")
        {
            self.close_from(at);
        }
        if is_heading(name) && self.top().is_some_and(is_heading) {
            self.close_from(self.open.len() - 1);
        }
        if !closes_p(name) {
            self.reconstruct();
        }
        if !is_void(name) && self.open.len() >= MAX_DEPTH {
            self.too_deep.push(name);
            return;
        }
        self.push(name, tag);
    }

    /// `<li>`, `<dd>`, `<dt>`: the parser closes the nearest open item of the kind, with
    /// everything above it, unless a special element other than `address`, `div` or `p`
    /// comes first.
    fn close_list_item(&mut self, item: impl Fn(&str) -> bool) {
        for i in (0..self.open.len()).rev() {
            let Some(name) = self.open.get(i).map(|open| open.name) else { continue };
            if item(name) {
                return self.close_from(i);
            }
            if is_special(name) && !matches!(name, "address" | "div" | "p") {
                return;
            }
        }
    }

    fn end(&mut self, name: &str) {
        if let Some(i) = self.too_deep.iter().rposition(|n| *n == name) {
            self.too_deep.remove(i);
            return;
        }
        // A formatting element's end tag (the adoption agency): closes it, with what was
        // opened inside it, or forgets it when something else closed it already.
        if is_formatting(name)
            && let Some(element) = self.active_named(name)
        {
            match self.position(element.id) {
                None => self.forget(element.id),
                Some(at) => {
                    let above = self.open.get(at + 1..).unwrap_or_default();
                    let in_scope = above.iter().all(|o| !Scope::Default.stops_at(o.name));
                    if in_scope {
                        self.close_from(at);
                        self.forget(element.id);
                    }
                }
            }
            return;
        }
        let found = match name {
            "p" => self.find(Scope::Button, |n| n == "p"),
            "li" => self.find(Scope::ListItem, |n| n == "li"),
            _ if is_heading(name) => self.find(Scope::Default, is_heading),
            "table" | "caption" | "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" => {
                self.find(Scope::Table, |n| n == name)
            }
            "colgroup" => (self.top() == Some("colgroup")).then(|| self.open.len() - 1),
            _ if is_special(name) => self.find(Scope::Default, |n| n == name),
            // Any other end tag: the nearest open element of that name, unless a special
            // element comes first.
            _ => {
                let mut found = None;
                for (i, open) in self.open.iter().enumerate().rev() {
                    if open.name == name {
                        found = Some(i);
                        break;
                    }
                    if is_special(open.name) {
                        break;
                    }
                }
                found
            }
        };
        if let Some(at) = found {
            self.close_from(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::balance;
    use test_case::test_case;

    #[test_case("<p>a <em>b</em></p>", "<p>a <em>b</em></p>" ; "balanced input is unchanged")]
    #[test_case("<ul><li><div><li>x</li></div></li></ul>", "<ul><li><div></div></li><li>x</li></ul>" ; "li closes the div in between")]
    #[test_case("<dl><dd><div><dt>x</dt></div></dd></dl>", "<dl><dd><div></div></dd><dt>x</dt></dl>" ; "dt closes dd")]
    #[test_case("<h3><div><h2><h3>x</h3></h2></div></h3>", "<h3><div><h2></h2><h3>x</h3></div></h3>" ; "heading in heading")]
    #[test_case("<table><tr><div><table>x</table></div></tr></table>", "<table><tbody><tr></tr></tbody></table><table>x</table>" ; "table in table")]
    #[test_case("<table><tr><td><div><td>x</td></div></tr></table>", "<table><tbody><tr><td><div></div></td><td>x</td></tr></tbody></table>" ; "td closes the cell")]
    #[test_case("<p><div>x</div></p>", "<p></p><div>x</div>" ; "block closes p")]
    #[test_case("<a href=\"/a\"><div><a href=\"/b\">x</a></div></a>", "<a href=\"/a\"><div></div></a><a href=\"/b\">x</a>" ; "nested links")]
    #[test_case("<div><b>x</div>y", "<div><b>x</b></div><b>y</b>" ; "formatting closed by a block is reopened")]
    #[test_case("<p><a href=\"/x\"><h4>In</h4></a></p>", "<p><a href=\"/x\"></a></p><h4><a href=\"/x\">In</a></h4>" ; "link reopened in the heading")]
    #[test_case("<table><tr><td><b>x</td><td>y</td></tr></table>", "<table><tbody><tr><td><b>x</b></td><td>y</td></tr></tbody></table>" ; "cells forget formatting")]
    #[test_case("<p><b><b><b><b>x</p>y", "<p><b><b><b><b>x</b></b></b></b></p><b><b><b>y</b></b></b>" ; "three equal ones at most")]
    #[test_case("<div><b>x</div>", "<div><b>x</b></div>" ; "nothing reopened after the body")]
    #[test_case("</div></p>text</li>", "text" ; "stray end tags dropped")]
    #[test_case("<td>x</td><tr>", "x" ; "cells outside tables dropped")]
    #[test_case("<table><colgroup><col>x</table>", "<table><colgroup><col></colgroup>x</table>" ; "text closes colgroup")]
    #[test_case("<table><col><td>x", "<table><colgroup><col></colgroup><tbody><tr><td>x</td></tr></tbody></table>" ; "implied elements written")]
    #[test_case("<table><td><table><td>x</table>y</table>", "<table><tbody><tr><td><table><tbody><tr><td>x</td></tr></tbody></table>y</td></tr></tbody></table>" ; "table in a cell nests")]
    #[test_case("<b><p>x</b>", "<b><p>x</p></b>" ; "formatting end closes what is inside")]
    #[test_case("<h2>a</h3>", "<h2>a</h2>" ; "any heading end closes a heading")]
    #[test_case("<img src=\"x\" /><br /><hr />", "<img src=\"x\" /><br /><hr />" ; "void elements")]
    #[test_case("a < b", "a &lt; b" ; "stray angle kept as text")]
    fn balances(html: &str, expected: &str) {
        assert_eq!(balance(html), expected);
    }

    #[test]
    fn kinds_are_sorted() {
        assert!(super::KINDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(1000) + "x" + &"</div>".repeat(1000);
        let out = balance(&html);
        assert_eq!(out.matches("<div>").count(), super::MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), super::MAX_DEPTH);
    }
}
