/* netwerk — the service worker, served at /sw.js (scope /).

   It keeps exactly two things on the device, nothing else:
   - the app shell: the offline page and the few static files it needs (SHELL_URLS);
   - the offline directory: GET /offline/gids.json, the people and organisations of one's own
     wijken and gemeente (names, roles, organisations, numbers — never anything of a case).
   Pages are never kept: a navigation goes to the network, and only when that fails is the
   offline page shown instead (so a case page seen online is not there offline). Whatever the
   lists say, nothing under NEVER and no response marked Cache-Control: no-store is kept.
   When the directory answers 401 or a redirect (the session ended), every cache is deleted;
   signing out does the same through the Clear-Site-Data header. */
"use strict";

var VERSION = "1";
var SHELL = "netwerk-shell-" + VERSION;
var DIRECTORY = "netwerk-gids";
var DIRECTORY_URL = "/offline/gids.json";
var OFFLINE_URL = "/offline";
var SHELL_URLS = [
  OFFLINE_URL,
  "/static/css/netwerk.css",
  "/static/css/home.css",
  "/static/js/offline.js",
  "/static/favicon.svg",
  "/static/icons/icon-192.png",
  "/manifest.webmanifest"
];
var NEVER = [/^\/casussen/, /^\/plek/, /^\/api\//, /^\/login/, /^\/logout/, /^\/account/,
  /^\/beheer/, /^\/personen/, /^\/zoeken/, /^\/carddav/];
var SYNC_EVERY_MS = 5 * 60 * 1000;
var lastSync = 0;

function forbidden(path) {
  return NEVER.some(function (pattern) { return pattern.test(path); });
}

function keepable(response) {
  if (!response || !response.ok || response.type !== "basic") { return false; }
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return control.indexOf("no-store") === -1;
}

function put(cacheName, path, response) {
  if (forbidden(path) || !keepable(response)) { return Promise.resolve(false); }
  return caches.open(cacheName).then(function (cache) {
    return cache.put(path, response).then(function () { return true; });
  });
}

function fillShell() {
  return Promise.all(SHELL_URLS.map(function (path) {
    return fetch(path, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) { return put(SHELL, path, response); })
      .catch(function () { return false; });
  }));
}

function wipe() {
  lastSync = 0;
  return caches.keys().then(function (keys) {
    return Promise.all(keys.map(function (key) { return caches.delete(key); }));
  });
}

// Fetch one's own directory and keep it; "signed-out" wipes everything.
function syncDirectory(force) {
  if (!force && Date.now() - lastSync < SYNC_EVERY_MS) { return Promise.resolve("fresh"); }
  return fetch(DIRECTORY_URL, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
    .then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 ||
          response.status === 403 || response.redirected) {
        return wipe().then(function () { return "signed-out"; });
      }
      if (!keepable(response)) { return "error"; }
      return put(DIRECTORY, DIRECTORY_URL, response).then(function () {
        lastSync = Date.now();
        return fillShell();
      }).then(function () { return "ok"; });
    })
    .catch(function () { return "offline"; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fillShell().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("netwerk-shell-") === 0 && key !== SHELL;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); })
    .then(function () { return syncDirectory(true); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (result) {
    if (event.ports && event.ports[0]) { event.ports[0].postMessage({ result: result }); }
    return result;
  };
  if (data.type === "sync") {
    event.waitUntil(syncDirectory(Boolean(data.force)).then(reply));
  } else if (data.type === "wipe") {
    event.waitUntil(wipe().then(function () { return reply("wiped"); }));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Pages always from the network, never kept; offline, the offline page instead.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(SHELL).then(function (cache) { return cache.match(OFFLINE_URL); })
        .then(function (page) {
          return page || new Response("offline", { status: 503,
            headers: { "Content-Type": "text/plain; charset=utf-8" } });
        });
    }));
    return;
  }
  if (SHELL_URLS.indexOf(url.pathname) !== -1 && !url.search) {
    // Shell files: fresh from the network when it answers, the kept copy when it does not.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(SHELL).then(function (cache) { return cache.match(url.pathname); })
        .then(function (hit) { return hit || Response.error(); });
    }));
  }
  // Everything else (the directory JSON included) goes to the network untouched.
});
