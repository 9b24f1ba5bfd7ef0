// Item 5: a generated corpus of N posts (bench/gen-corpus.mjs): the whole release build with
// prerendering (time, peak memory, the content compiler's share), then in the browser the
// listing's first render and memory and the search keystrokes, against the real corpus.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT, WORK, coldContext, median, ratio, spread, table, timed, serveSite, run } from "./lib.mjs";
import { generateCorpus } from "./gen-corpus.mjs";
import { measureSearch } from "./search.mjs";

/** The compiler's two steps on `content`, with the binary Trunk's hooks run (`cargo run
 * --profile hooks`: optimised, incremental, target/hooks; the site's `trunk build` has just
 * built it from this tree) and, unless `smoke`, the release build (the app's
 * `[profile.release]`, opt-level z; built here first, as nothing else builds it and an older
 * one may write an older data format): seconds and peak memory of each. */
function compilerSteps(content, frameDist, name, { smoke = false } = {}) {
  const rows = [];
  // Cargo's target folder, wherever the build put it (CARGO_TARGET_DIR, as cargo reads it).
  const target = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
  if (!smoke) run("cargo", ["build", "--quiet", "--release", "-p", "quire-compiler"]);
  for (const profile of smoke ? ["hooks"] : ["hooks", "release"]) {
    const bin = join(target, profile, "quire-compiler");
    if (!existsSync(bin)) continue;
    const out = join(WORK, "compile", `${name}-${profile}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    cpSync(join(frameDist, "index.html"), join(out, "index.html"));
    // The modules `finalize` writes (the renderer, the chunks) are built with cargo from the
    // workspace Trunk names (TRUNK_SOURCE_DIR), else from the one this binary was built in:
    // with a target folder shared between checkouts (a CI clone's build measured from this
    // tree), that was the other checkout, whose modules cargo then rebuilt inside the timed
    // step (finalize took 16.8 and 19.6 s instead of about 3, with rustc's 550 MB as its
    // peak). This checkout's, then, and built once on the sample content before the timing.
    const env = { ...process.env, TRUNK_SOURCE_DIR: ROOT };
    const warm = join(WORK, "compile", `${name}-${profile}-warm-up`);
    rmSync(warm, { recursive: true, force: true });
    mkdirSync(warm, { recursive: true });
    cpSync(join(frameDist, "index.html"), join(warm, "index.html"));
    for (const step of ["build", "finalize"]) run(bin, [step, "--content", join(ROOT, "content"), "--out", warm], { env });
    const build = timed(bin, ["build", "--content", content, "--out", out], { env });
    const finalize = timed(bin, ["finalize", "--content", content, "--out", out], { env });
    rows.push({ profile, build, finalize, out });
  }
  if (!rows.length) throw new Error(`no quire-compiler in ${target}/{hooks,release}: build it first (trunk build does)`);
  return rows;
}

/** A served copy of a compiled site: the compiler's output with the app's files from `assets`. */
function withAssets(out, assets) {
  for (const f of readdirSync(assets)) {
    if (/^(quire-|main-).*\.(js|wasm|css)$/.test(f) || f === "_headers") cpSync(join(assets, f), join(out, f));
  }
  return out;
}

async function listingLoad(browser, url) {
  const context = await coldContext(browser);
  try {
    const page = await context.newPage();
    await context.addInitScript(() => {
      const t = (window.__bench = { content: null, wasm: null });
      new PerformanceObserver((l) => l.getEntries().forEach((e) => e.identifier === "quire-bench" && t.content == null && (t.content = e.renderTime || e.loadTime))).observe({ type: "element", buffered: true });
      new MutationObserver(() => {
        const el = document.querySelector(".post-card__title");
        if (el && !el.hasAttribute("elementtiming")) el.setAttribute("elementtiming", "quire-bench");
      }).observe(document, { childList: true, subtree: true });
      addEventListener("TrunkApplicationStarted", (e) => (t.wasm = e.detail?.wasm?.memory?.buffer?.byteLength ?? 0));
    });
    await page.goto(url + "/", { waitUntil: "load" });
    await page.waitForFunction(() => window.__bench.content != null && window.__bench.wasm != null, null, { timeout: 60_000 });
    // The app's idle work after it started (the rehearsal of a post view, src/prefetch.rs) is
    // done before memory is read: counted mid-way, its nodes (off the document, not yet
    // collected) made the count jump between two values from run to run.
    await page.evaluate(() => new Promise((done) => requestIdleCallback(() => done(), { timeout: 5000 })));
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const t = await page.evaluate(() => window.__bench);
    return { content: t.content, wasm: t.wasm, heap: metric("JSHeapUsedSize"), nodes: metric("Nodes") };
  } finally {
    await context.close();
  }
}

export async function measureScale(browser, smallDist, { posts, runs, smoke, smallContent, rebuild }) {
  const content = join(WORK, `corpus-${posts}`);
  const gen = generateCorpus(content, posts);
  const dist = join(ROOT, `dist-bench-${posts}`);
  const sections = [];
  let whole = null;
  // The whole build is measured when it has to run (no dist-bench-<N> yet, or --rebuild).
  if (!smoke && (rebuild || !existsSync(join(dist, "index.html")))) {
    whole = timed("trunk", ["build", "--release", "--dist", dist], { env: { ...process.env, QUIRE_CONTENT: content } });
  }
  const steps = compilerSteps(content, smoke ? smallDist : dist, `${posts}`, { smoke });
  const served = smoke ? withAssets(steps.at(-1).out, smallDist) : dist;
  const buildRows = [];
  const smallLabel = `${readdirSync(join(smallDist, "content/posts")).length} posts`;
  if (smallContent) {
    for (const st of compilerSteps(smallContent, smallDist, "small", { smoke })) {
      const how = st.profile === "hooks" ? "hooks profile (Trunk's hooks)" : "release build";
      buildRows.push([`${smallLabel} (${smallContent.replace(ROOT + "/", "")}): content compiler, ${how}, build + finalize`, `${(st.build.seconds + st.finalize.seconds).toFixed(2)} s`, `${Math.max(st.build.peakMB, st.finalize.peakMB).toFixed(0)} MB`]);
    }
  }
  if (!whole && !smoke) buildRows.push([`\`trunk build --release\`: not run (${dist.replace(ROOT + "/", "")} exists; --rebuild measures it)`, "", ""]);
  if (whole) buildRows.push([`\`trunk build --release\` (all of it: cargo, wasm-bindgen, wasm-opt, both hooks)`, `${whole.seconds.toFixed(1)} s`, `${whole.peakMB.toFixed(0)} MB`]);
  for (const s of steps) {
    const how = s.profile === "hooks" ? "hooks profile, as Trunk's hooks run it (`cargo run --profile hooks`)" : "release build";
    buildRows.push([`content compiler, ${how}: build (JSON, search index)`, `${s.build.seconds.toFixed(2)} s`, `${s.build.peakMB.toFixed(0)} MB`]);
    buildRows.push([`content compiler, ${how}: finalize (prerender, feeds, sitemap)`, `${s.finalize.seconds.toFixed(2)} s`, `${s.finalize.peakMB.toFixed(0)} MB`]);
  }
  sections.push({
    title: `Build of ${posts.toLocaleString("en")} generated posts (bench/gen-corpus.mjs, from ${gen.from.replace(ROOT + "/", "")}), wall time and peak memory of the largest process`,
    text: table(["step", "time", "peak memory"], buildRows),
  });

  const small = await serveSite(smallDist, "scale-small");
  const big = await serveSite(served, "scale-big");
  try {
    const labels = { small: smallLabel, big: `${posts.toLocaleString("en")} posts` };
    const sites = { small, big };
    const loads = { small: [], big: [] };
    for (let round = 0; round < runs; round++) {
      for (const k of round % 2 ? ["big", "small"] : ["small", "big"]) loads[k].push(await listingLoad(browser, sites[k].url));
    }
    const mb = (x) => `${(x / 1048576).toFixed(1)} MB`;
    const base = median(loads.small.map((l) => l.content));
    const rows = ["small", "big"].map((k) => [
      labels[k],
      spread(loads[k].map((l) => l.content)),
      ratio(median(loads[k].map((l) => l.content)) / base),
      mb(median(loads[k].map((l) => l.heap))),
      mb(median(loads[k].map((l) => l.wasm))),
      median(loads[k].map((l) => l.nodes)).toFixed(0),
    ]);
    sections.push({
      title: `The home listing, cold (first post title painted, Element Timing), and memory once the app has started and its idle work is done (after a forced GC), ${runs} interleaved runs`,
      text: table(["site", "first render: median (IQR)", "ratio", "JS heap", "wasm memory", "DOM nodes"], rows),
    });
    const searchRows = [];
    for (const k of ["small", "big"]) {
      const s = await measureSearch(browser, sites[k].url, smoke ? { queries: ["zuul"] } : undefined);
      if (s.problems.length) throw new Error(`search on ${labels[k]}: ${s.problems.join("; ")}`);
      searchRows.push([labels[k], s.first, s.memoryDom, s.memoryFrame, s.fetchedFrame]);
    }
    sections.push({
      title: "Search, typing key by key into the header's box (median / p75 / max, keystrokes counted)",
      text: table(["site", "first search fetched", "keystroke → results in page", "keystroke → next frame", "keystroke that fetched → next frame"], searchRows),
    });
  } finally {
    await small.stop();
    await big.stop();
  }
  return sections;
}
