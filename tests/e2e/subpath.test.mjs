// The sample blog built with `--public-url /quire/` and served under /quire/, as a GitHub
// Pages project site is: links, deep links, fetches and canonical URLs keep the prefix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { serveStatic, launch, newPage, headTags, distDir, unexpectedProblems } from "./support.mjs";

const DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");
const skip = !existsSync(DIST) && `${DIST} missing`;
let server, browser;

before(async () => {
  if (skip) return;
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
  const link = page.getByRole("link", { name: "Leap day notes" });
  assert.equal(await link.getAttribute("href"), "/quire/blog/leap-day-notes");
  await link.click();
  await page.locator("h1.post__title").waitFor();
  assert.equal(new URL(page.url()).pathname, "/quire/blog/leap-day-notes");
  assert.deepEqual((await headTags(page)).canonical, [server.url + "/quire/blog/leap-day-notes"]);

  await page.goto(server.url + "/quire/blog/quire+leptos");
  await page.locator("h1.post__title").waitFor();
  await page.getByRole("link", { name: "quire", exact: true }).click();
  await page.locator(".post-card").first().waitFor();
  assert.equal(new URL(page.url()).pathname, "/quire/");

  await page.goto(server.url + "/quire/blog/missing");
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  assert.deepEqual(unexpectedProblems(page, ["http 404: /quire/content/posts/missing.json"]), []);
});
