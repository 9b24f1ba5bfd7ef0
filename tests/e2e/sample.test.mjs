// The sample blog in content/, built by `trunk build --release`, served like a static CDN
// (with the site's own _headers, so under its Content-Security-Policy). Every route is a
// prerendered page the app takes over; fetching and rendering in the browser happens on
// in-app navigation, so the tests that need it click a link after the take-over.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { serveStatic, launch, newPage, headTags, screenshot, distDir, unexpectedProblems, appStarted, saveData } from "./support.mjs";
import { readPosts, readConfig, postPath } from "./content.mjs";

const CONTENT = resolve(import.meta.dirname, "../../content");
const posts = readPosts(CONTENT);
const config = readConfig(CONTENT);
// A page titled just the name the template adds (the home page) keeps its title as it is.
const templateName = config.seo.titleTemplate.replace("%s", " ").replace(/^[\s\-–—|:·•/~]+|[\s\-–—|:·•/~]+$/g, "");
const titled = (t) => (t.trim() === templateName ? t : config.seo.titleTemplate.replace("%s", t));
const bySlug = (slug) => posts.find((p) => p.slug === slug);
// The canonical address of a post without seo.url: the site's URL and the post's path.
const siteRoot = config.seo.url.replace(/\/+$/, "").replace(/\/blog$/, "");
let server, browser;

