// Accessibility and themes. Served by nginx with deploy/nginx.conf (the sample blog, and the
// openinfra.dev corpus when it is built), under the site's Content-Security-Policy:
// - axe-core finds no serious or critical violation on the listing, a post, the 404 page and
//   a category and an author page (when the build has them), in the light and the dark
//   theme, whether the theme comes from the system (prefers-color-scheme) or the toggle;
// - every page has one h1 and the landmarks banner, main and contentinfo;
// - the keyboard: Tab reaches the skip link first, Enter on it puts the focus in <main>; the
//   theme toggle works with Enter and Space, its choice survives a reload and is applied
//   before the first paint (no frame in the wrong theme, no layout shift);
// - without JavaScript the page follows the system theme and hides the toggle.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { serveStatic, launch, newPage, screenshot, distDir, unexpectedProblems, appStarted } from "./support.mjs";
import { postPath } from "./content.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const CI = process.env.CI === "true";
const CORPUS = resolve(ROOT, process.env.QUIRE_CORPUS || "../shared/corpus/osf-website");
const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");
const noNginx = !nginxBinary() && !CI && "nginx not installed (scripts/setup --test)";
const noAxe = !existsSync(AXE) && "axe-core not installed (npm ci)";

const CORPUS_DIST = distDir("QUIRE_CORPUS_DIST", "dist-corpus");
const SITES = [
  { name: "sample", dist: distDir("QUIRE_DIST", "dist"), skip: noNginx || noAxe },
  {
    name: "corpus",
    dist: CORPUS_DIST,
    skip: noNginx || noAxe || (!CI && !(existsSync(CORPUS) && existsSync(join(CORPUS_DIST, "index.html"))) && "corpus or dist-corpus missing"),
    // Posts link images on other sites (blocked by this machine's network) and under /img/
    // (not part of the corpus copy): neither is the app's doing.
    elsewhere: ["http 404: /img/", "failed: https://", "failed: http://"],
    // The authors' raw HTML (e.g. an <img> without alt) is theirs to fix: problems found only
    // inside a post body are reported, not failed. The sample's own posts are held to the
    // rules, which covers what the Markdown renderer itself writes.
    authored: ".post__body",
  },
];
const SUB_DIST = distDir("QUIRE_SUBPATH_DIST", "dist-sub");

// The colours the two themes paint the page with (style/main.css, --bg).
const BG = { light: "rgb(253, 253, 252)", dark: "rgb(22, 24, 27)" };
// The key index.html's theme script and the toggle keep the choice under.
const KEY = "quire-theme";

let browser;

function ready(site) {
  if (site.error) throw site.error;
  return site;
}

/**
 * The build's listing, read once the build folder is complete: the lead's builds replace
 * dist/ while tests may run, so a folder in the middle of a build is waited for.
 */
