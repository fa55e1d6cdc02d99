/* The map of an operator's idle-vehicle hot spots: a circle per place, sized by the number of
   vehicles, with a label in the page's language. The places come in the map element's
   data-hotspots attribute (rounded positions and counts, never a vehicle). */
(function () {
  "use strict";
  var element = document.getElementById("hotspot-map");
  if (!element || !window.L) return;
  var map = window.CoCreateMaps.create(element);
  var spots = JSON.parse(element.dataset.hotspots || "[]");
  var lang = document.documentElement.lang;
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

  function label(count) {
    var form = plural ? plural.select(count) : (count === 1 ? "one" : "other");
    var template = form === "one" ? element.dataset.countOne : element.dataset.countOther;
    return template.replace("%(count)s", count.toLocaleString(lang));
  }

  var layer = L.featureGroup();
  spots.forEach(function (spot) {
    L.circleMarker([spot.lat, spot.lon], {
      radius: 8 + Math.min(spot.count, 12),
      color: "#1b1f24",
      weight: 2,
      fillColor: "#d55e00",
      fillOpacity: 0.75
    }).bindTooltip(label(spot.count)).addTo(layer);
  });
  layer.addTo(map);
  if (spots.length) map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [32, 32] });
  element.dataset.loaded = String(spots.length);
})();
