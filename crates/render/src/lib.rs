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
//! (`quire_core::markdown::render_with`), its answer packed into one string
//! (`quire_core::markdown::packed`). Markdown in and the answer out are UTF-8 bytes: between
//! the app's wasm and this one they are copied as they are (a JavaScript `Uint8Array`), never
//! decoded to a JavaScript string and encoded again.

use quire_core::markdown::{RenderOptions, packed, render_with};
use wasm_bindgen::prelude::*;

/// A post's Markdown body (UTF-8; anything else is read as `String::from_utf8_lossy` does) as
/// its page shows it, under the site's base path `url_root` (`""` at a domain's root, `/quire`
/// under a sub-path): the HTML and the headings, packed, as UTF-8.
#[wasm_bindgen]
pub fn render(markdown: &[u8], url_root: &str) -> Vec<u8> {
    let markdown = String::from_utf8_lossy(markdown);
    packed::pack(&render_with(&markdown, RenderOptions { url_root, ..RenderOptions::default() })).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_as_the_compiler_does() {
        let markdown = "## A\n\n[x](/blog/y) ![i](/img/z.png)\n\n### B\n\n## C\n\n<script>x</script>\n";
        let rendered =
            render_with(markdown, RenderOptions { url_root: "/quire", ..RenderOptions::default() });
        let packed = String::from_utf8(render(markdown.as_bytes(), "/quire")).expect("UTF-8");
        let (toc, html) = packed::unpack(&packed).expect("unpacks");
        assert_eq!(toc, rendered.toc);
        assert_eq!(html, rendered.html);
        assert!(html.contains("href=\"/quire/blog/y\"") && !html.contains("<script"), "{html}");
    }
}
