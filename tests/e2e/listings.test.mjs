// Listing pages as a reader moves through them: pagination that survives reload and
// back/forward, category and author pages reached from bylines, and a clear message for a
// page past the end. Against nginx with deploy/nginx.conf, on the openinfra.dev corpus (more
// than one page of posts) and the sample blog.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { launch, newPage, appStarted, distDir, unexpectedProblems, screenshot } from "./support.mjs";

const CI = process.env.CI === "true";
const CORPUS = resolve(import.meta.dirname, "../..", process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
const DIST = distDir("QUIRE_CORPUS_DIST", "dist-corpus");
const skip = (!nginxBinary() && !CI && "nginx not installed (scripts/setup --test)") || (!existsSync(CORPUS) && !CI && `corpus ${CORPUS} not found`);
// Corpus posts link images that are not part of the corpus copy or on other hosts.
const ELSEWHERE = ["http 404: /img/", "failed: https://", "failed: http://"];

let browser;
let nginx;
let site;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DIST, "content/pages/home/1.json")), `${DIST} missing: build it (scripts/test)`);
  site = JSON.parse(readFileSync(join(DIST, "content/pages/home/1.json"), "utf8"));
  nginx = await startNginx(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await nginx?.stop();
});

const cardTitles = (page) => page.locator(".post-card h2").allTextContents().then((t) => t.map((s) => s.trim()));

test("pagination survives reload, back and forward", { skip }, async () => {
  assert.ok(site.pages > 2, `the corpus has ${site.pages} home pages`);
  const page = await newPage(browser);
  await page.goto(nginx.url + "/");
  await appStarted(page);
  const first = await cardTitles(page);
  assert.deepEqual(first, site.posts.map((p) => p.title));
  await page.getByRole("link", { name: "Older posts →" }).click();
  await page.waitForURL("**/page/2");
  await page.locator(".pagination__where").filter({ hasText: `Page 2 of ${site.pages}` }).waitFor();
  const second = await cardTitles(page);
  assert.notDeepEqual(second, first);
  assert.match(await page.title(), /page 2/);
  await page.reload();
  await appStarted(page);
  assert.deepEqual(await cardTitles(page), second, "a reload shows the same page");
  await page.goBack();
  await page.waitForURL(nginx.url + "/");
  await page.locator(".pagination__where").filter({ hasText: `Page 1 of ${site.pages}` }).waitFor();
  assert.deepEqual(await cardTitles(page), first, "back");
  await page.goForward();
  await page.waitForURL("**/page/2");
  await page.locator(".pagination__where").filter({ hasText: `Page 2 of ${site.pages}` }).waitFor();
  assert.deepEqual(await cardTitles(page), second, "forward");
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});

test("a page past the end says so, on a page load and in the app", { skip }, async () => {
  const page = await newPage(browser);
  const response = await page.goto(nginx.url + `/page/${site.pages + 1}`);
  assert.equal(response.status(), 404);
  await appStarted(page);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await page.goto(nginx.url + "/");
  await appStarted(page);
  await page.evaluate((n) => {
    const link = Object.assign(document.createElement("a"), { href: `/page/${n}`, textContent: "far away" });
    document.querySelector("main").append(link);
  }, site.pages + 5);
  await page.getByRole("link", { name: "far away" }).click();
  await page.getByText(`This listing has no page ${site.pages + 5}`).waitFor();
  assert.deepEqual((await page.locator('head meta[name="robots"]').evaluateAll((m) => m.map((x) => x.content))), ["noindex"]);
  assert.deepEqual(unexpectedProblems(page, [...ELSEWHERE, `http 404: /content/pages/home/${site.pages + 5}.json`]), []);
});

