// An independent reading of a content folder (the `yaml` package, not quire's parser), so the
// browser tests derive what the site must show from the Markdown sources themselves.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { parse } from "yaml";

export function readPosts(contentDir) {
  const dir = join(contentDir, "posts");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const match = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/);
      if (!match) throw new Error(`${file}: no front matter`);
      const fm = parse(match[1]) || {};
      const seo = fm.seo || {};
      const fromUrl = seo.url ? decodeURIComponent(String(seo.url).split(/[?#]/)[0].replace(/\/+$/, "").split("/").pop()) : "";
      return {
        file,
        title: String(fm.title).trim(),
        seoTitle: seo.title ? String(seo.title).trim() : String(fm.title).trim(),
        description: seo.description ? String(seo.description).trim() : null,
        url: seo.url ? String(seo.url).trim() : null,
        slug: fromUrl || basename(file, ".md"),
        date: new Date(String(fm.date).replace(/-(\d)(?=T|$)/, "-0$1").replace(/-(\d)-/, "-0$1-")),
        hidden: fm.hidePost === true,
        author: fm.author ?? null,
        body: match[2],
      };
    });
}

export function readConfig(contentDir) {
  const path = join(contentDir, "blog-config.json");
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
}

/** The URL path the browser requests for a slug (what a link in the listing points at). */
export function postPath(slug) {
  return "/blog/" + encodeURIComponent(slug).replace(/%2B/g, "+").replace(/%27/g, "'");
}
