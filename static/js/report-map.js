/* The map of reports: loads GeoJSON for the visible area and clusters the markers. */
(function () {
  "use strict";
  var element = document.getElementById("reports-map");
  if (!element || !window.L) return;
  var status = document.getElementById("map-status");
  var map = window.CoCreateMaps.create(element);
  var cluster = L.markerClusterGroup();
  map.addLayer(cluster);
  var pending = null;

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

  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(5); }).join(",");
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(element.dataset.geojsonUrl + "?bbox=" + bbox, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        cluster.clearLayers();
        var markers = collection.features.map(function (feature) {
          var c = feature.geometry.coordinates;
          return L.marker([c[1], c[0]], { title: feature.properties.service_name }).bindPopup(function () { return popup(feature); });
        });
        cluster.addLayers(markers);
        element.dataset.loaded = String(markers.length);
        status.textContent = status.dataset.template ? status.dataset.template.replace("%s", markers.length) : markers.length;
      })
      .catch(function (error) { if (error.name !== "AbortError") status.textContent = "!"; });
  }

  map.on("moveend", load);
  load();
})();
