// Route chunks (src/chunks.rs, crates/compiler/src/chunks.rs): the listing pages' code, the
// search page's and the code that renders a post in the app are wasm modules of their own. A
// post's first view loads none of them; pointing at a link to a listing or focusing the search
// box loads that code before the click, and the first post prefetched brings the post chunk; a
// page whose route is in a chunk loads it before the app takes the page over; a chunk that
// cannot be loaded is an error with a retry, not a broken app. Against the sample build, served
// like a static host under the site's CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, newPage, appStarted, distDir, serveStatic, unexpectedProblems, requestedPaths, dwellAndIdle, watchLoadingViews } from "./support.mjs";

const DIST = distDir("QUIRE_DIST", "dist");
const POST = "/blog/hello-quire/";
let browser;
let server;

before(async () => {
  assert.ok(existsSync(join(DIST, "content/pages/home/1.json")), `${DIST} missing: build it (scripts/test)`);
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The route chunks the page fetched, by name without the hash (`listing`, `search`, `chunk_3`). */
const chunkRequests = (page) => {
  const paths = requestedPaths(page, (path) => /^\/quire-split-.+\.wasm$/.test(path));
  return { all: paths, named: () => paths.map((p) => p.replace(/^\/quire-split-(.+)-[0-9a-f]{16}\.wasm$/, "$1")) };
};

test("the build writes a chunk for listings, search and posts, hashed, beside the app", () => {
  const files = readdirSync(DIST).filter((f) => f.startsWith("quire-split-"));
  for (const name of ["listing", "search", "post"]) {
    assert.ok(files.some((f) => new RegExp(`^quire-split-${name}-[0-9a-f]{16}\\.wasm$`).test(f)), files.join(", "));
  }
  assert.equal(files.filter((f) => /^quire-split-[0-9a-f]{16}\.js$/.test(f)).length, 1, files.join(", "));
  // The service worker precaches every one of them (offline reading).
  const worker = readFileSync(join(DIST, "sw.js"), "utf8");
  for (const file of files) assert.ok(worker.includes(`"/${file}"`), `sw.js does not precache ${file}`);
});

test("a post's first view loads no chunk; pointing at a category loads the listings' once, and the click shows it", async () => {
  // A window in which the post's links to other posts are below the fold: the post chunk comes
  // with the first post prefetched (on screen for a moment, or pointed at), which none is.
  const page = await newPage(browser, { viewport: { width: 1000, height: 500 } });
  const chunks = chunkRequests(page);
  await page.goto(server.url + POST);
  await appStarted(page);
  await dwellAndIdle(page);
  assert.deepEqual(chunks.named(), [], "a post's first view needs no chunk");

  const category = page.locator(".byline__categories a").first();
  const label = (await category.textContent()).trim();
  const loaded = page.waitForResponse((r) => /\/quire-split-listing-[0-9a-f]{16}\.wasm$/.test(r.url()));
  await category.hover();
  await loaded;
  await category.click();
  await page.locator("h1", { hasText: label }).waitFor();
  await page.locator(".post-card").first().waitFor();
  // Another listing, and back to the post and on to the home page: the chunk is not asked for again.
  await page.locator(".site-header a").first().click();
  await page.waitForFunction(() => location.pathname === "/");
  await page.locator(".post-card").first().waitFor();
  assert.deepEqual(chunks.named().filter((n) => n === "listing"), ["listing"], chunks.all.join(", "));
  assert.ok(!chunks.named().includes("search"), chunks.all.join(", "));
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("pointing at a post link brings the post chunk with the post, and the click renders in its task", async () => {
  const page = await newPage(browser, { viewport: { width: 1000, height: 500 } });
  const chunks = chunkRequests(page);
  await page.goto(server.url + POST);
  await appStarted(page);
  const link = page.locator(".post-nav a").first();
  const loaded = page.waitForResponse((r) => /\/quire-split-post-[0-9a-f]{16}\.wasm$/.test(r.url()));
  await link.hover();
  await loaded;
  const title = (await link.locator(".post-nav__post").textContent()).trim();
  // The post's JSON has arrived, and the app prepares it at once (a pointer on its link).
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /\/content\/posts\//.test(e.name)));
  await dwellAndIdle(page);
  const loadingShown = await watchLoadingViews(page);
  await link.click();
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(await loadingShown(), false, "the prepared post showed a loading view");
  assert.deepEqual(chunks.named().filter((n) => n === "post"), ["post"], chunks.all.join(", "));
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("focusing the search box loads the search page's code before the first letter", async () => {
  const page = await newPage(browser);
  const chunks = chunkRequests(page);
  await page.goto(server.url + POST);
  await appStarted(page);
  const loaded = page.waitForResponse((r) => /\/quire-split-search-[0-9a-f]{16}\.wasm$/.test(r.url()));
  await page.locator("#quire-search").focus();
  await loaded;
  await page.locator("#quire-search").pressSequentially("quire");
  await page.waitForFunction(() => location.pathname === "/search" && document.querySelector(".search-result"));
  assert.deepEqual(chunks.named().filter((n) => n === "search"), ["search"], chunks.all.join(", "));
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("a listing's first view loads its chunk before the take-over, which changes nothing on screen", async () => {
  // `/index.html` too: the take-over drops the file name, and the chunk must be the same.
  for (const path of ["/", "/index.html"]) {
    const page = await newPage(browser);
    const chunks = chunkRequests(page);
    const loadingShown = await watchLoadingViews(page, { fromStart: true });
    await page.goto(server.url + path);
    const before = await page.locator("main").innerText();
    await appStarted(page);
    assert.deepEqual(chunks.named().filter((n) => !/^chunk_\d+$/.test(n)), ["listing"], path);
    assert.equal(await page.locator("main").innerText(), before, path);
    assert.equal(await loadingShown(), false, `${path}: a loading view was shown`);
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  }
});

test("a chunk that cannot be loaded shows an error whose retry loads it and shows the page", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + POST);
  await appStarted(page);
  let failing = true;
  await page.route(/\/quire-split-listing-[0-9a-f]{16}\.wasm$/, (route) => (failing ? route.abort() : route.continue()));
  // A click without a hover first (a keyboard user's Enter, a fast tap): the navigation asks.
  await page.locator(".byline__categories a").first().evaluate((a) => a.click());
  await page.locator(".status--error", { hasText: "This page could not be loaded" }).waitFor();
  failing = false;
  await page.locator(".status--error button", { hasText: "Try again" }).click();
  await page.locator(".post-card").first().waitFor();
  assert.equal(await page.locator(".status--error").count(), 0);
  assert.deepEqual(unexpectedProblems(page, ["quire-split-listing-", "failed to load split module", "TypeError: Failed to fetch"]), []);
  await page.context().close();
});
