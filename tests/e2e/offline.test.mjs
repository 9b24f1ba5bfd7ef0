// Offline reading: the service worker the build writes (sw.js, crates/compiler/src/offline.rs)
// on the sample build, in headless Chromium with the browser context set offline
// (Playwright's setOffline also cuts the worker's own requests: the static server sees none).
// Posts the reader opened, by loading them or by an in-app link, read normally offline, as
// does the listing; any other post shows the offline view, by either way; a new deploy is
// picked up on the next visit online. Every wait is for a condition (the worker controlling
// the page, a file in its caches), never for a time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { serveStatic, launch, newPage, distDir, unexpectedProblems, appStarted, parseHeadersFile, screenshot, saveData } from "./support.mjs";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { postFileKey } from "./content.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");
const DIST = distDir("QUIRE_DIST", "dist");
const SUB_DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");
const noSub = !existsSync(SUB_DIST) && `${SUB_DIST} missing`;
const noNginx = !nginxBinary() && process.env.CI !== "true" && "nginx not installed (scripts/setup --test)";
let server, browser;

before(async () => {
  server = await serveStatic(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A page with the site's service worker allowed, and Save-Data on: the app then prefetches
 * nothing (src/prefetch.rs), so the worker saves exactly what the test opens. (Prefetched
 * posts are saved too; the last test covers that.)
 */
async function reader({ prefetch = false, ...options } = {}) {
  const page = await newPage(browser, { serviceWorkers: "allow", ...options });
  if (!prefetch) {
    await page.context().addInitScript(saveData);
  }
  return page;
}

/** BUILD of a written sw.js: { version, base, shell, offline, saved }. */
function workerBuild(dist) {
  const text = readFileSync(join(dist, "sw.js"), "utf8");
  const match = text.match(/^const BUILD = (\{.*\});$/m);
  assert.ok(match, "sw.js names its build");
  return JSON.parse(match[1]);
}

/**
 * Waits until the service worker controls the page: the loader registers it once the page has
 * loaded; it installs (precaching the shell and saving the open page), then claims the page.
 */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

// Conditions on the Cache Storage and the registration are asynchronous, and
// page.waitForFunction does not await a promise (one would count as true at once). So each
// predicate below starts one asynchronous check at a time and answers with the last result,
// while waitForFunction calls it again on every frame.

/** Waits until the worker has saved `path` (a page or a JSON file of the site). */
async function saved(page, path) {
  await page.waitForFunction((path) => {
    const check = ((window.__savedChecks ??= {})[path] ??= { found: false, running: false });
    if (!check.running && !check.found) {
      check.running = true;
      caches
        .match(location.origin + path, { ignoreVary: true })
        .then((hit) => (check.found = !!hit))
        .finally(() => (check.running = false));
    }
    return check.found;
  }, path);
}

/**
 * Waits until the worker of build `version` is the only one: active, controlling the page,
 * nothing installing or waiting, and no cache of another build left.
 */
async function onlyWorker(page, version) {
  await page.waitForFunction((version) => {
    const check = ((window.__workerChecks ??= {})[version] ??= { done: false, running: false });
    if (!check.running && !check.done) {
      check.running = true;
      Promise.all([caches.keys(), navigator.serviceWorker.getRegistration()])
        .then(([names, registration]) => {
          const builds = new Set(names.filter((n) => n.startsWith("quire ")).map((n) => n.split(" ").pop()));
          check.done =
            builds.size === 1 &&
            builds.has(version) &&
            !!registration?.active &&
            !registration.installing &&
            !registration.waiting &&
            navigator.serviceWorker.controller !== null;
        })
        .finally(() => (check.running = false));
    }
    return check.done;
  }, version);
}

const title = (page, text) => page.locator("h1.post__title", { hasText: text });
const markDocument = (page) => page.evaluate(() => (window.__sameDocument = true));
const sameDocument = (page) => page.evaluate(() => window.__sameDocument === true);

/** The offline view's parts. */
async function offlineView(page, { saved = false } = {}) {
  const view = page.locator('.route[data-route="offline"]');
  await view.getByRole("heading", { level: 1, name: "You are offline" }).waitFor();
  const list = view.locator(".offline-saved__list a");
  // The saved posts follow the view: their code is a chunk of its own (src/chunks.rs), then
  // the list is asked of the service worker.
  if (saved) await list.first().waitFor();
  return {
    text: await view.locator("p").first().textContent(),
    saved: await list.evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute("href")])),
    back: await view.getByRole("link", { name: "Back to all posts" }).getAttribute("href"),
    title: await page.title(),
  };
}

