/* The map of reports, drawn from the report tiles (/api/v1/reports/tiles/{z}/{x}/{y}.json) that
   cover the view, under the chosen filters. Below street zoom a tile counts its reports per part
   of the tile: each count is a circle, and tapping it zooms in. At street zoom a tile lists its
   reports: each is a pin coloured by status (see the legend) whose popup links to the report.
   The sentence above the map says how many reports the view shows; a note says when a tile had
   more reports than it draws. Tiles are kept by the browser and asked for again with their ETag. */
(function () {
  "use strict";
  var element = document.getElementById("reports-map");
  if (!element || !window.L) return;
  var data = element.dataset;
  var status = document.getElementById("map-status");
  var note = document.getElementById("map-note");
  var filters = document.getElementById("map-filters");
  var listLink = document.getElementById("map-list-link");
  var language = document.documentElement.lang;
  var serviceNames = JSON.parse(data.serviceNames || "{}");
  var statusNames = JSON.parse(data.statusNames || "{}");
  var map = window.CoCreateMaps.create(element);
  var drawn = L.layerGroup().addTo(map);
  var tiles = {}; // "z/x/y" -> {data: the tile once loaded, markers: its layer, request: while loading}
  var failed = false;
  var TILE_SIZE = 256;
  var groups = {
    open: "open", acknowledged: "progress", in_progress: "progress",
    resolved: "done", closed: "done", duplicate: "other", rejected: "other"
  };
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language) : null;
  var compact = window.Intl ? new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 1 }) : null;

  function sentence(one, other, count) {
    var form = plural ? plural.select(count) : (count === 1 ? "one" : "other");
    return (form === "one" ? one : other).replace("%(count)s", count.toLocaleString(language));
  }

  function filterQuery() {
    var params = new URLSearchParams();
    if (!filters) return params;
    var service = filters.elements.service.value;
    var state = filters.elements.status.value;
    if (service) params.set("service", service);
    if (state) params.set("status", state);
    return params;
  }

  function tileQuery() {
    var chosen = filterQuery();
    var params = new URLSearchParams();
    if (chosen.get("service")) params.set("service_code", chosen.get("service"));
    if (chosen.get("status")) params.set("status", chosen.get("status"));
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function popup(id, serviceName, statusName) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = data.reportUrl.replace("{id}", id);
    link.textContent = "#" + id + " " + serviceName;
    var state = document.createElement("p");
    state.textContent = statusName;
    wrapper.append(link, state);
    return wrapper;
  }

  function pin(point, services) {
    var id = point[0], latlng = L.latLng(point[1], point[2]);
    var code = services[point[3]], state = point[4];
    var serviceName = serviceNames[code] || code;
    var statusName = statusNames[state] || state;
    var dot = document.createElement("span");
    dot.className = "report-pin report-pin-" + (groups[state] || "other");
    var icon = L.divIcon({ className: "map-pin", html: dot, iconSize: [44, 44], iconAnchor: [22, 22] });
    var title = serviceName + " (" + statusName + ")";
    var marker = L.marker(latlng, { icon: icon, title: title, keyboard: true });
    marker.count = 1;
    return marker.bindPopup(function () { return popup(id, serviceName, statusName); });
  }

  function cluster(entry) {
    var count = entry[0], latlng = L.latLng(entry[1], entry[2]);
    var label = document.createElement("span");
    label.textContent = compact && count >= 1000 ? compact.format(count) : String(count);
    label.setAttribute("aria-hidden", "true"); // the title names it, with what a tap does
    var icon = L.divIcon({ className: "map-cluster", html: label, iconSize: [44, 44], iconAnchor: [22, 22] });
    var title = sentence(data.clusterOne, data.clusterOther, count);
    var marker = L.marker(latlng, { icon: icon, title: title, keyboard: true, riseOnHover: true });
    marker.count = count;
    return marker.on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
  }

  function draw(tile) {
    var markers = L.layerGroup();
    (tile.c || []).forEach(function (entry) { markers.addLayer(cluster(entry)); });
    (tile.p || []).forEach(function (point) { markers.addLayer(pin(point, tile.s)); });
    return markers;
  }

  // The tiles of the current zoom that the view touches.
  function wantedTiles() {
    var z = map.getZoom();
    var last = Math.pow(2, z) - 1;
    var pixels = map.getPixelBounds();
    var min = pixels.min.divideBy(TILE_SIZE).floor();
    var max = pixels.max.divideBy(TILE_SIZE).floor();
    var wanted = [];
    for (var x = Math.max(min.x, 0); x <= Math.min(max.x, last); x++) {
      for (var y = Math.max(min.y, 0); y <= Math.min(max.y, last); y++) wanted.push(z + "/" + x + "/" + y);
    }
    return wanted;
  }

  // How many reports the view shows, once every tile it needs is there.
  function report() {
    var keys = Object.keys(tiles);
    if (keys.some(function (key) { return !tiles[key].data; })) return;
    if (failed) {
      status.textContent = status.dataset.countFailed;
      return;
    }
    var view = map.getBounds();
    var count = 0;
    var truncated = false;
    keys.forEach(function (key) {
      tiles[key].markers.eachLayer(function (marker) {
        if (view.contains(marker.getLatLng())) count += marker.count;
      });
      truncated = truncated || Boolean(tiles[key].data.truncated);
    });
    element.dataset.loaded = String(count);
    status.textContent = sentence(status.dataset.countOne, status.dataset.countOther, count);
    if (note) note.hidden = !truncated;
  }

  function load(key, query) {
    var entry = { data: null, markers: null, request: new AbortController() };
    tiles[key] = entry;
    var address = data.tileUrl.replace("{z}/{x}/{y}", key) + query;
    // "no-cache": the browser asks with the tile's ETag each time, so a change to the map (a report
    // hidden by a moderator, say) shows at once; an unchanged tile costs a 304 with no body.
    fetch(address, { signal: entry.request.signal, cache: "no-cache", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (tile) {
        if (tiles[key] !== entry) return;
        entry.request = null;
        entry.data = tile;
        entry.markers = draw(tile);
        drawn.addLayer(entry.markers);
        report();
      })
      .catch(function (error) {
        if (error.name === "AbortError" || tiles[key] !== entry) return;
        delete tiles[key]; // asked again at the next move
        failed = true;
        report();
      });
  }

  function drop(key) {
    var entry = tiles[key];
    if (entry.request) entry.request.abort();
    if (entry.markers) drawn.removeLayer(entry.markers);
    delete tiles[key];
  }

  var currentQuery = tileQuery();

  function refresh() {
    var query = tileQuery();
    if (query !== currentQuery) {
      Object.keys(tiles).forEach(drop);
      currentQuery = query;
    }
    failed = false;
    var wanted = wantedTiles();
    Object.keys(tiles).forEach(function (key) { if (wanted.indexOf(key) < 0) drop(key); });
    wanted.forEach(function (key) { if (!tiles[key]) load(key, query); });
    report();
  }

  if (filters) {
    filters.querySelectorAll("[data-without-js]").forEach(function (button) { button.hidden = true; });
    filters.addEventListener("submit", function (event) { event.preventDefault(); });
    filters.addEventListener("change", function () {
      var query = filterQuery().toString();
      var suffix = query ? "?" + query : "";
      window.history.replaceState(null, "", window.location.pathname + suffix);
      if (listLink) listLink.setAttribute("href", listLink.getAttribute("href").split("?")[0] + suffix);
      refresh();
    });
  }
  map.on("moveend", refresh);
  refresh();
})();
