// /admin/: Decap CMS with quire's renderer in its preview pane. The corpus laid out as
// openinfra.dev's repository by tests/e2e/cms-tree.mjs, with Decap's in-memory test-repo
// backend, is built into dist-admin (and under /quire/ into dist-admin-sub) by scripts/test. A writer
// logs in, types Markdown into a new post, and the preview pane must hold exactly what quire's
// renderer makes of that text (`quire-compiler render`), byte for byte, under the admin's own
// Content-Security-Policy, with nothing fetched from another host; an existing post must
// preview as its published page. The sample site, which has no CMS configuration, must have
// no /admin/ at all. Without the builds the tests are skipped, except in CI (CI=true).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp, cp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, basename } from "node:path";
import { parse } from "yaml";
import { serveStatic, launch, newPage, distDir, screenshot, parseHeadersFile, headersForPath } from "./support.mjs";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { parsePostFile } from "./content.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = distDir("QUIRE_ADMIN_DIST", "dist-admin");
const SUB_DIST = distDir("QUIRE_ADMIN_SUB_DIST", "dist-admin-sub");
const SAMPLE = distDir("QUIRE_DIST", "dist");
const TREE = resolve(ROOT, process.env.QUIRE_ADMIN_TREE || "target/admin-tree");
const available = [DIST, SUB_DIST, SAMPLE, TREE].every((p) => existsSync(p));
const skip = available || process.env.CI === "true" ? false : `admin builds missing (${DIST}, ${SUB_DIST}, ${TREE}: see scripts/test)`;

// What a writer types: a heading, emphasis, links (one root-relative, rewritten under a
// sub-path), a list, a table, highlighted code, a footnote and raw HTML the sanitiser must
// defuse. The image is a data: URL, so the page requests nothing for it.
const MARKDOWN = [
  "# A post written in the browser",
  "",
  "Some *emphasis*, **strong** text and a [link to another post](/blog/hello-quire) or [elsewhere](https://example.org/a?b=1&c=2).",
  "",
  "- one",
  "- two with `code`",
  "",
  "| Left | Right |",
  "| :--- | ----: |",
  "| a    | b     |",
  "",
  "```rust",
  'fn main() { println!("<hi>"); }',
  "```",
  "",
  '<p style="text-align: center">Centred <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="alert(1)"></p>',
  "",
  "<script>alert(2)</script>",
  "",
  "Footnote[^1] and the last line.",
  "",
  "[^1]: The note.",
].join("\n");

/**
 * Corpus posts opened in the editor: nested headings (a table of contents), a table and
 * images, typographic apostrophes in the file name.
 */
const EXISTING = [
  "800-contributors-worldwide-deliver-23rd-openstack-release-wallaby.md",
  "announcing-the-openinfra-summit-europe-2025.md",
  "15-years-with-openstack-why-i’m-excited-for-openinfra’s-next-chapter.md",
];

/** quire's renderer on `markdown` (the compiler's `render` command: the app's own code). */
function render(markdown, args = []) {
  return execFileSync("cargo", ["run", "--quiet", "-p", "quire-compiler", "--", "render", ...args], {
    cwd: ROOT,
    input: markdown,
    encoding: "utf8",
  });
}

const BODY_START = '<div class="post__body prose">';
const ARTICLE_END = "</div></article>";
/** The body's HTML inside the preview's `<article>` string. */
function bodyOf(article) {
  const start = article.indexOf(BODY_START);
  assert.ok(start > 0 && article.endsWith(ARTICLE_END), `not a post article: ${article.slice(0, 200)}`);
  return article.slice(start + BODY_START.length, article.length - ARTICLE_END.length);
}

let server, browser;
before(async () => {
  if (skip) return;
  assert.ok(available, `CI=true and an admin build is missing (${DIST}, ${SUB_DIST}, ${TREE})`);
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A new page that also records every request to another host (there must be none). */
async function adminPage() {
  const page = await newPage(browser);
  page.elsewhere = [];
  page.on("request", (request) => {
    const host = new URL(request.url()).hostname;
    if (!["127.0.0.1", "localhost"].includes(host) && !request.url().startsWith("data:")) page.elsewhere.push(request.url());
  });
  return page;
}

/** Logs in with the test backend's button and waits for the collections. */
async function logIn(page, url) {
  await page.goto(url);
  await page.getByRole("button", { name: "Login" }).click();
  await page.getByRole("link", { name: "Blog", exact: true }).waitFor();
}

/** The preview pane's frame once it shows the post's article. */
async function previewFrame(page) {
  await page.waitForFunction(() => {
    const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentDocument?.querySelector(".route"));
    return Boolean(frame?.contentDocument.querySelector(".route").quireHtml);
  });
  return page.frames().find((f) => f !== page.mainFrame() && f.url() === "about:srcdoc");
}

/** The exact string the preview put into the pane (see quire-admin.js). */
async function previewHtml(page) {
  return page.evaluate(() => {
    const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentDocument?.querySelector(".route"));
    return frame.contentDocument.querySelector(".route").quireHtml;
  });
}

