//! quire's renderer behind the same JS↔wasm boundary the app uses, for `bench/run markdown`.
//!
//! Each export starts from what the network gives the app for a post, its JSON file, and ends
//! with the HTML as a JavaScript string (what `inner_html` hands the browser):
//!
//! - [`render_as_app`]: the app's own wasm's part of the app's path, around the renderer module
//!   the site ships (`crates/render`, which the bench page loads from the site and passes in):
//!   the response's bytes are copied into wasm memory once, `quire_core::json` reads the
//!   [`PostFile`]'s JSON line, and the Markdown after it goes to the renderer module as the file
//!   holds it (a view of this module's memory, as `src/api.rs` passes it); its answer is the
//!   packed headings (UTF-8 bytes, which the app copies and unpacks) and the HTML as a
//!   JavaScript string, which the app sets as the body's `innerHTML` as it is.
//! - [`render_post_bytes`]: the same in one module (the app's path before the renderer became a
//!   module of its own): bytes in, `render_with`, the sanitised HTML out.
//! - [`render_post_text`]: the same from the response decoded as a JavaScript string first
//!   (`response.text()`), which wasm-bindgen re-encodes to UTF-8 on the way in.
//! - [`plain_post_text`]: plain pulldown-cmark (no sanitising, no heading ids, no
//!   highlighting) on the same input.
//! - [`plain_markdown`]: plain pulldown-cmark from the Markdown's UTF-8 bytes, read out of the
//!   JSON beforehand (not timed), to a JavaScript string: no JSON, one copy in, one decode
//!   out, the floor of any renderer built on pulldown-cmark in wasm.

use quire_core::markdown::{RenderOptions, options, render_with};
use quire_core::model::PostFile;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The post file read whole: its JSON line as the app reads it (`quire_core::json`), the body
/// after it as a string.
fn post(file: &[u8]) -> Result<PostFile, JsError> {
    let (mut post, body): (PostFile, _) =
        quire_core::model::decode_post(file).map_err(|e| JsError::new(&format!("not a post file: {e}")))?;
    post.post.body = String::from_utf8_lossy(file.get(body).unwrap_or_default()).into_owned();
    Ok(post)
}

/// `render`: a renderer module's `render` export (`crates/render`).
#[wasm_bindgen]
pub fn render_as_app(file: &[u8], render: &js_sys::Function) -> Result<js_sys::JsString, JsError> {
    let (_file, body) =
        quire_core::model::decode_post(file).map_err(|e| JsError::new(&format!("not a post file: {e}")))?;
    // As src/api.rs: the base path first, then the body where the file holds it, a view read
    // only by the renderer module's glue during the call.
    let url_root = JsValue::from_str("");
    let markdown = file.get(body).unwrap_or_default();
    // As src/api.rs `attached_view`: made again if taking its table slot detached it.
    #[allow(unsafe_code)]
    let mut input = unsafe { js_sys::Uint8Array::view(markdown) };
    if input.length() as usize != markdown.len() {
        #[allow(unsafe_code)]
        let again = unsafe { js_sys::Uint8Array::view(markdown) };
        input = again;
    }
    let answer = render
        .call2(&JsValue::NULL, &input, &url_root)
        .map_err(|_| JsError::new("the renderer module failed"))?;
    let answer: js_sys::Array = answer.dyn_into().map_err(|_| JsError::new("no answer array"))?;
    // UTF-8 bytes since 2026-11-28 evening; a string from a renderer module built before
    // (`--alt-renderer` with an older build).
    let headings = match answer.get(0).dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => String::from_utf8(bytes.to_vec()).map_err(|_| JsError::new("headings not UTF-8"))?,
        Err(other) => other.as_string().ok_or_else(|| JsError::new("no headings"))?,
    };
    quire_core::markdown::packed::unpack(&headings).ok_or_else(|| JsError::new("not packed headings"))?;
    answer.get(1).dyn_into().map_err(|_| JsError::new("no HTML string"))
}

#[wasm_bindgen]
pub fn render_post_bytes(json: &[u8]) -> Result<String, JsError> {
    let file = post(json)?;
    Ok(render_with(&file.post.body, RenderOptions::default()).html)
}

#[wasm_bindgen]
pub fn render_post_text(json: &str) -> Result<String, JsError> {
    let file = post(json.as_bytes())?;
    Ok(render_with(&file.post.body, RenderOptions::default()).html)
}

#[wasm_bindgen]
pub fn plain_post_text(json: &str) -> Result<String, JsError> {
    let file = post(json.as_bytes())?;
    let mut html = String::with_capacity(file.post.body.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&file.post.body, options()));
    Ok(html)
}

#[wasm_bindgen]
pub fn plain_markdown(markdown: &[u8]) -> js_sys::JsString {
    let markdown = String::from_utf8_lossy(markdown);
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&markdown, options()));
    js_sys::JsString::from(html.as_str())
}

/// `render_with` alone, from the Markdown as a string (the boundary's cost, by difference).
#[wasm_bindgen]
pub fn render_markdown(markdown: &str) -> String {
    render_with(markdown, RenderOptions::default()).html
}
