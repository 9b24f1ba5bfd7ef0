// Shared helpers for the browser tests: a static host on loopback and headless Chromium.
import { createServer } from "node:http";
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
  ".txt": "text/plain",
};

/**
 * Serves `dir` on 127.0.0.1 like a static CDN. `fallback` chooses what a missing path gets:
 * "404" answers with 404.html and status 404 (GitHub Pages, S3 error document); "rewrite"
 * answers with index.html and status 200 (the `_redirects` rule of Netlify/Cloudflare Pages).
 * `prefix` mounts the site under a sub-path, as GitHub Pages does for a project site.
 */
export async function serveStatic(dir, { fallback = "404", prefix = "" } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    requests.push(url.pathname);
    if (!url.pathname.startsWith(prefix + "/")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("outside the site");
      return;
    }
    let path;
    try {
      path = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      const [name, status] = fallback === "rewrite" ? ["index.html", 200] : ["404.html", 404];
      const body = await readFile(join(dir, name));
      res.writeHead(status, { "content-type": TYPES[".html"] });
      res.end(body);
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  // Playwright gives every launch a fresh temporary profile (--user-data-dir) of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-sync", "--disable-background-networking", "--disable-component-update",
    ],
  });
  return browser;
}

/** A new page that records console errors, uncaught exceptions and dialogs (alert etc.). */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (msg) => {
    // Failed requests are recorded with their URL below instead.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) page.problems.push(`console: ${msg.text()}`);
  });
  page.on("response", (response) => {
    // A deep link on a GitHub-Pages-like host is answered by 404.html with status 404: the
    // app boots from it by design. Any other failed request is a problem.
    const isDocument = response.request().resourceType() === "document";
    if (response.status() >= 400 && !(isDocument && response.status() === 404)) {
      page.problems.push(`http ${response.status()}: ${new URL(response.url()).pathname}`);
    }
  });
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText;
    // Leaving a page cancels what is still downloading (e.g. the unread body of a 404).
    if (error === "net::ERR_ABORTED") return;
    page.problems.push(`failed: ${new URL(request.url()).pathname} ${error}`);
  });
  page.on("pageerror", (err) => page.problems.push(`exception: ${err.message}`));
  page.on("dialog", async (dialog) => {
    page.problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return page;
}

/** Recorded problems, except those containing one of the `allowed` strings. */
export function unexpectedProblems(page, allowed = []) {
  return page.problems.filter((p) => !allowed.some((a) => p.includes(a)));
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Head tags as the browser sees them: title, description, canonical, og:* and twitter:*. */
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
    };
  });
}
