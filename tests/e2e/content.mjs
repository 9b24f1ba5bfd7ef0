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

const hex = (byte) => byte.toString(16).toUpperCase().padStart(2, "0");
const isAlnum = (byte) => /[A-Za-z0-9]/.test(String.fromCharCode(byte));

/**
 * The URL path the browser requests for a slug (what a link in the listing points at), as
 * quire_core::url::post_path writes it: the slug's UTF-8 bytes, each one outside ASCII
 * letters, digits and `-._~!$&'()*+,;=:@` as `%XX`.
 */
export function postPath(slug) {
  let out = "/blog/";
  for (const byte of Buffer.from(slug, "utf8")) {
    out += isAlnum(byte) || "-._~!$&'()*+,;=:@".includes(String.fromCharCode(byte)) ? String.fromCharCode(byte) : "%" + hex(byte);
  }
  return out;
}

/**
 * The name of a post's JSON file without `.json` (quire_core::url::post_file_key): every
 * byte outside ASCII letters, digits, `-`, `_` and a `.` that is not first as `~XX`.
 */
export function postFileKey(slug) {
  let out = "";
  for (const byte of Buffer.from(slug, "utf8")) {
    const c = String.fromCharCode(byte);
    out += isAlnum(byte) || c === "-" || c === "_" || (c === "." && out) ? c : "~" + hex(byte);
  }
  return out;
}

/**
 * A post file's text as the compiler writes it (quire_core::model::write_post_file): its JSON
 * on the first line, then the Markdown body. Returns the JSON with the body in `post.body`.
 */
export function parsePostFile(text) {
  const end = text.indexOf("\n");
  if (end < 0) throw new Error("a post file has its JSON, a line feed, then its Markdown");
  const file = JSON.parse(text.slice(0, end));
  file.post.body = text.slice(end + 1);
  return file;
}

/** The path of the JSON file the app fetches for a post link's `href` (`/blog/<slug>`). */
export function postJsonOfLink(href) {
  return `/content/posts/${postFileKey(decodeURIComponent(href.split("/").pop()))}.json`;
}
