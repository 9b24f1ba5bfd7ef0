// bench/run's body: see bench/run --help.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, WORK, launchForBench, run, serveSite } from "./lib.mjs";
import { floorFiles, measureBytes, measureNav, measureTtc, pickPost } from "./site.mjs";
import { measureMarkdown, nativeRender } from "./markdown.mjs";
import { measureScale } from "./scale.mjs";

const PARTS = ["bytes", "ttc", "nav", "markdown", "scale"];
const HELP = `usage: bench/run [PART...] [options]

Measures quire in headless Chromium on loopback (nginx with deploy/nginx.conf) and prints
Markdown tables. Every comparison is made within one run, variants interleaved.

PART (default: all)
  bytes      bytes of a first post view per file, raw/gzip/brotli, before the text vs total
  ttc        time to content of a post, cold, against the same page without scripts
  nav        in-app navigation listing → post: hovered, on screen, uncached
  markdown   quire's renderer in wasm vs marked, marked + DOMPurify, markdown-it
  scale      N generated posts: build time and memory, listing render and memory, search

options
  --runs N        rounds per measurement (default 15; at least 15 unless --smoke)
  --throttle R    also measure ttc with the CPU throttled R× (default 4; 1 = not)
  --posts N       generated posts for scale (default 10000)
  --post SLUG     the post for bytes/ttc (default: the median-sized visible post)
  --site DIR      a built site to measure instead of building dist-bench (the corpus)
  --content DIR   the corpus to build (default $QUIRE_CORPUS or ../shared/corpus/osf-website)
  --rebuild       build dist-bench (and dist-bench-N for scale) again even if they exist
  --smoke         small inputs and 2 rounds: checks that the harness works (scripts/test)
  --readme        also write the tables into README.md's Performance section
  --out FILE      also write the tables to FILE
  --alt-renderer DIR
                  markdown: also measure the renderer module (quire-render-<hash>.js and
                  _bg.wasm) in DIR, built some other way, on the app's path (repeatable)`;

function parseArgs(argv) {
  const o = { parts: [], alt: [], runs: 15, throttle: 4, posts: 10000, smoke: false, rebuild: false, readme: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a whole number ≥ 1`);
      return v;
    };
    if (a === "-h" || a === "--help") o.help = true;
    else if (a === "--runs") o.runs = number();
    else if (a === "--throttle") o.throttle = number();
    else if (a === "--posts") o.posts = number();
    else if (a === "--post") o.post = value();
    else if (a === "--site") o.site = resolve(value());
    else if (a === "--content") o.content = resolve(value());
    else if (a === "--out") o.out = resolve(value());
    else if (a === "--alt-renderer") o.alt.push(resolve(value()));
    else if (a === "--rebuild") o.rebuild = true;
    else if (a === "--smoke") o.smoke = true;
    else if (a === "--readme") o.readme = true;
    else if (PARTS.includes(a)) o.parts.push(a);
    else throw new Error(`unknown argument ${a}\n\n${HELP}`);
  }
  if (!o.parts.length) o.parts = [...PARTS];
  if (o.smoke) {
    o.runs = Math.min(o.runs, 2);
    o.posts = Math.min(o.posts, 40);
  } else if (o.runs < 15) {
    throw new Error("--runs must be at least 15 (medians of fewer runs are noise); --smoke runs 2");
  }
  return o;
}

function corpusDir(o) {
  return o.content || resolve(ROOT, process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
}

function site(o) {
  if (o.site) {
    if (!existsSync(join(o.site, "index.html"))) throw new Error(`${o.site}: not a built site (no index.html)`);
    return o.site;
  }
  const dist = join(ROOT, "dist-bench");
  const content = corpusDir(o);
  if (!existsSync(join(content, "posts"))) throw new Error(`${content}: no corpus there (--content DIR or --site DIR)`);
  if (o.rebuild || !existsSync(join(dist, "index.html"))) {
    console.error(`building ${relative(ROOT, dist)} from ${content}…`);
    run("trunk", ["build", "--release", "--dist", dist], { env: { ...process.env, QUIRE_CONTENT: content }, stdio: ["ignore", "ignore", "pipe"] });
  }
  return dist;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(HELP);
    return;
  }
  const dist = site(o);
  mkdirSync(WORK, { recursive: true });
  const out = [];
  const print = (section) => {
    const text = section.tables
      ? [`**${section.title}**`, ...section.tables.map((t) => `${t.title}\n\n${t.text}`)].join("\n\n")
      : `**${section.title}**\n\n${section.text}`;
    console.log(`${text}\n`);
    out.push(text);
  };
  const when = new Date().toISOString().slice(0, 10);
  const header = `quire bench, ${when}, ${o.smoke ? "SMOKE RUN (not figures)" : `${o.runs} runs`}, site ${relative(ROOT, dist) || dist}, ${process.env.CHROMIUM || "/usr/bin/chromium"}`;
  console.log(`${header}\n`);
  const browser = await launchForBench();
  try {
    const slug = pickPost(dist, o.post);
    if (o.parts.includes("bytes") || o.parts.includes("ttc") || o.parts.includes("nav")) {
      const served = await serveSite(dist, "main", await floorFiles(dist, slug));
      try {
        if (o.parts.includes("bytes")) print(await measureBytes(browser, served, { slug }));
        if (o.parts.includes("ttc")) print(await measureTtc(browser, served, { slug, runs: o.runs, rates: o.throttle > 1 ? [1, o.throttle] : [1], warmUp: o.smoke ? 0 : 3 }));
        if (o.parts.includes("nav")) print(await measureNav(browser, served, { runs: o.runs }));
      } finally {
        await served.stop();
      }
    }
    if (o.parts.includes("markdown")) {
      print(await measureMarkdown(browser, dist, { runs: o.runs, smoke: o.smoke, alt: o.alt }));
      // The corpus, and the sample blog, whose posts have fenced code for the highlighter.
      const folders = o.smoke ? [join(ROOT, "content")] : [corpusDir(o), join(ROOT, "content")];
      const text = folders.map((c) => `${relative(ROOT, c) || c}:\n${nativeRender(c).trim()}`).join("\n\n");
      print({ title: "Native (release build), the same renderer against plain pulldown-cmark, Markdown string in (crates/core/examples/render_bench.rs, best of 20 passes)", text: "```\n" + text + "\n```" });
    }
    if (o.parts.includes("scale")) {
      const smallContent = o.site ? o.content : corpusDir(o);
      for (const section of await measureScale(browser, dist, { posts: o.posts, runs: o.runs, smoke: o.smoke, smallContent, rebuild: o.rebuild })) print(section);
    }
  } finally {
    await browser.close();
  }
  const all = `${header}\n\n${out.join("\n\n")}\n`;
  if (o.out) writeFileSync(o.out, all);
  if (o.readme) writeReadme(all);
}

/** Replaces what lies between the bench markers of README.md's Performance section. */
export function writeReadme(text, file = join(ROOT, "README.md")) {
  const readme = readFileSync(file, "utf8");
  const start = "<!-- bench/run: start -->";
  const end = "<!-- bench/run: end -->";
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} section`);
  writeFileSync(file, `${readme.slice(0, a + start.length)}\n${text}\n${readme.slice(b)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  });
}
