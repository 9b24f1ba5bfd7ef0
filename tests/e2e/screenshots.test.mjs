// Screenshots a reader's eye should go over before a release: home, a post, a category page
// and search results, in the light and the dark theme, at desktop and phone widths (saved
// in tests/e2e/screenshots/). Each page must also have rendered without a problem.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startNginx, nginxBinary } from "./nginx.mjs";
import { launch, newPage, appStarted, distDir, unexpectedProblems, screenshot } from "./support.mjs";

const CI = process.env.CI === "true";
const DIST = distDir("QUIRE_DIST", "dist");
const skip = !nginxBinary() && !CI && "nginx not installed (scripts/setup --test)";

let browser;
let nginx;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DIST, "index.html")), `${DIST} missing: build it (scripts/test)`);
  nginx = await startNginx(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await nginx?.stop();
});

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

test("home, a post, a category page and search results, in both themes, at desktop and phone widths", { skip, timeout: 180_000 }, async () => {
  const category = readdirSync(join(DIST, "blog/category"))[0];
  const pages = [
    ["home", "/", ".post-card"],
    ["post", "/blog/markdown-tour", "h1.post__title"],
    ["category", `/blog/category/${category}`, "h1.listing__title"],
    ["search", "/search?q=quire", ".search-results mark, .search__results mark, mark"],
  ];
  for (const scheme of ["light", "dark"]) {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      const page = await newPage(browser, { colorScheme: scheme, viewport });
      for (const [name, path, ready] of pages) {
        await page.goto(nginx.url + path);
        await appStarted(page);
        await page.locator(ready).first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} ${scheme} ${width}: ${overflow}px wider than the window`);
        await screenshot(page, `look-${name}-${scheme}-${width}`);
      }
      assert.deepEqual(unexpectedProblems(page), [], `${scheme} ${width}`);
      await page.context().close();
    }
  }
});
