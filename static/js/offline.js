/* Offline support on every page: registers the service worker (which keeps the site's shell) and
   keeps the outbox, the reports made without a connection, stored in IndexedDB on this phone and
   sent when the connection returns. Pages that show the outbox listen for "cocreate:outbox". */
(function () {
  "use strict";
  var script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    var firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).then(function () {
      // The worker keeps the report pages it sees; this one was loaded before it was there.
      if (firstVisit && location.pathname.indexOf("/report/") === 0) {
        return navigator.serviceWorker.ready.then(function (registration) {
          registration.active.postMessage({ keep: location.href });
        });
      }
    }).catch(function () {});
  }
  if (!window.indexedDB) return;

  var DB = "cocreate-outbox", STORE = "reports";
  var sending = false;

  function request(mode, action) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var store = db.transaction(STORE, mode).objectStore(STORE);
        var result = action(store);
        result.onsuccess = function () { resolve(result.result); db.close(); };
        result.onerror = function () { reject(result.error); db.close(); };
      };
    });
  }

  function all() { return request("readonly", function (store) { return store.getAll(); }); }
  function save(record) { return request("readwrite", function (store) { return store.put(record); }); }
  function remove(id) { return request("readwrite", function (store) { return store.delete(id); }); }

  function announce(detail) {
    document.dispatchEvent(new CustomEvent("cocreate:outbox", { detail: detail || {} }));
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function send(record) {
    var body = new FormData();
    record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    record.files.forEach(function (file) { body.append(file.field, file.blob, file.name); });
    return fetch(record.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      var landed = new URL(response.url, location.href).pathname;
      if (response.ok && response.redirected && landed !== new URL(record.url, location.href).pathname) {
        return { status: "sent", url: response.url };
      }
      if (response.status >= 500) return { status: "queued" };
      return { status: "refused" };
    });
  }

  /* Send every waiting report, one after the other; each outcome is announced. */
  function flush() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return all().then(function (records) {
      var waiting = records.filter(function (record) { return record.status === "queued"; });
      if (waiting.length) announce({ sending: true });
      return waiting.reduce(function (chain, record) {
        return chain.then(function () {
          return send(record).then(function (outcome) {
            if (outcome.status === "sent") {
              return remove(record.id).then(function () { announce({ sent: outcome.url }); });
            }
            record.status = outcome.status;
            return save(record).then(function () { announce({}); });
          }, function () { /* still offline: try again later */ });
        });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { sending = false; announce({ done: true }); });
  }

  window.CoCreateOutbox = { all: all, save: save, remove: remove, flush: flush };
  window.addEventListener("online", flush);
  window.addEventListener("load", flush);
})();
