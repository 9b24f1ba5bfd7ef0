// quire's /admin/ page: Decap CMS (the npm package's own bundle, served from this folder, never
// from a CDN) with quire's renderer in the preview pane of the posts collection.
//
// `quire-compiler finalize` copies this file into dist/admin/ when the content has a CMS
// configuration, beside decap-cms.js, the site's config.yml and the preview module
// (quire_preview.js + quire_preview_bg.wasm, built from crates/preview). admin/index.html
// carries the settings as JSON (#quire-admin): the site's public URL, the posts collection,
// the site's stylesheet, the widgets the configuration names, the blog's categories and
// authors.
//
// The preview shows what the published post page shows, in the same markup and with the
// site's own stylesheet: the body is quire's renderer output byte for byte (the same Rust
// code as the app, compiled to WebAssembly), so what a writer previews is what readers get.

import init, { Preview } from "./quire_preview.js";

const settings = JSON.parse(document.getElementById("quire-admin").textContent);

/** Runs a classic script (Decap's bundle needs `document.currentScript` to find its chunks). */
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

function showFailure(message) {
  const p = document.createElement("p");
  p.setAttribute("role", "alert");
  p.textContent = message;
  document.body.replaceChildren(p);
}

// Decap initialises itself when its script runs unless told not to: quire first registers
// its preview and widgets, then starts it with CMS.init().
window.CMS_MANUAL_INIT = true;
const [renderer, cms] = await Promise.allSettled([
  init().then(() => new Preview(JSON.stringify(settings.preview))),
  loadScript(new URL("decap-cms.js", import.meta.url).href),
]);

if (cms.status === "rejected") {
  showFailure(`The editor could not start: ${cms.reason.message}.`);
} else {
  const CMS = window.CMS;
  if (renderer.status === "rejected") console.error("quire: the preview could not load:", renderer.reason);
  const preview = renderer.status === "fulfilled" ? renderer.value : null;
  registerUnknownWidgets(CMS);
  CMS.registerPreviewStyle(settings.stylesheet);
  CMS.registerPreviewTemplate(settings.collection, postPreview(preview, renderer.reason));
  // No configuration passed here: with one, Decap would ignore a config.yml that a host
  // serves without a YAML content type.
  CMS.init();
}

/** Plain JavaScript from one of Decap's Immutable values (or a plain value). */
function plain(value) {
  return value && typeof value.toJS === "function" ? value.toJS() : value;
}

/**
 * The preview pane of the posts collection: the post page's `<article>` inside the page's
 * own `<main class="page">` and route root, so style/main.css applies as on the site.
 */
function postPreview(preview, failure) {
  return window.createClass({
    render() {
      const h = window.h;
      if (!preview) {
        return h("p", null, `quire's preview could not load (${failure?.message ?? failure}); the post itself is unaffected.`);
      }
      const entry = plain(this.props.entry.get("data")) ?? {};
      const html = preview.article(JSON.stringify(entry));
      return h(
        "main",
        { className: "page" },
        h("div", {
          className: "route",
          "data-route": "post",
          dangerouslySetInnerHTML: { __html: html },
          // The exact string, for the browser test's byte-for-byte comparison.
          ref: (element) => element && (element.quireHtml = html),
        }),
      );
    },
  });
}

/**
 * Widgets a site wrote for its own CMS build (openinfra.dev's `ncw-id`,
 * `ncw-file-relation`) are not in Decap's bundle; without a control the editor would show
 * "No control for widget" and could not save those fields. quire registers one control for
 * each of them:
 * - the posts' `category` field: the blog's categories (blog-config.json) as checkboxes,
 *   stored as the `{value, label}` list quire and openinfra.dev read;
 * - a field holding text or nothing: a text box (Decap's own string control);
 * - anything else (a list, an object): shown read-only and kept unchanged.
 */
function registerUnknownWidgets(CMS) {
  const string = CMS.getWidget("string");
  const h = window.h;
  for (const name of settings.widgets) {
    if (CMS.getWidget(name)) continue;
    const control = window.createClass({
      render() {
        const { value, field, entry } = this.props;
        const isCategory =
          field?.get("name") === settings.categoryField && entry?.get("collection") === settings.collection;
        if (isCategory) return h(CategoryControl, this.props);
        const v = plain(value);
        if (v === undefined || v === null || ["string", "number", "boolean"].includes(typeof v)) {
          return h(string.control, { ...this.props, value: v === undefined || v === null ? "" : String(v) });
        }
        return h(
          "div",
          { className: this.props.classNameWrapper, id: this.props.forID },
          h("p", null, `Edited with the site's own “${name}” widget, which this editor does not have; kept as it is:`),
          h("pre", null, JSON.stringify(v, null, 2)),
        );
      },
    });
    const preview = window.createClass({
      render() {
        const v = plain(this.props.value);
        return h("div", null, typeof v === "string" ? v : JSON.stringify(v ?? ""));
      },
    });
    CMS.registerWidget(name, control, preview);
  }
}

/** The blog's categories as checkboxes; ids the blog does not know stay, ticked. */
function CategoryControl({ value, onChange, forID, classNameWrapper, setActiveStyle, setInactiveStyle }) {
  const h = window.h;
  const text = (v) => (v === undefined || v === null ? "" : String(v));
  const chosen = (plain(value) ?? []).map((c) =>
    typeof c === "object" && c !== null
      ? { value: text(c.value ?? c.label), label: text(c.label ?? c.value) }
      : { value: text(c), label: text(c) },
  );
  const known = settings.preview.categories.map((c) => ({ value: c.id, label: c.label }));
  const options = [...known, ...chosen.filter((c) => !known.some((k) => k.value === c.value))];
  const toggle = (option, on) => {
    const ticked = (o) => (o.value === option.value ? on : chosen.some((c) => c.value === o.value));
    // In the blog's order, as {value, label} pairs.
    onChange(options.filter(ticked).map((o) => ({ value: o.value, label: o.label })));
  };
  return h(
    "div",
    { className: classNameWrapper, id: forID, role: "group", onFocus: setActiveStyle, onBlur: setInactiveStyle },
    options.map((option) =>
      h(
        "label",
        { key: option.value, style: { display: "block" } },
        h("input", {
          type: "checkbox",
          checked: chosen.some((c) => c.value === option.value),
          onChange: (e) => toggle(option, e.target.checked),
        }),
        ` ${option.label}`,
      ),
    ),
  );
}
