// Lays out a copy of a flat quire content folder (by default the openinfra.dev corpus,
// ../shared/corpus/osf-website) the way OpenStackweb/osf-website keeps it for Netlify/Decap
// CMS, so builds and tests can read a CMS site in place:
//
//   src/pages/blog/*.md            the posts            (posts/ of the corpus)
//   src/pages/author/*.md          the authors          (authors/)
//   src/content/blog-config.json   the blog settings    (blog-config.json)
//   src/content/navbar.json        another settings file the CMS edits (quire ignores it)
//   static/admin/config.yml        the CMS configuration, modelled on osf-website's
//   static/img/                    the images: one small real picture (PNG, or JPEG for .jpg
//                                  and .jpeg names) for every /img/ URL that the posts and the
//                                  settings reference, since the corpus copy has no images;
//                                  plus UNREFERENCED_IMAGE, which no post uses
//
// As a module:  import { buildCmsTree } from "./cms-tree.mjs";
//               const tree = buildCmsTree(dir, { corpus, backend: "test-repo" });
// From a shell: node tests/e2e/cms-tree.mjs DIR [--corpus FOLDER] [--backend NAME]
//
// `backend` is the CMS's `backend.name`: `github` (as osf-website, with its repo and branch)
// unless told otherwise, e.g. `test-repo` for Decap CMS's in-browser test backend. DIR must
// be empty, absent or a tree made before (which is replaced). The corpus is third-party
// data: the tree is meant for a temporary folder, never for the repository.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve, extname, dirname } from "node:path";
import { deflateSync, crc32 } from "node:zlib";

export const DEFAULT_CORPUS = resolve(import.meta.dirname, "../..", "../shared/corpus/osf-website");
/** A file in static/img/ that nothing references: a build must leave it out of dist/. */
export const UNREFERENCED_IMAGE = "quire-unreferenced.png";

/**
 * The CMS configuration: osf-website's static/admin/config.yml cut down to what a blog
 * needs, with its quirks kept: a folder written with a leading slash, custom widgets
 * (`ncw-id`, `ncw-file-relation`), a file collection for the settings, and collections quire
 * does not read (one of them pointing at a folder the tree does not have).
 */
export function cmsConfig({ backend = "github" } = {}) {
  const backendYaml =
    backend === "github"
      ? `backend:\n  name: github\n  repo: OpenStackweb/osf-website\n  branch: master\n  commit_messages:\n    create: 'Create {{collection}} “{{slug}}”'\n    update: 'Update {{collection}} “{{slug}}”'\n    uploadMedia: '[skip ci] Upload “{{path}}”'\n`
      : `backend:\n  name: ${backend}\n`;
  return `${backendYaml}
media_folder: static/img
public_folder: /img

collections:
  - name: "authors"
    label: "Authors"
    folder: "/src/pages/author"
    create: true
    editor:
      preview: false
    identifier_field: authorName
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "tags" }
      - { label: "Name", name: authorName, widget: string }
      - { label: "Company", name: company, widget: string }
  - name: "configurations"
    label: "Configurations"
    editor:
      preview: false
    files:
      - file: "src/content/navbar.json"
        label: "Navbar"
        name: "navbar"
        fields:
          - { label: "Pages", name: "nav", widget: list, fields: [
            { label: "Title", name: "title", widget: string },
            { label: "Link", name: "url", widget: string, required: false },
          ] }
      - file: "src/content/blog-config.json"
        label: "Blog Configuration"
        name: "blogConfig"
        fields:
          - { label: "Title", name: "title", widget: string }
          - { label: "Subtitle", name: "subTitle", widget: string }
          - { label: "Categories", name: "categories", widget: "list", fields: [
            { label: "Label", name: "text", widget: "string" },
            { label: "ID", name: "id", widget: ncw-id, prefix: category }
          ] }
          - { label: "Links", name: "connect", widget: list, fields: [
            { label: "Text", name: "text", widget: string },
            { label: "Link", name: "link", widget: string },
          ] }
          - { label: "SEO", name: "seo", widget: object, fields: [
            { label: "Title", name: "title", widget: string },
            { label: "Title Template", name: "titleTemplate", widget: string },
            { label: "Description", name: "description", widget: string },
            { label: "Url", name: "url", widget: string },
            { label: "Image", name: "image", widget: image },
            { label: "Twitter Username", name: "twitterUsername", widget: string },
            { label: "Theme Color", name: "themeColor", widget: string },
          ] }
  - name: "blog"
    label: "Blog"
    folder: "src/pages/blog"
    create: true
    slug: "{{slug}}"
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "blog-post" }
      - { label: "Title", name: "title", widget: "string" }
      - { label: "Author", name: "author", widget: "relation", collection: "authors", searchFields: [ "authorName" ], valueField: "authorName" }
      - { label: "Publish Date", name: "date", widget: "datetime" }
      - { label: "Category", name: "category", widget: ncw-file-relation, collection: configurations, file: blogConfig, target_field: categories, id_field: id, display_fields: text, multiple: true }
      - { label: "Hide Post", name: "hidePost", widget: boolean, required: false, default: false }
      - { label: "SEO", name: "seo", widget: object, fields: [
        { label: "Title", name: "title", widget: string },
        { label: "Description", name: "description", widget: string },
        { label: "Url", name: "url", widget: string },
        { label: "Image", name: "image", widget: image, required: false },
        { label: "Twitter Username", name: "twitterUsername", widget: string },
      ] }
      - { label: "Body", name: "body", widget: "markdown" }
  - name: "generic-about-pages"
    label: "About Pages"
    folder: "src/pages/about/"
    create: true
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "generic-page" }
      - { label: "Title", name: title, widget: string, required: false }
      - { label: "Body", name: body, widget: markdown }
`;
}

