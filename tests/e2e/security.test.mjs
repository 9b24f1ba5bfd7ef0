// Hostile Markdown (tests/fixtures/hostile) must never run script in the reader's browser.
// dist-hostile is the sample build with the hostile folder's JSON written over its content/
// (scripts/test), so its HTML pages are the sample's: the hostile post is reached by in-app
// navigation, which fetches its JSON and renders the Markdown in the browser, under the
// site's Content-Security-Policy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { serveStatic, launch, newPage, distDir, appStarted } from "./support.mjs";

const DIST = distDir("QUIRE_HOSTILE_DIST", "dist-hostile");
let server, browser;

before(async () => {
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("hostile raw HTML and links are neutralised", { skip: !existsSync(DIST) && `${DIST} missing` }, async () => {
  const page = await newPage(browser);
  // A prerendered sample page; its "All posts" link loads the hostile site's listing.
  await page.goto(server.url + "/blog/hello-quire");
  await appStarted(page);
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.getByRole("link", { name: "Hostile input" }).click();
  await page.waitForURL("**/blog/hostile");
  await page.locator(".post__body").waitFor();
  const body = page.locator(".post__body");
  await body.getByText("Still readable after all that.").waitFor();
  const report = await page.evaluate(() => {
    const root = document.querySelector(".post__body");
    const all = [...root.querySelectorAll("*")];
    return {
      pwned: window.__pwned ?? null,
      scripts: root.querySelectorAll("script, iframe, svg, style, form, object, embed").length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`)),
      badUrls: all.flatMap((el) => ["href", "src", "action"].map((n) => el.getAttribute(n)).filter((v) => v && /^\s*(javascript|data:image\/svg)/i.test(v))),
      h1s: document.querySelectorAll("h1").length,
      inArticle: !!document.querySelector("article.post .post__body p:last-child"),
      footerOutsideMain: !!document.querySelector("body > footer.site-footer"),
    };
  });
  assert.equal(report.pwned, null);
  assert.equal(report.scripts, 0);
  assert.deepEqual(report.handlers, []);
  assert.deepEqual(report.badUrls, []);
  assert.equal(report.h1s, 1, "raw <h1> in a body is demoted");
  assert.ok(report.inArticle && report.footerOutsideMain, "stray closing tags cannot break out of the article");
  assert.deepEqual(page.problems.filter((p) => p.startsWith("dialog")), []);
  // What the sanitiser lets through must not even try to run: the CSP would report it.
  assert.deepEqual(page.problems.filter((p) => p.includes("csp:") || p.includes("Content Security Policy")), []);
});
