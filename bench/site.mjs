// Items 1–3 of the performance issue, in headless Chromium on loopback, against a built site
// served by nginx with deploy/nginx.conf:
//   ttc   time to content of a post, cold, against the same page without its scripts (floor)
//   bytes what a first post view downloads, per file, raw/gzip/brotli, split into what the
//         browser needs before it can show the text (render-blocking) and the rest
//   nav   in-app navigation from the listing to a post: click → post text painted, after a
//         hover, after the link was on screen (viewport prefetch), and without prefetch
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, basename } from "node:path";
import { WORK, coldContext, fileOf, median, ratio, sizes, spread, table, throttle, kb } from "./lib.mjs";
import { postJsonOfLink, parsePostFile } from "../tests/e2e/content.mjs";
import { saveData } from "../tests/e2e/support.mjs";

/** Runs in every page before its scripts: records when the first text block matching
 * `selector` is painted (Element Timing: the attribute is set as the parser inserts the
 * element, before its first paint; also on the app's copy after the take-over), and FCP.
 * When the content's paint is known it says so on the console (`quire-bench:<ms>`), which
 * the bench hears through DevTools: waiting with `page.waitForFunction` instead made
 * Playwright evaluate its injected script in the page (70–85 ms of the main thread at CPU
 * 4×, traced) at a moment that fell before the first paint in some loads and not in others.
 * The observer looks only at what each mutation added (a `querySelectorAll` over the whole
 * document at every parser insertion took up to 13 ms at 4×, also before the paint). */
