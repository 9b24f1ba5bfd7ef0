//! The head tags of the route being shown (title, canonical link, meta tags, JSON-LD), from
//! `quire_core::seo::HeadTags`.
//!
//! Written by hand instead of with leptos_meta, which cost about 5.5 KB brotli of wasm
//! (README, "Wasm size levers"), and with one markup for both ways a page is made:
//! - in the browser, a route's tags go straight into `document.head` when it renders and
//!   leave with it; the title is `document.title`;
//! - prerendering (`ssr`), they are written as HTML, values escaped, into the [`HeadHtml`]
//!   that `crate::prerender` provides and puts into the page's `<head>`.

use leptos::prelude::*;
use leptos::text_prop::TextProp;
use quire_core::seo::{HeadTags, MetaKey};

/// All head tags of a listing or a post.
#[component]
pub fn Head(tags: HeadTags) -> impl IntoView {
    let HeadTags { title, canonical, meta, json_ld, .. } = tags;
    let mut tags = Vec::with_capacity(meta.len() + 2);
    if let Some(href) = canonical {
        tags.push(Tag {
            element: "link",
            attributes: vec![("rel", "canonical".into()), ("href", href)],
            text: None,
        });
    }
    for tag in meta {
        let (key, value) = match tag.key {
            MetaKey::Name(name) => ("name", name),
            MetaKey::Property(property) => ("property", property),
        };
        tags.push(Tag {
            element: "meta",
            attributes: vec![(key, value.into()), ("content", tag.content)],
            text: None,
        });
    }
    tags.push(Tag {
        element: "script",
        attributes: vec![("type", "application/ld+json".into())],
        // Safe inside <script> as it is (`seo::script_json` escapes `<`, `>` and `&`).
        text: Some(json_ld),
    });
    // The title first, as a prerendered head lists it; none in a rehearsal (see
    // [`off_document`]), which must not touch the page's title.
    #[cfg(feature = "csr")]
    let rehearsal = browser::rehearsing();
    #[cfg(not(feature = "csr"))]
    let rehearsal = false;
    let title = (!rehearsal).then(|| view! { <PageTitle text=title /> });
    add(tags);
    title
}

/// Runs `f` with the head tags that components add going into a detached element instead of
/// `document.head`, and no title set: for a page built once off the document so that the
/// browser compiles its code before the reader's first click (`crate::routes::post::rehearse`).
#[cfg(feature = "csr")]
pub fn off_document<T>(f: impl FnOnce() -> T) -> T {
    browser::off_document(f)
}

/// A `<meta name content>` of the route, e.g. `robots` `noindex` on a not-found page.
#[component]
pub fn Meta(name: &'static str, content: &'static str) -> impl IntoView {
    add(vec![Tag {
        element: "meta",
        attributes: vec![("name", name.into()), ("content", content.into())],
        text: None,
    }]);
}

/// The page's `<title>`: follows `text` in the browser. Prerendered, the text is escaped
/// (a post's or the blog's title is author text, and `</title><script>` must stay text).
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    #[cfg(feature = "ssr")]
    write_html(&format!("<title>{}</title>", quire_core::sanitize::escape_attr(&text.get())));
    #[cfg(feature = "csr")]
    Effect::new(move |_| browser::set_title(&text.get()));
    #[cfg(not(any(feature = "ssr", feature = "csr")))]
    let _ = text;
}

/// One head element: its name, attributes and text.
struct Tag {
    element: &'static str,
    attributes: Vec<(&'static str, String)>,
    text: Option<String>,
}

/// Adds the tags for as long as the calling component lives.
fn add(tags: Vec<Tag>) {
    #[cfg(feature = "ssr")]
    for tag in &tags {
        write_html(&tag.to_html());
    }
    #[cfg(feature = "csr")]
    {
        let id = browser::add(&tags);
        on_cleanup(move || browser::remove(id));
    }
    #[cfg(not(feature = "csr"))]
    let _ = tags;
}

/// Where a prerendered page's head tags are written (provided by `crate::prerender`).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub struct HeadHtml(pub StoredValue<String>);

#[cfg(feature = "ssr")]
fn write_html(html: &str) {
    if let Some(HeadHtml(head)) = use_context::<HeadHtml>() {
        head.update_value(|h| h.push_str(html));
    }
}

impl Tag {
    /// The element as HTML, attribute values escaped.
    #[cfg(any(feature = "ssr", test))]
    fn to_html(&self) -> String {
        use quire_core::sanitize::escape_attr;
        let mut html = format!("<{}", self.element);
        for (name, value) in &self.attributes {
            html.push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
        }
        html.push('>');
        if let Some(text) = &self.text {
            html.push_str(text);
            html.push_str(&format!("</{}>", self.element));
        }
        html
    }
}

#[cfg(feature = "csr")]
mod browser {
    use super::Tag;
    use std::cell::{Cell, RefCell};

    thread_local! {
        /// The elements each rendering component added, by its number.
        static ADDED: RefCell<Vec<(u32, Vec<web_sys::Element>)>> = const { RefCell::new(Vec::new()) };
        static NEXT: Cell<u32> = const { Cell::new(0) };
        /// Where tags go instead of `<head>` during a rehearsal (see `super::off_document`).
        static SCRATCH: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    }

    pub fn rehearsing() -> bool {
        SCRATCH.with_borrow(Option::is_some)
    }

    pub fn off_document<T>(f: impl FnOnce() -> T) -> T {
        let scratch = document().and_then(|d| d.create_element("div").ok());
        let before = SCRATCH.replace(scratch);
        let out = f();
        SCRATCH.set(before);
        out
    }

    fn document() -> Option<web_sys::Document> {
        web_sys::window().and_then(|w| w.document())
    }

    pub fn set_title(text: &str) {
        if let Some(document) = document() {
            document.set_title(text);
        }
    }

    /// Appends the tags to `<head>`; the number to remove them with.
    pub fn add(tags: &[Tag]) -> u32 {
        let id = NEXT.get();
        NEXT.set(id.wrapping_add(1));
        let Some(document) = document() else { return id };
        let scratch = SCRATCH.with_borrow(Clone::clone);
        let Some(head) = scratch.or_else(|| document.head().map(Into::into)) else { return id };
        let mut added = Vec::with_capacity(tags.len());
        for tag in tags {
            let Ok(element) = document.create_element(tag.element) else { continue };
            for (name, value) in &tag.attributes {
                let _ = element.set_attribute(name, value);
            }
            if let Some(text) = &tag.text {
                element.set_text_content(Some(text));
            }
            if head.append_child(&element).is_ok() {
                added.push(element);
            }
        }
        ADDED.with_borrow_mut(|a| a.push((id, added)));
        id
    }

    pub fn remove(id: u32) {
        let elements = ADDED.with_borrow_mut(|a| {
            let at = a.iter().position(|(i, _)| *i == id)?;
            Some(a.swap_remove(at).1)
        });
        for element in elements.into_iter().flatten() {
            element.remove();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    #[test]
    fn prerendered_tags_escape_their_values() {
        let meta = Tag {
            element: "meta",
            attributes: vec![("name", "description".into()), ("content", "\"Fish\" & <chips>".into())],
            text: None,
        };
        assert_eq!(
            meta.to_html(),
            r#"<meta name="description" content="&quot;Fish&quot; &amp; &lt;chips&gt;">"#
        );
        let script = Tag {
            element: "script",
            attributes: vec![("type", "application/ld+json".into())],
            text: Some(r#"{"a":"\u003c"}"#.into()),
        };
        assert_eq!(script.to_html(), r#"<script type="application/ld+json">{"a":"\u003c"}</script>"#);
    }
}
