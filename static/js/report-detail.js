/* The small map on a report page. */
(function () {
  "use strict";
  var element = document.getElementById("report-map");
  if (!element || !window.L) return;
  var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
  var map = window.CoCreateMaps.create(element, { scrollWheelZoom: false });
  map.setView(point, 17);
  L.marker(point).addTo(map);
})();
