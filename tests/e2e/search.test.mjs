// Full-text search. Served by nginx with deploy/nginx.conf (the sample blog, and the
// openinfra.dev corpus when it is built), under the site's Content-Security-Policy:
// - the header's search box is a plain GET form to /search, prerendered, and taken over
//   without a change of markup or layout;
// - nothing of the index is fetched before the reader types; typing shows results with the
//   words found in <mark>, the address becomes /search?q=… (replaced, not one history entry
//   per keystroke), and loading that address shows the same results;
// - accents (École, typed with or without them) and Japanese (no spaces between words) are
//   found; hidden posts never are;
// - the keyboard reaches the box and Enter submits it; without JavaScript the form leads to
//   the prerendered search page, which says searching needs JavaScript;
// - axe-core finds no serious or critical violation on a page of results, in either theme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as cheerio from "cheerio";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { serveStatic, launch, newPage, screenshot, distDir, unexpectedProblems, appStarted, requestedPaths } from "./support.mjs";
import { postPath, readPosts } from "./content.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const CI = process.env.CI === "true";
const CORPUS = resolve(ROOT, process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");
const noNginx = !nginxBinary() && !CI && "nginx not installed (scripts/setup --test)";

const SITES = [
  { name: "sample", dist: distDir("QUIRE_DIST", "dist"), content: join(ROOT, "content"), skip: noNginx },
  {
    name: "corpus",
    dist: distDir("QUIRE_CORPUS_DIST", "dist-corpus"),
    content: CORPUS,
    skip: noNginx || (!CI && !(existsSync(CORPUS) && existsSync(join(distDir("QUIRE_CORPUS_DIST", "dist-corpus"), "index.html"))) && "corpus or dist-corpus missing"),
    // Posts link images on other sites (blocked by this machine's network) and under /img/
    // (not part of the corpus copy): neither is the app's doing.
    elsewhere: ["http 404: /img/", "failed: https://", "failed: http://"],
  },
];
const [sample, corpus] = SITES;
const SUB_DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");

let browser;

function ready(site) {
  if (site.error) throw site.error;
  return site;
}

before(async () => {
  for (const site of SITES) {
    if (site.skip) continue;
    try {
      assert.ok(existsSync(join(site.dist, "search/index.html")), `${site.dist}/search/index.html missing: build it (scripts/test)`);
      site.index = JSON.parse(readFileSync(join(site.dist, "content/index.json"), "utf8"));
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

/** Paths of the search index's files the page requested, in order. */
const watchIndexRequests = (page) => requestedPaths(page, (path) => path.includes("/content/search/"));

const searchBox = (page) => page.getByRole("searchbox", { name: "Search posts" });

/** The results shown: each one's link, title text and marked words. */
async function results(page) {
  return page.locator(".search-result").evaluateAll((items) =>
    items.map((li) => ({
      href: li.querySelector(".search-result__title a")?.getAttribute("href"),
      title: li.querySelector(".search-result__title")?.textContent.trim(),
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })),
  );
}

/** Waits until the status line reports a finished search for `text`. */
async function searched(page, text) {
  await page.waitForFunction(
    (text) => {
      const status = document.querySelector(".search__status")?.textContent ?? "";
      return /^(No posts match|\d+ posts? match(es)?) /.test(status) && status.includes(`“${text}”`);
    },
    text,
    { timeout: 15_000 },
  );
}

const statusText = (page) => page.locator(".search__status").textContent();

// ---------------------------------------------------------------------------------------
// The prerendered page and the take-over.

test("sample: /search is a prerendered page, and every page's header holds the search form", { skip: sample.skip }, async () => {
  const { nginx } = ready(sample);
  for (const path of ["/search", "/search/", "/search?q=leptos"]) {
    const res = await fetch(nginx.url + path, { redirect: "manual" });
    assert.equal(res.status, 200, path);
    const $ = cheerio.load(await res.text());
    assert.equal($('main#main > .route[data-route="search"]').length, 1, path);
    assert.equal($("h1").text(), "Search", path);
    assert.equal($("title").text(), "Search – quire", path);
    assert.deepEqual($('meta[name="robots"]').map((_, m) => $(m).attr("content")).get(), ["noindex"], path);
    assert.match($(".search__nojs").text(), /needs JavaScript/, path);
    assert.equal($("noscript").length, 0, path);
  }
  for (const path of ["/", postPath("quire+leptos"), "/no/such/page"]) {
    const $ = cheerio.load(await (await fetch(nginx.url + path)).text());
    const form = $('header.site-header form[role="search"]');
    assert.equal(form.length, 1, path);
    assert.equal(form.attr("action"), "/search", path);
    assert.equal((form.attr("method") ?? "").toLowerCase(), "get", path);
    const input = form.find('input[type="search"][name="q"]');
    assert.equal(input.length, 1, path);
    assert.equal(input.attr("value"), undefined, `${path}: the box is empty`);
    assert.equal(form.find(`label[for="${input.attr("id")}"]`).text(), "Search posts", path);
  }
  // The search page is not for search engines: not in the sitemap.
  const sitemap = existsSync(join(sample.dist, "sitemap.xml")) ? readFileSync(join(sample.dist, "sitemap.xml"), "utf8") : "";
  assert.ok(!sitemap.includes("/search"), "sitemap lists /search");
});

/**
 * Init script: the header's markup once the document is parsed (before any module script
 * ran), and the layout shifts from the start.
 */
function recordHeader() {
  const rec = (window.__header = { parsed: null, cls: 0 });
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "interactive") rec.parsed = document.querySelector("header.site-header")?.outerHTML;
  });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (rec.cls += e.value))).observe({ type: "layout-shift", buffered: true });
}

