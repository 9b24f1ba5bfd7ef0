// The sample blog built with `--public-url /quire/` and served under /quire/, as a GitHub
// Pages project site is: links, deep links, fetches and canonical URLs keep the prefix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic, launch, newPage, headTags, distDir, unexpectedProblems, appStarted } from "./support.mjs";

const DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");
const skip = !existsSync(DIST) && `${DIST} missing`;
let server, browser, site;

before(async () => {
  if (skip) return;
  site = JSON.parse(readFileSync(join(DIST, "content/index.json"), "utf8")).site;
  server = await serveStatic(DIST, { prefix: "/quire" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the blog works under a sub-path", { skip }, async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/quire/");
  await appStarted(page);
  await page.evaluate(() => (window.__sameDocument = true));
  const link = page.getByRole("link", { name: "Leap day notes" });
  assert.equal(await link.getAttribute("href"), "/quire/blog/leap-day-notes");
  await link.click();
  await page.locator("h1.post__title").waitFor();
  assert.equal(new URL(page.url()).pathname, "/quire/blog/leap-day-notes");
  assert.ok(await page.evaluate(() => window.__sameDocument), "an in-app navigation");
  assert.ok(server.requests.includes("/quire/content/posts/leap-day-notes.json"), "the post's JSON is fetched under the prefix");
  assert.ok(
    server.requests.some((p) => /^\/quire\/quire-render-[0-9a-f]{16}_bg\.wasm$/.test(p)),
    "the Markdown renderer's module is loaded under the prefix",
  );
  // The canonical address is the site's configured URL (blog-config seo.url), not the host's.
  const root = site.url.replace(/\/+$/, "").replace(/\/blog$/, "");
  await page.waitForFunction((url) => document.querySelector('link[rel="canonical"]')?.getAttribute("href") === url, root + "/blog/leap-day-notes");
  assert.deepEqual((await headTags(page)).canonical, [root + "/blog/leap-day-notes"]);

  await page.goto(server.url + "/quire/blog/quire+leptos");
  await appStarted(page);
  await page.getByRole("link", { name: "quire", exact: true }).click();
  await page.locator(".post-card").first().waitFor();
  assert.equal(new URL(page.url()).pathname, "/quire/");
  assert.ok(server.requests.includes("/quire/content/pages/home/1.json"), "the listing's JSON is fetched under the prefix");

  const response = await page.goto(server.url + "/quire/blog/missing");
  assert.equal(response.status(), 404);
  await appStarted(page);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Back to all posts" }).getAttribute("href"), "/quire/");
  assert.deepEqual(unexpectedProblems(page), []);
});
