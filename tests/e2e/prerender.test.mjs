// Every route is a prerendered page. Served by nginx with deploy/nginx.conf (the sample
// blog, and the openinfra.dev corpus when it is there), each one reads completely over plain
// HTTP and in a browser with JavaScript off; with JavaScript the app takes the page over
// without a frame that lacks the text, without a layout shift and without fetching, and
// from then on navigates in the page, rendering each route's own head tags.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import * as cheerio from "cheerio";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { serveStatic, launch, newPage, headTags, screenshot, distDir, unexpectedProblems, appStarted, parseHeadersFile } from "./support.mjs";
import { postPath, postFileKey, parsePostFile } from "./content.mjs";

const CI = process.env.CI === "true";
// The site's Content-Security-Policy (public/_headers).
const SITE_POLICY = parseHeadersFile(readFileSync(resolve(import.meta.dirname, "../../public/_headers"), "utf8"))["/*"]["content-security-policy"];
const CORPUS = resolve(import.meta.dirname, "../..", process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
// scripts/test installs nginx and xmllint (scripts/setup --test); outside CI, without them
// the tests that need them are skipped.
const noNginx = !nginxBinary() && !CI && "nginx not installed (scripts/setup --test)";
const hasXmllint = spawnSync("xmllint", ["--version"]).status === 0;

const SITES = [
  { name: "sample", dist: distDir("QUIRE_DIST", "dist"), skip: noNginx },
  {
    name: "corpus",
    dist: distDir("QUIRE_CORPUS_DIST", "dist-corpus"),
    skip: noNginx || (!existsSync(CORPUS) && !CI && `corpus ${CORPUS} not found`),
    // Posts link images on other sites (blocked by this machine's network) and under /img/
    // (not part of the corpus copy): neither is the app's doing.
    elsewhere: ["http 404: /img/", "failed: https://", "failed: http://"],
  },
];
const SUB_DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");
const noSub = !existsSync(SUB_DIST) && `${SUB_DIST} missing`;

let browser;

/** Every listing page's JSON the build wrote (content/pages/<kind>/…/<n>.json). */
function listingShards(dist) {
  const root = join(dist, "content/pages");
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) out.push(JSON.parse(readFileSync(full, "utf8")));
    }
  };
  walk(root);
  return out;
}

/** The route of a listing page, as crates/core/src/model.rs (Listing::path) makes it. */
function listingPath(listing, page) {
  const segment = (slug) => postPath(slug).slice("/blog/".length);
  const first = listing.kind === "home" ? "" : `/blog/${listing.kind}/${segment(listing.slug)}`;
  if (page <= 1) return first || "/";
  return `${first}/page/${page}`;
}

/** The site, set up by `before`; throws what went wrong there. */
function ready(site) {
  if (site.error) throw site.error;
  return site;
}

before(async () => {
  for (const site of SITES) {
    if (site.skip) continue;
    // A site that cannot be set up fails its own tests (see ready), not the others.
    try {
      if (site.name === "corpus") assert.ok(existsSync(CORPUS), `CI=true and the corpus ${CORPUS} is missing`);
      assert.ok(existsSync(join(site.dist, "index.html")), `${site.dist} missing: build it (scripts/test)`);
      const index = JSON.parse(readFileSync(join(site.dist, "content/index.json"), "utf8"));
      site.site = index.site;
      site.posts = index.posts;
      site.visible = index.posts.filter((p) => !p.hidden);
      site.nginx = await startNginx(site.dist);
    } catch (error) {
      site.error = error;
    }
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const site of SITES) await site.nginx?.stop();
});

// ---------------------------------------------------------------------------------------
// Reading pages as a crawler does.

/** A route's page over HTTP: status, content type and the parsed document. */
async function getPage(base, path) {
  const res = await fetch(base + path, { redirect: "manual" });
  const html = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), html, $: cheerio.load(html) };
}

/** The head tags a test compares, as a crawler reads them from a parsed document. */
function headOf($) {
  const content = (sel) => $(sel).map((_, el) => $(el).attr("content")).get();
  return {
    title: $("title").map((_, el) => $(el).text()).get(),
    description: content('meta[name="description"]'),
    canonical: $('link[rel="canonical"]').map((_, el) => $(el).attr("href")).get(),
    "og:title": content('meta[property="og:title"]'),
    "og:description": content('meta[property="og:description"]'),
    "og:url": content('meta[property="og:url"]'),
    "og:type": content('meta[property="og:type"]'),
    "twitter:card": content('meta[name="twitter:card"]'),
    "twitter:title": content('meta[name="twitter:title"]'),
    robots: content('meta[name="robots"]'),
    ldJson: $('script[type="application/ld+json"]').map((_, el) => JSON.parse($(el).text())).get(),
  };
}

