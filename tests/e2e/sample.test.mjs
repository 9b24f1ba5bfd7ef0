// The sample blog in content/, built by `trunk build --release`, served like a static CDN.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { serveStatic, launch, newPage, headTags, screenshot, distDir, unexpectedProblems } from "./support.mjs";
import { readPosts, readConfig, postPath } from "./content.mjs";

const CONTENT = resolve(import.meta.dirname, "../../content");
const posts = readPosts(CONTENT);
const config = readConfig(CONTENT);
const titled = (t) => (config.seo.titleTemplate.replace("%s", "").includes(t) ? t : config.seo.titleTemplate.replace("%s", t));
const bySlug = (slug) => posts.find((p) => p.slug === slug);
let server, rewriteServer, browser;

before(async () => {
  const dist = distDir("QUIRE_DIST", "dist");
  server = await serveStatic(dist, { fallback: "404" });
  rewriteServer = await serveStatic(dist, { fallback: "rewrite" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await rewriteServer?.close();
});

test("the front page lists visible posts newest first, with date, author and categories", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await page.locator(".post-card").first().waitFor();
  const cards = await page.locator(".post-card").evaluateAll((els) =>
    els.map((el) => ({
      title: el.querySelector("h2").textContent.trim(),
      href: el.querySelector("h2 a").getAttribute("href"),
      date: el.querySelector("time").textContent.trim(),
      byline: el.querySelector(".byline").textContent,
      teaser: el.querySelector(".post-card__teaser").textContent,
    })),
  );
  const visible = posts.filter((p) => !p.hidden).sort((a, b) => b.date - a.date);
  assert.deepEqual(cards.map((c) => c.title), visible.map((p) => p.title));
  for (const p of posts.filter((p) => p.hidden)) assert.ok(!cards.some((c) => c.title === p.title), `${p.file} is hidden`);
  const first = cards[0];
  const expectedDate = visible[0].date.toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
  assert.equal(first.date, expectedDate);
  assert.equal(first.href, postPath(visible[0].slug));
  assert.match(first.byline, new RegExp(visible[0].author));
  const welcome = cards.find((c) => c.title === bySlug("hello-quire").title);
  assert.match(welcome.byline, /Releases/);
  assert.equal(welcome.teaser, bySlug("hello-quire").description);
  const leap = cards.find((c) => c.title === "Leap day notes");
  assert.match(leap.teaser, /^This post is as short as a post can be/, "a post without description shows its excerpt");
  const head = await headTags(page);
  assert.equal(head.title, titled(config.seo.title));
  assert.deepEqual(head.meta.description, [config.seo.description]);
  await screenshot(page, "home");
  assert.deepEqual(unexpectedProblems(page), []);
});

test("without JavaScript, the page head carries the site's own tags", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + "/");
  const head = await headTags(page);
  assert.equal(head.title, titled(config.seo.title));
  assert.deepEqual(head.meta.description, [config.seo.description]);
  assert.deepEqual(head.meta["og:title"], [config.title]);
  assert.deepEqual(head.meta["twitter:site"], [config.seo.twitterUsername]);
});

test("the app takes over the head without duplicates and shows the site header at once", async () => {
  const page = await newPage(browser);
  await page.route("**/content/index.json", () => {}); // never answers: only the shell counts
  await page.goto(server.url + "/");
  await page.getByRole("status").filter({ hasText: "Loading posts…" }).waitFor();
  assert.equal(await page.locator(".site-title").textContent(), config.title);
  const head = await headTags(page);
  assert.equal(head.titles, 1);
  for (const [key, values] of Object.entries(head.meta)) assert.equal(values.length, 1, `${key} appears ${values.length} times`);
});

