// Search latency (was scripts/search-bench.mjs): types queries into the header's search box of
// a served site, one key at a time, waiting for each answer, and reports the time from the
// input event to the results in the page and to the next frame. Keystrokes that had to fetch a
// piece of the index are counted apart (their time is mostly the network's).
import { newPage, appStarted } from "../tests/e2e/support.mjs";
import { median, quartiles } from "./lib.mjs";

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

export async function measureSearch(browser, url, { queries = QUERIES } = {}) {
  const page = await newPage(browser);
  try {
    let fetches = [];
    page.on("requestfinished", async (request) => {
      const u = new URL(request.url());
      if (!u.pathname.includes("/content/search/")) return;
      const response = await request.response();
      fetches.push({ path: u.pathname, raw: response ? (await response.body()).length : 0 });
    });
    await page.goto(url + "/");
    await appStarted(page);
    await page.evaluate(instrument);
    const box = page.locator("#quire-search");
    const rows = [];
    let firstSearch = null;
    for (const query of queries) {
      await box.fill("");
      for (let i = 1; i <= query.length; i++) {
        const before = fetches.length;
        const typed = query.slice(0, i);
        await page.keyboard.type(query[i - 1]);
        // Done: the status line reports this text, and the frame after the last change ran.
        await page.waitForFunction(
          (typed) => (document.querySelector(".search__status")?.textContent ?? "").includes(`“${typed.trim()}”`) || typed.trim() === "",
          typed,
          { timeout: 30_000 },
        );
        await page.waitForFunction(() => { const m = window.__marks.at(-1); return !m || m.dom == null || m.frame != null; });
        const mark = await page.evaluate(() => window.__marks.at(-1));
        if (mark?.dom != null) rows.push({ fetched: fetches.length - before, dom: mark.dom - mark.input, frame: (mark.frame ?? mark.dom) - mark.input });
        if (!firstSearch && i === query.length) firstSearch = fetches.slice();
      }
    }
    const stats = (list) => {
      if (!list.length) return "none";
      const sorted = [...list].sort((a, b) => a - b);
      return `${median(sorted).toFixed(1)} / ${quartiles(sorted)[1].toFixed(1)} / ${sorted.at(-1).toFixed(1)} ms (${list.length})`;
    };
    const memory = rows.filter((r) => r.fetched === 0);
    const fetched = rows.filter((r) => r.fetched > 0);
    const sum = (list) => list.reduce((n, f) => n + f.raw, 0);
    return {
      first: `${firstSearch.length} files, ${(sum(firstSearch) / 1024).toFixed(0)} KB raw`,
      memoryDom: stats(memory.map((r) => r.dom)),
      memoryFrame: stats(memory.map((r) => r.frame)),
      fetchedFrame: stats(fetched.map((r) => r.frame)),
      problems: page.problems,
    };
  } finally {
    await page.context().close();
  }
}
