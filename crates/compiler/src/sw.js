// quire's service worker: offline reading. `quire-compiler finalize` writes it as sw.js at the
// root of the public URL (crates/compiler/src/offline.rs puts this build's file list and
// version into BUILD). Any change to the site changes BUILD.version, so the browser, which
// checks sw.js on every visit (it is served with Cache-Control: no-cache), installs the new
// worker on the reader's next visit online; it takes over at once.
//
// What it keeps, in two caches per build (named after the site's path and BUILD.version):
//   shell  the hashed assets (app, loader, theme script, stylesheet, the Markdown renderer's
//          module that the loader names, the app's chunks), offline.html and the
//          listing's first page with its JSON: precached at install.
//   saved  every page of the blog the reader opened (a post, a listing page: not the search
//          page or anything else under the site's path) with its JSON, and the
//          site's images those pages showed. A page opened by loading it also saves its JSON,
//          and a JSON file fetched by an in-app navigation also saves its page, so that both
//          a reload and an in-app link work offline. At most MAX_SAVED entries, the oldest go.
//
// How it answers:
//   pages (navigations)  network first (an online reader always gets the deployed page), then
//                        the saved copy, then offline.html ("you are offline").
//   content JSON         network first, then the saved copy, else a network error (the app
//                        then shows its offline view).
//   hashed assets        cache first: their names change with their content.
//   the site's images    network first, then the saved copy.
//   BUILD.saved          the saved posts as JSON, for the offline view's list.
//   anything else        not handled (feeds, sitemap, the search index, other hosts).
//
// A new build's install saves the shell again and loads every saved page and JSON file again
// from the new deploy (a page saved under the old build names that build's assets, which its
// activation deletes); a page that is gone (404) is dropped, one that cannot be loaded is
// kept as it was. Activation then deletes the old build's caches.
"use strict";

const BUILD = __QUIRE_BUILD__;
const BASE = BUILD.base;
const PREFIX = `quire ${BASE || "/"} `;
const SHELL = `${PREFIX}shell ${BUILD.version}`;
const SAVED = `${PREFIX}saved ${BUILD.version}`;
const MAX_SAVED = 600;
/** Hashed file names: Trunk's `<stem>-<hex hash>.js`, `.css`, `_bg.wasm`; the app's chunks, `.wasm`. */
const HASHED = /^\/[^/]+-[0-9a-f]{12,16}(?:(?:_bg)?\.wasm|\.js|\.css)$/;
const MATCH = { ignoreVary: true, ignoreSearch: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await Promise.all(BUILD.shell.map((url) => precache(shell, url)));
      // What the reader saved comes along as far as it can (storage may run out): never a
      // reason to keep the old build.
      const saved = await caches.open(SAVED);
      await carryOver(saved).catch(() => {});
      await saveOpenPages().catch(() => {});
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== SHELL && name !== SAVED) await caches.delete(name);
      }
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = within(url.pathname);
  if (path === null || path === "/sw.js") return;
  if (request.mode === "navigate") event.respondWith(navigate(event, url));
  else if (url.pathname === BUILD.saved) event.respondWith(savedPosts());
  else if (HASHED.test(path)) event.respondWith(asset(request));
  else if (path.startsWith("/content/") && !path.startsWith("/content/search/")) event.respondWith(data(event, url));
  else if (request.destination === "image") event.respondWith(image(event, request));
});

/** A precached file: a hashed one is reused from an earlier build's cache when it is there. */
async function precache(cache, url) {
  if (HASHED.test(within(new URL(url, self.location).pathname) ?? "")) {
    const earlier = await caches.match(url, { ignoreVary: true });
    if (earlier) return cache.put(url, earlier);
    return cache.add(url);
  }
  return cache.add(new Request(url, { cache: "no-cache" }));
}

// ---- answering ----------------------------------------------------------------------------

async function navigate(event, url) {
  const key = pageKey(url);
  let response;
  try {
    response = (await event.preloadResponse) || (await fetch(event.request));
  } catch {
    return (key && (await lookup(key))) || (await lookup(BUILD.offline)) || Response.error();
  }
  if (response.ok && savable(key) && isHtml(response)) {
    event.waitUntil(savePage(key, response.clone()).catch(() => {}));
  } else if (response.status >= 500 && key) {
    // The host is failing: a saved copy reads better than its error page.
    const saved = await lookup(key);
    if (saved) return saved;
  }
  return response;
}

async function data(event, url) {
  const key = url.origin + url.pathname;
  let response;
  try {
    response = await fetch(event.request);
  } catch {
    return (await lookup(key)) || Response.error();
  }
  if (response.ok) event.waitUntil(saveData(key, response.clone()).catch(() => {}));
  else if (response.status >= 500) return (await lookup(key)) || response;
  return response;
}

