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
const VOID: u16 = 1;
/// Its start tag closes an open `p` ("close a `p` element" in the standard).
const CLOSES_P: u16 = 2;
/// The standard's "special" category.
const SPECIAL: u16 = 4;
/// Closed by the adoption agency, reopened by the parser if something else closed it.
const FORMATTING: u16 = 8;
const HEADING: u16 = 16;
/// A boundary of the default scope ("in scope"), and of the button and list item scopes.
const SCOPE: u16 = 32;
/// A boundary of the list item scope besides those of [`SCOPE`].
const LIST_SCOPE: u16 = 64;
/// A boundary of the table scope.
const TABLE_SCOPE: u16 = 128;
/// Table-structure start tags that close an open cell or caption.
const CLOSES_CELL: u16 = 256;
/// `thead`, `tbody`, `tfoot`.
const SECTION: u16 = 512;
/// Where text and other elements are in table context (the parser's "in table" modes).
const TABLE_CONTEXT: u16 = 1024;
/// Cells and captions: they put a marker in the list of active formatting elements.
const CELL: u16 = 2048;

/// What the parser's rules say of each element the renderer may write (and a few more),
/// sorted by name; other names are plain phrasing elements. One table rather than lists of
/// names keeps the wasm small; each tag's name is looked up once (see [`Kind`]).
const KINDS: &[(&str, u16)] = &[
    ("a", FORMATTING),
    ("address", CLOSES_P | SPECIAL),
    ("applet", SCOPE | LIST_SCOPE),
    ("area", VOID | SPECIAL),
    ("article", CLOSES_P | SPECIAL),
    ("aside", CLOSES_P | SPECIAL),
    ("b", FORMATTING),
    ("base", VOID | SPECIAL),
    ("big", FORMATTING),
    ("blockquote", CLOSES_P | SPECIAL),
    ("br", VOID | SPECIAL),
    ("caption", SPECIAL | SCOPE | LIST_SCOPE | CLOSES_CELL | CELL),
    ("center", CLOSES_P | SPECIAL),
    ("code", FORMATTING),
    ("col", VOID | SPECIAL | CLOSES_CELL),
    ("colgroup", SPECIAL | CLOSES_CELL | TABLE_CONTEXT),
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
    ("html", SCOPE | LIST_SCOPE | TABLE_SCOPE),
    ("i", FORMATTING),
    ("img", VOID | SPECIAL),
    ("input", VOID | SPECIAL),
    ("li", CLOSES_P | SPECIAL),
    ("link", VOID | SPECIAL),
    ("listing", CLOSES_P | SPECIAL),
    ("main", CLOSES_P | SPECIAL),
    ("marquee", SCOPE | LIST_SCOPE),
    ("menu", CLOSES_P | SPECIAL),
    ("meta", VOID | SPECIAL),
    ("nav", CLOSES_P | SPECIAL),
    ("nobr", FORMATTING),
    ("object", SCOPE | LIST_SCOPE),
    ("ol", CLOSES_P | SPECIAL | LIST_SCOPE),
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
    ("table", CLOSES_P | SPECIAL | SCOPE | LIST_SCOPE | TABLE_SCOPE | TABLE_CONTEXT),
    ("tbody", SPECIAL | CLOSES_CELL | SECTION | TABLE_CONTEXT),
    ("td", SPECIAL | SCOPE | LIST_SCOPE | CLOSES_CELL | CELL),
    ("template", SCOPE | LIST_SCOPE | TABLE_SCOPE),
    ("tfoot", SPECIAL | CLOSES_CELL | SECTION | TABLE_CONTEXT),
    ("th", SPECIAL | SCOPE | LIST_SCOPE | CLOSES_CELL | CELL),
    ("thead", SPECIAL | CLOSES_CELL | SECTION | TABLE_CONTEXT),
    ("tr", SPECIAL | CLOSES_CELL | TABLE_CONTEXT),
    ("track", VOID | SPECIAL),
    ("tt", FORMATTING),
    ("u", FORMATTING),
    ("ul", CLOSES_P | SPECIAL | LIST_SCOPE),
    ("wbr", VOID | SPECIAL),
    ("xmp", CLOSES_P | SPECIAL),
];

/// An element name packed into an integer, in the order of its bytes, for comparisons
/// without `memcmp`; names longer than 16 bytes are in no table.
const fn key(name: &[u8]) -> Option<u128> {
    if name.len() > 16 {
        return None;
    }
    let mut key = 0u128;
    let mut rest = name;
    while let [first, tail @ ..] = rest {
        key = (key << 8) | *first as u128;
        rest = tail;
    }
    Some(key << (8 * (16 - name.len())))
}