async function readBuild(dist) {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      if (!existsSync(join(dist, ".stage"))) {
        return JSON.parse(readFileSync(join(dist, "content/index.json"), "utf8"));
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${dist} is still being built`);
    await new Promise((ok) => setTimeout(ok, 2_000));
  }
}

/** The first folder under `dist/blog/<kind>/`, or null when the build has no such pages. */
function firstPageOf(dist, kind) {
  const dir = join(dist, "blog", kind);
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).sort().find((n) => existsSync(join(dir, n, "index.html")));
  return name ? `/blog/${kind}/${encodeURIComponent(name)}` : null;
}

before(async () => {
  for (const site of SITES) {
    if (site.skip) continue;
    try {
      assert.ok(existsSync(join(site.dist, "index.html")), `${site.dist} missing: build it (scripts/test)`);
      const index = await readBuild(site.dist);
      const visible = index.posts.filter((p) => !p.hidden);
      const post = visible.find((p) => p.slug === "markdown-tour") ?? visible[0];
      site.pages = [
        { name: "home", path: "/" },
        { name: "post", path: postPath(post.slug) },
        { name: "404", path: "/no/such/page", status: 404 },
      ];
      for (const kind of ["category", "author"]) {
        const path = firstPageOf(site.dist, kind);
        if (path) site.pages.push({ name: kind, path });
        else site.missing = [...(site.missing ?? []), `${kind} pages (no ${site.dist}/blog/${kind}/)`];
      }
      site.nginx = await startNginx(site.dist);
    } catch (error) {
      site.error = error;
    }
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const site of SITES) await site.nginx?.stop();
});

/**
 * A page whose context serves axe-core at a same-origin URL. The Content-Security-Policy
 * (script-src 'self') refuses inline scripts, which is what page.addScriptTag({ path }) or
 * ({ content }) would insert; a <script src> on the site's own origin is allowed, so the
 * page runs under its real policy (no bypassCSP).
 */
async function axePage(options) {
  const page = await newPage(browser, options);
  await page.context().route("**/__a11y/axe.min.js", (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(AXE, "utf8") }),
  );
  return page;
}

/**
 * Runs axe-core on the page: the violations of impact serious or critical (`bad`), the
 * others, and those whose every node lies inside `authored` (a selector, optional).
 */
async function runAxe(page, authored) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ url: "/__a11y/axe.min.js" });
  }
  const violations = await page.evaluate(async (authored) => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    const inAuthored = (n) => !!authored && n.target.length === 1 && !!document.querySelector(n.target[0])?.closest(authored);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      count: v.nodes.length,
      authored: v.nodes.every(inAuthored),
    }));
  }, authored ?? null);
  const serious = (v) => v.impact === "serious" || v.impact === "critical";
  return {
    bad: violations.filter((v) => serious(v) && !v.authored),
    other: violations.filter((v) => !serious(v) && !v.authored),
    authored: violations.filter((v) => v.authored),
  };
}

const describe = (violations) =>
  violations
    .map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help}\n${v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, "\n      ")}`).join("\n")}`)
    .join("\n");

/** The theme the page shows: <html data-theme> and the body's background colour. */
const shownTheme = (page) =>
  page.evaluate(() => ({ attr: document.documentElement.dataset.theme ?? null, bg: getComputedStyle(document.body).backgroundColor }));

/** Loads `path` (expecting `status`) and waits for the app's take-over. */
async function open(page, base, { path, status = 200 }) {
  const response = await page.goto(base + path);
  assert.equal(response.status(), status, path);
  await appStarted(page);
}

/** One h1 and one each of the landmarks banner, main and contentinfo. */
async function assertStructure(page, what) {
  assert.equal(await page.locator("h1").count(), 1, `${what}: one h1`);
  for (const role of ["banner", "main", "contentinfo"]) {
    assert.equal(await page.getByRole(role).count(), 1, `${what}: one ${role} landmark`);
  }
}

// ---------------------------------------------------------------------------------------
// axe-core in both themes, set by the system and by the toggle.

const VARIANTS = [
  { name: "light (system)", colorScheme: "light", expect: "light" },
  { name: "dark (system)", colorScheme: "dark", expect: "dark" },
  { name: "dark (toggle, light system)", colorScheme: "light", choose: "Dark", expect: "dark" },
  { name: "light (toggle, dark system)", colorScheme: "dark", choose: "Light", expect: "light" },
];

for (const S of SITES) {
  test(`${S.name}: axe-core finds no serious or critical violation, in either theme`, { skip: S.skip, timeout: 10 * 60_000 }, async (t) => {
    const site = ready(S);
    for (const missing of site.missing ?? []) t.diagnostic(`not checked: ${missing}`);
    const failures = [];
    for (const variant of VARIANTS) {
      const page = await axePage({ colorScheme: variant.colorScheme });
      for (const target of site.pages) {
        const what = `${target.name} ${target.path}, ${variant.name}`;
        await open(page, site.nginx.url, target);
        if (variant.choose) await page.getByRole("button", { name: variant.choose, exact: true }).click();
        assert.deepEqual(await shownTheme(page), { attr: variant.choose?.toLowerCase() ?? "system", bg: BG[variant.expect] }, what);
        await assertStructure(page, what);
        const { bad, other, authored } = await runAxe(page, site.authored);
        if (bad.length) failures.push(`${what}:\n${describe(bad)}`);
        if (other.length) t.diagnostic(`${what}, minor or moderate: ${other.map((v) => v.id).join(", ")}`);
        if (authored.length) t.diagnostic(`${what}, in the post's own HTML: ${authored.map((v) => `${v.id} (${v.impact})`).join(", ")}`);
        if (variant.choose) await page.evaluate((key) => localStorage.removeItem(key), KEY);
      }
      assert.deepEqual(unexpectedProblems(page, site.elsewhere), [], variant.name);
      await page.context().close();
    }
    if (failures.length) console.log(failures.join("\n\n"));
    assert.deepEqual(failures, [], "axe-core violations of impact serious or critical");
  });
}