/** Opens a new post, types its title, date and `markdown` (the editor's Markdown mode). */
async function writePost(page, markdown) {
  await page.goto(new URL("#/collections/blog/new", page.url()).href);
  await page.locator("input[id^='title-field-']").first().fill("Written in the browser");
  await page.locator("input[type='datetime-local']").first().fill("2026-11-20T15:00");
  const body = page.getByLabel("markdown field");
  await body.getByRole("switch").click();
  await body.locator("[contenteditable='true']").click();
  await page.keyboard.type(markdown);
  const last = markdown.split("\n").filter(Boolean).pop();
  await page.waitForFunction(
    (text) => {
      const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentDocument?.querySelector(".route"));
      return frame?.contentDocument.querySelector(".route").quireHtml?.includes(text);
    },
    last.replace(/^\[\^1\]: /, ""),
  );
}

test("a site without a CMS configuration gets no /admin/ and the _headers it had", { skip }, () => {
  assert.ok(!existsSync(join(SAMPLE, "admin")), "no admin/ in the sample build");
  assert.equal(readFileSync(join(SAMPLE, "_headers"), "utf8"), readFileSync(join(ROOT, "public/_headers"), "utf8"));
  const names = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else names.push(entry.name);
    }
  };
  walk(SAMPLE);
  assert.deepEqual(names.filter((n) => /decap|quire_preview|quire-admin|config\.yml/.test(n)), []);
  const home = readFileSync(join(SAMPLE, "index.html"), "utf8");
  assert.ok(!home.includes("/admin"), "the pages do not mention /admin/");
});

