//! quire-oracle: an independent check of the HTML quire renders from untrusted Markdown.
//!
//! quire's sanitiser (`quire_core::sanitize`) is string code, because an HTML parser would
//! not fit the wasm budget. This crate parses what it writes the way a browser does, with
//! html5ever (the parser of Servo), and checks the parsed tree against the sanitiser's
//! documented contract ([`contract`]), in every way the HTML reaches a browser:
//!
//! - as the app inserts it: `innerHTML` of a `<div>` (fragment parsing in a `div` context),
//!   with scripting on, and with scripting off;
//! - inside the prerendered page, parsed as a whole document (scripting on and off: readers
//!   without JavaScript), where the author's markup must also stay inside the post's
//!   container: the page outside it must parse exactly as it does with an empty body;
//! - after a round trip: the app adopts a prerendered page by reading its `innerHTML` and
//!   inserting it again, so the fragment is serialised and parsed once more (mutation XSS
//!   lives there); the result must keep to the contract and hold the same elements and
//!   attributes in the same places.
//!
//! Only tests and fuzz targets use it; never the app, never the compiler's build.

pub mod contract;
pub mod soup;

use contract::{ELEMENTS, GLOBAL, INPUT_TYPE, REL_TOKENS, UrlUse};
use ego_tree::NodeRef;
use html5ever::serialize::{SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::{ParseOpts, QualName, local_name, ns};
use quire_core::markdown::{RenderOptions, render_with, render_with_passes};
use scraper::{ElementRef, Html, HtmlTreeSink, Node};
use std::fmt;
use std::sync::OnceLock;

/// One way a browser meets the HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parse {
    /// `element.innerHTML = html` on a `<div>`, as the app renders a post.
    Fragment { scripting: bool },
    /// The prerendered page, parsed as a document.
    Page { scripting: bool },
    /// The fragment serialised (`innerHTML` read back, as the app adopts a prerendered page)
    /// and parsed again.
    RoundTrip,
    /// Not a parse: the renderer's HTML set beside what its passes over the finished HTML
    /// give (`render_with_passes`), which the event stream's shortcut must equal.
    Passes,
}

impl fmt::Display for Parse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on = |scripting: bool| if scripting { "on" } else { "off" };
        match self {
            Parse::Fragment { scripting } => write!(f, "innerHTML of a <div>, scripting {}", on(*scripting)),
            Parse::Page { scripting } => write!(f, "prerendered page, scripting {}", on(*scripting)),
            Parse::RoundTrip => write!(f, "innerHTML read back and set again"),
            Parse::Passes => write!(f, "against the balancing and outline passes"),
        }
    }
}

/// Something the parsed tree holds that the contract forbids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub parse: Parse,
    /// Where: the element path from the container, `p > a[2]`.
    pub at: String,
    pub problem: String,
}