/** The same tags as the browser has them now. */
async function headInBrowser(page) {
  const h = await headTags(page);
  const titles = await page.evaluate(() => [...document.querySelectorAll("title")].map((t) => t.textContent));
  return {
    title: titles,
    description: h.meta.description ?? [],
    canonical: h.canonical,
    "og:title": h.meta["og:title"] ?? [],
    "og:description": h.meta["og:description"] ?? [],
    "og:url": h.meta["og:url"] ?? [],
    "og:type": h.meta["og:type"] ?? [],
    "twitter:card": h.meta["twitter:card"] ?? [],
    "twitter:title": h.meta["twitter:title"] ?? [],
    robots: h.meta.robots ?? [],
    ldJson: h.ldJson.map((j) => JSON.parse(j)),
  };
}

/** The tags every page has exactly once (canonical and og:url when the site has a URL). */
const ONCE = ["title", "description", "og:title", "og:description", "twitter:card", "twitter:title", "ldJson"];
const ONCE_WITH_URL = [...ONCE, "canonical", "og:url"];

/** Asserts that the browser's head holds each tag once, with the prerendered page's values. */
async function assertHeadMatches(page, expected, what) {
  const actual = await headInBrowser(page);
  for (const key of expected.canonical.length ? ONCE_WITH_URL : ONCE) {
    assert.equal(actual[key].length, 1, `${what}: ${key} ×${actual[key].length}: ${JSON.stringify(actual[key])}`);
  }
  assert.deepEqual(actual, expected, `${what}: head tags as prerendered`);
}

/** The address of a site page: the configured URL's root (without /blog) and the path. */
const siteRoot = (site) => site.url.replace(/\/+$/, "").replace(/\/blog$/, "");