/// The keys of [`KINDS`], in the same (sorted) order.
const KEYS: [u128; KINDS.len()] = {
    let mut keys = [0u128; KINDS.len()];
    let mut slots: &mut [u128] = &mut keys;
    let mut rest = KINDS;
    while let ([(name, _), tail @ ..], [slot, slots_tail @ ..]) = (rest, slots) {
        // Every name of the table is short (`kinds_are_sorted` checks that keys sort too).
        if let Some(key) = key(name.as_bytes()) {
            *slot = key;
        }
        rest = tail;
        slots = slots_tail;
    }
    keys
};

/// What [`KINDS`] says of an element name (0 for plain phrasing elements).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Kind(u16);

impl Kind {
    fn of(name: &str) -> Kind {
        let Some(key) = key(name.as_bytes()) else { return Kind(0) };
        Kind(KEYS.binary_search(&key).ok().and_then(|i| KINDS.get(i)).map_or(0, |(_, kind)| *kind))
    }

    fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }
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
    fn stops_at(self, kind: Kind) -> bool {
        match self {
            Scope::Default | Scope::Button => kind.has(SCOPE),
            Scope::ListItem => kind.has(SCOPE | LIST_SCOPE),
            Scope::Table => kind.has(TABLE_SCOPE),
        }
    }
}

/// An element on the parser's stack of open elements.
#[derive(Clone, Copy)]
struct Open<'a> {
    name: &'a str,
    kind: Kind,
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
        let Some(gt) = tag_and_after.bytes().position(|b| b == b'>') else {
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
            None if inner.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                let name = tag_name(inner);
                b.start(name, Kind::of(name), tag)
            }
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
    let end = inner.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'-')).unwrap_or(inner.len());
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