/// The HTML that failed, and why.
#[derive(Clone, Debug)]
pub struct Report {
    /// The Markdown it was rendered from, when it came from [`check_markdown`].
    pub markdown: Option<String>,
    /// How it was rendered (`url_root`…), when it came from [`check_markdown`].
    pub render: Option<String>,
    pub html: String,
    pub violations: Vec<Violation>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the rendered HTML breaks the sanitiser's contract")?;
        if let Some(markdown) = &self.markdown {
            writeln!(f, "markdown: {markdown:?}")?;
        }
        if let Some(render) = &self.render {
            writeln!(f, "rendered with: {render}")?;
        }
        writeln!(f, "html: {:?}", self.html)?;
        // The same problem usually shows in several parses: list it once.
        let mut shown: Vec<(&str, &str, Vec<String>)> = Vec::new();
        for v in &self.violations {
            match shown.iter_mut().find(|(at, problem, _)| *at == v.at && *problem == v.problem) {
                Some((_, _, parses)) => parses.push(v.parse.to_string()),
                None => shown.push((&v.at, &v.problem, vec![v.parse.to_string()])),
            }
        }
        for (at, problem, parses) in shown {
            writeln!(f, "  - at {at}: {problem}  [{}]", parses.join("; "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

/// How [`check_markdown`] renders: at a domain's root, under a sub-path, and for feeds.
pub const RENDERS: &[(&str, RenderOptions<'static>)] = &[
    ("url_root \"\"", RenderOptions { url_root: "", without_anchors: false }),
    ("url_root \"/quire\"", RenderOptions { url_root: "/quire", without_anchors: false }),
    (
        "feed: url_root \"https://blog.example\", no anchors",
        RenderOptions { url_root: "https://blog.example", without_anchors: true },
    ),
];

/// Renders `markdown` as every page kind does ([`RENDERS`]) and checks each result with
/// [`check_html`].
pub fn check_markdown(markdown: &str) -> Result<(), Report> {
    check_markdown_with(markdown, RENDERS)
}

/// [`check_markdown`] with some of the [`RENDERS`] only.
pub fn check_markdown_with(markdown: &str, renders: &[(&str, RenderOptions<'_>)]) -> Result<(), Report> {
    for (name, options) in renders {
        let rendered = render_with(markdown, *options);
        let report = |html: String, violations| Report {
            markdown: Some(markdown.to_string()),
            render: Some((*name).to_string()),
            html,
            violations,
        };
        // The shortcut for bodies without raw HTML must give exactly what the passes give.
        let reference = render_with_passes(markdown, *options);
        if rendered != reference {
            let problem = format!(
                "differs from the passes' HTML {:?} (headings {:?} against {:?})",
                reference.html, rendered.toc, reference.toc
            );
            return Err(report(
                rendered.html,
                vec![Violation { parse: Parse::Passes, at: "the body".into(), problem }],
            ));
        }
        check_html(&rendered.html).map_err(|found| report(found.html, found.violations))?;
    }
    Ok(())
}

/// Checks a rendered post body (see the crate's documentation).
pub fn check_html(html: &str) -> Result<(), Report> {
    let mut violations = Vec::new();
    let scripted = parse_fragment(html, true);
    check_tree(fragment_root(&scripted), Parse::Fragment { scripting: true }, &mut violations);
    let unscripted = parse_fragment(html, false);
    check_tree(fragment_root(&unscripted), Parse::Fragment { scripting: false }, &mut violations);
    for scripting in [true, false] {
        check_page(html, scripting, &mut violations);
    }
    check_round_trip(&scripted, &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Report { markdown: None, render: None, html: html.to_string(), violations })
    }
}

/// Serialises the parsed body and parses it again, as adopting a prerendered page does (the
/// app reads the page's `innerHTML` and sets it again): the result must keep to the contract
/// and have the same elements and attributes in the same places. Text may change: the
/// serialiser writes a carriage return as it is and the parser reads it as a line feed, and
/// a line feed at the start of a `<pre>` is dropped on each parse.
fn check_round_trip(first: &Html, violations: &mut Vec<Violation>) {
    let again = parse_fragment(&serialize_children(fragment_root(first)), true);
    check_tree(fragment_root(&again), Parse::RoundTrip, violations);
    let (before, after) =
        (outline(fragment_root(first), None, false), outline(fragment_root(&again), None, false));
    if before != after {
        violations.push(Violation {
            parse: Parse::RoundTrip,
            at: "the body".into(),
            problem: format!("a round trip changes its elements: {before} becomes {after}"),
        });
    }
}

/// `element.innerHTML = html` on a `<div>`.
pub fn parse_fragment(html: &str, scripting: bool) -> Html {
    let mut opts = ParseOpts::default();
    opts.tree_builder.scripting_enabled = scripting;
    let context = QualName::new(None, ns!(html), local_name!("div"));
    html5ever::parse_fragment(HtmlTreeSink::new(Html::new_fragment()), opts, context, Vec::new(), scripting)
        .one(html)
}

/// A document, as a browser loads a page.
pub fn parse_document(html: &str, scripting: bool) -> Html {
    let mut opts = ParseOpts::default();
    opts.tree_builder.scripting_enabled = scripting;
    html5ever::parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(html)
}

/// The parent of a parsed fragment's nodes: html5ever puts them in an `<html>` element.
fn fragment_root(fragment: &Html) -> NodeRef<'_, Node> {
    let root = fragment.tree.root();
    root.children().find(|n| n.value().is_element()).unwrap_or(root)
}

/// `innerHTML` of `node`, serialised as a browser does (scripting on).
pub fn serialize_children(node: NodeRef<'_, Node>) -> String {
    let Some(element) = ElementRef::wrap(node) else { return String::new() };
    let opts = SerializeOpts {
        scripting_enabled: true,
        traversal_scope: TraversalScope::ChildrenOnly(None),
        create_missing_parent: false,
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = html5ever::serialize(&mut out, &element, opts);
    String::from_utf8_lossy(&out).into_owned()
}

/// The page around a post body, as `src/lib.rs` and `src/routes/post.rs` render it: the body
/// in its container (inside the route's own `div`, which a stray `</div>` could close too),
/// then (as the app's own markup does) text and links that the parser would wrap in any
/// formatting element the author left active. The comment [`END_MARK`] at the end of the body
/// must stay inside the container: if the author's markup closed the container early, it
/// lands outside (even when nothing else follows).
const PAGE_START: &str = "<!DOCTYPE html><html lang=\"en\"><head><title>quire</title></head>\
    <body><main id=\"main\" class=\"page\"><div class=\"route\" data-route=\"post\"><article class=\"post\">\
    <header><h1>Title</h1></header>\
    <div class=\"post__body prose\">";
const PAGE_END: &str = "<!--quire-oracle-end--></div>after the body<section class=\"post-more\">\
    <h2 id=\"quire-related-posts\">Related posts</h2><a href=\"/blog/x\">x</a></section>\
    <nav class=\"post__nav\"><a href=\"/\">All posts</a></nav></article></div></main><footer>end</footer>\
    </body></html>";
const CONTAINER_CLASS: &str = "post__body prose";
const END_MARK: &str = "quire-oracle-end";

fn check_page(html: &str, scripting: bool, violations: &mut Vec<Violation>) {
    let parse = Parse::Page { scripting };
    let page = parse_document(&format!("{PAGE_START}{html}{PAGE_END}"), scripting);
    let Some(container) = find_container(&page) else {
        violations.push(Violation {
            parse,
            at: "the page".into(),
            problem: "the post container is gone".into(),
        });
        return;
    };
    let outside = outline(page.tree.root(), Some(container), true);
    let expected = empty_page_outline(scripting);
    if outside != expected {
        violations.push(Violation {
            parse,
            at: "the page around the body".into(),
            problem: format!(
                "the author's markup reached outside the post container: {outside} instead of {expected}"
            ),
        });
    }
    check_tree(container, parse, violations);
}

/// [`outline`] of the page with an empty body (computed once per scripting flag).
fn empty_page_outline(scripting: bool) -> &'static str {
    static OUTLINES: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    OUTLINES[usize::from(scripting)].get_or_init(|| {
        let empty = parse_document(&format!("{PAGE_START}{PAGE_END}"), scripting);
        outline(empty.tree.root(), find_container(&empty), true)
    })
}

/// The first `<div class="post__body prose">` (the author cannot write that class).
fn find_container(page: &Html) -> Option<NodeRef<'_, Node>> {
    page.tree.root().descendants().find(|n| {
        n.value().as_element().is_some_and(|e| e.name() == "div" && e.attr("class") == Some(CONTAINER_CLASS))
    })
}

/// `root` and what it holds as text, with `skip`'s content left out, and text left out too
/// unless `with_text`.
fn outline(root: NodeRef<'_, Node>, skip: Option<NodeRef<'_, Node>>, with_text: bool) -> String {
    let mut out = String::new();
    let mut stack = vec![(root, false)];
    while let Some((node, closing)) = stack.pop() {
        let element = node.value().as_element();
        if closing {
            if let Some(e) = element {
                out.push_str(&format!("</{}>", e.name()));
            }
            continue;
        }
        match node.value() {
            Node::Element(e) => {
                out.push_str(&format!("{e:?}"));
                stack.push((node, true));
                if Some(node) == skip {
                    out.push('…');
                    continue;
                }
            }
            Node::Text(t) if with_text => out.push_str(&format!("{:?}", &**t)),
            Node::Comment(c) => out.push_str(&format!("<!--{}-->", &**c)),
            Node::Doctype(d) => out.push_str(&format!("<!DOCTYPE {}>", d.name())),
            _ => {}
        }
        let children: Vec<_> = node.children().collect();
        stack.extend(children.into_iter().rev().map(|c| (c, false)));
    }
    out
}

/// Checks every node under `root` (not `root` itself) against the contract.
fn check_tree(root: NodeRef<'_, Node>, parse: Parse, violations: &mut Vec<Violation>) {
    for node in root.descendants().skip(1) {
        let mut problem = |problem: String| {
            violations.push(Violation { parse, at: path(root, node), problem });
        };
        match node.value() {
            Node::Element(element) => check_element(element, &mut problem),
            Node::Comment(c) if matches!(parse, Parse::Page { .. }) && &**c == END_MARK => {}
            Node::Comment(c) => {
                problem(format!("a comment node <!--{}-->: the sanitiser drops comments", &**c))
            }
            Node::Doctype(_) => problem("a doctype node".into()),
            Node::ProcessingInstruction(_) => problem("a processing instruction".into()),
            Node::Document | Node::Fragment => problem("a nested document".into()),
            Node::Text(_) => {}
        }
    }
}

fn check_element(element: &scraper::node::Element, problem: &mut impl FnMut(String)) {
    let name = element.name();
    if element.name.ns != ns!(html) {
        problem(format!("<{name}> in the namespace {:?}: a namespace switch", &*element.name.ns));
    }
    let Some((_, allowed)) = ELEMENTS.iter().find(|(n, _)| *n == name) else {
        problem(format!("element <{name}> is not allowed"));
        return;
    };
    let mut rel: Option<&str> = None;
    let mut target = false;
    for (key, value) in &element.attrs {
        let (attr, value) = (&*key.local, &**value);
        if key.ns != ns!() || key.prefix.is_some() {
            problem(format!("namespaced attribute {:?}:{attr}", &*key.ns));
            continue;
        }
        if attr.len() > 2 && attr[..2].eq_ignore_ascii_case("on") {
            problem(format!("event handler attribute {attr}={value:?}"));
            continue;
        }
        if attr == "style" {
            problem(format!("style attribute {value:?} (the CSP blocks it; alignment is a class)"));
            continue;
        }
        if !(allowed.contains(&attr) || GLOBAL.contains(&attr)) {
            problem(format!("attribute {attr}={value:?} is not allowed on <{name}>"));
            continue;
        }
        let url = match (name, attr) {
            ("img", "src") => Some(UrlUse::Image),
            (_, "href" | "cite") => Some(UrlUse::Link),
            _ => None,
        };
        if let Some(why) = url.and_then(|use_| contract::url_problem(value, use_)) {
            problem(format!("{attr}={value:?}: {why}"));
        }
        match attr {
            "id" | "name" if contract::id_reserved(value) => {
                problem(format!("{attr}={value:?} is one of the app's own ids"))
            }
            "class" => {
                for class in value.split_ascii_whitespace().filter(|c| !contract::class_allowed(c)) {
                    problem(format!("class {class:?} is not one the renderer writes"));
                }
            }
            "rel" => {
                rel = Some(value);
                for token in value.split_ascii_whitespace().filter(|t| !REL_TOKENS.contains(t)) {
                    problem(format!("rel token {token:?}"));
                }
            }
            "target" => {
                target = true;
                if value != "_blank" {
                    problem(format!("target={value:?} (only _blank)"));
                }
            }
            "type" if name == "input" && value != INPUT_TYPE => problem(format!("<input type={value:?}>")),
            _ => {}
        }
    }
    if target && !rel.is_some_and(|rel| rel.split_ascii_whitespace().any(|t| t == "noopener")) {
        problem("target without rel=\"noopener\"".into());
    }
    if name == "input" && (element.attr("type") != Some(INPUT_TYPE) || element.attr("disabled").is_none()) {
        problem("an <input> that is not a disabled checkbox".into());
    }
}

/// `p > a[2]`: element names from `root` down to `node`, with the position among siblings.
fn path(root: NodeRef<'_, Node>, node: NodeRef<'_, Node>) -> String {
    let mut parts = Vec::new();
    let mut current = Some(node);
    while let Some(n) = current.filter(|n| *n != root) {
        let position = n.prev_siblings().filter(|s| s.value().is_element()).count() + 1;
        let label = match n.value() {
            Node::Element(e) => format!("{}[{position}]", e.name()),
            Node::Text(_) => "text".to_string(),
            Node::Comment(_) => "comment".to_string(),
            _ => "node".to_string(),
        };
        parts.push(label);
        current = n.parent();
    }
    parts.reverse();
    if parts.is_empty() { "the container".to_string() } else { parts.join(" > ") }
}
