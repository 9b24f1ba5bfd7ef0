// deploy/nginx.conf, included unchanged in a server block of nginx's own, against a small
// fake dist/ laid out as the prerendering build writes it: routes, 404s, MIME types, caching,
// compression and the security headers (which must match public/_headers).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile, readFile, rm } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { parseHeadersFile } from "./support.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const HASH = "0123456789abcdef";

// scripts/test installs nginx (scripts/setup --test); outside CI a missing nginx skips.
const skip = !nginxBinary() && process.env.CI !== "true" && "nginx not installed (scripts/setup --test)";

const page = (title) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
// Big enough for gzip_min_length, and compressible.
const bigJs = `export function init() {}\n` + Array.from({ length: 400 }, (_, i) => `export const value${i} = "quire ${i}";\n`).join("");

const FILES = {
  "index.html": page("Home"),
  "404.html": page("Page not found"),
  "blog/a+b/index.html": page("A plus B"),
  "blog/café/index.html": page("Café"),
  [`quire-${HASH}_bg.wasm`]: Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
  [`quire-${HASH}.js`]: bigJs,
  [`quire-loader-${HASH}.js`]: `import init from "/quire-${HASH}.js";\ninit();\n`,
  [`main-${HASH}.css`]: "body { margin: 0 }\n",
  // The Markdown renderer's module (crates/render), written by the build beside Trunk's files.
  [`quire-render-${HASH}.js`]: bigJs,
  [`quire-render-${HASH}_bg.wasm`]: Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
  // The app's route chunks and their loader (crates/compiler/src/chunks.rs).
  [`quire-split-${HASH}.js`]: bigJs,
  [`quire-split-listing-${HASH}.wasm`]: Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
  "content/index.json": `{"version":1,"posts":[]}\n`,
  "content/posts/a~2Bb.json": `{"version":1}\n`,
  "sitemap.xml": `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n`,
  "robots.txt": "User-agent: *\nAllow: /\n",
  ".nojekyll": "",
};

let dist, nginx, headersFile;

before(async () => {
  headersFile = parseHeadersFile(await readFile(join(ROOT, "public/_headers"), "utf8"));
  if (skip) return;
  dist = await mkdtemp(join(tmpdir(), "quire-nginx-dist-"));
  for (const [name, body] of Object.entries(FILES)) {
    await mkdir(dirname(join(dist, name)), { recursive: true });
    await writeFile(join(dist, name), body);
  }
  nginx = await startNginx(dist);
});
after(async () => {
  await nginx?.stop();
  if (dist) await rm(dist, { recursive: true, force: true });
});

const get = (path, init = {}) => fetch(nginx.url + path, { redirect: "manual", ...init });

test("_headers sets the security headers once, for every path", () => {
  const all = headersFile["/*"];
  assert.ok(all, "a /* rule");
  assert.match(all["content-security-policy"], /^default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/]+=' 'wasm-unsafe-eval';/);
  assert.equal(all["x-content-type-options"], "nosniff");
  assert.equal(all["referrer-policy"], "strict-origin-when-cross-origin");
  for (const [path, headers] of Object.entries(headersFile)) {
    if (path === "/*") continue;
    assert.deepEqual(Object.keys(headers), ["cache-control"], `${path} sets only Cache-Control`);
  }
  assert.equal(headersFile[`/quire-*`]["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(headersFile[`/main-*`]["cache-control"], "public, max-age=31536000, immutable");
  for (const path of ["/", "/blog/*", "/content/*", "/404.html"]) assert.equal(headersFile[path]["cache-control"], "no-cache");
});

// The one inline script (the colour theme, index.html) runs only while the policy names its
// hash: the frame's and the built pages' inline scripts hash to exactly what it allows.
test("the policy allows the pages' inline script by its hash, and nothing else inline", () => {
  const allowed = [...headersFile["/*"]["content-security-policy"].matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
  const pages = ["index.html", "dist/index.html", "dist/blog/hello-quire/index.html", "dist/404.html"];
  const built = pages.filter((p) => existsSync(join(ROOT, p)));
  if (process.env.CI === "true") assert.deepEqual(built, pages, "scripts/test builds dist/ first");
  for (const path of built) {
    const html = readFileSync(join(ROOT, path), "utf8");
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)];
    const hashes = inline.map((m) => createHash("sha256").update(m[1]).digest("base64"));
    assert.deepEqual(hashes, allowed, `${path}: its inline scripts are the ones the policy allows`);
  }
});

test("every route answers with its prerendered file, without redirects", { skip }, async () => {
  for (const [path, title] of [
    ["/", "Home"],
    ["/index.html", "Home"],
    ["/blog/a+b", "A plus B"],
    ["/blog/a+b/", "A plus B"],
    ["/blog/a%2Bb", "A plus B"],
    ["/blog/caf%C3%A9", "Café"],
    ["/blog/caf%C3%A9/", "Café"],
  ]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8", path);
    assert.equal(await res.text(), page(title), path);
  }
});

test("unknown paths get status 404 and the body of 404.html", { skip }, async () => {
  for (const path of ["/nope", "/blog/nope", "/blog/nope/", "/blog", "/blog/", "/content/", "/.nojekyll", `/quire-${HASH}0.js`]) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8", path);
    assert.equal(await res.text(), page("Page not found"), path);
    assert.equal(res.headers.get("cache-control"), "no-cache", path);
  }
});