impl<'a> Balancer<'a> {
    fn top(&self) -> Option<&'a str> {
        self.open.last().map(|o| o.name)
    }

    fn top_kind(&self) -> Kind {
        self.open.last().map_or(Kind(0), |o| o.kind)
    }

    /// Index of the topmost open element matching `wanted`, unless the search meets a
    /// boundary of `scope` first.
    fn find(&self, scope: Scope, wanted: impl Fn(&Open<'a>) -> bool) -> Option<usize> {
        for (i, open) in self.open.iter().enumerate().rev() {
            if wanted(open) {
                return Some(i);
            }
            if scope.stops_at(open.kind) {
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
            if open.kind.has(CELL) {
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
        if !self.top_kind().has(TABLE_CONTEXT) {
            self.reconstruct();
        }
        self.out.push_str(text);
    }

    fn push(&mut self, name: &'a str, kind: Kind, tag: &'a str) {
        self.out.push_str(tag);
        if kind.has(VOID) {
            return;
        }
        let open = Open { name, kind, tag, id: self.next_id };
        self.next_id += 1;
        self.open.push(open);
        if kind.has(FORMATTING) {
            self.add_active(open);
        }
        if kind.has(CELL) {
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

    fn start(&mut self, name: &'a str, kind: Kind, tag: &'a str) {
        if name.is_empty() {
            return;
        }
        // Each round handles the tag in the current insertion mode; after a close the loop
        // handles it again (the standard's "reprocess the token").
        loop {
            let top = self.open.last().map_or(("", Kind(0)), |o| (o.name, o.kind));
            match top {
                // `table`, `thead`, `tbody`, `tfoot`, `tr` or `colgroup`.
                (top, top_kind) if top_kind.has(TABLE_CONTEXT) => match top {
                    "table" => match name {
                        "caption" | "colgroup" | "thead" | "tbody" | "tfoot" => {
                            return self.push(name, kind, tag);
                        }
                        "col" => self.push("colgroup", Kind::of("colgroup"), "<colgroup>"),
                        "tr" | "td" | "th" => self.push("tbody", Kind::of("tbody"), "<tbody>"),
                        "table" => self.close_from(self.open.len() - 1),
                        // Foster-parented by the parser, without content: harmless.
                        _ if kind.has(VOID) => return self.out.push_str(tag),
                        // Would be moved before the table: left out, its text kept.
                        _ => return,
                    },
                    "tr" => match name {
                        "td" | "th" => return self.push(name, kind, tag),
                        "tr" | "caption" | "col" | "colgroup" | "thead" | "tbody" | "tfoot" | "table" => {
                            self.close_from(self.open.len() - 1)
                        }
                        _ if kind.has(VOID) => return self.out.push_str(tag),
                        _ => return,
                    },
                    "colgroup" if name == "col" => return self.out.push_str(tag),
                    "colgroup" => self.close_from(self.open.len() - 1),
                    // A section: `thead`, `tbody`, `tfoot`.
                    _ => match name {
                        "tr" => return self.push(name, kind, tag),
                        "td" | "th" => self.push("tr", Kind::of("tr"), "<tr>"),
                        "caption" | "col" | "colgroup" | "thead" | "tbody" | "tfoot" | "table" => {
                            self.close_from(self.open.len() - 1)
                        }
                        _ if kind.has(VOID) => return self.out.push_str(tag),
                        _ => return,
                    },
                },
                _ if kind.has(CLOSES_CELL) => {
                    // In a cell or a caption, these close it; elsewhere the parser ignores them.
                    let Some(at) = self.find(Scope::Table, |o| o.kind.has(CELL)) else {
                        return;
                    };
                    self.close_from(at);
                }
                _ => break,
            }
        }
        self.start_in_body(name, kind, tag);
    }

    fn start_in_body(&mut self, name: &'a str, kind: Kind, tag: &'a str) {
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
        if kind.has(CLOSES_P)
            && let Some(at) = self.find(Scope::Button, |o| o.name == "p")
        {
            self.close_from(at);
        }
        if kind.has(HEADING) && self.top_kind().has(HEADING) {
            self.close_from(self.open.len() - 1);
        }
        if !kind.has(CLOSES_P) {
            self.reconstruct();
        }
        if !kind.has(VOID) && self.open.len() >= MAX_DEPTH {
            self.too_deep.push(name);
            return;
        }
        self.push(name, kind, tag);
    }

    /// `<li>`, `<dd>`, `<dt>`: the parser closes the nearest open item of the kind, with
    /// everything above it, unless a special element other than `address`, `div` or `p`
    /// comes first.
    fn close_list_item(&mut self, item: impl Fn(&str) -> bool) {
        for i in (0..self.open.len()).rev() {
            let Some((name, kind)) = self.open.get(i).map(|open| (open.name, open.kind)) else { continue };
            if item(name) {
                return self.close_from(i);
            }
            if kind.has(SPECIAL) && !matches!(name, "address" | "div" | "p") {
                return;
            }
        }
    }

    fn end(&mut self, name: &str) {
        if let Some(i) = self.too_deep.iter().rposition(|n| *n == name) {
            self.too_deep.remove(i);
            return;
        }
        let kind = Kind::of(name);
        // A formatting element's end tag (the adoption agency): closes it, with what was
        // opened inside it, or forgets it when something else closed it already.
        if kind.has(FORMATTING)
            && let Some(element) = self.active_named(name)
        {
            match self.position(element.id) {
                None => self.forget(element.id),
                Some(at) => {
                    let above = self.open.get(at + 1..).unwrap_or_default();
                    let in_scope = above.iter().all(|o| !Scope::Default.stops_at(o.kind));
                    if in_scope {
                        self.close_from(at);
                        self.forget(element.id);
                    }
                }
            }
            return;
        }
        let found = match name {
            "p" => self.find(Scope::Button, |o| o.name == "p"),
            "li" => self.find(Scope::ListItem, |o| o.name == "li"),
            _ if kind.has(HEADING) => self.find(Scope::Default, |o| o.kind.has(HEADING)),
            "table" | "caption" | "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" => {
                self.find(Scope::Table, |o| o.name == name)
            }
            "colgroup" => (self.top() == Some("colgroup")).then(|| self.open.len() - 1),
            _ if kind.has(SPECIAL) => self.find(Scope::Default, |o| o.name == name),
            // Any other end tag: the nearest open element of that name, unless a special
            // element comes first.
            _ => {
                let mut found = None;
                for (i, open) in self.open.iter().enumerate().rev() {
                    if open.name == name {
                        found = Some(i);
                        break;
                    }
                    if open.kind.has(SPECIAL) {
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
        assert!(super::KEYS.windows(2).all(|w| w[0] < w[1]));
        for (name, kind) in super::KINDS {
            assert_eq!(super::Kind::of(name).0, *kind, "{name}");
        }
        assert_eq!(super::Kind::of("blockquotex").0, 0);
        assert_eq!(super::Kind::of("a-very-long-custom-element").0, 0);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(1000) + "x" + &"</div>".repeat(1000);
        let out = balance(&html);
        assert_eq!(out.matches("<div>").count(), super::MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), super::MAX_DEPTH);
    }
}
