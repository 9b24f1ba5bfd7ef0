// Shared helpers of bench/run: statistics, tables, compressed sizes, a site served by nginx
// (deploy/nginx.conf) with extra files beside it, and cold browser contexts.
import { launch } from "../tests/e2e/support.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";
import { startNginx } from "../tests/e2e/nginx.mjs";

export const ROOT = resolve(import.meta.dirname, "..");
/** Everything the bench writes besides its dist-bench* builds (ignored by git). */
export const WORK = join(ROOT, "target/bench");

export function median(list) {
  const s = [...list].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The 25th and 75th percentiles (nearest rank). */
export function quartiles(list) {
  const s = [...list].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return [at(0.25), at(0.75)];
}

export const ms = (x, digits = 1) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : "n/a");
/** `12.3 ms (11.9–12.8)`: median and interquartile range. */
export function spread(list, digits = 1) {
  if (!list.length) return "n/a";
  const [a, b] = quartiles(list);
  return `${median(list).toFixed(digits)} ms (${a.toFixed(digits)}–${b.toFixed(digits)})`;
}
export const kb = (bytes) => (bytes / 1024).toFixed(1);
export const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "n/a");

/** A Markdown table. */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map((h, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

/** raw, gzip -9 and brotli q11 sizes of a file's bytes. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** Runs a command, failing loudly; returns its stdout. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (result.error) throw new Error(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${result.status}\n${(result.stderr || "").slice(-4000)}`);
  }
  return result.stdout;
}

/**
 * `/usr/bin/time` around a command: wall seconds and peak resident memory (of the largest
 * process of the tree) in MB, with the command's output.
 */
export function timed(cmd, args, options = {}) {
  const format = "quire-bench-time %e %M";
  const result = spawnSync("/usr/bin/time", ["-f", format, cmd, ...args], {
    cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28, ...options,
  });
  if (result.error) throw new Error(`/usr/bin/time ${cmd}: ${result.error.message}`);
  const line = (result.stderr || "").split("\n").reverse().find((l) => l.startsWith("quire-bench-time "));
  if (result.status !== 0 || !line) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${result.status}\n${(result.stderr || "").slice(-4000)}`);
  }
  const [, seconds, kbytes] = line.split(" ");
  return { seconds: Number(seconds), peakMB: Number(kbytes) / 1024, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Serves `dist` with nginx and deploy/nginx.conf, plus `extra` files ({ "bench/x.html": path })
 * beside it: the served root is a folder of symbolic links to dist's entries, so dist itself
 * is never written to.
 */
export async function serveSite(dist, name, extra = {}) {
  const root = join(WORK, "sites", name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(dist)) symlinkSync(resolve(dist, entry), join(root, entry));
  for (const [at, file] of Object.entries(extra)) {
    mkdirSync(join(root, at, ".."), { recursive: true });
    symlinkSync(resolve(file), join(root, at));
  }
  const nginx = await startNginx(root);
  return { ...nginx, root };
}

/** The file a site path is served from (`/blog/x/` → blog/x/index.html). */
export function fileOf(root, pathname) {
  let file = join(root, decodeURIComponent(pathname));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  return existsSync(file) ? file : null;
}

/** The bench's Chromium, whose requests never leave loopback: every other host name fails to
 * resolve. (Until 2026-11-28 Playwright's request routing did this. With a route set, every
 * request of a page, loopback ones too, waits for a round trip through this Node process and
 * the HTTP cache is off: a cost on each file the app fetches and on nothing the floor does.
 * In alternated `nav` runs the two gave the same figures within their spread.) */
export function launchForBench() {
  return launch({ args: ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"] });
}

/** A fresh browser context: nothing cached, stored or registered (service workers included). */
export async function coldContext(browser, options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
}

/** Emulates a CPU `rate` times slower (Chromium DevTools' throttling) for `page`. */
export async function throttle(page, rate) {
  if (!rate || rate === 1) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
}

/** A seeded random generator (mulberry32): the same inputs on every run. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