test("content types", { skip }, async () => {
  for (const [path, type] of [
    [`/quire-${HASH}_bg.wasm`, /^application\/wasm$/],
    [`/quire-split-listing-${HASH}.wasm`, /^application\/wasm$/],
    // Debian's mime.types (nginx 1.22) says application/javascript, newer nginx text/javascript.
    [`/quire-${HASH}.js`, /^(application|text)\/javascript; charset=utf-8$/],
    [`/main-${HASH}.css`, /^text\/css; charset=utf-8$/],
    ["/content/index.json", /^application\/json; charset=utf-8$/],
    ["/sitemap.xml", /^text\/xml; charset=utf-8$/],
    ["/robots.txt", /^text\/plain; charset=utf-8$/],
  ]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-type"), type, path);
    await res.arrayBuffer();
  }
  const wasm = await get(`/quire-${HASH}_bg.wasm`);
  assert.deepEqual(Buffer.from(await wasm.arrayBuffer()), FILES[`quire-${HASH}_bg.wasm`]);
});

test("hashed assets are immutable; pages, JSON, XML and text revalidate", { skip }, async () => {
  for (const name of [`quire-${HASH}_bg.wasm`, `quire-${HASH}.js`, `quire-loader-${HASH}.js`, `main-${HASH}.css`, `quire-render-${HASH}.js`, `quire-render-${HASH}_bg.wasm`, `quire-split-${HASH}.js`, `quire-split-listing-${HASH}.wasm`]) {
    const res = await get("/" + name);
    assert.equal(res.status, 200, name);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable", name);
    await res.arrayBuffer();
  }
  for (const path of ["/", "/blog/a+b", "/blog/a+b/", "/404.html", "/content/index.json", "/content/posts/a~2Bb.json", "/sitemap.xml", "/robots.txt"]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("cache-control"), "no-cache", path);
    assert.ok(res.headers.get("etag") || res.headers.get("last-modified"), `${path} can be revalidated`);
    await res.arrayBuffer();
  }
});

test("security headers match public/_headers on every response, 404s included", { skip }, async () => {
  const expected = headersFile["/*"];
  for (const path of ["/", "/blog/a+b", "/nope", "/blog/nope", "/.nojekyll", `/quire-${HASH}_bg.wasm`, `/quire-${HASH}.js`, `/main-${HASH}.css`, "/content/index.json", "/sitemap.xml"]) {
    const res = await get(path);
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(res.headers.get(name), value, `${name} on ${path} (${res.status})`);
    }
    await res.arrayBuffer();
  }
});

/** A raw GET (fetch would decode the body): status, headers and the bytes as sent. */
function rawGet(path, headers) {
  return new Promise((ok, fail) => {
    request(nginx.url + path, { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", fail);
    }).on("error", fail).end();
  });
}

test("text assets are gzipped for clients that accept it", { skip }, async () => {
  const path = `/quire-${HASH}.js`;
  const zipped = await rawGet(path, { "accept-encoding": "gzip" });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers["content-encoding"], "gzip");
  assert.match(zipped.headers["vary"] || "", /accept-encoding/i);
  assert.ok(zipped.body.length < bigJs.length / 2, `${zipped.body.length} bytes gzipped of ${bigJs.length}`);
  assert.equal(gunzipSync(zipped.body).toString(), bigJs);
  assert.equal(zipped.headers["cache-control"], "public, max-age=31536000, immutable");

  const plain = await rawGet(path, {});
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.equal(plain.body.toString(), bigJs);
});
