// Item 4: Markdown in the browser. quire's renderer as the app ships it (the site's own renderer
// module, crates/render, with the app's JSON reader and copies around it from bench/renderer,
// built with the app's release profile and wasm-opt settings) against marked, marked + DOMPurify
// and markdown-it, in one headless Chromium page, on the same inputs.
import { createServer } from "node:http";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { ROOT, WORK, median, quartiles, run, table, ratio } from "./lib.mjs";
import { readTemplates, defaultTemplates } from "./gen-corpus.mjs";

const PKG = join(WORK, "renderer-pkg");

/** `[profile.release]` of the app's Cargo.toml, with its per-package overrides
 * (`[profile.release.package.NAME]`), as cargo --config flags. */
function appProfile() {
  const toml = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
  const sections = /^\[(profile\.release(?:\.package\.[A-Za-z0-9_-]+)?)\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/gm;
  return [...toml.matchAll(sections)].flatMap(([, table, body]) =>
    body
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter((l) => /^[a-z-]+\s*=/.test(l))
      .flatMap((l) => ["--config", `${table}.${l.replace(/\s*=\s*/, "=")}`]),
  );
}

/** index.html's wasm-opt level and parameters, as Trunk passes them. */
function appWasmOpt() {
  const html = readFileSync(join(ROOT, "index.html"), "utf8");
  const level = /data-wasm-opt="([^"]*)"/.exec(html)?.[1];
  const params = /data-wasm-opt-params="([^"]*)"/.exec(html)?.[1] ?? "";
  if (!level || level === "0") return null;
  return [`-O${level}`, ...params.split(/\s+/).filter(Boolean)];
}

export function buildRenderer() {
  const target = join(WORK, "renderer-target");
  // QUIRE_RENDERER_CONFIG="profile.release.package.quire-core.opt-level=3 …": a profile to try
  // before it goes into Cargo.toml (added after the app's, so it wins).
  const extra = (process.env.QUIRE_RENDERER_CONFIG ?? "").split(/\s+/).filter(Boolean).flatMap((c) => ["--config", c]);
  run("cargo", ["build", "--quiet", "--release", "--target", "wasm32-unknown-unknown",
    "--manifest-path", "bench/renderer/Cargo.toml", "--target-dir", target, ...appProfile(), ...extra]);
  const wasm = join(target, "wasm32-unknown-unknown/release/quire_bench_renderer.wasm");
  run("wasm-bindgen", ["--target", "web", "--out-dir", PKG, wasm]);
  const opt = appWasmOpt();
  const bg = join(PKG, "quire_bench_renderer_bg.wasm");
  if (opt) run("wasm-opt", [...opt, "-o", bg, bg]);
  return { wasmBytes: readFileSync(bg).length, profile: [...appProfile(), ...extra].filter((_, i) => i % 2).join(" "), opt: opt?.[0] };
}

/** The input sets: every post JSON of the site; the same without the ones holding a data: image over 100 KB; one generated post of 1 MiB. */
export function inputSets(dist, { smoke = false } = {}) {
  const dir = join(dist, "content/posts");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => join(dir, f));
  const heavy = files.filter((f) => /data:image\/[a-z]+;base64,[A-Za-z0-9+/=]{100000}/.test(readFileSync(f, "utf8")));
  mkdirSync(join(WORK, "markdown"), { recursive: true });
  const big = join(WORK, "markdown", "generated-1mb.json");
  const target = smoke ? 64 * 1024 : 1024 * 1024;
  const bodies = readTemplates(defaultTemplates()).map((t) => t.body);
  let body = "";
  for (let i = 0; body.length < target; i++) body += `${bodies[i % bodies.length]}\n\n`;
  // A post file: its JSON line, then the Markdown (quire_core::model::write_post_file).
  const first = readFileSync(files[0], "utf8");
  writeFileSync(big, `${first.slice(0, first.indexOf("\n"))}\n${body}`);
  const sets = { [`all ${files.length} posts`]: files };
  if (heavy.length) sets[`${files.length - heavy.length} posts (without ${heavy.length === 1 ? "the one" : heavy.length} with an inline image > 100 KB)`] = files.filter((f) => !heavy.includes(f));
  sets[`one generated post of ${smoke ? "64 KB" : "1 MB"}`] = [big];
  return sets;
}

const LIBS = {
  "/lib/marked.esm.js": "node_modules/marked/lib/marked.esm.js",
  "/lib/purify.es.mjs": "node_modules/dompurify/dist/purify.es.mjs",
  "/lib/markdown-it.esm.min.mjs": "node_modules/markdown-it/dist/browser/markdown-it.esm.min.mjs",
};
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** The renderer module's base name in `dir` (`quire-render-<hash>`). */
function rendererIn(dir) {
  const js = readdirSync(dir).find((f) => /^quire-render-[0-9a-f]+\.js$/.test(f));
  if (!js) throw new Error(`${dir} has no quire-render-<hash>.js (a site built before the renderer module, or with QUIRE_RENDERER=off)`);
  return js.replace(/\.js$/, "");
}