function watchPaint(selector) {
  const t = (window.__bench = { content: null, fcp: null, lcp: null });
  const po = (type, f) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(f)).observe({ type, buffered: true });
    } catch {}
  };
  po("element", (e) => {
    if (e.identifier !== "quire-bench") return;
    const at = e.renderTime || e.loadTime;
    if (t.content == null || at < t.content) {
      if (t.content == null) console.debug(`quire-bench:${at}`);
      t.content = at;
    }
  });
  po("paint", (e) => e.name === "first-contentful-paint" && (t.fcp = e.startTime));
  po("largest-contentful-paint", (e) => (t.lcp = e.startTime));
  const mark = (el) => {
    if (el && !el.hasAttribute("elementtiming") && el.textContent.trim()) el.setAttribute("elementtiming", "quire-bench");
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          if (node.matches(selector)) mark(node);
          else if (node.firstElementChild) node.querySelectorAll(selector).forEach(mark);
        } else if (node.nodeType === Node.TEXT_NODE && record.target.closest) {
          // Text arriving in a paragraph the parser inserted empty, or in an element in it.
          mark(record.target.closest(selector));
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Resolves with the content's paint time that `watchPaint` prints in `page`. */
function contentPainted(page) {
  return page
    .waitForEvent("console", { predicate: (m) => m.text().startsWith("quire-bench:"), timeout: 60_000 })
    .then((m) => Number(m.text().slice("quire-bench:".length)));
}

const POST_TEXT = ".post__body > p";

/** The post whose JSON is of median size among the site's posts (a typical post), or `slug`. */
export function pickPost(dist, slug) {
  const dir = join(dist, "content/posts");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ f, size: statSync(join(dir, f)).size, data: parsePostFile(readFileSync(join(dir, f), "utf8")) }))
    .filter(({ data }) => !data.post.summary.hidden && /^\s*[^\s#<!|>*-]/m.test(data.post.body));
  if (slug) {
    const found = files.find(({ data }) => data.post.summary.slug === slug);
    if (!found) throw new Error(`no visible post with slug ${slug} in ${dir}`);
    return found.data.post.summary.slug;
  }
  files.sort((a, b) => a.size - b.size);
  return files[files.length >> 1].data.post.summary.slug;
}

/** The prerendered page without its scripts and script/wasm preloads: the floor. With
 * `keepPreloads`, the preloads stay (the app's files are downloaded but never run), which
 * tells the cost of downloading the app from the cost of running it. */
export function floorPage(html, { keepPreloads = false } = {}) {
  const page = html.replace(/<script\b(?![^>]*type="application\/(?:ld\+)?json")[^>]*>[\s\S]*?<\/script>/g, "");
  return keepPreloads ? page : page.replace(/<link\b[^>]*rel="(?:modulepreload|preload)"[^>]*>/g, "");
}

export async function floorFiles(dist, slug) {
  const page = fileOf(dist, `/blog/${encodeURIComponent(slug)}/`);
  if (!page) throw new Error(`${dist}: no page for /blog/${slug}/`);
  const dir = join(WORK, "floor");
  mkdirSync(dir, { recursive: true });
  const html = readFileSync(page, "utf8");
  const file = join(dir, `${basename(dist)}.html`);
  const preloads = join(dir, `${basename(dist)}-preloads.html`);
  writeFileSync(file, floorPage(html));
  writeFileSync(preloads, floorPage(html, { keepPreloads: true }));
  return { "bench-floor/index.html": file, "bench-floor-preloads/index.html": preloads };
}

async function timeToContent(browser, url, { rate = 1, selector = POST_TEXT } = {}) {
  const context = await coldContext(browser);
  try {
    const page = await context.newPage();
    await context.addInitScript(watchPaint, selector);
    await throttle(page, rate);
    const painted = contentPainted(page);
    await page.goto(url, { waitUntil: "commit" });
    await painted;
    return await page.evaluate(() => window.__bench);
  } finally {
    await context.close();
  }
}

/** Item 1: quire's post page and the floor, interleaved, `runs` rounds per CPU rate, after
 * `warmUp` rounds that are not counted (the first loads of a browser ran up to 1.5× slower
 * than its later ones). The ratio to the floor is given two ways: the ratio of the medians,
 * and the median of each round's own ratio (the loads of one round come within seconds of
 * each other, so a machine getting busier or quieter over the run cancels out in it). */
export async function measureTtc(browser, site, { slug, runs, rates, warmUp = 3 }) {
  // Since 2026-11-28 quire's pages have no preloads (Trunk.toml, pattern_preload): the second
  // floor is then the same page again, and the two floors' spread shows the run's noise.
  const page = readFileSync(fileOf(site.root, `/blog/${encodeURIComponent(slug)}/`), "utf8");
  const second =
    floorPage(page, { keepPreloads: true }) !== floorPage(page)
      ? "floor + the app's preloads (downloaded, not run)"
      : "floor again, a second copy (the page has no preloads to keep): the floors' spread is the run's noise";
  const FLOOR = "floor (same HTML, no scripts)";
  const variants = {
    quire: `${site.url}/blog/${encodeURIComponent(slug)}/`,
    [FLOOR]: `${site.url}/bench-floor/`,
    [second]: `${site.url}/bench-floor-preloads/`,
  };
  const rows = [];
  for (const rate of rates) {
    const results = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
    const fcp = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
    for (let round = -warmUp; round < runs; round++) {
      // Rotated, so that each page takes each place in a round equally often (in 15 rounds,
      // five times each): the first load after a context closes and the last before the next
      // round do not always fall to the same page. (Reversing every other round left the
      // plain floor always in the middle.)
      const keys = Object.keys(variants);
      const order = keys.map((_, i) => keys[(((i + round) % keys.length) + keys.length) % keys.length]);
      for (const v of order) {
        const t = await timeToContent(browser, variants[v], { rate });
        if (round < 0) continue;
        results[v].push(t.content);
        if (t.fcp != null) fcp[v].push(t.fcp);
      }
    }
    const floor = median(results[FLOOR]);
    for (const v of Object.keys(variants)) {
      const paired = median(results[v].map((t, i) => t / results[FLOOR][i]));
      rows.push([`${v}, CPU ${rate}×`, spread(results[v]), spread(fcp[v]), ratio(median(results[v]) / floor), ratio(paired)]);
    }
  }
  return {
    title: `Time to content of a post (\`/blog/${slug}/\`), cold cache, navigation start → first paint of the body's first paragraph (Element Timing); ${runs} interleaved runs per row after ${warmUp} warm-up rounds`,
    text: table(["page", "content painted: median (IQR)", "first contentful paint", "ratio to floor (of the medians)", "ratio to floor (median of the rounds' ratios)"], rows),
  };
}

/** Item 2: every file of a cold first post view, as the page's Resource Timing lists it. */
export async function measureBytes(browser, site, { slug }) {
  const context = await coldContext(browser);
  let entries;
  let content;
  try {
    const page = await context.newPage();
    await context.addInitScript(watchPaint, POST_TEXT);
    await context.addInitScript(() => addEventListener("TrunkApplicationStarted", () => (window.__started = true)));
    const painted = contentPainted(page);
    await page.goto(`${site.url}/blog/${encodeURIComponent(slug)}/`, { waitUntil: "load" });
    await painted;
    await page.waitForFunction(() => window.__started, null, { timeout: 60_000 });
    // Whatever the app fetches right after starting (nothing, for a prerendered post).
    await page.waitForLoadState("networkidle");
    ({ entries, content } = await page.evaluate(() => ({
      content: window.__bench.content,
      entries: [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map((e) => ({
        name: e.name,
        type: e.entryType === "navigation" ? "document" : e.initiatorType,
        blocking: e.entryType === "navigation" || e.renderBlockingStatus === "blocking",
        wire: e.encodedBodySize,
        end: e.responseEnd,
      })),
    })));
  } finally {
    await context.close();
  }
  const rows = [];
  const total = { raw: 0, gzip: 0, brotli: 0, wire: 0 };
  const before = { raw: 0, gzip: 0, brotli: 0, wire: 0 };
  const app = { raw: 0, gzip: 0, brotli: 0, wire: 0 };
  for (const e of entries) {
    const url = new URL(e.name);
    if (url.origin !== site.url) continue;
    const file = fileOf(site.root, url.pathname);
    if (!file) continue;
    const s = { ...sizes(readFileSync(file)), wire: e.wire };
    const isApp = /\/quire-[0-9a-f]+(_bg\.wasm|\.js)$/.test(url.pathname);
    for (const k of Object.keys(total)) {
      total[k] += s[k];
      if (e.blocking) before[k] += s[k];
      if (isApp) app[k] += s[k];
    }
    rows.push([
      `\`${url.pathname.replace(/[0-9a-f]{16}/, "…")}\``,
      e.blocking ? "before the text" : "after",
      kb(s.raw), kb(s.gzip), kb(s.brotli), kb(s.wire), `${e.end.toFixed(0)} ms`,
    ]);
  }
  rows.push(["**before the text is visible** (render-blocking)", "", kb(before.raw), kb(before.gzip), `**${kb(before.brotli)}**`, kb(before.wire), `content at ${content.toFixed(0)} ms`]);
  rows.push(["of which the app (wasm + JS glue)", "", kb(app.raw), kb(app.gzip), kb(app.brotli), kb(app.wire), ""]);
  rows.push(["**total**", "", kb(total.raw), kb(total.gzip), `**${kb(total.brotli)}**`, kb(total.wire), ""]);
  return {
    title: `Bytes of a first post view (\`/blog/${slug}/\`), cold, in KB: every file the page loaded; gzip -9 and brotli q11 computed per file, "wire" is what nginx sent (gzip level 6; 0 = not counted by the browser)`,
    text: table(["file", "needed", "raw", "gzip", "brotli", "wire", "loaded at"], rows),
    before,
    total,
  };
}

/** In the page, after the app started: times from a click to the post text on screen. */
function watchNavigation() {
  const n = (window.__nav = { click: null, dom: null, frame: null, painted: null, pushState: 0 });
  document.addEventListener("click", (e) => Object.assign(n, { click: e.timeStamp, dom: null, frame: null, painted: null, pushState: 0 }), true);
  // The browser's part of a navigation: the new history entry (Chromium commits a
  // same-document navigation with its browser process before pushState returns).
  const push = History.prototype.pushState;
  History.prototype.pushState = function (...args) {
    const start = performance.now();
    try {
      return push.apply(this, args);
    } finally {
      if (n.click != null && n.dom == null) n.pushState += performance.now() - start;
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === "quire-nav" && n.click != null && n.painted == null) n.painted = e.renderTime || e.loadTime;
    }
  }).observe({ type: "element", buffered: false });
  new MutationObserver(() => {
    if (n.click == null || n.dom != null) return;
    const p = document.querySelector('.route[data-route="post"] .post__body > p');
    if (!p) return;
    p.setAttribute("elementtiming", "quire-nav");
    n.dom = performance.now();
    // After the frame that shows it: a task queued from the frame's animation callback.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (n.frame = performance.now());
      channel.port2.postMessage(0);
    });
  }).observe(document.getElementById("main"), { childList: true, subtree: true });
}