/**
 * axe-core's serious and critical findings on the page, in the light and the dark theme (axe
 * is served at a same-origin URL by the test's route, so the page keeps its CSP).
 */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ url: "/__a11y/axe.min.js" });
  const found = [];
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
    });
    found.push(...violations.map((v) => `${scheme}: ${v}`));
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

const index = () => JSON.parse(readFileSync(join(DIST, "content/index.json"), "utf8"));

test("the build writes sw.js with its shell, and every host revalidates it", { skip: noNginx }, async () => {
  const build = workerBuild(DIST);
  assert.match(build.version, /^[0-9a-f]{16}$/);
  assert.equal(build.base, "");
  assert.equal(build.offline, "/offline.html");
  assert.equal(build.saved, "/offline/saved.json");
  for (const url of ["/", "/offline.html", "/content/pages/home/1.json"]) assert.ok(build.shell.includes(url), url);
  // The shell is every file the pages load: the loader and styles from the head (the theme's
  // script is inline), and the app's JS glue and wasm, which have no preload tags (Trunk.toml):
  // the loader imports them.
  const head = readFileSync(join(DIST, "index.html"), "utf8").split("</head>")[0];
  const inHead = [...head.matchAll(/ (?:src|href)="(\/[^/"]+\.(?:js|css|wasm))"/g)].map((m) => m[1]);
  const loaderFile = inHead.find((a) => a.startsWith("/quire-loader-"));
  assert.ok(loaderFile, `a loader in the head: ${inHead}`);
  const loaderCode = readFileSync(join(DIST, loaderFile), "utf8");
  const imported = [...loaderCode.matchAll(/'(\/quire-[0-9a-f]+(?:\.js|_bg\.wasm))'/g)].map((m) => m[1]);
  assert.equal(imported.length, 2, `the loader imports the glue and the wasm: ${imported}`);
  const assets = [...inHead, ...imported];
  assert.ok(inHead.some((a) => /^\/main-[0-9a-f]+\.css$/.test(a)), `the stylesheet in the head: ${inHead}`);
  for (const asset of assets) assert.ok(build.shell.includes(asset), `${asset} is precached`);
  for (const url of build.shell) {
    const file = url === "/" ? "index.html" : url.slice(1);
    assert.ok(existsSync(join(DIST, file)), `${file} exists`);
  }
  // The loader registers the worker, for the whole site.
  const loader = assets.find((a) => a.startsWith("/quire-loader-"));
  assert.match(readFileSync(join(DIST, loader), "utf8"), /navigator\.serviceWorker\.register\("\/sw\.js", \{ scope: "\/" \}\)/);

  const headers = parseHeadersFile(readFileSync(join(ROOT, "public/_headers"), "utf8"));
  assert.equal(headers["/sw.js"]["cache-control"], "no-cache");
  assert.equal(headers["/offline.html"]["cache-control"], "no-cache");
  assert.match(headers["/*"]["content-security-policy"], /worker-src 'self'/);

  const nginx = await startNginx(DIST);
  try {
    const sw = await fetch(nginx.url + "/sw.js");
    assert.equal(sw.status, 200);
    assert.equal(sw.headers.get("cache-control"), "no-cache");
    assert.match(sw.headers.get("content-type"), /^(application|text)\/javascript/);
    assert.equal(sw.headers.get("service-worker-allowed"), null, "not needed at the root");
    await sw.arrayBuffer();
    const offline = await fetch(nginx.url + "/offline.html");
    assert.equal(offline.status, 200);
    assert.equal(offline.headers.get("cache-control"), "no-cache");
    assert.match(await offline.text(), /You are offline/);
  } finally {
    await nginx.stop();
  }
});