async function asset(request) {
  const shell = await caches.open(SHELL);
  const hit = await shell.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await shell.put(request, response.clone());
  return response;
}

async function image(event, request) {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  let response;
  try {
    response = await fetch(request);
  } catch {
    return (await lookup(key)) || Response.error();
  }
  if (response.ok && response.type === "basic") {
    event.waitUntil(put(SAVED, key, response.clone()).catch(() => {}));
  }
  return response;
}

/** The saved posts (page and JSON both saved), newest first: [{ slug, title, date }]. */
async function savedPosts() {
  const saved = await caches.open(SAVED);
  const requests = await saved.keys();
  const paths = new Set(requests.map((r) => new URL(r.url).pathname));
  const posts = [];
  for (const request of requests) {
    const route = routeOfData(within(new URL(request.url).pathname) ?? "");
    if (route?.kind !== "post" || !paths.has(BASE + pagePath(route))) continue;
    try {
      // A post file's first line is its JSON; its Markdown follows (model::write_post_file).
      const text = await (await saved.match(request, MATCH)).text();
      const end = text.indexOf("\n");
      const summary = JSON.parse(end < 0 ? text : text.slice(0, end)).post.summary;
      posts.push({ slug: summary.slug, title: summary.title, date: summary.date });
    } catch {
      // Not a post file quire wrote: left out.
    }
  }
  posts.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  return new Response(JSON.stringify(posts), { headers: { "content-type": "application/json" } });
}

// ---- saving -------------------------------------------------------------------------------

/** A page just loaded: saved, with its JSON (fetched again, so that both are current). */
async function savePage(key, response) {
  await put(cacheFor(key), key, response);
  const route = routeOfPage(within(new URL(key, self.location).pathname));
  if (route) await fetchAndSave(BASE + dataPath(route));
}

/** A JSON file just loaded: saved, with its page when that is not saved yet. */
async function saveData(key, response) {
  await put(cacheFor(key), key, response);
  const route = routeOfData(within(new URL(key).pathname));
  if (!route) return;
  const page = self.location.origin + BASE + pagePath(route);
  if (!(await lookup(page))) await fetchAndSave(page);
}

async function fetchAndSave(url) {
  const key = new URL(url, self.location).href;
  const response = await fetch(key, { cache: "no-cache" });
  if (response.ok) await put(cacheFor(key), key, response);
}

/** The pages open when this worker installs (they loaded before it existed). */
async function saveOpenPages() {
  const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of open) {
    const key = pageKey(new URL(client.url));
    if (!savable(key) || (await lookup(key))) continue;
    try {
      const response = await fetch(key, { cache: "no-cache" });
      if (response.ok && isHtml(response)) await savePage(key, response);
    } catch {
      // Saved on the next visit.
    }
  }
}

