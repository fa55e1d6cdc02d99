/* The operator's queue on a map: one marker per report of the list (read from its items' data
   attributes), overdue ones in the overdue colour; a marker's popup links to the report. */
(function () {
  "use strict";
  var element = document.getElementById("queue-map");
  if (!element || !window.L) return;
  var map = window.CoCreateMaps.create(element);
  var points = [];
  document.querySelectorAll(".queue-item[data-lat]").forEach(function (item) {
    var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    if (isNaN(point[0]) || isNaN(point[1])) return;
    var overdue = item.dataset.overdue === "1";
    var icon = L.divIcon({
      className: "report-pin " + (overdue ? "report-pin-open" : "report-pin-progress"),
      iconSize: [28, 28],
      iconAnchor: [14, 14]
    });
    var link = document.createElement("a");
    link.href = item.dataset.url;
    link.textContent = item.dataset.label;
    L.marker(point, { icon: icon, title: item.dataset.label, alt: item.dataset.label }).bindPopup(link).addTo(map);
    points.push(point);
  });
  element.dataset.loaded = String(points.length);
  if (points.length === 1) map.setView(points[0], 17);
  else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 17 });
})();