async function oneNavigation(browser, site, how, linkIndex) {
  const context = await coldContext(browser);
  try {
    if (how === "uncached") await context.addInitScript(saveData);
    await context.addInitScript(() => {
      addEventListener("TrunkApplicationStarted", () => (window.__started = true));
      // The prerendered route root: the app has taken the page over once it is replaced (a
      // listing's first view loads the listings' chunk first, src/chunks.rs, after the app's
      // start function has returned and Trunk's loader has said it started).
      document.addEventListener("readystatechange", () => {
        if (document.readyState === "interactive") window.__prerendered = document.querySelector(".route");
      });
    });
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    await page.waitForFunction(
      () => window.__started && document.querySelector(".route") !== window.__prerendered,
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(watchNavigation);
    const link = page.locator(".post-card__title a").nth(linkIndex);
    const slug = decodeURIComponent((await link.getAttribute("href")).split("/").pop());
    const file = postJsonOfLink(await link.getAttribute("href"));
    // The post's JSON has arrived, and so has the Markdown renderer's module, which a page that
    // names one (the loader's quireRenderer) fetches beside the first post it prefetches.
    const fetched = (file) => {
      const arrived = (path) =>
        performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname.endsWith(path) && e.responseEnd > 0);
      const renderer = globalThis.quireRenderer;
      return arrived(file) && (!renderer || arrived(new URL(renderer.wasm, location.href).pathname));
    };
    // Two frames after the files arrived: the renderer's wasm is instantiated and the post
    // rendered (the prefetcher prepares a hovered post at once, src/prefetch.rs).
    const settled = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const start = Date.now();
    let waited = 0;
    if (how === "hovered") {
      await link.hover();
      await page.waitForFunction(fetched, file, { timeout: 10_000 });
      await settled();
      await link.click();
    } else if (how === "hovered 300 ms") {
      // The same, clicked 300 ms after the pointer came over the link (about a reader's hover
      // before a click on a desktop), or once the files arrived if that is later: by then the
      // app has usually instantiated the renderer, rendered the post and rehearsed its page,
      // which it does as the files arrive and in idle time (src/prefetch.rs).
      await link.hover();
      const hovered = Date.now();
      await page.waitForFunction(fetched, file, { timeout: 10_000 });
      await page.waitForTimeout(Math.max(0, 300 - (Date.now() - hovered)));
      await link.click();
    } else if (how === "hovered, later") {
      // A first navigation (not timed) and back: the app's code for a post page has run once.
      const other = page.locator(".post-card__title a").nth((linkIndex + 1) % 3);
      await other.hover();
      await page.waitForFunction(fetched, postJsonOfLink(await other.getAttribute("href")), { timeout: 10_000 });
      await other.click();
      await page.waitForFunction(() => window.__nav.frame != null, null, { timeout: 30_000 });
      await page.goBack();
      await link.waitFor();
      await link.hover();
      await page.waitForFunction(fetched, file, { timeout: 10_000 });
      await settled();
      await link.click();
    } else if (how === "on screen") {
      // The viewport prefetch: the link has been on screen since the page loaded.
      await page.waitForFunction(fetched, file, { timeout: 10_000 });
      waited = Date.now() - start;
      await settled();
      // A click without a pointer moving over the link first (no hover prefetch).
      await link.evaluate((a) => a.click());
    } else if (how === "floor") {
      // No app: the post's prerendered route put into <main> by a script, timed the same way.
      const path = `/blog/${encodeURIComponent(slug)}/`;
      const html = await page.evaluate(async (url) => await (await fetch(url)).text(), site.url + path);
      await page.evaluate(([html, path]) => {
        const route = new DOMParser().parseFromString(html, "text/html").querySelector("main .route").outerHTML;
        const main = document.getElementById("main");
        // Timed from here: the browser parses the route's HTML and shows it.
        Object.assign(window.__nav, { click: performance.now(), dom: null, frame: null, painted: null, pushState: 0 });
        main.innerHTML = route;
        // The new address, as any in-app navigation has to (the app's router does the same after
        // rendering the route, in the click's task).
        history.pushState(null, "", path);
        scrollTo(0, 0);
      }, [html, path]);
    } else {
      // Long enough for a viewport prefetch (300 ms on screen, then an idle callback), which
      // Save-Data must have prevented.
      await page.waitForTimeout(800);
      const jsonFetched = (file) => performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname.endsWith(file));
      if (await page.evaluate(jsonFetched, file)) throw new Error("a post was prefetched although Save-Data was on");
      await link.click();
    }
    await page.waitForFunction(() => window.__nav.frame != null, null, { timeout: 30_000 });
    // Chromium reports the paint some milliseconds after the frame (after the compositor has
    // presented it): read at once, the paint was missing from most runs on a fast machine.
    await page.waitForFunction(() => window.__nav.painted != null, null, { timeout: 1_000 }).catch(() => {});
    const n = await page.evaluate(() => window.__nav);
    return { dom: n.dom - n.click, frame: n.frame - n.click, painted: n.painted != null ? n.painted - n.click : null, pushState: n.pushState, prefetched: how !== "uncached", waited };
  } finally {
    await context.close();
  }
}