test("sample: the app takes the header and the search page over without a change, and fetches nothing", { skip: sample.skip }, async () => {
  const { nginx } = ready(sample);
  for (const path of [postPath("quire+leptos"), "/search"]) {
    const page = await newPage(browser);
    const requests = watchIndexRequests(page);
    const content = [];
    page.on("request", (r) => new URL(r.url()).pathname.includes("/content/") && content.push(new URL(r.url()).pathname));
    await page.addInitScript(recordHeader);
    await page.goto(nginx.url + path);
    await appStarted(page);
    await page.waitForTimeout(300);
    const rec = await page.evaluate(() => window.__header);
    // Leptos writes attributes in another order when it renders natively: compare them sorted.
    // The browser build (erase_components, .cargo/config.toml) also marks where an element's
    // children end with an empty comment, which nothing shows: empty comments are left out.
    const [before, now] = await page.evaluate((parsed) => {
      const canonical = (root) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
        const empty = [];
        while (walker.nextNode()) if (walker.currentNode.data === "") empty.push(walker.currentNode);
        for (const comment of empty) comment.remove();
        for (const el of [root, ...root.querySelectorAll("*")]) {
          const attrs = [...el.attributes].map((a) => [a.name, a.value]).sort();
          for (const [name] of attrs) el.removeAttribute(name);
          for (const [name, value] of attrs) el.setAttribute(name, value);
        }
        return root.outerHTML;
      };
      const template = document.createElement("template");
      template.innerHTML = parsed;
      return [canonical(template.content.firstElementChild), canonical(document.querySelector("header.site-header").cloneNode(true))];
    }, rec.parsed);
    assert.equal(now, before, `${path}: the header's markup is the prerendered one`);
    assert.equal(rec.cls, 0, `${path}: layout shifts`);
    assert.deepEqual(content, [], `${path}: nothing fetched`);
    assert.deepEqual(requests, []);
    if (path === "/search") {
      assert.equal(await page.locator("h1").textContent(), "Search");
      assert.equal(await page.title(), "Search – quire");
      assert.equal(await page.locator(".search__nojs").isVisible(), false, "the note for readers without JavaScript is hidden");
    }
    assert.deepEqual(unexpectedProblems(page), [], path);
    await page.context().close();
  }
});

// ---------------------------------------------------------------------------------------
// Searching.

