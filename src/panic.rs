//! What the reader sees when the app panics. The app is written not to panic, but a bug that
//! does would otherwise leave a page that looks fine and no longer responds: links and
//! buttons handled by the app would silently do nothing. The release build aborts on a panic
//! (`panic = "abort"`: the wasm traps and every later call into it is unsafe), and the panic
//! hook runs before that abort, so it is where the page is repaired:
//!
//! - a banner (`<section class="panic" role="alert">`) goes at the top of the page, saying
//!   the page stopped working, with a link that loads it again and the panic message under
//!   "Technical details" for a bug report;
//! - whatever the page shows stays readable below it;
//! - every link gets `target="_self"`, which the router leaves to the browser: they load the
//!   (prerendered) pages in full instead of calling into the stopped app.
//!
//! The hook only calls DOM methods and ignores their failures: a panic inside a panic hook
//! would abort before the banner is shown.

/// The banner's id; a second panic leaves the first banner as it is.
pub const PANIC_SCREEN_ID: &str = "quire-panic";

/// Installs the hook: the panic message goes to the console (console_error_panic_hook), then
/// the banner is shown.
#[cfg(feature = "csr")]
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let _ = show(&info.to_string());
    }));
}

#[cfg(feature = "csr")]
fn show(details: &str) -> Option<()> {
    use wasm_bindgen::JsCast;

    let window = web_sys::window()?;
    let document = window.document()?;
    if document.get_element_by_id(PANIC_SCREEN_ID).is_some() {
        return Some(());
    }
    let body = document.body()?;
    let element = |tag: &str, class: &str, text: Option<&str>| {
        let el = document.create_element(tag).ok()?;
        if !class.is_empty() {
            el.set_class_name(class);
        }
        if text.is_some() {
            el.set_text_content(text);
        }
        Some(el)
    };

    let screen = element("section", "panic", None)?;
    screen.set_id(PANIC_SCREEN_ID);
    let _ = screen.set_attribute("role", "alert");
    let _ = screen.set_attribute("aria-labelledby", "quire-panic-title");
    let _ = screen.set_attribute("tabindex", "-1");
    let title = element("h2", "panic__title", Some("Something went wrong"))?;
    title.set_id("quire-panic-title");
    let sentence = element(
        "p",
        "panic__text",
        Some("This page ran into an error and stopped working; reload it to start again."),
    )?;
    // The address without its fragment: a link to the same address with a `#…` would only
    // scroll, not load the page again.
    let location = window.location();
    let here = format!("{}{}", location.pathname().ok()?, location.search().unwrap_or_default());
    let actions = element("p", "panic__actions", None)?;
    let reload = element("a", "button panic__reload", Some("Reload the page"))?;
    let _ = reload.set_attribute("href", &here);
    let _ = actions.append_child(&reload);
    let more = element("details", "panic__details", None)?;
    let summary = element("summary", "", Some("Technical details"))?;
    let message = element("pre", "", Some(details))?;
    let _ = more.append_child(&summary);
    let _ = more.append_child(&message);
    for child in [&title, &sentence, &actions, &more] {
        let _ = screen.append_child(child);
    }
    let _ = body.prepend_with_node_1(&screen);

    // The router would handle these clicks by calling into the stopped app.
    if let Ok(links) = document.query_selector_all("a[href]:not([target])") {
        for i in 0..links.length() {
            if let Some(link) = links.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = link.set_attribute("target", "_self");
            }
        }
    }
    // The banner sticks to the top of the window: focus it where the reader is.
    if let Ok(screen) = screen.dyn_into::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = screen.focus_with_options(&options);
    }
    Some(())
}

/// Panics on purpose, for the browser tests (`tests/e2e/panic.test.mjs`), which check the
/// banner on the very build that ships. Nothing in the page calls it: it is reachable only
/// from script, as `window.wasmBindings.quirePanicForTests()` (Trunk's loader exposes the
/// module's exports there), which no link, address or input of the site leads to.
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = quirePanicForTests)]
#[allow(clippy::panic, reason = "the one deliberate panic: what the panic screen's test triggers")]
pub fn panic_for_tests() {
    panic!("quirePanicForTests() was called: a deliberate panic for the browser tests");
}