// ---------------------------------------------------------------------------------------
// The keyboard.

const sample = SITES[0];

/** What has the focus: tag, class, id and text. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), cls: el?.className || "", id: el?.id || "", text: el?.textContent.trim().slice(0, 40), inMain: !!el?.closest("main") };
  });

test("sample: Tab reaches the skip link first, which moves the focus into <main>", { skip: sample.skip }, async () => {
  const { nginx, pages } = ready(sample);
  for (const javaScriptEnabled of [true, false]) {
    for (const target of pages) {
      const what = `${target.path}, JavaScript ${javaScriptEnabled ? "on" : "off"}`;
      const page = await newPage(browser, { javaScriptEnabled });
      if (javaScriptEnabled) await open(page, nginx.url, target);
      else await page.goto(nginx.url + target.path);
      await page.keyboard.press("Tab");
      const skip = await focused(page);
      assert.equal(skip.cls, "skip-link", `${what}: first Tab stop ${JSON.stringify(skip)}`);
      const box = await page.locator(".skip-link").boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 20, `${what}: the focused skip link is on screen ${JSON.stringify(box)}`);
      assert.equal(await page.locator(".skip-link").evaluate((a) => getComputedStyle(a).outlineStyle), "solid", `${what}: focus ring`);
      await page.keyboard.press("Enter");
      if (javaScriptEnabled) {
        // With the app running, <main> itself has the focus.
        await page.waitForFunction(() => document.activeElement?.id === "main");
        assert.equal(new URL(page.url()).pathname, new URL(nginx.url + target.path).pathname, `${what}: no navigation`);
      }
      // Either way, the next Tab stop is the first control inside <main>.
      await page.keyboard.press("Tab");
      const next = await focused(page);
      assert.ok(next.inMain, `${what}: after the skip link, Tab goes to ${JSON.stringify(next)}`);
      assert.deepEqual(unexpectedProblems(page), [], what);
      await page.context().close();
    }
  }
});

test("sample: every link and button shows a focus ring", { skip: sample.skip }, async () => {
  const { nginx, pages } = ready(sample);
  for (const colorScheme of ["light", "dark"]) {
    const page = await newPage(browser, { colorScheme });
    for (const target of pages) {
      await open(page, nginx.url, target);
      const seen = new Set();
      // Tab through the whole page: every stop (links, buttons, scrollable tables) shows a
      // visible outline.
      for (let i = 0; i < 400; i++) {
        await page.keyboard.press("Tab");
        const stop = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            key: el.outerHTML.slice(0, 120),
            outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
            visible: box.width > 0 && box.height > 0,
          };
        });
        if (!stop || seen.has(stop.key)) break;
        seen.add(stop.key);
        assert.ok(stop.outline && stop.visible, `${target.path} (${colorScheme}): no visible focus ring on ${stop.key}`);
      }
      assert.ok(seen.size >= 5, `${target.path}: ${seen.size} Tab stops`);
    }
    await page.context().close();
  }
});

/**
 * Init script: the value of <html data-theme> and the body's background colour on every
 * animation frame until `frames` frames after TrunkApplicationStarted, every value the
 * attribute takes, its value once the document is parsed (before deferred and module scripts
 * run), and the layout shifts.
 */
