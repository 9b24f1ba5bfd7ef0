// Shared helpers for the browser tests: a static host on loopback and headless Chromium.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { readFile, stat, mkdir } from "node:fs/promises";
import { join, extname, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
export const SHOTS = join(ROOT, "tests/e2e/screenshots");

export function distDir(envName, fallback) {
  return resolve(ROOT, process.env[envName] || fallback);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".yml": "text/yaml",
  ".txt": "text/plain",
  ".xml": "text/xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/**
 * `_headers` (Netlify / Cloudflare Pages syntax) as { path: { header: value } }, header names
 * in lower case, rules in file order. A Cloudflare detach line (`! Name`) is kept as
 * `"! name": true`. Throws on a line that is neither a path, a `Name: value` line, a detach
 * line nor a comment.
 */
export function parseHeadersFile(text) {
  const rules = {};
  let current = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (!/^\s/.test(raw)) {
      if (!line.startsWith("/")) throw new Error(`_headers: a path must start with /: ${raw}`);
      current = rules[line] = {};
      continue;
    }
    if (!current) throw new Error(`_headers: header before any path: ${raw}`);
    const detach = /^!\s*([A-Za-z0-9-]+)$/.exec(line);
    if (detach) {
      current[`! ${detach[1].toLowerCase()}`] = true;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`_headers: not a header: ${raw}`);
    current[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return rules;
}

/**
 * The headers `rules` (from parseHeadersFile) give `path`, as Cloudflare Pages applies them:
 * every rule whose path matches (`*` matches anything, `:name` one segment), in file order;
 * a header set by several is joined with ", " unless a later rule detaches it (`! Name`).
 * Netlify serves the last matching value instead; quire's rules give the same result on both.
 */
export function headersForPath(rules, path) {
  const headers = {};
  for (const [pattern, values] of Object.entries(rules)) {
    const source = pattern
      .split(/(\*|:[A-Za-z0-9_]+)/)
      .map((part) => (part === "*" ? ".*" : part.startsWith(":") ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    if (!new RegExp(`^${source}$`).test(path)) continue;
    for (const key of Object.keys(values)) if (key.startsWith("! ")) delete headers[key.slice(2)];
    for (const [key, value] of Object.entries(values)) {
      if (key.startsWith("! ")) continue;
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
  }
  return headers;
}

/** The rules of `<dir>/_headers`, {} without one. */
function headerRules(dir) {
  const file = join(dir, "_headers");
  return existsSync(file) ? parseHeadersFile(readFileSync(file, "utf8")) : {};
}

/**
 * Serves `dir` on 127.0.0.1 like a static CDN: a path is a file, or a folder's index.html
 * (every route is a prerendered file); anything else gets 404.html with status 404, as on
 * GitHub Pages, an S3 error document or Netlify. Every response carries the headers
 * `<dir>/_headers` gives its path (headersForPath), so pages run under the site's real
 * Content-Security-Policy (and /admin/ under its own).
 * `prefix` mounts the site under a sub-path, as GitHub Pages does for a project site.
 */
export async function serveStatic(dir, { prefix = "" } = {}) {
  const requests = [];
  const rules = headerRules(dir);
  const send = (res, path, status, type, body) => {
    res.writeHead(status, { ...headersForPath(rules, path), ...(type && { "content-type": type }) });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    requests.push(url.pathname);
    if (!url.pathname.startsWith(prefix + "/")) {
      send(res, url.pathname, 404, "text/plain", "outside the site");
      return;
    }
    let path;
    try {
      path = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      send(res, url.pathname, 400, "text/plain", "bad request");
      return;
    }
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      send(res, url.pathname, 403, "text/plain", "forbidden");
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      send(res, url.pathname, 200, TYPES[extname(file)] || "application/octet-stream", body);
    } catch {
      send(res, url.pathname, 404, TYPES[".html"], await readFile(join(dir, "404.html")));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch({ args = [] } = {}) {
  // Playwright gives every launch a fresh temporary profile (--user-data-dir) of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-sync", "--disable-background-networking", "--disable-component-update",
      ...args,
    ],
  });
  return browser;
}

/**
 * Runs in every document before its own scripts: reports Content-Security-Policy violations
 * to the test, notes when the app has started (Trunk's loader dispatches
 * `TrunkApplicationStarted` once the wasm's start function, the take-over, has run), and
 * keeps the prerendered route root as parsed, before any script ran.
 */
function watchDocument() {
  const quire = (window.__quire = { started: false, violations: [], prerenderedRoute: null });
  document.addEventListener("securitypolicyviolation", (e) => {
    const what = `${e.effectiveDirective} blocked ${e.blockedURI || "?"} (${e.sourceFile || "?"}:${e.lineNumber}) ${e.sample}`;
    quire.violations.push(what);
    window.__quireProblem?.(`csp: ${what}`);
  }, true);
  addEventListener("TrunkApplicationStarted", () => (quire.started = true));
  // "interactive": the whole body is parsed and no deferred or module script has run yet.
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "interactive") quire.prerenderedRoute = document.querySelector(".route");
  });
}

/**
 * A new page that records console errors, Content-Security-Policy violations, uncaught
 * exceptions, failed requests and dialogs (alert etc.) in `page.problems`.
 */
export async function newPage(browser, options = {}) {
  // The site's service worker (offline reading) is blocked unless a test allows it
  // (`serviceWorkers: "allow"`, offline.test.mjs): page.route() does not see the requests a
  // worker answers, and its caches would make a test depend on the pages loaded before it.
  const context = await browser.newContext({ serviceWorkers: "block", ...options });
  const page = await context.newPage();
  page.problems = [];
  await context.exposeBinding("__quireProblem", (_source, text) => page.problems.push(String(text)));
  await context.addInitScript(watchDocument);
  page.on("console", (msg) => {
    const text = msg.text();
    // Failed requests are recorded with their URL below instead.
    if (msg.type() === "error" && !text.startsWith("Failed to load resource")) page.problems.push(`console: ${text}`);
    else if (text.includes("Content Security Policy")) page.problems.push(`console ${msg.type()}: ${text}`);
  });
  const where = (url) => {
    const u = new URL(url);
    // Requests to the site by path; anything elsewhere (a post's external image) in full.
    return ["127.0.0.1", "localhost"].includes(u.hostname) ? u.pathname : u.href;
  };
  page.on("response", (response) => {
    // Unknown paths are answered by 404.html with status 404 by design (the 404 page). Any
    // other failed request is a problem.
    const isDocument = response.request().resourceType() === "document";
    if (response.status() >= 400 && !(isDocument && response.status() === 404)) {
      page.problems.push(`http ${response.status()}: ${where(response.url())}`);
    }
  });
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText;
    // Leaving a page cancels what is still downloading (e.g. the unread body of a 404).
    if (error === "net::ERR_ABORTED") return;
    // With JavaScript off, Chromium refuses the scripts a page preloads and reports "csp"
    // (the browser's setting, not the site's policy, which would be reported above).
    if (options.javaScriptEnabled === false && error === "csp" && request.resourceType() === "script") return;
    page.problems.push(`failed: ${where(request.url())} ${error}`);
  });
  page.on("pageerror", (err) => page.problems.push(`exception: ${err.message}`));
  page.on("dialog", async (dialog) => {
    page.problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return page;
}

/**
 * Goes back one history entry to another document without waiting for a navigation event:
 * Chromium may restore that document from its back/forward cache, which fires no load event
 * (Playwright's `goBack` then waits for one; microsoft/playwright-mcp#1635). The caller waits
 * for what the page must show, and reads the address from the page.
 */
export async function backToOtherDocument(page) {
  // After this evaluation has returned: the navigation would otherwise destroy its context.
  await page.evaluate(() => setTimeout(() => history.back()));
}

/**
 * Waits until the app has taken the page over: Trunk's `TrunkApplicationStarted` has fired
 * and the prerendered route root has been replaced by the app's own.
 */
export async function appStarted(page, { timeout } = {}) {
  await page.waitForFunction(
    () => {
      const quire = window.__quire;
      const route = document.querySelector(".route");
      return quire?.started && route && route !== quire.prerenderedRoute;
    },
    null,
    { timeout },
  );
}

/** Recorded problems, except those containing one of the `allowed` strings. */
export function unexpectedProblems(page, allowed = []) {
  return page.problems.filter((p) => !allowed.some((a) => p.includes(a)));
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Head tags as the browser sees them: title, canonical, every meta by name or property
 * (description, robots, og:*, twitter:*; each a list of contents), the JSON-LD scripts' text
 * and the feed links.
 */
export async function headTags(page) {
  return page.evaluate(() => {
    const all = (sel) => [...document.head.querySelectorAll(sel)];
    const meta = {};
    for (const m of all("meta[name], meta[property]")) {
      const key = m.getAttribute("name") || m.getAttribute("property");
      (meta[key] ||= []).push(m.getAttribute("content"));
    }
    return {
      title: document.title,
      titles: all("title").length,
      canonical: all('link[rel="canonical"]').map((l) => l.getAttribute("href")),
      meta,
      ldJson: all('script[type="application/ld+json"]').map((s) => s.textContent),
      feeds: all('link[rel="alternate"]').map((l) => ({ type: l.getAttribute("type"), href: l.getAttribute("href") })),
    };
  });
}

/** In a page: notes whether a loading view (`.status--loading`) was ever in the document. */
function noteLoadingViews() {
  const seen = (window.__seen = { loading: false });
  new MutationObserver(() => (seen.loading ||= !!document.querySelector(".status--loading"))).observe(document, { childList: true, subtree: true });
}

/** Watches `page` for a loading view, however short, from now on (with `fromStart`, from
 * before the scripts of the page it loads next); resolves to a function that tells whether
 * one was shown. */
export async function watchLoadingViews(page, { fromStart = false } = {}) {
  if (fromStart) await page.addInitScript(noteLoadingViews);
  else await page.evaluate(noteLoadingViews);
  return () => page.evaluate(() => window.__seen.loading);
}

/** Resolves after the prefetcher's dwell (300 ms) and the idle callback that follows it
 * (which the app gives a 1 s timeout: Chromium may not go idle while the pointer rests on
 * the page). */
export const dwellAndIdle = (page) =>
  page.evaluate(() => new Promise((ok) => setTimeout(() => requestIdleCallback(() => requestIdleCallback(ok, { timeout: 1500 }), { timeout: 1500 }), 400)));

/** The paths of the requests the page makes from now on for which `wanted(path)` holds, in
 * order (the array fills as they are made). */
export function requestedPaths(page, wanted) {
  const seen = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (wanted(path)) seen.push(path);
  });
  return seen;
}

/** Init script: the reader turned on Save-Data, so the app prefetches nothing (src/prefetch.rs).
 * `page.context().addInitScript(saveData)`; the bench uses it too. */
export function saveData() {
  Object.defineProperty(Navigator.prototype, "connection", { configurable: true, get: () => ({ saveData: true, effectiveType: "4g" }) });
}
