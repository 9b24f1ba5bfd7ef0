//! quire's Markdown renderer for the browser app, as a wasm module of its own.
//!
//! The app's own wasm holds no renderer: a prerendered page shows its post without one, and
//! the app fetches this module the first time it renders a post itself (a prefetched or
//! clicked link, see `src/api.rs` `renderer`). The first post a reader opens therefore costs
//! the renderer's bytes only when the reader goes on to another post. The build writes it as
//! `quire-render-<hash>.js` + `quire-render-<hash>_bg.wasm` and names both in the loader
//! (`crates/compiler/src/modules.rs`).
//!
//! One export: [`render`], the same renderer the compiler prerenders with
//! (`quire_core::markdown::render_with`). Markdown comes in as UTF-8 bytes: between the app's
//! wasm and this one they are copied as they are (a JavaScript `Uint8Array`), never decoded to
//! a JavaScript string and encoded again. The HTML goes out as a JavaScript string, what the
//! app sets as the body's `innerHTML`: decoded once, from this module's memory, in pieces (an
//! inline image's base64 apart from the text around it: the browser decodes ASCII alone
//! several times faster). The headings go out packed (`quire_core::markdown::packed`), as
//! UTF-8 bytes the caller copies into its own memory: a JavaScript string would cost a decode
//! here and a character-by-character encode on the app's side (about 5 % of a corpus pass in
//! the app's path, `bench/run markdown`).

use js_sys::{Array, JsString, Uint8Array};
use quire_core::markdown::{RenderOptions, packed, render_pieces};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The last call's packed headings, which its answer views.
    static HEADINGS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A post's Markdown body (UTF-8; anything else is read as `String::from_utf8_lossy` does) as
/// its page shows it, under the site's base path `url_root` (`""` at a domain's root, `/quire`
/// under a sub-path): `[headings, html]`, the HTML a string, the headings [`packed`] as UTF-8
/// bytes in a `Uint8Array` that views this module's memory. The view holds until the next
/// call: copy it first (`slice()` in JavaScript, `to_vec()` from Rust).
#[wasm_bindgen]
pub fn render(markdown: &[u8], url_root: &JsString) -> Array {
    // Taken as the JavaScript string it is: copied into the module only when it is not empty
    // (a site under a sub-path), not on every call at a domain's root.
    let url_root = if url_root.length() == 0 { String::new() } else { String::from(url_root) };
    let mut html: Option<JsString> = None;
    let headings = render_into(markdown, &url_root, |piece| {
        let piece = JsString::from(piece);
        html = Some(match html.take() {
            Some(before) => before.concat(&piece),
            None => piece,
        });
    });
    let html = html.unwrap_or_else(|| JsString::from(""));
    HEADINGS.with_borrow_mut(|kept| {
        *kept = headings.into_bytes();
        let view = view_of(kept);
        let answer = Array::of2(&view, &html);
        // The answer's own slot in this module's externref table may have grown its memory,
        // which detaches the view (its length is then 0): view the bytes again, the table
        // having room now.
        if view.length() as usize != kept.len() {
            answer.set(0, view_of(kept).into());
        }
        answer
    })
}

/// A view of `kept`, the last call's headings. Taking the view's slot in the externref table
/// allocates when the table is full (it doubles), and if that grows this module's memory the
/// view comes back detached: then one made again is attached.
fn view_of(kept: &[u8]) -> Uint8Array {
    // SAFETY: `kept` is the buffer of `HEADINGS`, which only the next call replaces. Nothing
    // in this module runs until then, so the buffer is not freed while the caller copies it.
    // Bytes, not a `String`: whatever JavaScript writes through the view breaks no invariant
    // of this module.
    #[allow(unsafe_code)]
    let view = unsafe { Uint8Array::view(kept) };
    if view.length() as usize == kept.len() {
        return view;
    }
    #[allow(unsafe_code)]
    unsafe {
        Uint8Array::view(kept)
    }
}

/// Renders `markdown`, hands `piece` the HTML piece by piece and returns the headings packed.
fn render_into(markdown: &[u8], url_root: &str, piece: impl FnMut(&str)) -> String {
    // Checked first as it is (valid UTF-8 is the rule): the lossy reading's own check is
    // several times slower in wasm.
    let markdown = match std::str::from_utf8(markdown) {
        Ok(valid) => std::borrow::Cow::Borrowed(valid),
        Err(_) => String::from_utf8_lossy(markdown),
    };
    let rendered = render_pieces(&markdown, RenderOptions { url_root, ..RenderOptions::default() });
    rendered.pieces().for_each(piece);
    packed::pack(&rendered.toc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::markdown::render_with;

    #[test]
    fn renders_as_the_compiler_does() {
        let png: String = "iVBORw0KGgo+/=".chars().cycle().take(3000).collect();
        let markdown = format!(
            "## A\n\n[x](/blog/y) ![i](/img/z.png)\n\n### B\n\n## C\n\n<script>x</script>\n\n![p](data:image/png;base64,{png}) é\n"
        );
        let rendered =
            render_with(&markdown, RenderOptions { url_root: "/quire", ..RenderOptions::default() });
        let mut pieces = Vec::new();
        let headings = render_into(markdown.as_bytes(), "/quire", |p| pieces.push(p.to_string()));
        assert_eq!(packed::unpack(&headings), Some(rendered.toc));
        assert_eq!(pieces.concat(), rendered.html);
        assert_eq!(pieces.len(), 3, "the base64 run is a piece of its own");
        assert_eq!(pieces[1], png);
        let html = rendered.html;
        assert!(html.contains("href=\"/quire/blog/y\"") && !html.contains("<script"), "{html}");
    }
}