/** Item 3: listing → post, in the app. */
export async function measureNav(browser, site, { runs }) {
  const cases = ["hovered", "hovered 300 ms", "hovered, later", "on screen", "uncached", "floor"];
  const results = Object.fromEntries(cases.map((c) => [c, []]));
  for (let round = 0; round < runs; round++) {
    const order = round % 2 ? [...cases].reverse() : cases;
    for (const how of order) results[how].push(await oneNavigation(browser, site, how, round % 3));
  }
  const rows = cases.map((how) => {
    const r = results[how];
    const painted = r.map((x) => x.painted).filter((x) => x != null);
    return [
      {
        hovered: "hovered, prefetch done (the app's first navigation), clicked two frames after the files arrived",
        "hovered 300 ms": "hovered, prefetch done (the app's first navigation), clicked 300 ms after the hover began",
        "hovered, later": "hovered, prefetch done, after one navigation and back",
        "on screen": `link on screen ≥ 300 ms (prefetched ${median(r.map((x) => x.waited)).toFixed(0)} ms after the app started)`,
        uncached: "uncached (Save-Data on: no prefetch)",
        floor: "floor: the post's prerendered route HTML set as <main>'s innerHTML by a script, the address pushed, no app",
      }[how],
      spread(r.map((x) => x.dom)),
      spread(r.map((x) => x.pushState)),
      spread(r.map((x) => x.frame)),
      painted.length ? spread(painted) : "n/a",
    ];
  });
  return {
    title: `In-app navigation from the home listing to a post (one of its first three), ${runs} interleaved runs per row: from the click event to the post's text in the DOM (and the part of it spent in the browser's history.pushState), to the end of the frame that shows it, and to its paint (Element Timing)`,
    text: table(["case", "click → text in DOM", "of which history.pushState", "click → frame done", "click → text painted"], rows),
  };
}