test("the CMS site's /admin/: Decap's own bundle, the site's config.yml, the preview, a policy of its own", { skip }, () => {
  const admin = join(DIST, "admin");
  assert.deepEqual(readFileSync(join(admin, "config.yml")), readFileSync(join(TREE, "static/admin/config.yml")));
  const decap = join(ROOT, "node_modules/decap-cms/dist");
  for (const name of ["decap-cms.js", "decap-cms.js.LICENSE.txt"]) {
    assert.deepEqual(readFileSync(join(admin, name)), readFileSync(join(decap, name)), name);
  }
  const chunks = readdirSync(decap).filter((n) => n.endsWith(".decap-cms.js") || n.endsWith(".wasm"));
  assert.ok(chunks.length > 50);
  for (const name of chunks) assert.ok(existsSync(join(admin, name)), `${name} is served`);
  assert.deepEqual(readdirSync(admin).filter((n) => n.endsWith(".map") || n.startsWith("cms.js")), [], "no source maps, no duplicate bundle");
  for (const name of ["quire-admin.js", "quire_preview.js", "quire_preview_bg.wasm", "index.html"]) {
    assert.ok(existsSync(join(admin, name)), name);
  }
  const index = readFileSync(join(admin, "index.html"), "utf8");
  assert.doesNotMatch(index, /https?:\/\//, "the page loads nothing from elsewhere");
  assert.match(index, /<script type="module" src="\/admin\/quire-admin\.js"><\/script>/);

  // _headers: the site's file as it was, then the admin's rule.
  const site = readFileSync(join(ROOT, "public/_headers"), "utf8");
  const built = readFileSync(join(DIST, "_headers"), "utf8");
  assert.ok(built.startsWith(site.trimEnd() + "\n\n# quire /admin/"), "the site's rules are unchanged, the admin's appended");
  const rules = parseHeadersFile(built);
  const sitePolicy = parseHeadersFile(site)["/*"]["content-security-policy"];
  for (const path of ["/", "/blog/x", "/administrator", "/blog/admin/"]) {
    assert.equal(headersForPath(rules, path)["content-security-policy"], sitePolicy, path);
  }
  const adminPolicy = headersForPath(rules, "/admin/")["content-security-policy"];
  assert.match(adminPolicy, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+' 'unsafe-eval' 'wasm-unsafe-eval';/);
  assert.match(adminPolicy, /connect-src 'self';/, "test-repo connects nowhere");
  assert.match(adminPolicy, /frame-ancestors 'none'$/);
  assert.equal(headersForPath(rules, "/admin/decap-cms.js")["cache-control"], "no-cache");
});

test("typing Markdown previews quire's renderer output byte for byte, and publishing keeps it", { skip }, async () => {
  const page = await adminPage();
  // The authors to pick from, as the site's repository holds them.
  const folder = join(TREE, "src/pages/author");
  const authors = Object.fromEntries(readdirSync(folder).map((n) => [n, { content: readFileSync(join(folder, n), "utf8") }]));
  await page.context().addInitScript((author) => {
    // Folder listings read repoFiles by the whole folder path; entries are saved by segments.
    window.repoFiles = { "src/pages/author": author, src: { pages: { blog: {} } } };
  }, authors);
  await logIn(page, server.url + "/admin/");
  await writePost(page, MARKDOWN);
  const frame = await previewFrame(page);
  const article = await previewHtml(page);
  const expected = render(MARKDOWN);
  assert.equal(bodyOf(article), expected, "the preview's body is the renderer's output");

  // What the pane shows: the same HTML, parsed by the same browser, styled by the site's CSS.
  const shown = await frame.evaluate((html) => {
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    const body = document.querySelector(".post__body");
    return {
      same: body.innerHTML === parsed.innerHTML,
      handlers: [...document.querySelectorAll("*")].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith("on"))),
      scripts: document.querySelectorAll("script").length,
      stylesheet: [...document.styleSheets].some((s) => /\/main-[0-9a-f]+\.css$/.test(s.href ?? "") && s.cssRules.length > 0),
      width: getComputedStyle(document.querySelector(".post__title")).letterSpacing,
      title: document.querySelector(".post__title").textContent,
      date: document.querySelector(".byline time")?.getAttribute("datetime"),
    };
  }, expected);
  assert.ok(shown.same, "the pane's DOM is the renderer's HTML");
  assert.deepEqual(shown.handlers, []);
  assert.equal(shown.scripts, 0);
  assert.ok(shown.stylesheet, "the site's stylesheet is loaded into the pane");
  assert.notEqual(shown.width, "normal", "and applies (.post__title letter-spacing)");
  assert.equal(shown.title, "Written in the browser");
  assert.match(shown.date ?? "", /^2026-11-20/);
  await screenshot(page, "admin-preview");

  // Published (into the test backend's memory) as a file, and built as the compiler reads it.
  // Every field of openinfra.dev's posts is required: author, category (quire's control for
  // the site's own widget), the SEO block.
  await page.locator("input[id^='author-field-']").fill("Jonathan");
  await page.getByText("Jonathan Bryce", { exact: true }).click();
  await page.getByRole("checkbox", { name: "OpenStack" }).check();
  for (const [field, value] of [["title", "Written in the browser"], ["description", "A test post."], ["url", "https://openinfra.dev/blog/written-in-the-browser"], ["twitterUsername", "@openinfradev"]]) {
    await page.locator(`input[id^='${field}-field-']`).last().fill(value);
  }
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByText("Publish now").click();
  const saved = await page.waitForFunction(() => {
    const folder = window.repoFiles?.src?.pages?.blog ?? {};
    const name = Object.keys(folder).find((n) => folder[n].content.includes("Written in the browser"));
    return name && { name, content: folder[name].content };
  });
  const { name, content: file } = await saved.jsonValue();
  assert.equal(name, "written-in-the-browser.md", "saved under the collection's slug template");
  assert.equal(render(file, ["--post"]), expected, "the saved post renders as previewed");
  // The site built with the saved post: the JSON the app renders the post page from.
  const site = await mkdtemp(join(tmpdir(), "quire-admin-site-"));
  try {
    await cp(TREE, join(site, "content"), { recursive: true });
    await writeFile(join(site, "content/src/pages/blog", name), file);
    execFileSync("cargo", ["run", "--quiet", "-p", "quire-compiler", "--", "build", "--content", join(site, "content"), "--out", join(site, "out")], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    const { post } = parsePostFile(readFileSync(join(site, "out/content/posts/written-in-the-browser.json"), "utf8"));
    assert.equal(render(post.body), expected, "the published post's body renders as previewed");
    assert.equal(post.summary.title, "Written in the browser");
    assert.equal(post.summary.author, "Jonathan Bryce");
    assert.equal(post.authorCompany, "OpenInfra Foundation");
    assert.deepEqual(post.summary.categories.map((c) => [c.id, c.label]), [["category-KMY0e6q9N", "OpenStack"]]);
    assert.match(post.summary.date, /^2026-11-20T/);
  } finally {
    await rm(site, { recursive: true, force: true });
  }

  assert.deepEqual(page.problems, [], "no CSP violation, exception or dialog");
  assert.deepEqual(page.elsewhere, [], "nothing fetched from another host");
});

test("an existing post previews as its published page", { skip }, async () => {
  const folder = join(TREE, "src/pages/blog");
  const files = Object.fromEntries(EXISTING.map((n) => [n, { content: readFileSync(join(folder, n), "utf8") }]));
  for (const [name, { content }] of Object.entries(files)) {
    const fm = parse(content.split(/^---$/m)[1]);
    const url = fm.seo?.url && String(fm.seo.url).split(/[?#]/)[0].replace(/\/+$/, "");
    const slug = url ? decodeURIComponent(url.split("/").pop()) : basename(name, ".md");
    const published = readFileSync(join(DIST, "blog", slug, "index.html"), "utf8");
    const start = published.indexOf('<article class="post">');
    // The article up to the end of the body; the page then links to other posts.
    const end = published.slice(start).search(/<\/div><nav aria-label="(?:More posts|Blog)"/) + start + "</div>".length;
    assert.ok(start > 0 && end > start, `${slug}: a published article`);

    // The test backend starts from window.repoFiles: the site's posts, as a git backend would.
    // A page of its own per post: Decap's editor loads an entry when it opens.
    const page = await adminPage();
    await page.context().addInitScript((blog) => {
      window.repoFiles = { src: { pages: { blog } } };
    }, files);
    await logIn(page, server.url + "/admin/");
    await page.goto(`${server.url}/admin/#/collections/blog/entries/${encodeURIComponent(basename(name, ".md"))}`);
    await page.waitForFunction(
      (title) =>
        [...document.querySelectorAll("iframe")].some((f) => f.contentDocument?.querySelector(".post__title")?.textContent === title),
      String(fm.title).trim(),
    );
    const article = await previewHtml(page);
    assert.equal(article, published.slice(start, end) + "</article>", `${name}: the preview is the published article`);
    assert.ok(await page.getByText("Changes saved").isVisible(), "opening a post changes nothing in it");
    assert.deepEqual(page.problems, []);
    assert.deepEqual(page.elsewhere, []);
    await page.context().close();
  }
});

test("under a sub-path (/quire/), the editor and its preview follow the public URL", { skip }, async () => {
  const sub = await serveStatic(SUB_DIST, { prefix: "/quire" });
  try {
    const page = await adminPage();
    await logIn(page, sub.url + "/quire/admin/");
    const markdown = "A [link](/blog/hello-quire) and ![a picture](/img/card.png \"card\")\n\nlast line";
    await writePost(page, markdown);
    const article = await previewHtml(page);
    assert.equal(bodyOf(article), render(markdown, ["--base", "/quire/"]));
    assert.match(bodyOf(article), /href="\/quire\/blog\/hello-quire"/);
    const sheet = await (await previewFrame(page)).evaluate(() => document.querySelector("link[rel=stylesheet]").getAttribute("href"));
    assert.match(sheet, /^\/quire\/main-[0-9a-f]+\.css$/);
    // The picture is not part of the site: the only request that may fail.
    assert.deepEqual(page.problems.filter((p) => !p.includes("/quire/img/card.png")), []);
    assert.deepEqual(page.elsewhere, []);
  } finally {
    await sub.close();
  }
});

// nginx with deploy/nginx.conf: the editor's location. Skipped without nginx (outside CI).
const noNginx = !nginxBinary() && process.env.CI !== "true" && "nginx not installed (scripts/setup --test)";

test("nginx: /admin/ gets the editor's policy and types; everything else keeps the site's", { skip: skip || noNginx }, async () => {
  const nginx = await startNginx(DIST);
  try {
    const sitePolicy = parseHeadersFile(readFileSync(join(ROOT, "public/_headers"), "utf8"))["/*"]["content-security-policy"];
    const get = (path) => fetch(nginx.url + path, { redirect: "manual" });
    for (const [path, type] of [
      ["/admin/", "text/html"],
      ["/admin/config.yml", "text/yaml"],
      ["/admin/quire_preview_bg.wasm", "application/wasm"],
      ["/admin/decap-cms.js", "javascript"],
    ]) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type"), new RegExp(type), path);
      const policy = res.headers.get("content-security-policy");
      assert.match(policy, /'unsafe-eval'/, path);
      assert.match(policy, /connect-src 'self' https:\/\/api\.github\.com;/, path);
      assert.equal(res.headers.get("cache-control"), "no-cache", path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      await res.arrayBuffer();
    }
    for (const path of ["/", "/admin/missing.js", "/blog/nope", "/administrator"]) {
      const res = await get(path);
      assert.equal(res.headers.get("content-security-policy"), sitePolicy, path);
      await res.arrayBuffer();
    }
    assert.equal((await get("/admin/missing.js")).status, 404);
    const bare = await get("/admin");
    assert.equal(bare.status, 301);
    assert.match(bare.headers.get("location"), /\/admin\/$/);

    // The whole editor under nginx's policy: it starts and logs in without a violation.
    const page = await adminPage();
    await logIn(page, nginx.url + "/admin/");
    assert.deepEqual(page.problems, []);
    assert.deepEqual(page.elsewhere, []);
  } finally {
    await nginx.stop();
  }
});
