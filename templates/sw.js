/* CoCreate's service worker: keeps the site's shell so that a report can be made offline. */
"use strict";
var CACHE = "cocreate-{{ version }}";
var SHELL = {{ shell|safe }};
var OFFLINE_PAGES = new RegExp({{ offline_pages|safe }});
var FALLBACK_PAGE = {{ fallback_page|safe }};
var HASHED_STATIC = {{ hashed_static|safe }};
var STATIC_URL = {{ static_url|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("cocreate-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage(pathname) {
  return OFFLINE_PAGES.test(pathname);
}

self.addEventListener("message", function (event) {
  var url = event.data && event.data.keep ? new URL(event.data.keep) : null;
  if (url && url.origin === self.location.origin && offlinePage(url.pathname)) {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(url.href); }));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (!offlinePage(url.pathname)) return;
    // The network first, so the page is fresh; the copy last seen when there is no connection.
    event.respondWith(fetch(request).then(function (response) {
      return response.redirected ? response : keep(request, response);
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (cached) {
        return cached || caches.match(FALLBACK_PAGE, { ignoreVary: true });
      });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC_URL) === 0) {
    event.respondWith(HASHED_STATIC ? fromCache(request) : fromNetwork(request));
  }
});

function keep(request, response) {
  if (response.ok) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

/* A file whose name carries its content's hash: a cached copy is never out of date. */
function fromCache(request) {
  return caches.match(request).then(function (cached) {
    return cached || fetch(request).then(function (response) { return keep(request, response); });
  });
}

function fromNetwork(request) {
  return fetch(request).then(function (response) { return keep(request, response); }, function () {
    return caches.match(request);
  });
}
