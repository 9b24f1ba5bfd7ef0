// A Netlify/Decap CMS site read in place: the openinfra.dev corpus laid out as
// OpenStackweb/osf-website keeps it (src/pages/blog/, src/pages/author/,
// src/content/blog-config.json, static/admin/config.yml, images in static/img/ served as
// /img/), made by tests/e2e/cms-tree.mjs and built by scripts/test with
// `QUIRE_CONTENT=<tree> trunk build --release --dist dist-cms`. The images the posts
// reference must load from the built site under the Content-Security-Policy. Without the
// corpus or the build the tests are skipped, except in CI (CI=true), where they fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic, launch, newPage, screenshot, distDir, unexpectedProblems, appStarted } from "./support.mjs";
import { readPosts, readConfig, postPath } from "./content.mjs";
import { UNREFERENCED_IMAGE } from "./cms-tree.mjs";

const CORPUS = resolve(import.meta.dirname, "../..", process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
const DIST = distDir("QUIRE_CMS_DIST", "dist-cms");
const available = existsSync(CORPUS) && existsSync(DIST);
const skip = available || process.env.CI === "true" ? false : `corpus or its CMS-shaped build missing (${CORPUS}, ${DIST})`;
// Posts also show pictures from other sites, which this machine's network blocks.
const ELSEWHERE = ["failed: https://", "failed: http://"];
let server, browser, posts;

/** The file names (under /img/) of a post's Markdown images, in order, decoded. */
function markdownImages(body) {
  const images = body.matchAll(/!\[[^\]]*\]\(\s*<?\/img\/([^)>"\n]+?)>?(?:\s+"[^"\n]*")?\s*\)/g);
  return [...new Set([...images].map(([, name]) => decodeURIComponent(name)))];
}

before(async () => {
  if (skip) return;
  assert.ok(available, `CI=true and the corpus or its CMS-shaped build is missing (${CORPUS}, ${DIST})`);
  // Visible posts with pictures under /img/, newest first, as the listing orders them.
  posts = readPosts(CORPUS)
    .filter((p) => !p.hidden)
    .sort((a, b) => b.date - a.date)
    .map((p) => ({ ...p, images: markdownImages(p.body) }));
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Every /img/ picture of the post body on `page` is the one the Markdown names and has
 * loaded (lazy pictures are scrolled to first): decoded, with a width.
 */
async function assertImagesLoaded(page, post) {
  const pictures = page.locator('.post__body img[src^="/img/"]');
  await pictures.first().waitFor({ state: "attached" });
  const srcs = await pictures.evaluateAll((imgs) => imgs.map((img) => img.getAttribute("src")));
  assert.deepEqual(
    [...new Set(srcs.map((src) => decodeURIComponent(src.slice("/img/".length))))],
    post.images,
    `${post.file}: the pictures of the Markdown`,
  );
  for (let i = 0; i < srcs.length; i++) {
    const picture = pictures.nth(i);
    await picture.scrollIntoViewIfNeeded();
    // Settles on load or error; a broken picture is then complete with no width.
    await picture.evaluate(
      (img) =>
        img.complete ||
        new Promise((done) => {
          img.addEventListener("load", done, { once: true });
          img.addEventListener("error", done, { once: true });
        }),
    );
    const width = await picture.evaluate((img) => img.naturalWidth);
    assert.ok(width > 0, `${srcs[i]} did not load (naturalWidth ${width}) on ${post.file}`);
  }
}

test("a post's PNG and JPEG pictures under /img/ load from the media folder", { skip }, async () => {
  const post = posts.find((p) => p.images.some((i) => i.endsWith(".png")) && p.images.some((i) => i.endsWith(".jpg")));
  assert.ok(post, "a corpus post with both PNG and JPEG pictures");
  const page = await newPage(browser);
  await page.goto(server.url + postPath(post.slug));
  await appStarted(page);
  await assertImagesLoaded(page, post);
  await screenshot(page, "cms-post-images");
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), [], "no 404 under /img/, no CSP violation");
});

test("file names outside ASCII (a macOS screenshot's narrow space) load percent-encoded", { skip }, async () => {
  const post = posts.find((p) => p.images.some((i) => /[^\x20-\x7e]/.test(i)));
  assert.ok(post, "a corpus post with a picture whose name is not ASCII");
  const page = await newPage(browser);
  await page.goto(server.url + postPath(post.slug));
  await appStarted(page);
  await assertImagesLoaded(page, post);
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});

test("pictures load after in-app navigation too", { skip }, async () => {
  const pageSize = readConfig(CORPUS).pageSize || 10;
  const index = posts.findIndex((p) => p.images.length > 0);
  assert.ok(index >= 0 && index < pageSize, "a post with pictures on the first listing page");
  const post = posts[index];
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await appStarted(page);
  // A mark on the document: a page load would lose it.
  await page.evaluate(() => (window.__sameDocument = true));
  await page.locator(`.post-card h2 a[href="${postPath(post.slug)}"]`).click();
  await page.locator("h1.post__title").filter({ hasText: post.title }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the app rendered the post itself (no page load)");
  await assertImagesLoaded(page, post);
  assert.deepEqual(unexpectedProblems(page, ELSEWHERE), []);
});

test("the settings' social picture is served; media no post references is left out", { skip }, async () => {
  const image = readConfig(CORPUS).seo?.image;
  assert.ok(image?.startsWith("/img/"), "blog-config.json's seo.image is under /img/");
  const served = await fetch(server.url + image);
  assert.equal(served.status, 200, image);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.deepEqual([...new Uint8Array(await served.arrayBuffer()).slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
  const unreferenced = await fetch(`${server.url}/img/${UNREFERENCED_IMAGE}`);
  assert.equal(unreferenced.status, 404, "only referenced media are copied");
  await unreferenced.arrayBuffer();
});
