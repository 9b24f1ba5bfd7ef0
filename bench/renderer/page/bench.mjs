// The renderers compared by `bench/run markdown`, on the same inputs: each post's file as the
// server sends it (bytes), ending with the post's HTML as a JavaScript string.
import init, { render_as_app, render_post_bytes, render_post_text, plain_post_text, plain_markdown, render_markdown } from "/pkg/quire_bench_renderer.js";
import { marked } from "/lib/marked.esm.js";
import DOMPurify from "/lib/purify.es.mjs";
import markdownit from "/lib/markdown-it.esm.min.mjs";

await init({ module_or_path: "/pkg/quire_bench_renderer_bg.wasm" });
// The renderer module the site ships (crates/render), as its loader names it.
const shipped = new URL(location.href).searchParams.get("renderer");
const renderer = await import(`/site/${shipped}.js`);
await renderer.default({ module_or_path: `/site/${shipped}_bg.wasm` });
// Renderer modules built some other way (`bench/run markdown --alt-renderer DIR`).
const alts = [];
for (const { url, label } of JSON.parse(new URL(location.href).searchParams.get("alt") ?? "[]")) {
  const module = await import(`${url}.js`);
  await module.default({ module_or_path: `${url}_bg.wasm` });
  alts.push({ label, module });
}
const decoder = new TextDecoder();
const encoder = new TextEncoder();
// A post file is its JSON line, then its Markdown (quire_core::model::write_post_file): each
// JavaScript renderer reads the JSON too, as the app does.
const body = (bytes) => {
  const text = decoder.decode(bytes);
  const end = text.indexOf("\n");
  JSON.parse(text.slice(0, end));
  return text.slice(end + 1);
};
// Raw HTML on (as in marked and quire), smart punctuation as in quire.
const md = markdownit({ html: true, typographer: true });

const variants = {
  // src/api.rs: the response's bytes copied into the app's wasm, quire_core::json, the Markdown
  // into the renderer module (crates/render) as bytes, its headings back into the app's wasm,
  // the HTML a JavaScript string from the renderer module.
  "quire, as the app ships it (app wasm → renderer module → app wasm)": (bytes) => render_as_app(bytes, renderer.render),
  ...Object.fromEntries(alts.map(({ label, module }) => [`… the same with ${label}'s renderer module`, (bytes) => render_as_app(bytes, module.render)])),
  // The same in one wasm module (bytes in, HTML out): the app before the renderer was split out.
  "quire in one module (bytes → wasm)": (bytes) => render_post_bytes(bytes),
  "quire, from a JS string (response.text())": (bytes) => render_post_text(decoder.decode(bytes)),
  "plain pulldown-cmark in wasm (no sanitising)": (bytes) => plain_post_text(decoder.decode(bytes)),
  marked: (bytes) => marked.parse(body(bytes)),
  "marked + DOMPurify": (bytes) => DOMPurify.sanitize(marked.parse(body(bytes))),
  "markdown-it": (bytes) => md.render(body(bytes)),
};
// The Markdown alone, as UTF-8 bytes read out of the JSON beforehand (not timed): no JSON and
// no string conversion on the way in. What a renderer could reach at best.
const bytesOnly = {
  "the renderer module alone (Markdown's bytes in, no JSON; headings and HTML out)": (bytes) => renderer.render(bytes, "", false)[1],
  "plain pulldown-cmark in wasm, Markdown's bytes in (no JSON, no sanitising): the floor of a pulldown-cmark renderer": (bytes) => plain_markdown(bytes),
};
// The Markdown alone, for the cost of the boundary: string in, string out.
const bodyOnly = {
  "quire render_with only (Markdown string in)": (text) => render_markdown(text),
};

const sets = {};

window.bench = {
  variants: [...Object.keys(variants), ...Object.keys(bytesOnly), ...Object.keys(bodyOnly)],
  async load(name, urls) {
    const files = await Promise.all(urls.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
    const bodies = files.map(body);
    const encoded = bodies.map((b) => encoder.encode(b));
    sets[name] = { files, bodies, encoded, markdownBytes: encoded.reduce((n, b) => n + b.length, 0) };
    return { files: files.length, markdownBytes: sets[name].markdownBytes };
  },
  /** One pass of `variant` over set `name`: milliseconds. */
  run(name, variant) {
    const set = sets[name];
    let chars = 0;
    const start = performance.now();
    if (variant in variants) {
      const f = variants[variant];
      for (const bytes of set.files) chars += f(bytes).length;
    } else if (variant in bytesOnly) {
      const f = bytesOnly[variant];
      for (const bytes of set.encoded) chars += f(bytes).length;
    } else {
      const f = bodyOnly[variant];
      for (const text of set.bodies) chars += f(text).length;
    }
    const elapsed = performance.now() - start;
    if (!chars) throw new Error(`${variant} wrote nothing`);
    return elapsed;
  },
};
document.getElementById("status").textContent = "ready";