test("posts the reader opened, and the listing, read offline; other posts show the offline view", { timeout: 120_000 }, async () => {
  const page = await reader();
  await page.context().route("**/__a11y/axe.min.js", (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(AXE, "utf8") }),
  );
  // Loaded: the page existed before the worker, which saves it when it installs.
  await page.goto(server.url + "/blog/hello-quire");
  await appStarted(page);
  await controlled(page);
  await saved(page, "/blog/hello-quire");
  await saved(page, "/content/posts/hello-quire.json");
  // Opened by an in-app link: its JSON comes through the worker, which saves the page too.
  await markDocument(page);
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.getByRole("link", { name: "Why quire is built on Leptos and WebAssembly" }).click();
  await title(page, "Why quire is built on Leptos and WebAssembly").waitFor();
  assert.ok(await sameDocument(page));
  await saved(page, "/content/posts/quire~2Bleptos.json");
  await saved(page, "/blog/quire+leptos");

  await page.context().setOffline(true);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  const requestsBefore = server.requests.length;

  // A reload of the post opened in the app, then the listing and the other saved post.
  await page.reload();
  await appStarted(page);
  assert.ok(await title(page, "Why quire is built on Leptos and WebAssembly").isVisible());
  assert.ok((await page.locator(".post__body").textContent()).length > 200, "the body is there");
  assert.ok(await page.evaluate(() => getComputedStyle(document.body).display === "flex"), "the stylesheet is there");
  await markDocument(page);
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.locator(".post-card").first().waitFor();
  const visible = index().posts.filter((p) => !p.hidden);
  assert.equal(await page.locator(".post-card").count(), visible.length);
  await page.getByRole("link", { name: "Welcome to quire" }).click();
  await title(page, "Welcome to quire").waitFor();
  assert.ok(await sameDocument(page), "in-app navigations, offline");

  // An unread post by an in-app link: the offline view, with what was saved.
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.getByRole("link", { name: "Leap day notes" }).click();
  const inApp = await offlineView(page, { saved: true });
  assert.equal(new URL(page.url()).pathname, "/blog/leap-day-notes");
  assert.equal(inApp.text, "This post has not been saved for reading offline.");
  const savedPosts = visible
    .filter((p) => ["hello-quire", "quire+leptos"].includes(p.slug))
    .sort((a, b) => (a.date < b.date ? 1 : -1))
    .map((p) => [p.title, "/blog/" + p.slug]);
  assert.deepEqual(inApp.saved, savedPosts, "the saved posts, newest first");
  assert.equal(inApp.back, "/");
  assert.match(inApp.title, /^You are offline/);
  await screenshot(page, "offline-in-app");
  assert.deepEqual(await axeViolations(page), [], "axe on the offline view");
  // A saved post from the list opens.
  await page.getByRole("link", { name: "Welcome to quire" }).click();
  await title(page, "Welcome to quire").waitFor();
  assert.ok(await sameDocument(page));

  // An unread post loaded: the worker answers with offline.html, which the app takes over.
  await page.goto(server.url + "/blog/markdown-tour");
  await appStarted(page);
  const loaded = await offlineView(page, { saved: true });
  assert.equal(loaded.text, "This post has not been saved for reading offline.");
  assert.deepEqual(loaded.saved, savedPosts);
  assert.equal(loaded.back, "/");
  await screenshot(page, "offline-loaded");
  // "Back to all posts", then the listing and a saved post loaded as pages.
  await page.getByRole("link", { name: "Back to all posts" }).click();
  await page.locator(".post-card").first().waitFor();
  await page.goto(server.url + "/");
  await appStarted(page);
  assert.equal(await page.locator(".post-card").count(), visible.length);
  await page.goto(server.url + "/blog/hello-quire/");
  await appStarted(page);
  assert.ok(await title(page, "Welcome to quire").isVisible());
  // The search page was not saved: the offline page stands in, search renders itself (and
  // cannot search), and the next route renders as usual.
  await page.goto(server.url + "/search?q=quire");
  await appStarted(page);
  await page.getByRole("heading", { level: 1, name: "Search" }).waitFor();
  await markDocument(page);
  await page.getByRole("link", { name: "quire", exact: true }).click();
  await page.locator(".post-card").first().waitFor();
  assert.ok(await sameDocument(page));
  assert.deepEqual(server.requests.slice(requestsBefore), [], "nothing reached the server while offline");

  // The offline view tries again when the browser says it is online: in the app it fetches
  // again, as a page it loads itself again. Still offline, that lands on the offline view again.
  await page.getByRole("link", { name: "Leap day notes" }).click();
  await offlineView(page);
  const fetchedAgain = page.waitForRequest((r) => new URL(r.url()).pathname === "/content/posts/leap-day-notes.json");
  await page.evaluate(() => dispatchEvent(new Event("online")));
  await fetchedAgain;
  await offlineView(page);
  await page.goto(server.url + "/blog/writing-for-quire");
  await appStarted(page);
  await offlineView(page);
  await markDocument(page);
  const loadedAgain = page.waitForEvent("load");
  await page.evaluate(() => setTimeout(() => dispatchEvent(new Event("online"))));
  await loadedAgain;
  await appStarted(page);
  assert.equal(await sameDocument(page), false, "the page loaded again");
  await offlineView(page);

  // Back online. Playwright switches the page, then the worker: the browser's own `online`
  // event can reach the page while the worker is still cut off, so the test waits until a
  // request passes the worker, then sends the event again.
  await markDocument(page);
  await page.getByRole("link", { name: "Back to all posts" }).click();
  await page.getByRole("link", { name: "Leap day notes" }).click();
  await offlineView(page);
  await page.context().setOffline(false);
  await page.waitForFunction(() => {
    const check = (window.__networkCheck ??= { ok: false, running: false });
    if (!check.running && !check.ok) {
      check.running = true;
      fetch("/content/index.json", { cache: "no-store" })
        .then((response) => (check.ok = response.ok))
        .catch(() => {})
        .finally(() => (check.running = false));
    }
    return check.ok;
  });
  await page.evaluate(() => dispatchEvent(new Event("online")));
  await title(page, "Leap day notes").waitFor();
  assert.ok(await sameDocument(page));

  // What failed offline: requests for posts that were not saved (the worker had nothing to
  // give) and the test's own probe; never a saved post's.
  const failed = page.problems.filter((p) => p.startsWith("failed: "));
  for (const problem of failed) {
    assert.match(problem, /^failed: \/content\/(posts\/[^ ]+\.json|search\/[^ ]+\.json|index\.json) net::/, problem);
    assert.doesNotMatch(problem, /hello-quire|quire~2Bleptos/, problem);
  }
  assert.deepEqual(unexpectedProblems(page, ["failed: "]), []);
});

