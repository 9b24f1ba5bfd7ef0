#!/usr/bin/env node
// Writes a generated blog of N posts for the scale benchmarks:
//
//   node bench/gen-corpus.mjs DIR N [--from CONTENT] [--seed S]
//
// Posts look like the template folder's (default: the openinfra.dev corpus, else the sample
// blog in content/): the same front matter fields (templateKey, title, author, date,
// category list, hidePost, seo), authors and categories drawn from it, and bodies whose sizes
// follow its distribution: each body is a template body (its inline data: images, such as the
// corpus's 597 KB PNG, replaced by an https image, so that one file does not dominate 10,000
// posts) with one word in twelve swapped for another word of the corpus, so that every post is
// different and the search index grows as a real blog's does. Dates are spread over ten years;
// one post in fifty is hidden. The same seed writes the same files.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse, stringify } from "yaml";
import { ROOT, random } from "./lib.mjs";

export function generateCorpus(dir, n, { from = defaultTemplates(), seed = 1 } = {}) {
  const templates = readTemplates(from);
  const rand = random(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const words = [...new Set(templates.flatMap((t) => t.body.match(/[A-Za-z][a-z]{3,}/g) || []))];
  const authors = [...new Set(templates.map((t) => t.meta.author).filter(Boolean))];
  const categorySets = templates.map((t) => t.meta.category).filter((c) => Array.isArray(c));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "posts"), { recursive: true });
  for (const extra of ["blog-config.json"]) {
    if (existsSync(join(from, extra))) copyFileSync(join(from, extra), join(dir, extra));
  }
  if (existsSync(join(from, "authors"))) {
    mkdirSync(join(dir, "authors"));
    for (const f of readdirSync(join(from, "authors"))) copyFileSync(join(from, "authors", f), join(dir, "authors", f));
  }
  const newest = Date.UTC(2026, 10, 1);
  const span = 10 * 365 * 24 * 3600 * 1000;
  for (let i = 0; i < n; i++) {
    const template = pick(templates);
    const title = `${template.meta.title} (${i + 1})`;
    const slug = `generated-${String(i + 1).padStart(5, "0")}`;
    const date = new Date(newest - Math.floor(rand() * span)).toISOString();
    const meta = {
      templateKey: "blog-post",
      title,
      author: authors.length ? pick(authors) : "Ada Quill",
      date,
      category: categorySets.length ? pick(categorySets) : [],
      hidePost: rand() < 0.02,
      seo: {
        title,
        description: `${template.meta.seo?.description || template.meta.title} (${i + 1})`,
        url: `https://blog.example.org/blog/${slug}`,
      },
    };
    // Words of the text only: link targets, tags, URLs and code stay as written.
    const body = template.body
      .split(KEEP)
      .map((part, k) => (k % 2 ? part : part.replace(/[A-Za-z][a-z]{3,}/g, (w) => (rand() < 1 / 12 ? pick(words) : w))))
      .join("");
    writeFileSync(join(dir, "posts", `${slug}.md`), `---\n${stringify(meta)}---\n${body}`);
  }
  return { posts: n, from };
}

const KEEP = /(```[\s\S]*?```|`[^`\n]*`|\]\([^)]*\)|<[^>\n]*>|[a-z]+:\/\/\S+|^---$)/m;

/** Bodies of the template folder's posts, their inline data: images replaced. */
export function readTemplates(from) {
  const dir = join(from, "posts");
  const templates = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
    const text = readFileSync(join(dir, file), "utf8");
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!m) continue;
    let meta;
    try {
      meta = parse(m[1]);
    } catch {
      continue;
    }
    if (!meta?.title || (meta.templateKey && meta.templateKey !== "blog-post")) continue;
    const body = m[2].replace(/data:image\/[a-z+]+;base64,[A-Za-z0-9+/=\s]{1024,}/g, "https://blog.example.org/img/inline.png");
    templates.push({ file, meta, body });
  }
  if (!templates.length) throw new Error(`${dir}: no posts to use as templates`);
  return templates;
}

export function defaultTemplates() {
  const corpus = resolve(ROOT, process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
  return existsSync(join(corpus, "posts")) ? corpus : join(ROOT, "content");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const from = option("--from");
  const seed = option("--seed");
  const [dir, count] = args;
  const n = Number(count);
  if (!dir || !Number.isInteger(n) || n < 1) {
    console.error("usage: node bench/gen-corpus.mjs DIR N [--from CONTENT] [--seed S]");
    process.exit(2);
  }
  const done = generateCorpus(resolve(dir), n, { from: from ? resolve(from) : undefined, seed: Number(seed ?? 1) });
  console.log(`${dir}: ${done.posts} posts generated from ${done.from}`);
}