before(async () => {
  server = await serveStatic(distDir("QUIRE_DIST", "dist"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Marks the current document, so a test can tell an in-app navigation from a page load. */
const markDocument = (page) => page.evaluate(() => (window.__sameDocument = true));
const sameDocument = (page) => page.evaluate(() => window.__sameDocument === true);

test("the front page lists visible posts newest first, with date, author and categories", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await appStarted(page);
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
  assert.equal(await page.locator(".post-card").count(), posts.filter((p) => !p.hidden).length);
});

test("the app takes over the prerendered page and its head without fetching or duplicates", async () => {
  const page = await newPage(browser);
  // Save-Data on: no prefetch of the posts on screen (src/prefetch.rs), which starts 300 ms
  // after the app and, on a slow machine, before the assertions below (CI, 22e8bba).
  await page.context().addInitScript(saveData);
  const fetched = [];
  // Never answers: the take-over must not need the JSON at all.
  await page.route("**/content/**", (route) => fetched.push(new URL(route.request().url()).pathname));
  await page.goto(server.url + "/");
  await appStarted(page);
  assert.equal(await page.locator(".site-title").textContent(), config.title);
  assert.equal(await page.locator(".post-card").count(), posts.filter((p) => !p.hidden).length);
  assert.deepEqual(fetched, []);
  const head = await headTags(page);
  assert.equal(head.titles, 1);
  assert.equal(head.canonical.length, 1);
  assert.equal(head.ldJson.length, 1);
  for (const [key, values] of Object.entries(head.meta)) assert.equal(values.length, 1, `${key} appears ${values.length} times`);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("clicking a post shows its title, byline, rendered body and head tags", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await appStarted(page);
  await markDocument(page);
  const post = bySlug("hello-quire");
  await page.getByRole("link", { name: post.title }).click();
  await page.locator("h1.post__title").waitFor();
  await page.waitForFunction((title) => document.title === title, titled(post.seoTitle));
  assert.equal(new URL(page.url()).pathname, "/blog/hello-quire");
  assert.ok(await sameDocument(page), "an in-app navigation, not a page load");
  assert.equal(await page.locator("h1").count(), 1, "the post title is the only h1");
  assert.equal(await page.locator("h1").textContent(), post.title);
  assert.match(await page.locator(".post__header .byline").textContent(), /by Ada Quill, quire project/);
  assert.equal(await page.locator(".post__header time").textContent(), "November 20, 2026");
  // The heading's text, then its anchor link (`#`).
  assert.equal(await page.locator(".post__body h2").first().textContent(), "What happens on a build#");
  const steps = post.body.split("\n").filter((line) => /^\d+\. /.test(line)).length;
  assert.equal(await page.locator(".post__body ol > li").count(), steps);
  assert.match(await page.locator(".post__body").textContent(), /“Smart” punctuation/);

  const head = await headTags(page);
  assert.equal(head.title, titled(post.seoTitle));
  assert.equal(head.titles, 1);
  assert.deepEqual(head.canonical, [post.url]);
  assert.equal(head.ldJson.length, 1);
  assert.equal(JSON.parse(head.ldJson[0])["@type"], "BlogPosting");
  const one = (key, value) => assert.deepEqual(head.meta[key], [value], key);
  one("description", post.description);
  one("og:title", post.seoTitle);
  one("og:description", post.description);
  one("og:url", post.url);
  one("og:type", "article");
  one("article:published_time", "2026-11-20T15:00:00.000Z");
  one("article:author", "Ada Quill");
  // The site has a card image (seo.image), so every page gets the large card.
  one("og:image", new URL(config.seo.image, config.seo.url).href);
  one("twitter:card", "summary_large_image");
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
  assert.deepEqual(home.ldJson.map((j) => JSON.parse(j)["@type"]), ["Blog"]);
  assert.ok(await sameDocument(page), "still the same document");
  assert.deepEqual(unexpectedProblems(page), []);
});

test("every Markdown feature the posts use renders, and nothing unsafe does", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + postPath("markdown-tour"));
  await appStarted(page);
  const body = page.locator(".post__body");
  // Taken before anything else touches the page (a screenshot adds style="" to inputs);
  // Leptos's empty marker comments aside.
  const bodyHtml = async () => (await body.innerHTML()).replace(/<!---->/g, "");
  const prerendered = await bodyHtml();
  assert.equal(await body.locator("table thead th").first().textContent(), "Feature");
  assert.equal(await body.locator("del").textContent(), "strikethrough");
  assert.equal(await body.locator('input[type="checkbox"]').count(), 2);
  assert.equal(await body.locator('input[type="checkbox"][checked]').count(), 1);
  assert.equal(await body.locator(".footnote-definition").count(), 2);
  assert.equal(await body.locator("sup.footnote-reference a").count(), 2);
  assert.match(await body.locator("p", { hasText: "A trailing backslash" }).innerHTML(), /ends a line<br>\s*without/);
  assert.match(await body.locator("p", { hasText: "Raw HTML works too" }).innerHTML(), /too:<br>like/);
  assert.equal(await body.locator('td[width="45%"]').count(), 2);
  // The CSP allows no inline styles: centring is a class.
  assert.equal(await body.locator("p.align-center i").count(), 1);
  assert.equal(await body.locator("[style]").count(), 0);
  assert.equal(await body.locator("pre code").count(), 4);
  // Fenced code is highlighted (the same spans in the prerender and in the app, compared below).
  assert.ok((await body.locator("pre code.language-rust span.tok-kw").count()) > 0);
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

  // The browser's renderer (in-app navigation) gives the same body as the prerender.
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.locator(".post-card").first().waitFor();
  await page.getByRole("link", { name: bySlug("markdown-tour").title }).click();
  await page.locator(".post__body").waitFor();
  assert.equal(await bodyHtml(), prerendered);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("deep links load directly and the app takes them over, slugs with + included", async () => {
  const post = bySlug("quire+leptos");
  for (const path of [postPath(post.slug), postPath(post.slug) + "/"]) {
    const page = await newPage(browser);
    const response = await page.goto(server.url + path);
    assert.equal(response.status(), 200, path);
    await appStarted(page);
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
  await appStarted(page);
  assert.equal(await page.locator("h1").textContent(), post.title);
  assert.deepEqual((await headTags(page)).meta.robots, ["noindex"]);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("a post without seo falls back to the site description and its own address", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/blog/leap-day-notes");
  await appStarted(page);
  const head = await headTags(page);
  assert.equal(head.title, titled("Leap day notes"));
  assert.deepEqual(head.meta.description, [config.seo.description]);
  assert.deepEqual(head.canonical, [siteRoot + "/blog/leap-day-notes"]);
  assert.deepEqual(head.meta["twitter:site"], [config.seo.twitterUsername]);
  assert.equal(await page.locator(".post__header time").textContent(), "February 29, 2024");
  assert.equal(await page.locator(".byline__categories").count(), 0);
});

test("unknown posts and routes show the 404 page, on a page load and in the app", async () => {
  const page = await newPage(browser);
  for (const path of ["/blog/no-such-post", "/no/such/route"]) {
    const response = await page.goto(server.url + path);
    assert.equal(response.status(), 404, path);
    await appStarted(page);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    assert.equal(await page.title(), titled("Page not found"));
    assert.deepEqual((await headTags(page)).meta.robots, ["noindex"]);
    assert.equal(await page.locator(".status--error").count(), 0);
  }
  await screenshot(page, "not-found");

  // In the app: a link to a post that does not exist (the post's JSON answers 404).
  await page.goto(server.url + "/");
  await appStarted(page);
  await markDocument(page);
  await page.evaluate(() => {
    const link = Object.assign(document.createElement("a"), { href: "/blog/no-such-post", textContent: "a dead link" });
    document.body.append(link);
  });
  await page.getByRole("link", { name: "a dead link" }).click();
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/blog/no-such-post");
  assert.ok(await sameDocument(page), "an in-app navigation");
  await page.waitForFunction((title) => document.title === title, titled("Page not found"));
  assert.deepEqual((await headTags(page)).meta.robots, ["noindex"]);
  assert.deepEqual(unexpectedProblems(page, ["http 404: /content/posts/no-such-post.json"]), []);
});

test("a link to a file in a post loads the file, not the app's 404 view", async () => {
  const page = await newPage(browser);
  // The first link in the post to a site path outside the app's routes (an image, a PDF…).
  const file = bySlug("writing-for-quire").body.match(/\]\((\/(?!blog\/)[^)\s]+\.\w+)\)/)[1];
  await page.goto(server.url + "/blog/writing-for-quire");
  await appStarted(page);
  await page.locator(`.post__body a[href='${file}']`).click();
  await page.waitForURL("**" + file);
  assert.notEqual(await page.evaluate(() => document.contentType), "text/html");
  assert.equal(await page.locator(".route").count(), 0);
  // Chromium shows an image in a document of its own that styles it inline, which the CSP
  // blocks: the browser's viewer, not the site's markup.
  assert.deepEqual(unexpectedProblems(page, ["csp: style-src-attr", "Applying inline style violates"]), []);
});

test("a slow fetch shows the loading state until the post arrives", async () => {
  const page = await newPage(browser);
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/content/posts/*.json", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url + "/");
  await appStarted(page);
  await page.getByRole("link", { name: "Writing for quire" }).click();
  await page.getByRole("status").filter({ hasText: "Loading post…" }).waitFor();
  assert.equal(await page.locator("h1.post__title").count(), 0);
  release();
  await page.locator("h1.post__title").waitFor();
  assert.equal(await page.getByRole("status").count(), 0);
});

test("a failed fetch shows an error with a retry that recovers", async () => {
  const page = await newPage(browser);
  // The post's fetches fail until the error is on screen: a prefetch (the link hovered on the
  // way to the click, or on screen long enough on a slow machine) fails as the click's would.
  let failing = true;
  await page.route("**/content/posts/writing-for-quire.json", (route) => (failing ? route.abort("connectionrefused") : route.continue()));
  await page.goto(server.url + "/");
  await appStarted(page);
  await page.getByRole("link", { name: "Writing for quire" }).click();
  await page.getByRole("heading", { name: "This page could not be loaded" }).waitFor();
  await screenshot(page, "fetch-error");
  failing = false;
  await page.getByRole("button", { name: "Try again" }).click();
  await page.locator("h1.post__title").waitFor();
  assert.equal(await page.locator("h1").textContent(), "Writing for quire");
  assert.deepEqual(unexpectedProblems(page, ["failed: /content/posts/writing-for-quire.json"]), []);
});

test("the layout fits a phone screen", async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  await page.goto(server.url + postPath("markdown-tour"));
  await appStarted(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await screenshot(page, "phone-post");
  assert.deepEqual(unexpectedProblems(page), []);
});

test("a post whose data a newer quire wrote asks for a reload, not a retry", async () => {
  const page = await newPage(browser);
  // The post's file as a newer compiler would write it: the fields still fit, the version not.
  await page.route("**/content/posts/hello-quire.json", async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    const end = text.indexOf("\n");
    const json = JSON.parse(text.slice(0, end));
    json.version += 1;
    await route.fulfill({ response, body: JSON.stringify(json) + text.slice(end) });
  });
  await page.goto(server.url + "/");
  await appStarted(page);
  await page.locator(`.post-card h2 a[href="${postPath("hello-quire")}"]`).click();
  const error = page.locator(".status--error");
  await error.waitFor();
  assert.match(
    await error.textContent(),
    /Reason: the site was updated with a newer version of quire \(data format \d+; this page reads format \d+\): reload the page\./,
  );
  const reload = error.locator("a", { hasText: "Reload the page" });
  assert.equal(await reload.getAttribute("href"), postPath("hello-quire"));
  assert.equal(await reload.getAttribute("rel"), "external", "a full load, not the router");
  assert.equal(await error.locator("button").count(), 0, "no retry of the same request");
  assert.deepEqual(unexpectedProblems(page), []);
});

test("from a page as it was loaded, a link to another page of the same route shows that page (post to post, category to category)", async () => {
  // The first page is the prerendered one, adopted as it is (src/initial.rs); it does not
  // follow the address, so the route must render anew (src/routes/table.rs).
  const page = await newPage(browser);
  await page.goto(server.url + "/blog/hello-quire/");
  await appStarted(page);
  await markDocument(page);
  const next = page.locator(".post-nav a").first();
  const title = (await next.locator(".post-nav__post").textContent()).trim();
  await next.click();
  await page.locator("h1.post__title", { hasText: title }).waitFor();
  assert.equal(await page.locator("h1.post__title").count(), 1);

  await page.goto(server.url + "/blog/category/releases/");
  await appStarted(page);
  await markDocument(page);
  await page.locator('.category-nav a[href="/blog/category/guides"]').click();
  await page.locator("h1.listing__title", { hasText: "Guides" }).waitFor();
  assert.ok(await sameDocument(page), "in the app, not a page load");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});
