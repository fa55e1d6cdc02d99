/* The map of reports: loads GeoJSON for the visible area and the chosen filters, colours the
   markers by status (see the legend), clusters them, and says how many are shown. */
(function () {
  "use strict";
  var element = document.getElementById("reports-map");
  if (!element || !window.L) return;
  var status = document.getElementById("map-status");
  var filters = document.getElementById("map-filters");
  var listLink = document.getElementById("map-list-link");
  var map = window.CoCreateMaps.create(element);
  var cluster = L.markerClusterGroup();
  map.addLayer(cluster);
  var pending = null;
  var groups = {
    open: "open", acknowledged: "progress", in_progress: "progress",
    resolved: "done", closed: "done", duplicate: "other", rejected: "other"
  };
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;

  function countSentence(count) {
    var form = plural ? plural.select(count) : (count === 1 ? "one" : "other");
    var template = form === "one" ? status.dataset.countOne : status.dataset.countOther;
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
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

  function popup(feature) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = "#" + feature.id + " " + feature.properties.service_name;
    var state = document.createElement("p");
    state.textContent = feature.properties.status_display || feature.properties.status;
    wrapper.append(link, state);
    return wrapper;
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var group = groups[feature.properties.status] || "other";
    var icon = L.divIcon({ className: "report-pin report-pin-" + group, iconSize: [28, 28], iconAnchor: [14, 14] });
    var title = feature.properties.service_name + " (" + feature.properties.status_display + ")";
    return L.marker([c[1], c[0]], { icon: icon, title: title, alt: title }).bindPopup(function () { return popup(feature); });
  }

  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(5); }).join(",");
    var chosen = filterQuery();
    var params = new URLSearchParams({ bbox: bbox });
    if (chosen.get("service")) params.set("service_code", chosen.get("service"));
    if (chosen.get("status")) params.set("status", chosen.get("status"));
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(element.dataset.geojsonUrl + "?" + params.toString(), { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (collection) {
        cluster.clearLayers();
        var markers = collection.features.map(marker);
        cluster.addLayers(markers);
        element.dataset.loaded = String(markers.length);
        status.textContent = countSentence(markers.length);
      })
      .catch(function (error) { if (error.name !== "AbortError") status.textContent = status.dataset.countFailed; });
  }

  if (filters) {
    filters.querySelectorAll("[data-without-js]").forEach(function (button) { button.hidden = true; });
    filters.addEventListener("submit", function (event) { event.preventDefault(); });
    filters.addEventListener("change", function () {
      var query = filterQuery().toString();
      var suffix = query ? "?" + query : "";
      window.history.replaceState(null, "", window.location.pathname + suffix);
      if (listLink) listLink.setAttribute("href", listLink.getAttribute("href").split("?")[0] + suffix);
      load();
    });
  }
  map.on("moveend", load);
  load();
})();