test("sample: typing searches as you type; the address follows and reloads to the same results", { skip: sample.skip, timeout: 60_000 }, async () => {
  const { nginx, index } = ready(sample);
  const page = await newPage(browser);
  const requests = watchIndexRequests(page);
  await page.goto(nginx.url + "/");
  await appStarted(page);
  const box = searchBox(page);
  await box.click();
  await page.waitForTimeout(200);
  assert.deepEqual(requests, [], "no request of the index before the reader types");
  const historyBefore = await page.evaluate(() => history.length);

  await box.pressSequentially("leptos", { delay: 40 });
  await searched(page, "leptos");
  await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === "leptos");
  assert.equal(requests[0], "/content/search/index.json", "the manifest first");
  assert.ok(requests.length <= 8, `index files fetched: ${requests}`);
  assert.equal(await page.evaluate(() => history.length), historyBefore + 1, "one history entry for the whole search");
  assert.ok(await box.evaluate((el) => el === document.activeElement), "the box keeps the focus");

  const leptos = index.posts.find((p) => p.slug === "quire+leptos");
  const found = await results(page);
  assert.equal(found[0]?.href, postPath(leptos.slug), `the Leptos post first: ${JSON.stringify(found)}`);
  assert.ok(found[0].marks.some((m) => m.toLowerCase() === "leptos"), `marked: ${JSON.stringify(found[0])}`);
  assert.match(await statusText(page), new RegExp(`^${found.length} posts? match`));
  await page.waitForFunction(() => document.title === "Search: leptos – quire");
  const robots = await page.locator('head meta[name="robots"]').evaluateAll((ms) => ms.map((m) => m.content));
  assert.deepEqual(robots, ["noindex"]);
  await screenshot(page, "search-leptos");

  // The word being typed matches longer words: "lept" finds the same post.
  await box.press("Backspace");
  await box.press("Backspace");
  await searched(page, "lept");
  assert.equal((await results(page))[0]?.href, postPath(leptos.slug));

  // The address, loaded afresh, shows the same results and fills the box.
  await page.goto(nginx.url + "/search?q=leptos");
  await appStarted(page);
  await searched(page, "leptos");
  assert.deepEqual(await results(page), found);
  assert.equal(await box.inputValue(), "leptos");
  assert.equal(await page.title(), "Search: leptos – quire");
  const head = await page.evaluate(() => ({
    titles: document.querySelectorAll("title").length,
    robots: [...document.querySelectorAll('meta[name="robots"]')].map((m) => m.content),
  }));
  assert.deepEqual(head, { titles: 1, robots: ["noindex"] }, "the prerendered head tags were replaced, not repeated");

  // A result is a link into the app; back returns to the results.
  await page.evaluate(() => (window.__sameDocument = true));
  await page.locator(".search-result__title a").first().click();
  await page.locator("h1.post__title").waitFor();
  assert.equal(new URL(page.url()).pathname, postPath(leptos.slug));
  assert.equal(await box.inputValue(), "", "the box empties on leaving the search page");
  await page.goBack();
  await searched(page, "leptos");
  assert.equal(await box.inputValue(), "leptos");
  assert.ok(await page.evaluate(() => window.__sameDocument === true), "no page load");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("sample: Japanese is found as typed, hidden posts never are, and no match says so", { skip: sample.skip }, async () => {
  const { nginx, index } = ready(sample);
  const page = await newPage(browser);
  await page.goto(nginx.url + "/search");
  await appStarted(page);
  const box = searchBox(page);

  await box.fill("日本語");
  await searched(page, "日本語");
  const japanese = await results(page);
  // (The sentence is in the body: the result shows the post's description, without it.)
  assert.deepEqual(japanese.map((r) => r.href), [postPath("markdown-tour")]);
  await box.fill("そのまま");
  await searched(page, "そのまま");
  assert.deepEqual((await results(page)).map((r) => r.href), [postPath("markdown-tour")]);

  // The hidden draft's own words find nothing.
  const hidden = index.posts.filter((p) => p.hidden);
  assert.ok(hidden.length > 0, "the sample has a hidden post");
  await box.fill("unfinished draft");
  await searched(page, "unfinished draft");
  const draft = await results(page);
  for (const post of hidden) assert.ok(!draft.some((r) => r.href === postPath(post.slug)), `hidden ${post.slug} found`);

  await box.fill("xylophonequartz");
  await searched(page, "xylophonequartz");
  assert.equal(await statusText(page), "No posts match “xylophonequartz”.");
  assert.equal(await page.locator(".search-result").count(), 0);

  // Emptying the box shows the hint again.
  await box.fill("");
  await page.waitForURL((url) => url.pathname === "/search" && !url.searchParams.has("q"));
  assert.match(await statusText(page), /^Type words into the search box/);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("sample: the keyboard reaches the box, and Enter submits it", { skip: sample.skip }, async () => {
  const { nginx } = ready(sample);
  const page = await newPage(browser);
  await page.goto(nginx.url + postPath("hello-quire"));
  await appStarted(page);
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "quire-search");
  }
  assert.ok(reached, "Tab reaches the search box");
  await page.keyboard.type("quire");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === "quire");
  await searched(page, "quire");
  assert.ok((await results(page)).length >= 3);
  // Tab leaves the box for the button, then the results.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Search");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("sample: without JavaScript the form leads to the search page, which says searching needs it", { skip: sample.skip }, async () => {
  const { nginx } = ready(sample);
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(nginx.url + "/");
  await searchBox(page).fill("leptos");
  await searchBox(page).press("Enter");
  await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === "leptos");
  assert.equal(await page.locator("h1").textContent(), "Search");
  assert.ok(await page.locator(".search__nojs").isVisible(), "the note is shown");
  assert.match(await page.locator(".search__nojs").textContent(), /Searching needs JavaScript/);
  await screenshot(page, "search-nojs");
  // The button submits too.
  await searchBox(page).fill("quire");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === "quire");
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("corpus: a word is found typed with its accent, and without it", { skip: corpus.skip, timeout: 60_000 }, async () => {
  const { nginx, index } = ready(corpus);
  // Which visible posts say "École", read from the Markdown sources themselves.
  const visible = new Set(index.posts.filter((p) => !p.hidden).map((p) => p.slug));
  const expected = readPosts(corpus.content)
    .filter((p) => !p.hidden && visible.has(p.slug) && /École/.test(p.title + p.body))
    .map((p) => postPath(p.slug));
  assert.ok(expected.length > 0, "the corpus has posts saying École");
  const page = await newPage(browser);
  await page.goto(nginx.url + "/");
  await appStarted(page);
  const box = searchBox(page);
  await box.pressSequentially("École", { delay: 30 });
  await searched(page, "École");
  const found = await results(page);
  const hrefs = found.map((r) => r.href);
  for (const href of expected.slice(0, 20)) assert.ok(hrefs.includes(href), `${href} not found: ${hrefs}`);
  assert.match(await statusText(page), new RegExp(`^${new Set(expected).size} posts match`));
  assert.ok(found.some((r) => r.marks.includes("École")), `École marked: ${JSON.stringify(found.slice(0, 3))}`);
  await page.waitForURL((url) => url.searchParams.get("q") === "École");
  await screenshot(page, "search-corpus-ecole");

  await box.fill("ecole");
  await searched(page, "ecole");
  assert.deepEqual((await results(page)).map((r) => r.href).sort(), [...hrefs].sort(), "the same posts without the accent");

  // Twenty results at first; "More results" shows the next ones.
  await box.fill("openstack");
  await searched(page, "openstack");
  const total = Number((await statusText(page)).match(/^(\d+) posts/)?.[1]);
  assert.ok(total > 20, `${total} posts match openstack`);
  assert.equal(await page.locator(".search-result").count(), 20);
  await page.getByRole("button", { name: "More results" }).click();
  await page.waitForFunction((n) => document.querySelectorAll(".search-result").length === n, Math.min(40, total));
  assert.deepEqual(unexpectedProblems(page, corpus.elsewhere), []);
  await page.context().close();
});

