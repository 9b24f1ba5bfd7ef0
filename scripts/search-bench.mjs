// Search figures for scripts/bench: serves a built site with nginx (deploy/nginx.conf) and types
// queries into the header's search box in headless Chromium, one key at a time, waiting for each
// answer. Prints the bytes the first search fetched and, per keystroke, the time from the input
// event to the results being in the page (index lookup + rendering, measured in the page) and
// to the next frame. Keystrokes that had to fetch a piece of the index are counted apart (their
// time is mostly the network's). No pass/fail.
//
//   node scripts/search-bench.mjs DIST [LABEL]
import { resolve } from "node:path";
import { startNginx } from "../tests/e2e/nginx.mjs";
import { launch, newPage, appStarted } from "../tests/e2e/support.mjs";

const [dist, label = dist] = process.argv.slice(2);
if (!dist) {
  console.error("usage: node scripts/search-bench.mjs DIST [LABEL]");
  process.exit(2);
}
const QUERIES = ["openstack", "summit europe", "zuul", "kubernetes", "École", "edge computing", "ptg", "release notes"];

/** In the page: the time of each input event, of the last change in <main> after it, and of the frame after that. */
function instrument() {
  const marks = (window.__marks = []);
  const box = document.getElementById("quire-search");
  box.addEventListener("input", (e) => marks.push({ input: e.timeStamp, dom: null, frame: null }), true);
  new MutationObserver(() => {
    const mark = marks.at(-1);
    if (!mark) return;
    const t = performance.now();
    mark.dom = t;
    requestAnimationFrame(() => {
      if (mark.dom === t) mark.frame = performance.now();
    });
  }).observe(document.querySelector("main"), { subtree: true, childList: true, characterData: true, attributes: true });
}

const nginx = await startNginx(resolve(dist));
const browser = await launch();
try {
  const page = await newPage(browser);
  let fetches = [];
  page.on("requestfinished", async (request) => {
    const url = new URL(request.url());
    if (!url.pathname.includes("/content/search/")) return;
    const sizes = await request.sizes();
    const response = await request.response();
    const body = response ? (await response.body()).length : 0;
    fetches.push({ path: url.pathname, raw: body, transferred: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  await page.goto(nginx.url + "/");
  await appStarted(page);
  await page.evaluate(instrument);
  const box = page.locator("#quire-search");
  const rows = [];
  let firstSearch = null;
  for (const query of QUERIES) {
    await box.fill("");
    await page.waitForTimeout(100);
    for (let i = 1; i <= query.length; i++) {
      const before = fetches.length;
      const typed = query.slice(0, i);
      await page.keyboard.type(query[i - 1]);
      // Done: the status line reports this text, and nothing changed for a while.
      await page.waitForFunction((typed) => (document.querySelector(".search__status")?.textContent ?? "").includes(`“${typed.trim()}”`) || typed.trim() === "", typed, { timeout: 30_000 });
      await page.waitForTimeout(120);
      const mark = await page.evaluate(() => window.__marks.at(-1));
      if (mark?.dom != null) {
        rows.push({ query: typed, fetched: fetches.length - before, dom: mark.dom - mark.input, frame: (mark.frame ?? mark.dom) - mark.input });
      }
      if (!firstSearch && i === query.length) firstSearch = fetches.slice();
    }
  }
  const results = await page.locator(".search__status").textContent();
  const stats = (list) => {
    if (!list.length) return "none";
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms (${list.length} keystrokes)`;
  };
  const memory = rows.filter((r) => r.fetched === 0);
  const fetched = rows.filter((r) => r.fetched > 0);
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  console.log(`${label}:`);
  console.log(`  first search ("${QUERIES[0]}", typed key by key): ${firstSearch.length} files, ${sum(firstSearch, "raw")} bytes raw, ${sum(firstSearch, "transferred")} bytes transferred (gzip, headers included)`);
  if (process.env.VERBOSE) for (const f of firstSearch) console.log(`    ${f.path} ${f.raw} / ${f.transferred}`);
  console.log(`  all ${QUERIES.length} queries: ${fetches.length} files, ${sum(fetches, "raw")} bytes raw, ${sum(fetches, "transferred")} transferred`);
  console.log(`  keystroke answered from memory, input → results in the page: ${stats(memory.map((r) => r.dom))}`);
  console.log(`  keystroke answered from memory, input → next frame: ${stats(memory.map((r) => r.frame))}`);
  console.log(`  keystroke that fetched a piece of the index, input → results: ${stats(fetched.map((r) => r.dom))}`);
  console.log(`  last status: ${results}`);
} finally {
  await browser.close();
  await nginx.stop();
}
