// The panic screen (src/panic.rs) on the sample build, under the site's CSP. A panic in the
// app aborts the wasm (release profile: panic = "abort"); the panic hook runs first and puts a
// banner at the top of the page: a heading, one sentence, a link that loads the page again and
// the panic message under "Technical details". The page stays readable below it, and its
// links load pages in full instead of calling into the stopped app.
//
// The panic comes from `quirePanicForTests`, an export of the very wasm that ships, which only
// script can call (Trunk's loader exposes the exports as window.wasmBindings): no address,
// link or input of the site reaches it, and no second build is needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { serveStatic, launch, newPage, distDir, unexpectedProblems, appStarted, SHOTS } from "./support.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const AXE = join(ROOT, "node_modules/axe-core/axe.min.js");
const PANIC_MESSAGE = "quirePanicForTests() was called";
let server, browser;

before(async () => {
  server = await serveStatic(distDir("QUIRE_DIST", "dist"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Makes the app panic; returns what the call threw (the abort's trap). */
function panic(page) {
  return page.evaluate(() => {
    try {
      window.wasmBindings.quirePanicForTests();
      return "returned";
    } catch (error) {
      return String(error);
    }
  });
}

test("a panic shows a readable error screen with a reload link, above a page that stays readable", async () => {
  const page = await newPage(browser);
  await page.context().route("**/__a11y/axe.min.js", (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(AXE, "utf8") }),
  );
  await page.goto(server.url + "/blog/hello-quire?from=test#nowhere");
  await appStarted(page);
  assert.equal(await page.getByRole("alert").count(), 0, "no banner before the panic");

  // panic = "abort": the hook ran, then the wasm trapped.
  assert.match(await panic(page), /RuntimeError: unreachable/);
  const banner = page.getByRole("alert");
  await banner.waitFor();
  assert.equal(await banner.getByRole("heading").textContent(), "Something went wrong");
  assert.match(await banner.textContent(), /This page ran into an error and stopped working; reload it to start again\./);
  const reload = banner.getByRole("link", { name: "Reload the page" });
  assert.equal(await reload.getAttribute("href"), "/blog/hello-quire?from=test", "the address without its fragment");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "quire-panic", "focus moves to the banner");
  mkdirSync(SHOTS, { recursive: true });
  await banner.getByText("Technical details").click();
  assert.match(await banner.locator("pre").textContent(), new RegExp(PANIC_MESSAGE.replace(/[()]/g, "\\$&")));

  // The post is still there, and the banner stays in view while the reader scrolls it.
  assert.ok(await page.locator("h1.post__title", { hasText: "Welcome to quire" }).isVisible());
  assert.ok((await page.locator(".post__body").textContent()).length > 100);
  await page.screenshot({ path: join(SHOTS, "panic-screen.png") });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const box = await banner.boundingBox();
  assert.ok(box && Math.abs(box.y) < 1, `the banner is at the top of the window (${JSON.stringify(box)})`);

  // Accessible in both themes (contrast of the banner's text, its link and details).
  await page.addScriptTag({ url: "/__a11y/axe.min.js" });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run({ include: ["#quire-panic"] }, { resultTypes: ["violations"] });
      return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
    });
    assert.deepEqual(violations, [], `axe on the banner, ${scheme} theme`);
  }

  // A second panic leaves the one banner.
  assert.match(await panic(page), /RuntimeError/);
  assert.equal(await page.locator("#quire-panic").count(), 1);

  // Links load their page in full: the stopped app does not handle them.
  await page.evaluate(() => (window.__sameDocument = true));
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.waitForURL(server.url + "/");
  await appStarted(page);
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, "a new document");
  assert.equal(await page.getByRole("alert").count(), 0);
  await page.locator(".post-card").first().waitFor();

  // Only the panic itself was reported (console_error_panic_hook's message).
  assert.ok(page.problems.some((p) => p.startsWith("console:") && p.includes(PANIC_MESSAGE)), page.problems.join("\n"));
  assert.deepEqual(unexpectedProblems(page, [PANIC_MESSAGE]), []);
});

test("the reload link loads the page again, and the app starts afresh", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await appStarted(page);
  // An in-app navigation first: the banner must work on a page the app rendered itself.
  await page.getByRole("link", { name: "Leap day notes" }).click();
  await page.locator("h1.post__title", { hasText: "Leap day notes" }).waitFor();
  await page.evaluate(() => (window.__sameDocument = true));
  assert.match(await panic(page), /RuntimeError: unreachable/);
  const reload = page.getByRole("alert").getByRole("link", { name: "Reload the page" });
  assert.equal(await reload.getAttribute("href"), "/blog/leap-day-notes");
  await reload.click();
  await appStarted(page);
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, "a new document");
  assert.equal(await page.getByRole("alert").count(), 0, "no banner after the reload");
  assert.ok(await page.locator("h1.post__title", { hasText: "Leap day notes" }).isVisible());
  // The app runs again: an in-app navigation works.
  await page.evaluate(() => (window.__sameDocument = true));
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.locator(".post-card").first().waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "an in-app navigation");
  assert.deepEqual(unexpectedProblems(page, [PANIC_MESSAGE]), []);
});