function serve(inputs, dist, alt) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    let file = null;
    if (/^\/site\/quire-render-[0-9a-f]+(\.js|_bg\.wasm)$/.test(path)) file = join(dist, path.slice(6));
    const other = /^\/alt\/(\d+)\/(quire-render-[0-9a-f]+(\.js|_bg\.wasm))$/.exec(path);
    if (other && alt[Number(other[1])]) file = join(alt[Number(other[1])], other[2]);
    if (path === "/" || path === "/bench.mjs") file = join(ROOT, "bench/renderer/page", path === "/" ? "index.html" : "bench.mjs");
    else if (path.startsWith("/pkg/")) file = join(PKG, path.slice(5).replace(/[/\\]/g, ""));
    else if (LIBS[path]) file = join(ROOT, LIBS[path]);
    else if (path.startsWith("/input/")) file = inputs[Number(path.slice(7))];
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

export async function measureMarkdown(browser, dist, { runs, smoke, alt = [] }) {
  const built = buildRenderer();
  const sets = inputSets(dist, { smoke });
  const inputs = Object.values(sets).flat();
  // The renderer module the site ships (crates/render), loaded by the page beside the bench's.
  const shipped = rendererIn(dist);
  // Renderer modules built some other way (--alt-renderer), on the app's path beside it.
  const alts = alt.map((dir, i) => {
    const name = rendererIn(dir);
    return { url: `/alt/${i}/${name}`, label: relative(ROOT, dir) || dir, wasm: join(dir, `${name}_bg.wasm`) };
  });
  const server = await serve(inputs, dist, alt);
  const context = await browser.newContext();
  const tables = [];
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const forPage = alts.map(({ url, label }) => ({ url, label }));
    await page.goto(`${server.url}/?renderer=${shipped}&alt=${encodeURIComponent(JSON.stringify(forPage))}`);
    await page.waitForFunction(() => window.bench || document.getElementById("status").textContent !== "loading", null, { timeout: 30_000 });
    if (errors.length || !(await page.evaluate(() => !!window.bench))) throw new Error(`renderer page failed: ${errors.join("; ")}`);
    const variants = await page.evaluate(() => window.bench.variants);
    for (const [name, files] of Object.entries(sets)) {
      const urls = files.map((f) => `/input/${inputs.indexOf(f)}`);
      const { markdownBytes } = await page.evaluate(([n, u]) => window.bench.load(n, u), [name, urls]);
      const times = Object.fromEntries(variants.map((v) => [v, []]));
      // Warm-up passes (JIT, wasm tiering), then `runs` rounds, variants in a rotated order.
      for (let round = -2; round < runs; round++) {
        const order = variants.map((_, i) => variants[(i + Math.max(round, 0)) % variants.length]);
        for (const v of order) {
          const t = await page.evaluate(([n, v]) => window.bench.run(n, v), [name, v]);
          if (round >= 0) times[v].push(t);
        }
      }
      const rows = variants.map((v) => {
        const m = median(times[v]);
        const [a, b] = quartiles(times[v]);
        // Paired within each round (marked ran next to it), which cancels slow phases of a busy machine.
        const paired = median(times[v].map((t, i) => times.marked[i] / t));
        return [v, `${m.toFixed(2)} ms (${a.toFixed(2)}–${b.toFixed(2)})`, (markdownBytes / 1e6 / (m / 1000)).toFixed(1), ratio(paired)];
      });
      tables.push({
        title: `${name}: ${files.length} file${files.length > 1 ? "s" : ""}, ${(markdownBytes / 1024).toFixed(0)} KB of Markdown`,
        text: table(["renderer", "one pass: median (IQR)", "MB/s of Markdown", "speed vs marked (median of per-round ratios)"], rows),
      });
    }
  } finally {
    await context.close();
    server.close();
  }
  return {
    title: `Markdown in the browser (headless Chromium, ${runs} rounds after 2 warm-up, renderers interleaved). Each pass starts from every post's file as fetched (bytes: its JSON line, then its Markdown) and ends with its HTML as a JavaScript string: reading the JSON is included for every renderer. quire: the site's renderer module (${shipped}.js, ${(statSync(join(dist, `${shipped}_bg.wasm`)).size / 1024).toFixed(0)} KB)${alts.map((a) => `; other renderer modules: ${a.label} (${(statSync(a.wasm).size / 1024).toFixed(0)} KB)`).join("")}; the bench's own module (the app's JSON reader, the one-module and plain pulldown-cmark rows) ${(built.wasmBytes / 1024).toFixed(0)} KB, built with the app's profile (${built.profile}) and wasm-opt ${built.opt}`,
    tables,
  };
}

/** The native render_bench example (quire's renderer vs plain pulldown-cmark, same inputs). */
export function nativeRender(content) {
  return run("cargo", ["run", "--quiet", "--release", "-p", "quire-core", "--features", "front-matter", "--example", "render_bench", "--", content]);
}