function recordTheme({ frames }) {
  const rec = (window.__theme = { frames: [], changes: [], parsed: null, done: false, cls: 0 });
  let startedAt = null;
  addEventListener("TrunkApplicationStarted", () => (startedAt = rec.frames.length));
  // The script runs before the parser has created <html>: observe the whole document.
  new MutationObserver((records) => {
    for (const r of records) if (r.target === document.documentElement) rec.changes.push(r.target.getAttribute("data-theme"));
  }).observe(document, { attributes: true, attributeFilter: ["data-theme"], subtree: true });
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "interactive") rec.parsed = document.documentElement.getAttribute("data-theme");
  });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (rec.cls += e.value))).observe({ type: "layout-shift", buffered: true });
  const tick = () => {
    rec.frames.push({
      theme: document.documentElement?.getAttribute("data-theme") ?? null,
      bg: document.body ? getComputedStyle(document.body).backgroundColor : null,
      readyState: document.readyState,
    });
    if (startedAt !== null && rec.frames.length >= startedAt + frames) rec.done = true;
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

test("sample: the theme toggle works with Enter and Space, persists, and applies before the first paint", { skip: sample.skip, timeout: 120_000 }, async () => {
  const { nginx, pages } = ready(sample);
  const post = pages.find((p) => p.name === "post");
  const page = await newPage(browser, { colorScheme: "light" });
  await open(page, nginx.url, post);
  const button = (name) => page.getByRole("button", { name, exact: true });
  const pressed = () => Promise.all(["System", "Light", "Dark"].map((n) => button(n).getAttribute("aria-pressed")));
  assert.equal(await page.getByRole("group", { name: "Theme" }).count(), 1, "the toggle is a named group");
  assert.deepEqual(await pressed(), ["true", "false", "false"]);
  assert.deepEqual(await shownTheme(page), { attr: "system", bg: BG.light });

  // Reach "Dark" with Tab alone, press Enter.
  await page.keyboard.press("Tab");
  for (let i = 0; i < 10 && (await focused(page)).text !== "Dark"; i++) await page.keyboard.press("Tab");
  assert.equal((await focused(page)).text, "Dark", "Tab reaches the Dark button");
  await page.keyboard.press("Enter");
  assert.deepEqual(await pressed(), ["false", "false", "true"], "Enter chose Dark");
  assert.deepEqual(await shownTheme(page), { attr: "dark", bg: BG.dark });
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), "dark");
  await screenshot(page, "a11y-dark-post");

  // Shift+Tab to "Light", Space.
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused(page)).text, "Light");
  await page.keyboard.press("Space");
  assert.deepEqual(await pressed(), ["false", "true", "false"], "Space chose Light");
  assert.deepEqual(await shownTheme(page), { attr: "light", bg: BG.light });
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), "light");

  // Back to Dark, then reload: the stored choice is on <html> before anything is painted
  // and before the app's scripts run, stays there through the take-over, and nothing moves.
  await button("Dark").press("Space");
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), "dark");
  await page.addInitScript(recordTheme, { frames: 5 });
  for (const target of [post, pages.find((p) => p.name === "home")]) {
    await page.goto(nginx.url + target.path);
    await page.waitForFunction(() => window.__theme?.done, null, { timeout: 30_000 });
    await appStarted(page);
    const rec = await page.evaluate(() => window.__theme);
    assert.equal(rec.parsed, "dark", `${target.path}: data-theme once the document is parsed`);
    assert.deepEqual(rec.changes, ["dark"], `${target.path}: data-theme is set once, by the theme script`);
    const painted = rec.frames.filter((f) => f.bg !== null);
    assert.ok(painted.length > 0, `${target.path}: frames with a body`);
    const wrong = rec.frames.filter((f) => f.theme !== "dark" || (f.bg !== null && f.bg !== BG.dark));
    assert.deepEqual(wrong, [], `${target.path}: every frame is dark (${rec.frames.length} frames)`);
    assert.equal(rec.cls, 0, `${target.path}: layout shifts`);
    assert.deepEqual(await pressed(), ["false", "false", "true"], `${target.path}: the toggle shows the stored choice`);
    if (target.name === "home") await screenshot(page, "a11y-dark-home");
  }

  // "System" forgets the choice.
  await button("System").click();
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), null);
  await page.reload();
  await appStarted(page);
  assert.deepEqual(await shownTheme(page), { attr: "system", bg: BG.light });
  assert.deepEqual(await pressed(), ["true", "false", "false"]);
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("sample: the theme survives in-app navigation; the choice in one tab holds in the next page load", { skip: sample.skip }, async () => {
  const { nginx, pages } = ready(sample);
  const page = await newPage(browser, { colorScheme: "dark" });
  await open(page, nginx.url, pages[0]);
  await page.getByRole("button", { name: "Light", exact: true }).click();
  await page.evaluate(() => (window.__sameDocument = true));
  await page.locator(".post-card__title a").first().click();
  await page.locator("h1.post__title").waitFor();
  assert.ok(await page.evaluate(() => window.__sameDocument === true), "no page load");
  assert.deepEqual(await shownTheme(page), { attr: "light", bg: BG.light });
  assert.equal(await page.getByRole("button", { name: "Light", exact: true }).getAttribute("aria-pressed"), "true");
  const other = await page.context().newPage();
  await other.goto(nginx.url + "/");
  assert.deepEqual(await shownTheme(other), { attr: "light", bg: BG.light });
  assert.deepEqual(unexpectedProblems(page), []);
  await page.context().close();
});