test("a new deploy is picked up on the next visit online, and refreshes what was saved", { timeout: 300_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), "quire-offline-"));
  const copy = join(work, "dist");
  const content = join(work, "content");
  await cp(DIST, copy, { recursive: true });
  await cp(join(ROOT, "content"), content, { recursive: true });
  const site = await serveStatic(copy);
  try {
    const page = await reader();
    await page.goto(site.url + "/blog/hello-quire");
    await appStarted(page);
    await controlled(page);
    await page.goto(site.url + "/blog/leap-day-notes");
    await appStarted(page);
    await saved(page, "/blog/leap-day-notes");
    await saved(page, "/content/posts/leap-day-notes.json");
    const before = workerBuild(copy).version;
    await onlyWorker(page, before);

    // A new build into the copy, as Trunk's hooks run the compiler: two posts renamed.
    for (const [file, from, to] of [
      ["welcome-to-quire.md", "title: Welcome to quire", "title: Welcome back to quire"],
      ["leap-day-notes.md", "title: Leap day notes", "title: Leap day notes, revised"],
    ]) {
      const path = join(content, "posts", file);
      const text = await readFile(path, "utf8");
      assert.ok(text.includes(from), `${file} has ${from}`);
      await writeFile(path, text.replace(from, to));
    }
    const env = { ...process.env, TRUNK_PUBLIC_URL: "/", TRUNK_PROFILE: "release", QUIRE_CONTENT: "", TRUNK_STAGING_DIR: "" };
    for (const step of ["build", "finalize"]) {
      await promisify(execFile)(
        "cargo",
        ["run", "--quiet", "-p", "quire-compiler", "--", step, "--content", content, "--out", copy],
        { cwd: ROOT, env, maxBuffer: 16 << 20 },
      );
    }
    const after = workerBuild(copy).version;
    assert.notEqual(after, before, "a new build writes a new sw.js");

    // The next visit online: the new content at once (pages come from the network first),
    // and the new worker, which replaces the old one and deletes its caches.
    await page.goto(site.url + "/blog/hello-quire");
    await appStarted(page);
    assert.ok(await title(page, "Welcome back to quire").isVisible());
    await onlyWorker(page, after);

    // Offline, the post saved under the old build reads as the new deploy wrote it.
    await page.context().setOffline(true);
    await page.goto(site.url + "/blog/leap-day-notes");
    await appStarted(page);
    assert.ok(await title(page, "Leap day notes, revised").isVisible());
    await page.getByRole("link", { name: "← All posts" }).click();
    await page.getByRole("link", { name: "Welcome back to quire" }).waitFor();
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await site.close();
    await rm(work, { recursive: true, force: true });
  }
});