/**
 * The /img/ URLs a Markdown text references (Markdown images and links, HTML src/href),
 * percent-decoded, without query or fragment: the file names under static/img/.
 */
export function imageReferences(text) {
  const found = new Set();
  const patterns = [
    /\]\(\s*<?(\/img\/[^)>"\n]+?)>?(?:\s+"[^"\n]*")?\s*\)/g, // ![alt](/img/a.png "title"), [x](/img/a.pdf)
    /\b(?:src|href)\s*=\s*["'](\/img\/[^"'\n]+)["']/g, // <img src="/img/a.png">
    /^\s*image:\s*["']?(\/img\/[^"'\n]+?)["']?\s*$/gm, // seo.image in front matter
  ];
  for (const pattern of patterns) {
    for (const [, url] of text.matchAll(pattern)) {
      const path = url.split(/[?#]/)[0].slice("/img/".length);
      try {
        found.add(decodeURIComponent(path));
      } catch {
        found.add(path);
      }
    }
  }
  return [...found].filter((name) => name && !name.split("/").some((s) => s === ".." || s === "."));
}

/** Builds the tree in `dir` (emptied first); returns what it wrote. */
export function buildCmsTree(dir, { corpus = DEFAULT_CORPUS, backend = "github" } = {}) {
  dir = resolve(dir);
  corpus = resolve(corpus);
  if (!existsSync(join(corpus, "posts"))) throw new Error(`cms-tree: ${corpus} has no posts/ folder`);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, "static/admin/config.yml"))) {
    throw new Error(`cms-tree: ${dir} is neither empty nor a tree this script made: not emptying it`);
  }
  rmSync(dir, { recursive: true, force: true });
  const blog = join(dir, "src/pages/blog");
  const authors = join(dir, "src/pages/author");
  const content = join(dir, "src/content");
  const admin = join(dir, "static/admin");
  const img = join(dir, "static/img");
  for (const folder of [blog, authors, content, admin, img]) mkdirSync(folder, { recursive: true });

  // Read and written rather than copied: the corpus files are read-only, the tree's are
  // meant to be edited (scripts/serve, the CMS).
  const images = new Set();
  for (const file of readdirSync(join(corpus, "posts")).filter((f) => f.endsWith(".md"))) {
    const text = readFileSync(join(corpus, "posts", file), "utf8");
    writeFileSync(join(blog, file), text);
    for (const name of imageReferences(text)) images.add(name);
  }
  if (existsSync(join(corpus, "authors"))) {
    for (const file of readdirSync(join(corpus, "authors")).filter((f) => f.endsWith(".md"))) {
      writeFileSync(join(authors, file), readFileSync(join(corpus, "authors", file)));
    }
  }
  const settingsFile = join(corpus, "blog-config.json");
  const settings = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, "utf8")) : {};
  writeFileSync(join(content, "blog-config.json"), JSON.stringify(settings, null, 2) + "\n");
  const siteImage = settings.seo?.image;
  if (typeof siteImage === "string" && siteImage.startsWith("/img/")) images.add(decodeURIComponent(siteImage.slice(5)));
  writeFileSync(join(content, "navbar.json"), JSON.stringify({ nav: [{ title: "Blog", url: "/blog" }] }, null, 2) + "\n");

  // (Not checked with the `yaml` package here: like osf-website's, the flow lists close at the
  // indentation of their key, which Decap CMS's YAML 1.x parser and libyaml accept and yaml 2 does not.)
  const config = cmsConfig({ backend });
  writeFileSync(join(admin, "config.yml"), config);

  for (const name of [...images, UNREFERENCED_IMAGE]) {
    const path = join(img, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, picture(name));
  }
  return { dir, posts: blog, authors, settings: join(content, "blog-config.json"), config: join(admin, "config.yml"), media: img, images: [...images].sort() };
}