test("sample: without JavaScript the page follows the system theme and shows no toggle", { skip: sample.skip }, async () => {
  const { nginx, pages } = ready(sample);
  for (const colorScheme of ["light", "dark"]) {
    const page = await newPage(browser, { colorScheme, javaScriptEnabled: false });
    for (const target of pages) {
      await page.goto(nginx.url + target.path);
      assert.deepEqual(await shownTheme(page), { attr: null, bg: BG[colorScheme] }, `${target.path} (${colorScheme})`);
      assert.equal(await page.locator(".theme-toggle").isVisible(), false, `${target.path}: the toggle is hidden`);
    }
    if (colorScheme === "dark") await screenshot(page, "a11y-nojs-dark-404");
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  }
});

// The theme script is inline (index.html; the policy allows it by its hash): no request, under
// a sub-path too, where it applies the stored choice as at the root.
test("under a sub-path, the inline theme script applies the choice before the stylesheet", { skip: !existsSync(join(SUB_DIST, "index.html")) && `${SUB_DIST} missing` }, async () => {
  const html = readFileSync(join(SUB_DIST, "index.html"), "utf8");
  const at = html.indexOf('.setAttribute("data-theme"');
  assert.ok(at > 0 && at < html.indexOf('rel="stylesheet"'), "the theme script comes before the stylesheet");
  assert.doesNotMatch(html, /quire-theme-[0-9a-f]+\.js/, "no theme file to fetch");
  const server = await serveStatic(SUB_DIST, { prefix: "/quire" });
  try {
    const page = await newPage(browser, { colorScheme: "light" });
    await page.goto(server.url + "/quire/");
    await appStarted(page);
    await page.getByRole("button", { name: "Dark", exact: true }).click();
    await page.goto(server.url + "/quire/blog/hello-quire");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await appStarted(page);
    assert.deepEqual(await shownTheme(page), { attr: "dark", bg: BG.dark });
    assert.deepEqual(unexpectedProblems(page), []);
    await page.context().close();
  } finally {
    await server.close();
  }
});