test("under a sub-path, the form, the index and the results follow the prefix", { skip: !existsSync(join(SUB_DIST, "search/index.html")) && `${SUB_DIST}/search/index.html missing` }, async () => {
  const server = await serveStatic(SUB_DIST, { prefix: "/quire" });
  try {
    const page = await newPage(browser);
    const requests = watchIndexRequests(page);
    await page.goto(server.url + "/quire/");
    await appStarted(page);
    assert.equal(await page.locator('form[role="search"]').getAttribute("action"), "/quire/search");
    await searchBox(page).pressSequentially("leptos", { delay: 30 });
    await searched(page, "leptos");
    await page.waitForURL((url) => url.pathname === "/quire/search" && url.searchParams.get("q") === "leptos");
    assert.ok(requests.length > 0 && requests.every((p) => p.startsWith("/quire/content/search/")), `${requests}`);
    assert.equal((await results(page))[0]?.href, "/quire" + postPath("quire+leptos"));
    await page.reload();
    await appStarted(page);
    await searched(page, "leptos");
    assert.equal(await searchBox(page).inputValue(), "leptos");
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------
// Accessibility of a page of results.

async function runAxe(page) {
  await page.context().route("**/__a11y/axe.min.js", (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(AXE, "utf8") }),
  );
  await page.addScriptTag({ url: "/__a11y/axe.min.js" });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("sample: axe-core finds no serious or critical violation on a page of results, in either theme", { skip: sample.skip || (!existsSync(AXE) && "axe-core not installed (npm ci)") }, async () => {
  const { nginx } = ready(sample);
  for (const colorScheme of ["light", "dark"]) {
    const page = await newPage(browser, { colorScheme });
    await page.goto(nginx.url + "/search?q=quire");
    await appStarted(page);
    await searched(page, "quire");
    assert.equal(await page.locator("h1").count(), 1);
    assert.deepEqual(await runAxe(page), [], colorScheme);
    await screenshot(page, `search-results-${colorScheme}`);
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  }
});
