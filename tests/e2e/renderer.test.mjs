// The Markdown renderer is a wasm module of its own (crates/render), which the app loads the
// first time it renders a post itself: a post read first (prerendered) never loads it, the
// first post the app renders loads it once, a post opens as its prerendered page when the
// module cannot load or the connection is 2g, and the module renders every corpus post as the
// prerendered page shows it. Against real builds served like a static host under the CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { launch, newPage, appStarted, distDir, serveStatic, unexpectedProblems, dwellAndIdle, requestedPaths, backToOtherDocument } from "./support.mjs";

const DIST = distDir("QUIRE_DIST", "dist");
const CORPUS_DIST = distDir("QUIRE_CORPUS_DIST", "dist-corpus");
const corpusSkip =
  existsSync(join(CORPUS_DIST, "content/posts")) || process.env.CI === "true" ? false : `${CORPUS_DIST} not built`;
let browser, server, corpus;

before(async () => {
  assert.ok(existsSync(join(DIST, "content/pages/home/1.json")), `${DIST} missing: build it (scripts/test)`);
  server = await serveStatic(DIST);
  if (!corpusSkip) corpus = await serveStatic(CORPUS_DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await corpus?.close();
});

/** The renderer's files the page requested, by path, in order. */
const rendererRequests = (page) => requestedPaths(page, (path) => path.startsWith("/quire-render-"));

/** The body of the post page at `path` as the build prerendered it, parsed by the browser. */
const prerenderedBody = (page, path) =>
  page.evaluate(async (path) => {
    const html = await (await fetch(path)).text();
    return new DOMParser().parseFromString(html, "text/html").querySelector(".post__body")?.innerHTML;
  }, path);

test("a post read first loads no renderer; the app loads it once, when it first renders a post", async () => {
  // A short window: no link to another post is on screen, so nothing is prefetched.
  const page = await newPage(browser, { viewport: { width: 900, height: 300 } });
  const requests = rendererRequests(page);
  await page.goto(server.url + "/");
  const posts = await page.locator(".post-card__title a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(posts.length >= 3, `${posts.length} posts listed`);
  await page.goto(server.url + posts[0]);
  await appStarted(page);
  await dwellAndIdle(page);
  assert.deepEqual(requests, [], "a prerendered post needs no renderer");
  const loader = await page.evaluate(() => globalThis.quireRenderer && [globalThis.quireRenderer.js, globalThis.quireRenderer.wasm]);
  assert.ok(loader?.every((p) => /^\/quire-render-[0-9a-f]{16}(\.js|_bg\.wasm)$/.test(p)), `the loader names ${loader}`);

  // In the app: to the listing (no renderer either), then a post, then another.
  await page.locator(".post__nav a").click();
  await page.locator(".post-card__title a").first().waitFor();
  assert.deepEqual(requests, []);
  for (const href of posts.slice(1, 3)) {
    const link = page.locator(`.post-card__title a[href="${href}"]`);
    const title = (await link.textContent()).trim();
    await link.scrollIntoViewIfNeeded();
    await link.click();
    await page.locator("h1.post__title", { hasText: title }).waitFor();
    // Less the empty comment Leptos leaves after the HTML it sets (a marker of its own).
    const shown = await page.locator(".post__body").evaluate((e) => e.innerHTML.replace(/<!---->$/, ""));
    assert.equal(shown, await prerenderedBody(page, href), `${href}: the app's body is the prerendered one`);
    await page.goBack();
    await page.locator(".post-card__title a").first().waitFor();
  }
  // Asked for at once (the loader's `load`), in either order.
  assert.deepEqual([...requests].sort(), [...loader].sort(), "the renderer's glue and wasm, once each");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("when the renderer's files do not load (a new deploy replaced them), a post opens as its prerendered page", async () => {
  const page = await newPage(browser, { viewport: { width: 900, height: 300 } });
  await page.route(/\/quire-render-/, (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "gone" }));
  await page.goto(server.url + "/");
  await appStarted(page);
  await page.evaluate(() => (window.__sameDocument = true));
  const link = page.locator(".post-card__title a").first();
  const href = await link.getAttribute("href");
  const title = (await link.textContent()).trim();
  await link.click();
  await page.waitForURL(server.url + href);
  await appStarted(page);
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, "a whole page load");
  const shown = await page.locator(".post__body").evaluate((e) => e.innerHTML.replace(/<!---->$/, ""));
  assert.equal(shown, await prerenderedBody(page, href));
  // Back goes to the listing: the page load replaced the entry the app had made.
  await backToOtherDocument(page);
  await page.locator(".post-card__title a").first().waitFor();
  assert.equal(await page.evaluate(() => location.pathname), "/");
  const problems = unexpectedProblems(page).filter((p) => !/^http 404: \/quire-render-/.test(p));
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("on a 2g connection, a post opens as its prerendered page instead of loading the renderer", async () => {
  const page = await newPage(browser, { viewport: { width: 900, height: 600 } });
  await page.context().addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "connection", { configurable: true, get: () => ({ saveData: false, effectiveType: "2g" }) }),
  );
  const renderer = rendererRequests(page);
  const json = requestedPaths(page, (path) => path.startsWith("/content/posts/"));
  await page.goto(server.url + "/");
  await appStarted(page);
  await page.evaluate(() => (window.__sameDocument = true));
  const link = page.locator(".post-card__title a").first();
  const [href, title] = [await link.getAttribute("href"), (await link.textContent()).trim()];
  await link.click();
  await page.waitForURL(server.url + href);
  await appStarted(page);
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, "a page load");
  assert.deepEqual(renderer, [], "no renderer");
  assert.deepEqual(json, [], "no post JSON");
  // Back goes to the listing, which the app shows again (its entry belonged to the document
  // the post's page replaced).
  await backToOtherDocument(page);
  await page.locator(".post-card__title a").first().waitFor();
  assert.equal(await page.evaluate(() => location.pathname), "/");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("the renderer module renders every corpus post as its prerendered page shows it", { skip: corpusSkip, timeout: 120_000 }, async () => {
  const page = await newPage(browser);
  await page.goto(corpus.url + "/");
  await appStarted(page);
  const files = readdirSync(join(CORPUS_DIST, "content/posts")).filter((f) => f.endsWith(".json")).sort();
  assert.ok(files.length >= 100, `${files.length} posts`);
  const differences = await page.evaluate(async (files) => {
    const module = await globalThis.quireRenderer.load("");
    // crates/render: [headings, html]; the headings as crates/core/src/markdown/packed.rs
    // packs them (lengths in UTF-8 bytes), as bytes that view the module's memory until its
    // next call.
    const unpack = ([headings, html]) => {
      const bytes = headings.slice();
      const decode = (from, to) => new TextDecoder().decode(bytes.subarray(from, to));
      let at = 0;
      const line = () => {
        const end = bytes.indexOf(10, at);
        const text = decode(at, end);
        at = end + 1;
        return text;
      };
      const toc = [];
      for (let n = Number(line()); n > 0; n--) {
        const [level, idLength, textLength] = line().split(" ").map(Number);
        toc.push({ level, id: decode(at, at + idLength) });
        at += idLength + textLength;
      }
      if (at !== bytes.length) throw new Error(`headings end at ${at} of ${bytes.length}`);
      return { toc, html };
    };
    // Parsed where the page parses it (in a <div>), in a document that loads nothing.
    const inert = document.implementation.createHTMLDocument("");
    const parsed = (html) => {
      const div = inert.createElement("div");
      div.innerHTML = html;
      return div.innerHTML;
    };
    const out = [];
    for (const file of files) {
      // A post file: its JSON line, then the Markdown, which goes to the module as the app
      // hands it over, the file's own bytes after the line.
      const bytes = new Uint8Array(await (await fetch(`/content/posts/${file}`)).arrayBuffer());
      const end = bytes.indexOf(10);
      const { post } = JSON.parse(new TextDecoder().decode(bytes.subarray(0, end)));
      const path = `/blog/${encodeURIComponent(post.summary.slug)}/`;
      const page = new DOMParser().parseFromString(await (await fetch(path)).text(), "text/html");
      const { toc, html } = unpack(module.render(bytes.subarray(end + 1), ""));
      if (parsed(html) !== page.querySelector(".post__body")?.innerHTML) out.push(`${path}: body`);
      // The page's contents list the level 2 and 3 headings, from three on.
      const shown = toc.filter((e) => e.level === 2 || e.level === 3).map((e) => `#${e.id}`);
      const contents = [...page.querySelectorAll("nav.toc a")].map((a) => a.getAttribute("href"));
      if (contents.join(" ") !== (shown.length >= 3 ? shown : []).join(" ")) out.push(`${path}: contents`);
    }
    return out;
  }, files);
  assert.deepEqual(differences, []);
  assert.deepEqual(unexpectedProblems(page, ["http 404: /img/", "failed: https://", "failed: http://"]), []);
  await page.context().close();
});