/** A small real picture for `name`: JPEG for .jpg/.jpeg, PNG otherwise, coloured by the name. */
export function picture(name) {
  const hash = crc32(Buffer.from(name, "utf8"));
  const [r, g, b] = [(hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
  return /^\.jpe?g$/i.test(extname(name)) ? jpeg(64, 32, Math.round(0.299 * r + 0.587 * g + 0.114 * b)) : png(64, 36, [r, g, b]);
}

/** A `width`×`height` PNG of one RGB colour. */
export function png(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A baseline JPEG of one grey level (`width` and `height` multiples of 8): every 8×8 block
 * has only a DC coefficient, so the scan is the first block's DC, then "no change" and an
 * end-of-block code per block. Quantisation 1, the standard DC table, a one-code AC table.
 */
export function jpeg(width, height, grey) {
  if (width % 8 || height % 8) throw new Error("jpeg: width and height must be multiples of 8");
  const segment = (marker, data) => Buffer.concat([Buffer.from([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff]), Buffer.from(data)]);
  // Standard luminance DC table (ITU T.81 K.3): code lengths 2..9 for categories 0..11.
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcCodes = [];
  let code = 0;
  for (let length = 1, value = 0; length <= 16; length++, code <<= 1) {
    for (let i = 0; i < dcBits[length - 1]; i++, code++) dcCodes[value++] = { code, length };
  }
  const bits = [];
  const put = (value, length) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >> i) & 1);
  };
  const dc = 8 * (grey - 128); // the DCT of a flat block, level-shifted
  const category = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  put(dcCodes[category].code, dcCodes[category].length);
  if (category) put(dc > 0 ? dc : dc + (1 << category) - 1, category);
  put(0, 1); // end of block (the AC table's only code, `0`)
  for (let block = 1; block < (width / 8) * (height / 8); block++) {
    put(dcCodes[0].code, dcCodes[0].length); // DC unchanged
    put(0, 1);
  }
  while (bits.length % 8) bits.push(1);
  const scan = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = parseInt(bits.slice(i, i + 8).join(""), 2);
    scan.push(byte);
    if (byte === 0xff) scan.push(0x00);
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [...Buffer.from("JFIF\0", "latin1"), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    segment(0xc4, [0x00, ...dcBits, ...Array.from({ length: 12 }, (_, i) => i)]),
    segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]),
    segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const options = {};
  let dir;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--corpus" || args[i] === "--backend") {
      if (!args[i + 1]) throw new Error(`cms-tree: ${args[i]} needs a value`);
      options[args[i].slice(2)] = args[++i];
    } else if (args[i] === "-h" || args[i] === "--help" || args[i].startsWith("--") || dir) {
      console.error("usage: node tests/e2e/cms-tree.mjs DIR [--corpus FOLDER] [--backend NAME]");
      process.exit(args[i] === "-h" || args[i] === "--help" ? 0 : 2);
    } else {
      dir = args[i];
    }
  }
  if (!dir) {
    console.error("usage: node tests/e2e/cms-tree.mjs DIR [--corpus FOLDER] [--backend NAME]");
    process.exit(2);
  }
  const tree = buildCmsTree(dir, options);
  console.log(`cms-tree: ${tree.dir}: ${readdirSync(tree.posts).length} posts, ${tree.images.length} referenced images (+1 unreferenced), backend ${options.backend ?? "github"}`);
}
