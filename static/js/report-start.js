/* The service picker: links carry the pin; services used recently or reported near the pin come
   first; typing filters the list at once. */
(function () {
  "use strict";
  var list = document.getElementById("service-list");
  if (!list) return;
  var RECENT_KEY = "cocreate.recentServices";
  var items = Array.prototype.slice.call(list.children);
  var nearCodes = [];
  var timer = null;

  function recentCodes() {
    try { return JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch (error) { return []; }
  }

  function order() {
    var recent = recentCodes();
    items.forEach(function (item, index) {
      var code = item.dataset.code;
      var isRecent = recent.indexOf(code) !== -1 || !item.querySelector(".service-recent").hidden;
      if (isRecent) item.querySelector(".service-recent").hidden = false;
      var near = nearCodes.indexOf(code);
      item.rank = (isRecent ? 0 : 1000) + (near === -1 ? 500 : near) + index / 1000;
    });
    items.slice().sort(function (a, b) { return a.rank - b.rank; }).forEach(function (item) { list.appendChild(item); });
  }

  function update(lat, lon) {
    var query = "lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
    items.forEach(function (item) {
      var link = item.querySelector("a");
      link.href = link.href.split("?")[0] + "?" + query;
    });
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(list.dataset.nearUrl + "?" + query, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { services: [] }; })
        .then(function (data) { nearCodes = data.services; order(); })
        .catch(function () {});
    }, 400);
  }
  document.addEventListener("pinmove", function (event) { update(event.detail.lat, event.detail.lon); });
  var lat = parseFloat((document.getElementById("id_lat") || {}).value);
  var lon = parseFloat((document.getElementById("id_lon") || {}).value);
  if (isFinite(lat) && isFinite(lon) && window.CoCreatePicker) update(lat, lon);

  var search = document.getElementById("service-search");
  var none = document.getElementById("no-service");
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var match = words.every(function (word) { return item.dataset.words.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    none.hidden = shown > 0;
  });
  order();
})();