/** What the post's own JSON says its canonical URL is: seo.url, else the site's URL + path. */
function expectedCanonical(dist, site, post) {
  const file = parsePostFile(readFileSync(join(dist, "content/posts", postFileKey(post.slug) + ".json"), "utf8"));
  const own = file.post.seo?.url;
  if (own && /^https?:\/\//.test(own)) return own;
  return site.url ? siteRoot(site) + postPath(post.slug) : null;
}

/** A sentence from the opening paragraph of a prerendered post body (plain text). */
function openingSentence($) {
  const text = $(".post__body p")
    .map((_, p) => $(p).text().replace(/\s+/g, " ").trim())
    .get()
    .find((t) => t.length >= 20);
  assert.ok(text, "the post body has a paragraph");
  return text.split(/(?<=[.!?])\s/)[0].slice(0, 120);
}

// ---------------------------------------------------------------------------------------
// a. Plain HTTP, no JavaScript: every route is a complete page.

for (const S of SITES) {
  test(`${S.name}: every route answers 200 with its own complete page, over plain HTTP`, { skip: S.skip, timeout: 5 * 60_000 }, async () => {
    const { site, posts, visible, nginx } = ready(S);
    const failures = [];
    const check = (ok, message) => ok || failures.push(message);
    const feeds = ($, path) => {
      const href = (type) => $(`head link[rel="alternate"][type="${type}"]`).map((_, l) => $(l).attr("href")).get();
      check(JSON.stringify(href("application/rss+xml")) === JSON.stringify(["/rss.xml"]), `${path}: rss link ${href("application/rss+xml")}`);
      check(JSON.stringify(href("application/atom+xml")) === JSON.stringify(["/atom.xml"]), `${path}: atom link ${href("application/atom+xml")}`);
    };
    const common = ($, path, head) => {
      for (const key of site.url ? ONCE_WITH_URL : ONCE) check(head[key].length === 1, `${path}: ${key} ×${head[key].length}`);
      check($("h1").length === 1, `${path}: ${$("h1").length} h1`);
      check($('meta[name="quire-path"]').attr("content") === path, `${path}: quire-path ${$('meta[name="quire-path"]').attr("content")}`);
      check(JSON.parse($("#quire-site").text()).title === site.title, `${path}: #quire-site`);
      check($('head meta[name="theme-color"]').length === 1, `${path}: theme-color`);
      check($("body .skip-link").length === 1 && $("body header.site-header").length === 1 && $("body footer.site-footer").length === 1, `${path}: page frame`);
      check($("noscript").length === 0, `${path}: a noscript element`);
      // One inline script, the colour theme's, which the policy allows by its hash.
      const inline = $("script:not([type]), script[type=module], script[type='text/javascript']").filter((_, s) => !$(s).attr("src"));
      const hashes = inline.map((_, s) => `'sha256-${createHash("sha256").update($(s).text()).digest("base64")}'`).get();
      check(hashes.length === 1 && SITE_POLICY.includes(hashes[0]), `${path}: inline scripts ${hashes} (the policy allows only the theme's)`);
      feeds($, path);
      // The first paint waits for the end of the site header (index.html, rel=expect).
      check($('head link[rel="expect"][blocking="render"]').attr("href") === "#site-header-end" && $("header.site-header > #site-header-end:last-child").length === 1, `${path}: the header's end, expected`);
      // index.html's notes are not shipped: only quire's markers are left.
      const comments = $("html").find("*").addBack().contents().filter((_, n) => n.type === "comment").map((_, n) => n.data).get();
      check(comments.every((c) => /^\/?quire-/.test(c)), `${path}: comments ${JSON.stringify(comments.filter((c) => !/^\/?quire-/.test(c))).slice(0, 200)}`);
    };

    // The listing.
    const home = await getPage(nginx.url, "/");
    assert.equal(home.status, 200, "/");
    assert.match(home.type, /^text\/html/);
    const h = headOf(home.$);
    common(home.$, "/", h);
    check(home.$('main#main > .route[data-route="listing"]').length === 1, "/: route root");
    check(h.title[0].includes(site.title), `/: title ${h.title}`);
    check(h["og:type"][0] === "website", `/: og:type ${h["og:type"]}`);
    check(h.ldJson[0]?.["@type"] === "Blog" && h.ldJson[0]?.name === site.title, `/: ld+json ${JSON.stringify(h.ldJson)}`);
    check(h.robots.length === 0, `/: robots ${h.robots}`);
    if (site.url) check(h.canonical[0] === site.url && h["og:url"][0] === site.url, `/: canonical ${h.canonical}`);
    check(home.$("h1").text() === site.title, `/: h1 ${home.$("h1").text()}`);
    const cards = home.$(".post-card h2 a").map((_, a) => ({ title: home.$(a).text(), href: home.$(a).attr("href") })).get();
    const firstPage = visible.slice(0, site.pageSize);
    assert.deepEqual(cards, firstPage.map((p) => ({ title: p.title, href: postPath(p.slug) })), "the listing: the newest visible posts, one page of them");

    // Every page of every listing (home, categories, authors), as the build's shards list them.
    const shards = listingShards(S.dist);
    assert.ok(shards.length >= 1 + (site.url ? 0 : 0), "listing shards");
    const seen = new Set();
    for (const shard of shards) {
      const path = listingPath(shard.listing, shard.page);
      const { status, type, $ } = await getPage(nginx.url, path);
      if (status !== 200 || !/^text\/html/.test(type)) {
        failures.push(`${path}: ${status} ${type}`);
        continue;
      }
      const head = headOf($);
      common($, path, head);
      check($('main#main > .route[data-route="listing"]').length === 1, `${path}: route root`);
      const links = $(".post-card h2 a").map((_, a) => $(a).attr("href")).get();
      check(JSON.stringify(links) === JSON.stringify(shard.posts.map((p) => postPath(p.slug))), `${path}: cards ${links}`);
      for (const p of shard.posts) {
        check(!p.hidden, `${path}: hidden post ${p.slug}`);
        if (shard.listing.kind === "home") seen.add(p.slug);
      }
      check(shard.posts.length <= site.pageSize, `${path}: ${shard.posts.length} posts`);
      check(head.robots.length === 0, `${path}: robots ${head.robots}`);
      check(head.ldJson[0]?.["@type"] === "Blog", `${path}: ld+json`);
      const next = $('.pagination a[rel="next"]').attr("href");
      check((next !== undefined) === (shard.page < shard.pages), `${path}: next link ${next}`);
      if (next) check(next === listingPath(shard.listing, shard.page + 1), `${path}: next ${next}`);
      check($(".category-nav li").length === shard.categories.length, `${path}: category list`);
      if (shard.listing.kind !== "home") check($("h1").text() === (shard.listing.label ?? shard.listing.name), `${path}: h1 ${$("h1").text()}`);
    }
    check(seen.size === visible.length, `the home listing's pages hold ${seen.size} of ${visible.length} visible posts`);

    // Every post, hidden ones included.
    for (const post of posts) {
      const path = postPath(post.slug);
      const { status, type, $ } = await getPage(nginx.url, path);
      if (status !== 200 || !/^text\/html/.test(type)) {
        failures.push(`${path}: ${status} ${type}`);
        continue;
      }
      const head = headOf($);
      common($, path, head);
      check($('main#main > .route[data-route="post"]').length === 1, `${path}: route root`);
      check($("h1").text() === post.title, `${path}: h1 ${JSON.stringify($("h1").text())} ≠ ${JSON.stringify(post.title)}`);
      check($(".post__body").text().trim().length > 0, `${path}: empty body`);
      check(head["og:type"][0] === "article", `${path}: og:type ${head["og:type"]}`);
      const ld = head.ldJson[0];
      check(ld?.["@type"] === "BlogPosting" && ld.headline === head["og:title"][0], `${path}: ld+json ${JSON.stringify(ld)}`);
      check(head.title[0]?.includes(head["og:title"][0]), `${path}: title ${head.title} lacks ${head["og:title"]}`);
      const noindex = head.robots.includes("noindex");
      check(noindex === post.hidden, `${path}: hidden ${post.hidden} but robots ${JSON.stringify(head.robots)}`);
      const canonical = expectedCanonical(S.dist, site, post);
      if (canonical) {
        check(head.canonical[0] === canonical, `${path}: canonical ${head.canonical} ≠ ${canonical}`);
        check(head["og:url"][0] === canonical && ld?.url === canonical, `${path}: og:url ${head["og:url"]} / ld url ${ld?.url}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test(`${S.name}: unknown paths answer 404 with the 404 page`, { skip: S.skip }, async () => {
    for (const path of ["/no/such/page", "/blog/no-such-post-anywhere", "/blog/no-such-post-anywhere/"]) {
      const { status, type, $ } = await getPage(ready(S).nginx.url, path);
      assert.equal(status, 404, path);
      assert.match(type, /^text\/html/, path);
      assert.equal($('main#main > .route[data-route="not-found"]').length, 1, path);
      assert.equal($("h1").text(), "Page not found", path);
      assert.equal($("title").length, 1, path);
      assert.deepEqual(headOf($).robots, ["noindex"], path);
      assert.equal($('head link[rel="alternate"][type="application/rss+xml"]').attr("href"), "/rss.xml", path);
      assert.equal($('head link[rel="alternate"][type="application/atom+xml"]').attr("href"), "/atom.xml", path);
    }
  });

  test(`${S.name}: every link on the home page leads to a page that answers 200`, { skip: S.skip }, async () => {
    const { $ } = await getPage(ready(S).nginx.url, "/");
    const base = new URL(S.nginx.url + "/");
    const internal = new Set();
    $("a[href]").each((_, a) => {
      const url = new URL($(a).attr("href"), base);
      if (url.origin === base.origin && url.pathname) internal.add(url.pathname + url.search);
    });
    assert.ok(internal.size > Math.min(S.visible.length, S.site.pageSize), `${internal.size} internal links`);
    const broken = [];
    for (const path of internal) {
      const res = await fetch(S.nginx.url + path, { redirect: "manual" });
      await res.arrayBuffer();
      if (res.status !== 200) broken.push(`${path}: ${res.status}`);
    }
    assert.deepEqual(broken, []);
  });

  // e. Feeds (every page links them: checked above), sitemap and robots.txt.
  test(`${S.name}: rss.xml, atom.xml and sitemap.xml are served as well-formed XML`, { skip: S.skip || (!hasXmllint && !CI && "xmllint not installed (scripts/setup --test)") }, async () => {
    const { site, posts, visible, nginx } = ready(S);
    const canonical = new Map(posts.map((p) => [p.slug, expectedCanonical(S.dist, site, p)]));
    const visibleUrls = new Set(visible.map((p) => canonical.get(p.slug)));
    const hiddenOnly = posts.filter((p) => p.hidden).map((p) => canonical.get(p.slug)).filter((u) => !visibleUrls.has(u));
    const xml = {};
    for (const [path, root] of [["/rss.xml", "rss"], ["/atom.xml", "feed"], ["/sitemap.xml", "urlset"]]) {
      const res = await fetch(nginx.url + path);
      const body = await res.text();
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type"), /xml/, path);
      const lint = spawnSync("xmllint", ["--noout", "-"], { input: body, encoding: "utf8" });
      assert.equal(lint.status, 0, `${path} is not well-formed XML:\n${lint.stderr}`);
      const $ = cheerio.load(body, { xml: true });
      assert.equal($.root().children().get(0)?.name, root, path);
      xml[path] = $;
    }
    const rss = xml["/rss.xml"];
    assert.equal(rss("channel > title").text(), site.title);
    const rssLinks = rss("item > link").map((_, l) => rss(l).text()).get();
    const atom = xml["/atom.xml"];
    const atomLinks = atom('entry > link[rel="alternate"]').map((_, l) => atom(l).attr("href")).get();
    for (const [name, links] of [["rss", rssLinks], ["atom", atomLinks]]) {
      assert.ok(links.length > 0, `${name}: no entries`);
      for (const link of links) assert.ok(visibleUrls.has(link), `${name}: ${link} is not a visible post`);
    }
    // The sitemap: the home page and every visible post whose canonical address is on the
    // site's own host (a sitemap may list only those); no hidden post.
    const sitemap = xml["/sitemap.xml"];
    const locs = sitemap("url > loc").map((_, l) => sitemap(l).text()).get();
    const origin = new URL(site.url).origin;
    const own = [...visibleUrls].filter((url) => new URL(url).origin === origin);
    // Listing pages (home pages 2…, categories, authors) are on the site's root.
    const root = site.url.replace(/\/$/, "").replace(/\/blog$/, "");
    const listings = listingShards(S.dist)
      .map((shard) => listingPath(shard.listing, shard.page))
      .filter((path) => path !== "/")
      .map((path) => root + path);
    assert.deepEqual(new Set(locs), new Set([site.url, ...listings, ...own]), "sitemap: the listing pages and the visible posts");
    assert.equal(locs.length, new Set(locs).size, "sitemap: each address once");
    for (const url of hiddenOnly) assert.ok(!locs.includes(url), `sitemap lists hidden ${url}`);
    const robots = await (await fetch(nginx.url + "/robots.txt")).text();
    assert.match(robots, new RegExp(`^Sitemap: ${siteRoot(site)}/sitemap\\.xml$`, "m"));
  });
}

// ---------------------------------------------------------------------------------------
// b. The take-over, frame by frame.

/**
 * Init script: on every animation frame from the first one, whether `title` is the visible
 * text of an element matching `titleSelector` and `sentence` is in the visible text of an
 * element matching `textSelector`; stops `extraFrames` frames after TrunkApplicationStarted.
 * Also sums the layout shifts (CLS) from the start.
 */
function recordFrames({ titleSelector, title, textSelector, sentence, extraFrames }) {
  const rec = (window.__frames = { frames: [], done: false, cls: 0, shifts: [] });
  let startedAt = null;
  addEventListener("TrunkApplicationStarted", () => (startedAt = rec.frames.length));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      rec.cls += entry.value;
      const rect = (r) => [r.x, r.y, r.width, r.height].map(Math.round).join(",");
      rec.shifts.push({
        value: entry.value,
        sources: entry.sources?.map((s) => `${s.node?.nodeName ?? "?"}.${s.node?.className ?? ""} ${rect(s.previousRect)} -> ${rect(s.currentRect)}`),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
  const normal = (s) => s.replace(/\s+/g, " ");
  const tick = () => {
    const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    const titleOk = [...document.querySelectorAll(titleSelector)].some((el) => el.textContent.trim() === title && shown(el));
    const textOk = [...document.querySelectorAll(textSelector)].some((el) => normal(el.textContent).includes(sentence) && shown(el));
    rec.frames.push({ title: titleOk, text: textOk, started: startedAt !== null, readyState: document.readyState });
    if (startedAt !== null && rec.frames.length >= startedAt + extraFrames) rec.done = true;
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Loads `path`, recording frames, and checks that the text never left the screen. */
async function takeOver(page, url, expectation) {
  const contentRequests = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.includes("/content/")) contentRequests.push(path);
  });
  await page.addInitScript(recordFrames, { ...expectation, extraFrames: 5 });
  // The loader starts the app once the browser has reported the first contentful paint
  // (Trunk.toml, pattern_script): the paint of the text is on record before anything replaces it.
  await page.addInitScript(() =>
    addEventListener("TrunkApplicationStarted", () => (window.__paintedAtStart = performance.getEntriesByName("first-contentful-paint").length > 0)),
  );
  await page.goto(url);
  await page.waitForFunction(() => window.__frames?.done);
  await appStarted(page);
  assert.equal(await page.evaluate(() => window.__paintedAtStart), true, "the first contentful paint was reported before the app started");
  const rec = await page.evaluate(() => window.__frames);
  const started = rec.frames.findIndex((f) => f.started);
  assert.ok(started > 0, `TrunkApplicationStarted after the first frame (${rec.frames.length} frames)`);
  // A frame may come before the parser has reached the body (readyState "loading"): nothing
  // of the page is painted yet. From the first frame that shows the text, every one must.
  const first = rec.frames.findIndex((f) => f.title && f.text);
  assert.ok(first >= 0 && first < started, `the text is on screen before the app starts (${JSON.stringify(rec.frames.slice(0, started + 1))})`);
  assert.ok(rec.frames.slice(0, first).every((f) => f.readyState === "loading"), "only frames before the body was parsed lack the text");
  const missing = rec.frames.map((f, i) => ({ i, ...f })).slice(first).filter((f) => !f.title || !f.text);
  assert.deepEqual(missing, [], `every frame shows the title and the text (${rec.frames.length} frames, started at frame ${started})`);
  assert.equal(rec.cls, 0, `layout shifts: ${JSON.stringify(rec.shifts)}`);
  assert.deepEqual(contentRequests, [], "nothing fetched for the take-over");
  return contentRequests;
}

for (const S of SITES) {
  test(`${S.name}: a post is taken over without a visible change, then navigates in the page`, { skip: S.skip, timeout: 120_000 }, async () => {
    const { site, visible, nginx } = ready(S);
    const [post, other] = visible;
    const postPage = await getPage(nginx.url, postPath(post.slug));
    const page = await newPage(browser);
    const contentRequests = await takeOver(page, nginx.url + postPath(post.slug), {
      titleSelector: "h1.post__title",
      title: post.title,
      textSelector: ".post__body",
      sentence: openingSentence(postPage.$),
    });
    await assertHeadMatches(page, headOf(postPage.$), "after the take-over");
    await screenshot(page, `${S.name}-takeover-post`);

    // "← All posts": a navigation in the same document, rendering the listing's head.
    await page.evaluate(() => (window.__sameDocument = true));
    const homePage = await getPage(nginx.url, "/");
    const homeHead = headOf(homePage.$);
    await page.getByRole("link", { name: "← All posts" }).click();
    await page.locator('.route[data-route="listing"] .post-card').first().waitFor();
    await page.waitForFunction((title) => document.title === title, homeHead.title[0]);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.ok(await page.evaluate(() => window.__sameDocument === true), "no page load");
    assert.ok(contentRequests.includes("/content/pages/home/1.json"), "the listing's first page was fetched");
    await assertHeadMatches(page, homeHead, "the listing");
    const head = await headInBrowser(page);
    assert.ok(head.title[0].includes(site.title));
    assert.deepEqual(head["og:type"], ["website"]);
    assert.equal(head.ldJson[0]["@type"], "Blog");
    assert.equal(await page.locator(".post-card").count(), Math.min(visible.length, S.site.pageSize));

    // Another post, rendered in the browser from its JSON.
    const otherPage = await getPage(nginx.url, postPath(other.slug));
    const otherHead = headOf(otherPage.$);
    await page.getByRole("link", { name: other.title, exact: true }).click();
    await page.locator("h1.post__title").filter({ hasText: other.title }).waitFor();
    await page.waitForFunction((title) => document.title === title, otherHead.title[0]);
    assert.equal(new URL(page.url()).pathname, postPath(other.slug));
    assert.ok(await page.evaluate(() => window.__sameDocument === true), "no page load");
    await assertHeadMatches(page, otherHead, "the other post");
    const shown = await page.locator(".post__body").evaluate((el) => el.textContent.replace(/\s+/g, " "));
    assert.ok(shown.includes(openingSentence(otherPage.$)), "the other post's text");
    assert.deepEqual(unexpectedProblems(page, S.elsewhere), []);
  });

  test(`${S.name}: the home page is taken over without a visible change`, { skip: S.skip, timeout: 120_000 }, async () => {
    const { visible, nginx } = ready(S);
    const homePage = await getPage(nginx.url, "/");
    const [first] = visible;
    const teaser = homePage.$(".post-card").first().find(".post-card__teaser").text().replace(/\s+/g, " ").trim();
    const page = await newPage(browser);
    await takeOver(page, nginx.url + "/", {
      titleSelector: ".post-card__title a",
      title: first.title,
      textSelector: ".post-card__teaser",
      sentence: teaser.slice(0, 120),
    });
    await assertHeadMatches(page, headOf(homePage.$), "after the take-over");
    assert.equal(await page.locator(".post-card").count(), Math.min(visible.length, S.site.pageSize));
    await screenshot(page, `${S.name}-takeover-home`);

    await page.evaluate(() => (window.__sameDocument = true));
    const postPage = await getPage(nginx.url, postPath(first.slug));
    const postHead = headOf(postPage.$);
    await page.getByRole("link", { name: first.title, exact: true }).click();
    await page.locator("h1.post__title").filter({ hasText: first.title }).waitFor();
    await page.waitForFunction((title) => document.title === title, postHead.title[0]);
    assert.ok(await page.evaluate(() => window.__sameDocument === true), "no page load");
    await assertHeadMatches(page, postHead, "the post");
    assert.deepEqual(unexpectedProblems(page, S.elsewhere), []);
  });

  // A static host answers one page at several addresses; the app takes each of them over.
  test(`${S.name}: a page is taken over at every address a host serves it under`, { skip: S.skip, timeout: 120_000 }, async () => {
    const { visible, nginx } = ready(S);
    const post = visible.find((p) => /[+']/.test(p.slug)) || visible[0];
    const path = postPath(post.slug);
    const postPage = await getPage(nginx.url, path);
    const addresses = [
      [path + "/", path + "/"],
      [path + "/index.html", path + "/"],
      [path.replace(/\+/g, "%2B").replace(/'/g, "%27"), null],
      ["/index.html", "/"],
    ];
    for (const [address, cleaned] of addresses) {
      const page = await newPage(browser);
      const home = address === "/index.html";
      await takeOver(page, nginx.url + address, home
        ? { titleSelector: ".post-card__title a", title: visible[0].title, textSelector: ".post-card__teaser", sentence: "" }
        : { titleSelector: "h1.post__title", title: post.title, textSelector: ".post__body", sentence: openingSentence(postPage.$) });
      if (cleaned) assert.equal(new URL(page.url()).pathname, cleaned, `${address}: the router's address`);
      assert.equal(await page.locator(home ? ".route[data-route=listing]" : ".route[data-route=post]").count(), 1, address);
      assert.deepEqual(unexpectedProblems(page, S.elsewhere), [], address);
      await page.context().close();
    }
  });

  // A page that arrives in parts (a slow network) is painted as far as it has come. A frame of
  // part of a page is no layout shift for what follows: nothing painted moves when the rest
  // arrives or when the app takes over. The server holds the rest of the page back until the
  // browser has run two frames of the first part (window.__frames, recordFrames).
  test(`${S.name}: a page painted as it arrives does not shift`, { skip: S.skip, timeout: 120_000 }, async () => {
    const { visible, nginx } = ready(S);
    const post = visible[0];
    const path = postPath(post.slug);
    const { html, $ } = await getPage(nginx.url, path);
    const sentence = openingSentence($);
    // Where the first part ends: after each part of the header, then inside the post.
    const cuts = [
      /class="site-title"[^>]*>[^<]*<\/a>/,
      /class="site-subtitle"[^>]*>[^<]*<\/p>/,
      /data-choice="system"[^>]*>[^<]*<\/button>/,
      /<input [^>]*class="site-search__input"[^>]*>/,
      /<\/form>/,
      /<\/header><main/,
      /<h1 class="post__title">[^<]*<\/h1>/,
      /<div class="post__body[^>]*>[\s\S]*?<\/p>/,
    ].map((re) => {
      const m = re.exec(html);
      assert.ok(m, `${re} is in ${path}`);
      return { re, at: m.index + m[0].length };
    });
    let hold = null;
    const server = createServer(async (req, res) => {
      const upstream = await fetch(nginx.url + req.url, { redirect: "manual" });
      const headers = Object.fromEntries([...upstream.headers].filter(([k]) => !/^(content-length|content-encoding|transfer-encoding|connection)$/.test(k)));
      const body = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, headers);
      // The held page: its first part, then the rest once released.
      const split = hold && new URL(req.url, "http://x").pathname === path ? Buffer.byteLength(html.slice(0, hold.at)) : 0;
      if (split) {
        res.write(body.subarray(0, split));
        await hold.released;
      }
      res.end(body.subarray(split));
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${server.address().port}${path}`;
    try {
      for (const viewport of [{ width: 1280, height: 720 }, { width: 375, height: 700 }]) {
        for (const cut of cuts) {
          const what = `${viewport.width}px wide, the page cut after ${cut.re}`;
          let release;
          hold = { at: cut.at, released: new Promise((ok) => (release = ok)) };
          const page = await newPage(browser, { viewport });
          await page.addInitScript(recordFrames, { titleSelector: "h1.post__title", title: post.title, textSelector: ".post__body", sentence, extraFrames: 5 });
          const loaded = page.goto(url);
          // The rest is sent once the browser has run two frames of the first part. Up to the
          // end of the site header it runs none (index.html, rel=expect): then after 1 s, a
          // slow network's pause.
          const header = cut.at <= html.indexOf("</header>");
          if (header) await new Promise((ok) => setTimeout(ok, 1000));
          else await page.waitForFunction(() => window.__frames?.frames.filter((f) => f.readyState === "loading").length >= 2);
          const firstPart = await page.evaluate(() => window.__frames?.frames.length ?? 0);
          release();
          await loaded;
          await page.waitForFunction(() => window.__frames?.done);
          await appStarted(page);
          const rec = await page.evaluate(() => window.__frames);
          if (header) assert.equal(firstPart, 0, `${what}: no frame of part of the header`);
          else assert.ok(firstPart >= 2 && rec.frames.slice(0, firstPart).every((f) => f.readyState === "loading"), `${what}: frames of the first part alone`);
          assert.ok(rec.frames.at(-1).title && rec.frames.at(-1).text, `${what}: the post shows in the end`);
          assert.equal(rec.cls, 0, `${what}: layout shifts ${JSON.stringify(rec.shifts)}`);
          assert.deepEqual(unexpectedProblems(page, S.elsewhere), [], what);
          await page.context().close();
        }
      }
    } finally {
      server.close();
    }
  });

  // c. JavaScript off: the site is still a site.
  test(`${S.name}: with JavaScript off, the listing, a post and the 404 page read and link`, { skip: S.skip }, async () => {
    const { visible, nginx } = ready(S);
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(nginx.url + "/");
    const titles = await page.locator(".post-card h2").allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), visible.slice(0, S.site.pageSize).map((p) => p.title));
    await screenshot(page, `${S.name}-nojs-home`);
    if (visible.length > S.site.pageSize) {
      // Pagination and category pages are plain links too.
      await page.getByRole("link", { name: "Older posts →" }).click();
      await page.waitForURL(nginx.url + "/page/2");
      const second = await page.locator(".post-card h2").allTextContents();
      assert.deepEqual(second.map((t) => t.trim()), visible.slice(S.site.pageSize, 2 * S.site.pageSize).map((p) => p.title));
      await page.locator(".category-nav a").first().click();
      await page.locator("h1.listing__title").waitFor();
      assert.ok((await page.locator(".post-card").count()) > 0, "a category page lists its posts");
      await page.goto(nginx.url + "/");
    }

    const post = visible[0];
    const sentence = openingSentence((await getPage(nginx.url, postPath(post.slug))).$);
    await page.getByRole("link", { name: post.title, exact: true }).click();
    await page.waitForURL(nginx.url + postPath(post.slug));
    assert.equal((await page.locator("h1").textContent()).trim(), post.title);
    assert.ok((await page.locator(".post__body").innerText()).replace(/\s+/g, " ").includes(sentence), "the post's text");
    await screenshot(page, `${S.name}-nojs-post`);

    await page.getByRole("link", { name: "← All posts" }).click();
    await page.waitForURL(nginx.url + "/");
    assert.equal(await page.locator(".post-card").count(), Math.min(visible.length, S.site.pageSize));

    const response = await page.goto(nginx.url + "/blog/no-such-post-anywhere");
    assert.equal(response.status(), 404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await screenshot(page, `${S.name}-nojs-404`);
    await page.getByRole("link", { name: "Back to all posts" }).click();
    await page.waitForURL(nginx.url + "/");
    assert.deepEqual(unexpectedProblems(page, S.elsewhere), []);
  });
}

// ---------------------------------------------------------------------------------------
// d. Under a sub-path (GitHub Pages project site): served by the static-host imitation, as
// the nginx recipe is for a site at the root of its host.

test("under a sub-path, a post reads without JavaScript and is taken over with it", { skip: noSub }, async () => {
  const server = await serveStatic(SUB_DIST, { prefix: "/quire" });
  try {
    const path = "/quire/blog/hello-quire";
    const { status, $ } = await getPage(server.url, path);
    assert.equal(status, 200);
    const title = $("h1.post__title").text();
    assert.ok(title, "a prerendered title");
    const sentence = openingSentence($);
    // Every site link and asset carries the prefix.
    const refs = [
      ...$("a[href]").map((_, a) => $(a).attr("href")).get(),
      ...$("link[href]").map((_, l) => $(l).attr("href")).get(),
      ...$("script[src]").map((_, s) => $(s).attr("src")).get(),
    ].filter((r) => r.startsWith("/"));
    assert.ok(refs.length > 5);
    assert.deepEqual(refs.filter((r) => !r.startsWith("/quire/")), [], "links without /quire/");

    const noJs = await newPage(browser, { javaScriptEnabled: false });
    await noJs.goto(server.url + path);
    assert.equal((await noJs.locator("h1").textContent()).trim(), title);
    assert.ok((await noJs.locator(".post__body").innerText()).replace(/\s+/g, " ").includes(sentence));
    await screenshot(noJs, "subpath-nojs-post");
    await noJs.getByRole("link", { name: "← All posts" }).click();
    await noJs.waitForURL(server.url + "/quire/");
    assert.ok((await noJs.locator(".post-card").count()) > 0);

    const page = await newPage(browser);
    const contentRequests = await takeOver(page, server.url + path, { titleSelector: "h1.post__title", title, textSelector: ".post__body", sentence });
    await assertHeadMatches(page, headOf($), "after the take-over");
    const links = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(links.filter((r) => !r.startsWith("/quire/")), [], "links without /quire/ after the take-over");
    await page.getByRole("link", { name: "← All posts" }).click();
    await page.locator(".post-card").first().waitFor();
    assert.equal(new URL(page.url()).pathname, "/quire/");
    assert.deepEqual(contentRequests, ["/quire/content/pages/home/1.json"]);
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await server.close();
  }
});

// A link to a heading of another post: the post renders in the browser, then the heading is
// scrolled to and focused (the router alone scrolls before the post exists).
test("sample: an in-app link to a heading scrolls to it once the post has rendered and focuses it", { skip: SITES[0].skip }, async () => {
  const { nginx } = ready(SITES[0]);
  const { $ } = await getPage(nginx.url, "/blog/markdown-tour");
  const headings = $(".post__body h2[id], .post__body h3[id]").map((_, h) => $(h).attr("id")).get();
  const id = headings[headings.length - 1];
  assert.ok(id, "the tour has headings with ids");
  const page = await newPage(browser, { viewport: { width: 1000, height: 600 } });
  await page.goto(nginx.url + "/");
  await appStarted(page);
  await page.evaluate((href) => {
    const link = Object.assign(document.createElement("a"), { href, textContent: "to the heading" });
    document.querySelector("main").prepend(link);
  }, `/blog/markdown-tour#${id}`);
  await page.getByRole("link", { name: "to the heading" }).click();
  await page.locator("h1.post__title").waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, id);
  const top = await page.locator(`[id="${id}"]`).evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 200, `the heading is at the top of the view (${top})`);
  // A page load of the same address scrolls there natively: the heading is in the HTML.
  const load = await newPage(browser, { viewport: { width: 1000, height: 600 } });
  await load.goto(nginx.url + `/blog/markdown-tour#${id}`);
  await appStarted(load);
  const loadTop = await load.locator(`[id="${id}"]`).evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(loadTop >= -1 && loadTop < 200, `on a page load too (${loadTop})`);
  assert.deepEqual(unexpectedProblems(page), []);
});

test("release builds ship the app's JS glue and the renderer's minified", { skip: SITES[0].skip }, () => {
  const dist = SITES[0].dist;
  const glue = readdirSync(dist).filter((f) => /^quire-(render-)?[0-9a-f]{16}\.js$/.test(f));
  assert.equal(glue.length, 2, `the app's glue and the renderer's in ${dist}: ${glue}`);
  for (const file of glue) {
    const code = readFileSync(join(dist, file), "utf8");
    // wasm-bindgen writes one statement a line, indented, with JSDoc comments; terser none.
    assert.ok(!/\/\*\*|\n {4}/.test(code), `${file} is minified`);
    assert.ok(code.split("\n").length < 10, `${file}: ${code.split("\n").length} lines`);
  }
});

test("the app's glue and its chunks' loader ask the browser to compile them as they load", { skip: SITES[0].skip }, () => {
  const dist = SITES[0].dist;
  const files = readdirSync(dist).filter((f) => /^quire-(split-)?[0-9a-f]{12,16}\.js$/.test(f));
  assert.equal(files.length, 2, `the app's glue and the chunks' loader in ${dist}: ${files}`);
  for (const file of files) {
    // V8's explicit compile hint (crates/compiler/src/minify.rs): only as the file's first line.
    const code = readFileSync(join(dist, file), "utf8");
    assert.ok(code.startsWith("//# allFunctionsCalledOnLoad\n"), `${file} starts with the hint: ${code.slice(0, 60)}`);
    assert.equal(code.split("allFunctionsCalledOnLoad").length, 2, `${file} has the hint once`);
  }
});
