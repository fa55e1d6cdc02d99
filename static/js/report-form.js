/* Report form: place the pin by tapping the map or with the phone's location; offer nearby reports. */
(function () {
  "use strict";
  var element = document.getElementById("pick-map");
  if (!element || !window.L) return;
  document.querySelectorAll(".js-only").forEach(function (node) { node.hidden = false; });

  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var status = document.getElementById("location-status");
  var map = window.CoCreateMaps.create(element);
  var marker = null;

  function place(lat, lon, pan) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon], { draggable: true }).addTo(map).on("dragend", function (event) {
      var point = event.target.getLatLng();
      place(point.lat, point.lng, false);
    });
    if (pan) map.setView([lat, lon], Math.max(map.getZoom(), 17));
    showNearby(lat, lon);
  }

  function showNearby(lat, lon) {
    var section = document.getElementById("nearby");
    var list = document.getElementById("nearby-list");
    var template = document.getElementById("nearby-item");
    var url = element.dataset.nearbyUrl + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        list.replaceChildren();
        data.results.forEach(function (report) {
          var item = template.content.cloneNode(true);
          var link = item.querySelector(".nearby-link");
          link.href = report.url;
          link.textContent = "#" + report.id + " " + (report.description || "");
          item.querySelector(".nearby-meta").textContent = report.status + " · " + report.distance_m + " m";
          item.querySelector(".nearby-follow").action = report.follow_url;
          list.appendChild(item);
        });
        section.hidden = data.results.length === 0;
      })
      .catch(function () { section.hidden = true; });
  }

  map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng, false); });

  function fromInputs() {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (isFinite(lat) && isFinite(lon)) place(lat, lon, true);
  }
  latInput.addEventListener("change", fromInputs);
  lonInput.addEventListener("change", fromInputs);
  if (latInput.value && lonInput.value) fromInputs();

  document.getElementById("use-my-location").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = status.dataset.unavailable || ""; return; }
    navigator.geolocation.getCurrentPosition(
      function (position) { place(position.coords.latitude, position.coords.longitude, true); status.textContent = ""; },
      function (error) { status.textContent = error.message; },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
