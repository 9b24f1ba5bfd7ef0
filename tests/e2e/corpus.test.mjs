// The real openinfra.dev content (../shared/corpus/osf-website), built with
// QUIRE_CONTENT pointing at it: every post page must load and be taken over by the app,
// hidden posts stay unlisted. Without the corpus the tests are skipped, except in CI
// (CI=true), where they fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic, launch, newPage, screenshot, distDir, unexpectedProblems, appStarted } from "./support.mjs";
import { readPosts, postPath } from "./content.mjs";

const CORPUS = resolve(import.meta.dirname, "../..", process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
const DIST = distDir("QUIRE_CORPUS_DIST", "dist-corpus");
const available = existsSync(CORPUS) && existsSync(DIST);
const skip = available || process.env.CI === "true" ? false : `corpus or its build missing (${CORPUS}, ${DIST})`;
// Posts link images on other sites (blocked by this machine's network) and under /img/ (not
// part of the corpus copy): neither is the app's doing.
const ELSEWHERE = ["http 404: /img/", "failed: https://", "failed: http://"];
let server, browser, posts;

before(async () => {
  if (skip) return;
  assert.ok(available, `CI=true and the corpus or its build is missing (${CORPUS}, ${DIST})`);
  posts = readPosts(CORPUS).filter((p) => !p.file.startsWith("_"));
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the listing shows each visible URL once and no hidden-only post", { skip }, async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await appStarted(page);
  await screenshot(page, "corpus-home");
  // Page by page, as a reader would: "Older posts →" until the last page.
  const hrefs = [];
  const titles = [];
  for (let n = 1; ; n++) {
    await page.locator(".pagination__where").filter({ hasText: `Page ${n} of` }).waitFor();
    hrefs.push(...(await page.locator(".post-card h2 a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))));
    titles.push(...(await page.locator(".post-card h2").allTextContents()));
    const older = page.locator(".pagination__older");
    if ((await older.count()) === 0) break;
    await older.click();
    await page.waitForURL(`**/page/${n + 1}`);
  }
  const visibleSlugs = new Set(posts.filter((p) => !p.hidden).map((p) => p.slug));
  assert.equal(hrefs.length, visibleSlugs.size, "one card per visible URL");
  assert.deepEqual(new Set(hrefs), new Set([...visibleSlugs].map(postPath)));
  const visibleTitles = new Set(posts.filter((p) => !p.hidden).map((p) => p.title));
  for (const p of posts.filter((p) => p.hidden && !visibleTitles.has(p.title))) {
    assert.ok(!titles.map((t) => t.trim()).includes(p.title), `hidden post listed: ${p.file}`);
  }
  assert.ok(hrefs.length >= 100, `only ${hrefs.length} posts listed`);
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});

test("every post page of the corpus loads without an error view", { skip, timeout: 10 * 60_000 }, async () => {
  const page = await newPage(browser);
  const slugs = [...new Set(posts.map((p) => p.slug))];
  const failures = [];
  for (const slug of slugs) {
    const claimants = posts.filter((p) => p.slug === slug);
    await page.goto(server.url + postPath(slug));
    await appStarted(page);
    const shown = page.locator("h1.post__title, .status--error, .status--not-found").first();
    await shown.waitFor();
    const title = (await page.locator("h1.post__title").count()) ? (await page.locator("h1.post__title").textContent()).trim() : null;
    if (!title) failures.push(`${postPath(slug)}: ${(await shown.textContent()).trim().slice(0, 120)}`);
    else if (!claimants.some((p) => p.title === title)) failures.push(`${postPath(slug)}: title ${JSON.stringify(title)}`);
    else if ((await page.locator(".post__body").innerText()).trim().length === 0) failures.push(`${postPath(slug)}: empty body`);
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
  await page.goto(server.url + postPath(slugs.find((s) => s.includes("+"))));
  await page.locator("h1.post__title").waitFor();
  await screenshot(page, "corpus-post-plus-slug");
});