test("bylines lead to category and author pages, which list their posts with their own head", { skip }, async () => {
  const page = await newPage(browser);
  await page.goto(nginx.url + "/");
  await appStarted(page);
  // The first card's first category.
  const category = page.locator(".post-card .byline__categories a").first();
  const label = (await category.textContent()).trim();
  await category.click();
  await page.locator("h1.listing__title").filter({ hasText: label }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/blog\/category\/[a-z0-9-]+$/);
  assert.match(await page.title(), new RegExp(label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  const count = Number((await page.locator(".listing__count").textContent()).match(/\d+/)[0]);
  const navCount = await page.locator(".category-nav a[aria-current=page]").textContent();
  assert.ok(navCount.includes(`(${count})`), `${navCount} vs ${count}`);
  for (const card of await page.locator(".post-card").all()) {
    assert.ok((await card.locator(".byline__categories").textContent()).includes(label), "every card is in the category");
  }
  await screenshot(page, "listing-category");

  const author = page.locator(".post-card .byline__author a").first();
  const name = (await author.textContent()).trim();
  await author.click();
  await page.locator("h1.listing__title").filter({ hasText: name }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/blog\/author\/[a-z0-9-]+$/);
  assert.equal((await page.locator(".listing__kind").textContent()).trim(), "Author");
  for (const card of await page.locator(".post-card").all()) {
    assert.ok((await card.locator(".byline__author").textContent()).includes(name), "every card is by the author");
  }
  const canonical = await page.locator('link[rel="canonical"]').getAttribute("href");
  assert.ok(canonical.endsWith(new URL(page.url()).pathname), canonical);
  await screenshot(page, "listing-author");
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});

test("a new page starts at the top; back returns to the position and the listing without a spinner or a refetch", { skip }, async () => {
  const page = await newPage(browser);
  // Every frame: is a loading view on screen?
  await page.addInitScript(() => {
    window.__spinnerFrames = 0;
    const tick = () => {
      if (document.querySelector(".status--loading")) window.__spinnerFrames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(nginx.url + "/");
  await appStarted(page);
  await page.getByRole("link", { name: "Older posts →" }).click();
  await page.waitForURL("**/page/2");
  await page.locator(".pagination__where").filter({ hasText: "Page 2 of" }).waitFor();
  const card = page.locator(".post-card h2 a").nth(6);
  await card.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 40));
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(y > 300, `scrolled to ${y}`);
  const title = (await card.textContent()).trim();
  // Where the focus is as the listing leaves the page (before the next frame).
  await page.evaluate(() => {
    window.__focusAtSwap = [];
    new MutationObserver((records) => {
      if (records.some((r) => r.removedNodes.length)) window.__focusAtSwap.push(document.activeElement?.id || document.activeElement?.tagName);
    }).observe(document.getElementById("main"), { childList: true, subtree: true });
  });
  await card.click();
  await page.locator("h1.post__title").filter({ hasText: title }).waitFor();
  assert.equal(await page.evaluate(() => window.scrollY), 0, "the post starts at the top");
  // The clicked link's route was replaced with the focus already on <main> (src/router.rs):
  // it never fell back to the body, and the browser had no styles to recalculate in the click.
  const atSwap = await page.evaluate(() => window.__focusAtSwap);
  assert.ok(atSwap.length > 0 && atSwap.every((f) => f === "main"), `focus as the listing left: ${atSwap}`);
  // Focus moved into the new page, and its title was announced.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
  await page.waitForFunction(() => document.getElementById("quire-announcer")?.textContent === document.title);

  const before = requests.filter((p) => p.startsWith("/content/")).length;
  const spinners = await page.evaluate(() => window.__spinnerFrames);
  await page.goBack();
  await page.waitForURL("**/page/2");
  await page.locator(".pagination__where").filter({ hasText: "Page 2 of" }).waitFor();
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, y);
  // Nothing fetched again. (Prefetching may fetch posts whose links came into view; those
  // were never fetched before, so they are not refetches.)
  const content = requests.filter((p) => p.startsWith("/content/"));
  const earlier = new Set(content.slice(0, before));
  assert.deepEqual(content.slice(before).filter((p) => earlier.has(p)), [], "nothing fetched again");
  assert.equal(await page.evaluate(() => window.__spinnerFrames), spinners, "no loading view on screen");
  await page.goForward();
  await page.locator("h1.post__title").filter({ hasText: title }).waitFor();
  await page.waitForFunction(() => window.scrollY === 0);
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});
