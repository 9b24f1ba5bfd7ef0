// quire: this build has no offline reading (a debug build such as `trunk serve`, or a build
// with QUIRE_OFFLINE=off; see crates/compiler/src/offline.rs). This worker replaces one that
// an earlier build installed at this address: it deletes that worker's caches and unregisters
// itself, so every page comes from the server as it is.
"use strict";

const PREFIX = `quire ${__QUIRE_BASE__ || "/"} `;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX)) await caches.delete(name);
      }
      await self.registration.unregister();
    })(),
  );
});