test("clicking a post shows its title, byline, rendered body and head tags", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  const post = bySlug("hello-quire");
  await page.getByRole("link", { name: post.title }).click();
  await page.locator("h1.post__title").waitFor();
  await page.waitForFunction((title) => document.title === title, titled(post.seoTitle));
  assert.equal(new URL(page.url()).pathname, "/blog/hello-quire");
  assert.equal(await page.locator("h1").count(), 1, "the post title is the only h1");
  assert.equal(await page.locator("h1").textContent(), post.title);
  assert.match(await page.locator(".post__header .byline").textContent(), /by Ada Quill, quire project/);
  assert.equal(await page.locator(".post__header time").textContent(), "November 20, 2026");
  assert.equal(await page.locator(".post__body h2").first().textContent(), "What happens on a build");
  assert.equal(await page.locator(".post__body ol > li").count(), 3);
  assert.match(await page.locator(".post__body").textContent(), /“Smart” punctuation/);

  const head = await headTags(page);
  assert.equal(head.title, titled(post.seoTitle));
  assert.equal(head.titles, 1);
  assert.deepEqual(head.canonical, [post.url]);
  const one = (key, value) => assert.deepEqual(head.meta[key], [value], key);
  one("description", post.description);
  one("og:title", post.seoTitle);
  one("og:description", post.description);
  one("og:url", post.url);
  one("og:type", "article");
  one("article:published_time", "2026-11-20T15:00:00.000Z");
  one("article:author", "Ada Quill");
  one("twitter:card", "summary");
  one("twitter:site", "@quireblog");
  one("twitter:title", post.seoTitle);
  one("twitter:description", post.description);
  await screenshot(page, "post");

  // Back to the listing: the post's tags give way to the listing's, none left behind.
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.locator(".post-card").first().waitFor();
  await page.waitForFunction((title) => document.title === title, titled(config.seo.title));
  const home = await headTags(page);
  assert.equal(home.title, titled(config.seo.title));
  assert.deepEqual(home.meta["og:type"], ["website"]);
  assert.deepEqual(home.meta["article:author"], undefined);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("every Markdown feature the posts use renders, and nothing unsafe does", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + postPath("markdown-tour"));
  await page.locator(".post__body").waitFor();
  const body = page.locator(".post__body");
  assert.equal(await body.locator("table thead th").first().textContent(), "Feature");
  assert.equal(await body.locator("del").textContent(), "strikethrough");
  assert.equal(await body.locator('input[type="checkbox"]').count(), 2);
  assert.equal(await body.locator('input[type="checkbox"][checked]').count(), 1);
  assert.equal(await body.locator(".footnote-definition").count(), 2);
  assert.equal(await body.locator("sup.footnote-reference a").count(), 2);
  assert.match(await body.locator("p", { hasText: "A trailing backslash" }).innerHTML(), /ends a line<br>\s*without/);
  assert.match(await body.locator("p", { hasText: "Raw HTML works too" }).innerHTML(), /too:<br>like/);
  assert.equal(await body.locator('td[width="45%"]').count(), 2);
  assert.equal(await body.locator('p[style="text-align: center"] i').count(), 1);
  assert.equal(await body.locator("pre code").count(), 1);
  assert.match(await body.textContent(), /“Smart quotes” and dashes – all handled/);
  assert.equal(await page.locator("h1").count(), 1);
  assert.equal(await page.locator("a[href='https://spec.commonmark.org/']").count(), 1);
  await screenshot(page, "markdown-tour");
  // In-page links (footnotes) stay on the post.
  const footnote = body.locator("sup.footnote-reference a").first();
  const target = await footnote.getAttribute("href");
  await footnote.click();
  await page.waitForFunction((hash) => location.hash === hash, target);
  assert.equal(new URL(page.url()).pathname, "/blog/markdown-tour");
  assert.equal(await page.locator("h1.post__title").count(), 1);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("deep links load directly on both kinds of static host, slugs with + included", async () => {
  for (const host of [server, rewriteServer]) {
    const page = await newPage(browser);
    const post = bySlug("quire+leptos");
    await page.goto(host.url + postPath(post.slug));
    await page.locator("h1.post__title").waitFor();
    assert.equal(await page.locator("h1").textContent(), post.title);
    assert.equal(await page.locator(".post__header time").textContent(), "March 7, 2025");
    assert.deepEqual((await headTags(page)).canonical, [post.url]);
    assert.deepEqual(unexpectedProblems(page), []);
  }
});

test("a hidden post is not listed but its URL works", async () => {
  const page = await newPage(browser);
  const post = posts.find((p) => p.hidden);
  await page.goto(server.url + postPath(post.slug));
  await page.locator("h1.post__title").waitFor();
  assert.equal(await page.locator("h1").textContent(), post.title);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("a post without seo falls back to the site description and its own address", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/blog/leap-day-notes");
  await page.locator("h1.post__title").waitFor();
  const head = await headTags(page);
  assert.equal(head.title, titled("Leap day notes"));
  assert.deepEqual(head.meta.description, [config.seo.description]);
  assert.deepEqual(head.canonical, [server.url + "/blog/leap-day-notes"]);
  assert.deepEqual(head.meta["twitter:site"], [config.seo.twitterUsername]);
  assert.equal(await page.locator(".post__header time").textContent(), "February 29, 2024");
  assert.equal(await page.locator(".byline__categories").count(), 0);
});

test("unknown posts and routes show the 404 view", async () => {
  const page = await newPage(browser);
  for (const path of ["/blog/no-such-post", "/no/such/route"]) {
    await page.goto(server.url + path);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    assert.equal(await page.title(), "Page not found");
    assert.equal(await page.locator(".status--error").count(), 0);
  }
  assert.deepEqual(unexpectedProblems(page, ["http 404: /content/posts/no-such-post.json"]), []);
  await screenshot(page, "not-found");
  // The same on a host that rewrites every missing file to index.html with status 200.
  const rewrite = await newPage(browser);
  await rewrite.goto(rewriteServer.url + "/blog/no-such-post");
  await rewrite.getByRole("heading", { name: "Page not found" }).waitFor();
});

test("a link to a file in a post loads the file, not the app's 404 view", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/blog/writing-for-quire");
  await page.locator(".post__body a[href='/robots.txt']").click();
  await page.waitForURL("**/robots.txt");
  assert.match(await page.locator("body").textContent(), /User-agent/);
});

test("a slow fetch shows the loading state until the post arrives", async () => {
  const page = await newPage(browser);
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/content/posts/*.json", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url + "/blog/writing-for-quire");
  await page.getByRole("status").filter({ hasText: "Loading post…" }).waitFor();
  assert.equal(await page.locator("h1.post__title").count(), 0);
  release();
  await page.locator("h1.post__title").waitFor();
  assert.equal(await page.getByRole("status").count(), 0);
});

test("a failed fetch shows an error with a retry that recovers", async () => {
  const page = await newPage(browser);
  let failures = 1;
  await page.route("**/content/posts/*.json", (route) => (failures-- > 0 ? route.abort("connectionrefused") : route.continue()));
  await page.goto(server.url + "/blog/writing-for-quire");
  await page.getByRole("heading", { name: "This page could not be loaded" }).waitFor();
  await screenshot(page, "fetch-error");
  await page.getByRole("button", { name: "Try again" }).click();
  await page.locator("h1.post__title").waitFor();
  assert.equal(await page.locator("h1").textContent(), "Writing for quire");
  assert.deepEqual(unexpectedProblems(page, ["failed: /content/posts/writing-for-quire.json"]), []);
});

test("the layout fits a phone screen", async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  await page.goto(server.url + postPath("markdown-tour"));
  await page.locator(".post__body").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await screenshot(page, "phone-post");
});