test("a debug build (trunk serve) removes a worker a release build left at the same address", { timeout: 300_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), "quire-offline-"));
  const copy = join(work, "dist");
  await cp(DIST, copy, { recursive: true });
  const site = await serveStatic(copy);
  try {
    const page = await reader();
    await page.goto(site.url + "/blog/hello-quire");
    await appStarted(page);
    await controlled(page);
    await saved(page, "/blog/hello-quire");

    // The same address now serves a debug build: its finalize writes the removing sw.js, and
    // its loader registers nothing (the copy's loader loses the registration to match).
    await promisify(execFile)("cargo", ["run", "--quiet", "-p", "quire-compiler", "--", "finalize", "--out", copy], {
      cwd: ROOT,
      env: { ...process.env, TRUNK_PUBLIC_URL: "/", TRUNK_PROFILE: "debug", QUIRE_OFFLINE: "", QUIRE_CONTENT: "", TRUNK_STAGING_DIR: "" },
      maxBuffer: 16 << 20,
    });
    const head = readFileSync(join(copy, "index.html"), "utf8").split("</head>")[0];
    const loader = join(copy, head.match(/src="\/(quire-loader-[0-9a-f]+\.js)"/)[1]);
    const code = await readFile(loader, "utf8");
    await writeFile(loader, code.slice(code.indexOf("// quire's loader")));
    assert.doesNotMatch(readFileSync(join(copy, "sw.js"), "utf8"), /addEventListener\("fetch"/);

    await page.goto(site.url + "/blog/hello-quire");
    await appStarted(page);
    await page.waitForFunction(() => {
      const check = (window.__goneCheck ??= { gone: false, running: false });
      if (!check.running && !check.gone) {
        check.running = true;
        Promise.all([caches.keys(), navigator.serviceWorker.getRegistrations()])
          .then(([names, registrations]) => (check.gone = !names.some((n) => n.startsWith("quire ")) && registrations.length === 0))
          .finally(() => (check.running = false));
      }
      return check.gone;
    });
    // Pages come from the server as they are.
    await page.reload();
    await appStarted(page);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await site.close();
    await rm(work, { recursive: true, force: true });
  }
});

