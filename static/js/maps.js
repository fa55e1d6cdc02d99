/* Shared map set-up for CoCreate pages: tiles from the configured server, city bounds, and the
   controls' words in the page's language (read from the map element's data attributes). */
(function () {
  "use strict";

  // Leaflet guesses its marker images' folder from leaflet.css, which fails once collectstatic has
  // hashed their names; the page names them instead (templates/_maps_script.html).
  var script = document.currentScript;
  if (script && script.dataset.markerIcon) {
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: script.dataset.markerIcon,
      iconRetinaUrl: script.dataset.markerIconRetina,
      shadowUrl: script.dataset.markerShadow,
    });
  }

  function boundsOf(element) {
    var parts = (element.dataset.bounds || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    return L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
  }

  function create(element, options) {
    options = options || {};
    var data = element.dataset;
    var map = L.map(element, Object.assign({}, options, { zoomControl: false, attributionControl: false }));
    if (options.zoomControl !== false) {
      L.control.zoom({
        zoomInTitle: data.zoomIn || "Zoom in",
        zoomOutTitle: data.zoomOut || "Zoom out"
      }).addTo(map);
    }
    L.control.attribution({ prefix: data.attributionPrefix || false }).addTo(map);
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    var bounds = boundsOf(element);
    if (bounds) map.fitBounds(bounds);
    return map;
  }

  window.CoCreateMaps = { create: create, boundsOf: boundsOf };
})();