/** What an earlier build saved, loaded again from this deploy (see the top of the file). */
async function carryOver(saved) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${PREFIX}saved `) || name === SAVED) continue;
    const earlier = await caches.open(name);
    const requests = await earlier.keys();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const old = await earlier.match(request, MATCH);
        if (!old) continue;
        if (!isHtml(old) && !within(new URL(request.url).pathname)?.startsWith("/content/")) {
          await saved.put(request, old);
          continue;
        }
        try {
          const response = await fetch(request.url, { cache: "no-cache" });
          if (response.ok) await saved.put(request, await plain(response));
          else if (response.status !== 404 && response.status !== 410) await saved.put(request, old);
        } catch {
          await saved.put(request, old);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }
}

/** Pages of the blog's routes are saved; others (the search page, a CMS under /admin/) not. */
function savable(key) {
  return !!key && routeOfPage(within(new URL(key).pathname)) !== null;
}

/** The listing's first page is precached in the shell: kept current there. */
function cacheFor(key) {
  const path = new URL(key, self.location).pathname;
  return BUILD.shell.includes(path) ? SHELL : SAVED;
}

async function put(name, key, response) {
  const cache = await caches.open(name);
  await cache.put(key, await plain(response));
  if (name === SAVED) {
    const requests = await cache.keys();
    for (const request of requests.slice(0, Math.max(0, requests.length - MAX_SAVED))) await cache.delete(request);
  }
}

async function lookup(key) {
  for (const name of [SHELL, SAVED]) {
    const hit = await (await caches.open(name)).match(key, MATCH);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A response that followed a redirect (GitHub Pages sends /blog/x to /blog/x/) cannot answer a
 * navigation (browsers refuse it): it is kept as a plain response with the same headers.
 */
async function plain(response) {
  if (!response.redirected) return response;
  const { status, statusText, headers } = response;
  return new Response(await response.blob(), { status, statusText, headers });
}

function isHtml(response) {
  return (response.headers.get("content-type") || "").includes("text/html");
}

// ---- addresses ----------------------------------------------------------------------------
// The same rules as quire-core's url.rs: a slug in a path (path_segment), a slug in a file
// name (post_file_key), and the routes of src/lib.rs with their JSON files (model.rs).

/** A path under the site's base, without the base (`/blog/x`); null outside it. */
function within(pathname) {
  if (!BASE) return pathname;
  if (pathname === BASE) return "/";
  return pathname.startsWith(BASE + "/") ? pathname.slice(BASE.length) : null;
}

/** One key per page: `/blog/a%2Bb/index.html` and `/blog/a+b` are the same page. */
function pageKey(url) {
  const path = within(url.pathname);
  if (path === null) return null;
  const segments = path.replace(/\/index\.html$/, "/").split("/").filter(Boolean).map(decodeSegment);
  if (segments.includes(null)) return null;
  return url.origin + BASE + "/" + segments.map(pathSegment).join("/");
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const hex = (byte) => byte.toString(16).toUpperCase().padStart(2, "0");

function pathSegment(slug) {
  let out = "";
  for (const byte of new TextEncoder().encode(slug)) {
    const c = String.fromCharCode(byte);
    out += byte < 128 && /[A-Za-z0-9\-._~!$&'()*+,;=:@]/.test(c) ? c : `%${hex(byte)}`;
  }
  return out;
}

function fileKey(slug) {
  let out = "";
  for (const byte of new TextEncoder().encode(slug)) {
    const c = String.fromCharCode(byte);
    out += (byte < 128 && /[A-Za-z0-9_-]/.test(c)) || (c === "." && out) ? c : `~${hex(byte)}`;
  }
  return out;
}

function slugOfKey(key) {
  const bytes = [];
  for (let i = 0; i < key.length; i++) {
    if (key[i] === "~") {
      const byte = parseInt(key.slice(i + 1, i + 3), 16);
      if (!/^[0-9A-Fa-f]{2}$/.test(key.slice(i + 1, i + 3))) return null;
      bytes.push(byte);
      i += 2;
    } else {
      bytes.push(key.charCodeAt(i));
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

const PAGE_NUMBER = /^[1-9][0-9]{0,8}$/;

/** The route a page path shows (`{ kind, slug, page }`), or null for any other page. */
function routeOfPage(path) {
  if (path === null) return null;
  const parts = path.split("/").filter(Boolean).map(decodeSegment);
  if (parts.includes(null)) return null;
  if (parts.length === 0) return { kind: "home", page: 1 };
  if (parts.length === 2 && parts[0] === "page" && PAGE_NUMBER.test(parts[1])) return { kind: "home", page: +parts[1] };
  if (parts[0] !== "blog") return null;
  if (parts.length === 2) return { kind: "post", slug: parts[1] };
  const listing = parts[1] === "category" || parts[1] === "author";
  if (listing && parts.length === 3) return { kind: parts[1], slug: parts[2], page: 1 };
  if (listing && parts.length === 5 && parts[3] === "page" && PAGE_NUMBER.test(parts[4])) {
    return { kind: parts[1], slug: parts[2], page: +parts[4] };
  }
  return null;
}

function pagePath(route) {
  if (route.kind === "post") return `/blog/${pathSegment(route.slug)}`;
  const first = route.kind === "home" ? "" : `/blog/${route.kind}/${pathSegment(route.slug)}`;
  return route.page > 1 ? `${first}/page/${route.page}` : first || "/";
}

function dataPath(route) {
  if (route.kind === "post") return `/content/posts/${fileKey(route.slug)}.json`;
  if (route.kind === "home") return `/content/pages/home/${route.page}.json`;
  return `/content/pages/${route.kind}/${fileKey(route.slug)}/${route.page}.json`;
}

function routeOfData(path) {
  if (path === null) return null;
  let m = /^\/content\/posts\/([^/]+)\.json$/.exec(path);
  if (m) {
    const slug = slugOfKey(m[1]);
    return slug === null ? null : { kind: "post", slug };
  }
  m = /^\/content\/pages\/home\/([1-9][0-9]*)\.json$/.exec(path);
  if (m) return { kind: "home", page: +m[1] };
  m = /^\/content\/pages\/(category|author)\/([^/]+)\/([1-9][0-9]*)\.json$/.exec(path);
  if (m) {
    const slug = slugOfKey(m[2]);
    return slug === null ? null : { kind: m[1], slug, page: +m[3] };
  }
  return null;
}