test("under a sub-path the worker's scope, its files and the offline view follow the public URL", { skip: noSub, timeout: 120_000 }, async () => {
  const build = workerBuild(SUB_DIST);
  assert.equal(build.base, "/quire");
  assert.ok(build.shell.includes("/quire/") && build.shell.includes("/quire/offline.html"));
  const sub = await serveStatic(SUB_DIST, { prefix: "/quire" });
  try {
    const page = await reader();
    await page.goto(sub.url + "/quire/blog/leap-day-notes");
    await appStarted(page);
    await controlled(page);
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope), sub.url + "/quire/");
    await saved(page, "/quire/blog/leap-day-notes");
    await saved(page, "/quire/content/posts/leap-day-notes.json");
    await page.context().setOffline(true);
    await page.reload();
    await appStarted(page);
    assert.ok(await title(page, "Leap day notes").isVisible());
    await page.goto(sub.url + "/quire/blog/hello-quire");
    await appStarted(page);
    const view = await offlineView(page, { saved: true });
    assert.deepEqual(view.saved, [["Leap day notes", "/quire/blog/leap-day-notes"]]);
    assert.equal(view.back, "/quire/");
    await page.getByRole("link", { name: "Back to all posts" }).click();
    await page.locator(".post-card").first().waitFor();
    const failed = page.problems.filter((p) => p.startsWith("failed: "));
    for (const problem of failed) assert.match(problem, /^failed: \/quire\/blog\/hello-quire net::/, problem);
    assert.deepEqual(unexpectedProblems(page, ["failed: "]), []);
  } finally {
    await sub.close();
  }
});

test("a post opened from the app's prefetch (no request on the click) is saved too", { timeout: 120_000 }, async () => {
  // A short window: the last card is off screen, so nothing fetches it before the pointer
  // reaches it (after the worker controls the page).
  const page = await reader({ prefetch: true, viewport: { width: 1000, height: 420 } });
  await page.goto(server.url + "/");
  await appStarted(page);
  await controlled(page);
  const link = page.locator(".post-card__title a").last();
  const href = await link.getAttribute("href");
  const name = (await link.textContent()).trim();
  const slug = decodeURIComponent(href.split("/").pop());
  const json = `/content/posts/${postFileKey(slug)}.json`;
  // Pointing at the link fetches its JSON ahead, through the worker, which saves its page too.
  const asked = [];
  page.on("request", (r) => asked.push(new URL(r.url()).pathname));
  await link.hover();
  await saved(page, json);
  await saved(page, href);
  const before = asked.length;
  await link.click();
  await title(page, name).waitFor();
  assert.ok(!asked.slice(before).includes(json), "the click rendered from the prefetched answer");
  await page.context().setOffline(true);
  await page.reload();
  await appStarted(page);
  assert.ok(await title(page, name).isVisible());
  const failed = page.problems.filter((p) => p.startsWith("failed: "));
  for (const problem of failed) assert.match(problem, /^failed: \/content\/(posts|pages)\/[^ ]+\.json net::/, problem);
  assert.deepEqual(unexpectedProblems(page, ["failed: "]), []);
});

/**
 * `upstream` behind a host that redirects a folder without its slash (`/blog/x` → `/blog/x/`),
 * as GitHub Pages does.
 */
async function redirectingHost(upstream) {
  const server = createServer((req, res) => {
    const path = req.url.split("?")[0];
    if (/^\/blog\/[^/]+$/.test(path)) {
      res.writeHead(301, { location: path + "/" });
      res.end();
      return;
    }
    const forward = httpRequest(upstream + req.url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

test("on a host that redirects /blog/x to /blog/x/ (GitHub Pages), saved pages open offline", { timeout: 120_000 }, async () => {
  const host = await redirectingHost(server.url);
  try {
    const page = await reader();
    await page.goto(host.url + "/blog/hello-quire");
    assert.equal(new URL(page.url()).pathname, "/blog/hello-quire/");
    await appStarted(page);
    await controlled(page);
    await page.getByRole("link", { name: "← All posts" }).click();
    await page.getByRole("link", { name: "Leap day notes" }).click();
    await title(page, "Leap day notes").waitFor();
    // Both saved by the worker's own requests, which the host answered with a redirect.
    await saved(page, "/blog/hello-quire");
    await saved(page, "/blog/leap-day-notes");
    await page.context().setOffline(true);
    for (const path of ["/blog/leap-day-notes", "/blog/hello-quire/", "/blog/hello-quire"]) {
      await page.goto(host.url + path);
      await appStarted(page);
      assert.ok(await page.locator("h1.post__title").isVisible(), path);
    }
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await host.close();
  }
});
