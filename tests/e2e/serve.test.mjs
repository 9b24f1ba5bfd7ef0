// `scripts/serve` (the README's serve command) with QUIRE_CONTENT pointing outside the
// project: deep links work, and adding, editing and deleting a post reloads the open page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launch, newPage, screenshot, unexpectedProblems, appStarted } from "./support.mjs";
import { readPosts } from "./content.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const content = mkdtempSync(join(tmpdir(), "quire-content-"));
const RELOAD_TIMEOUT = 180_000;
let serve, url, browser, log = "";

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function waitForServer(deadline) {
  while (Date.now() < deadline) {
    if (serve.exitCode !== null) throw new Error(`scripts/serve exited early:\n${log.slice(-3000)}`);
    try {
      const res = await fetch(url + "/content/index.json");
      if (res.ok) return;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`scripts/serve did not come up:\n${log.slice(-3000)}`);
}

before(async () => {
  cpSync(join(ROOT, "content"), content, { recursive: true });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // --release reuses the test run's release build instead of compiling a debug one.
  serve = spawn("scripts/serve", ["--release", "--port", String(port), "--dist", "target/quire-serve/dist"], {
    cwd: ROOT,
    env: { ...process.env, QUIRE_CONTENT: content },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  serve.stdout.on("data", (d) => (log += d));
  serve.stderr.on("data", (d) => (log += d));
  await waitForServer(Date.now() + 10 * 60_000);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) process.kill(-serve.pid, "SIGTERM");
  rmSync(content, { recursive: true, force: true });
});

const post = (title) => `---
templateKey: blog-post
title: ${title}
author: Test Writer
date: 2030-01-01T10:00:00.000Z
---
Written while the server was running.
`;

test("a deep link works under trunk serve, and the app renders the next post itself", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await page.goto(url + "/blog/quire+leptos");
  await page.locator("h1.post__title").waitFor();
  assert.match(await page.locator("h1").textContent(), /Leptos and WebAssembly/);
  // In the app: the debug build's wasm with the Markdown renderer's module (crates/render).
  await appStarted(page);
  await page.evaluate(() => (window.__sameDocument = true));
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.getByRole("link", { name: "Welcome to quire" }).click();
  await page.locator("h1.post__title", { hasText: "Welcome to quire" }).waitFor();
  assert.ok(await page.evaluate(() => window.__sameDocument), "an in-app navigation");
  assert.ok((await page.locator(".post__body").textContent()).length > 100, "the body is rendered");
  assert.deepEqual(unexpectedProblems(page), []);
});

test("adding, editing and deleting a post reloads the open page", { timeout: 4 * RELOAD_TIMEOUT }, async () => {
  const page = await newPage(browser);
  await page.goto(url + "/");
  await page.locator(".post-card").first().waitFor();
  const file = join(content, "posts", "live-reload.md");

  writeFileSync(file, post("Added while serving"));
  await page.getByRole("link", { name: "Added while serving" }).waitFor({ timeout: RELOAD_TIMEOUT });

  writeFileSync(file, readFileSync(file, "utf8").replace("Added while serving", "Edited while serving"));
  await page.getByRole("link", { name: "Edited while serving" }).waitFor({ timeout: RELOAD_TIMEOUT });
  await screenshot(page, "serve-live-edit");

  rmSync(file);
  // "Gone" means the reloaded listing is back without it (not the blank page mid-reload).
  await page.waitForFunction(
    () => {
      const titles = [...document.querySelectorAll(".post-card h2")].map((h) => h.textContent.trim());
      return titles.length > 0 && !titles.includes("Edited while serving");
    },
    null,
    { timeout: RELOAD_TIMEOUT },
  );
  assert.equal(await page.locator(".post-card").count(), readPosts(content).filter((p) => !p.hidden).length);
});

test("a broken post fails the rebuild and keeps the last good site", { timeout: 2 * RELOAD_TIMEOUT }, async () => {
  const before = await (await fetch(url + "/content/index.json")).text();
  const file = join(content, "posts", "broken.md");
  writeFileSync(file, "---\ntitle: Broken\ndate: 2030-02-31\n---\nbody\n");
  const deadline = Date.now() + RELOAD_TIMEOUT;
  while (!log.includes("broken.md: field `date`") && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 250));
  rmSync(file);
  assert.match(log, /broken\.md: field `date`: `2030-02-31` is not a date/);
  assert.equal(await (await fetch(url + "/content/index.json")).text(), before);
});
