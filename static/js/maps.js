/* Shared map set-up for CoCreate pages: tiles from the configured server, city bounds. */
(function () {
  "use strict";

  function boundsOf(element) {
    var parts = (element.dataset.bounds || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    return L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
  }

  function create(element, options) {
    var map = L.map(element, options || {});
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    var bounds = boundsOf(element);
    if (bounds) map.fitBounds(bounds);
    return map;
  }

  window.CoCreateMaps = { create: create, boundsOf: boundsOf };
})();
