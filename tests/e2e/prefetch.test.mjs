// Prefetching (src/prefetch.rs): the JSON of a page the reader points at, focuses or has had on
// screen for a moment is fetched before the click, once, and the click renders from it; nothing
// is prefetched when the reader asked to save data. Against the sample build, served like a
// static host under the site's CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { launch, newPage, appStarted, distDir, serveStatic, unexpectedProblems, dwellAndIdle, requestedPaths, watchLoadingViews, saveData } from "./support.mjs";
import { postJsonOfLink } from "./content.mjs";

const DIST = distDir("QUIRE_DIST", "dist");
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


/** The site's JSON requests the page made, by path, in order. */
const jsonRequests = (page) => requestedPaths(page, (path) => path.startsWith("/content/"));

/** The home listing in a window `height` pixels tall, once the app has started, with the
 * JSON requests it makes. */
async function home(height) {
  const page = await newPage(browser, { viewport: { width: 1000, height } });
  const requests = jsonRequests(page);
  await page.goto(server.url + "/");
  await appStarted(page);
  return { page, requests };
}

test("a hovered post link is fetched once, and the click renders from it", async () => {
  // A short window: only the first card is on screen, so the viewport prefetch leaves the
  // last one alone until the pointer moves over it.
  const { page, requests } = await home(420);
  const link = page.locator(".post-card__title a").last();
  const file = postJsonOfLink(await link.getAttribute("href"));
  assert.ok(!requests.includes(file), "the last post was fetched before the pointer reached it");
  const prefetched = page.waitForResponse((r) => new URL(r.url()).pathname === file);
  await link.hover();
  await prefetched;
  const title = (await link.textContent()).trim();
  await link.click();
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(requests.filter((p) => p === file).length, 1, `requests: ${requests.join(", ")}`);

  // Pointing at a category in the byline prefetches that listing's page too.
  const category = page.locator(".byline__categories a").first();
  if (await category.count()) {
    const listing = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith("/content/pages/category/"));
    await category.hover();
    await listing;
  }
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("post links on screen are prefetched after a moment, listing links are not", async () => {
  const { page, requests } = await home(900);
  const visible = await page.evaluate(() =>
    [...document.querySelectorAll(".post-card__title a")]
      .filter((a) => {
        const r = a.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      })
      .map((a) => a.getAttribute("href")),
  );
  assert.ok(visible.length >= 2, `${visible.length} post links on screen`);
  await page.waitForFunction(
    (files) => files.every((f) => performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname === f)),
    visible.map(postJsonOfLink),
  );
  await dwellAndIdle(page);
  const listings = requests.filter((p) => p.startsWith("/content/pages/"));
  assert.deepEqual(listings, [], "listing pages are prefetched only on intent");
  assert.ok(requests.filter((p) => p.startsWith("/content/posts/")).length <= 6, `at most 6: ${requests.join(", ")}`);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

// The first post on screen is rendered ahead in idle time and kept (src/prefetch.rs, warm_up);
// the others are rendered by their click, from the JSON in memory.
for (const [index, how] of [[0, "rendered ahead"], [1, "rendered by its click"]]) {
  test(`a post only on screen is fetched ahead, and its click shows it in its task, with no request (${how})`, async () => {
    const { page, requests } = await home(900);
    const link = page.locator(".post-card__title a").nth(index);
    const file = postJsonOfLink(await link.getAttribute("href"));
    // The viewport prefetch: the post's JSON, with the renderer's module and the post chunk
    // beside it.
    await page.waitForFunction((file) => {
      const arrived = (test) =>
        performance.getEntriesByType("resource").some((e) => test(new URL(e.name).pathname) && e.responseEnd > 0);
      return arrived((p) => p === file) && arrived((p) => /\/quire-render-[0-9a-f]+_bg\.wasm$/.test(p)) &&
        arrived((p) => /\/quire-split-post-[0-9a-f]{16}\.wasm$/.test(p));
    }, file);
    await dwellAndIdle(page);
    const loadingShown = await watchLoadingViews(page);
    const title = (await link.textContent()).trim();
    // A click without a pointer moving over the link first (no intent prefetch).
    await link.evaluate((a) => a.click());
    await page.locator("h1.post__title", { hasText: title }).waitFor();
    assert.equal(await loadingShown(), false, "the post showed a loading view");
    assert.ok(await page.locator(".post__body > *").count() > 0, "the post's body is empty");
    assert.equal(requests.filter((p) => p === file).length, 1, `requests: ${requests.join(", ")}`);
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  });
}

test("with Save-Data on, nothing is prefetched", async () => {
  const page = await newPage(browser, { viewport: { width: 1000, height: 900 } });
  await page.context().addInitScript(saveData);
  const requests = jsonRequests(page);
  await page.goto(server.url + "/");
  await appStarted(page);
  const link = page.locator(".post-card__title a").first();
  await link.hover();
  await page.locator(".post-card__title a").nth(1).focus();
  await dwellAndIdle(page);
  assert.deepEqual(requests, [], "nothing fetched before a click");
  const title = (await link.textContent()).trim();
  await link.click();
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(requests.filter((p) => p.startsWith("/content/posts/")).length, 1);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});
