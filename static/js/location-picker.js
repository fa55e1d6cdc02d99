/* The place of a report: the pin stays at the centre of the map while the map moves under it.
   The centre is written to the latitude/longitude inputs and announced with a "pinmove" event. */
(function () {
  "use strict";
  var root = document.querySelector(".location-picker");
  var element = document.getElementById("pick-map");
  if (!root || !element || !window.L) return;
  root.querySelectorAll(".js-only").forEach(function (node) { node.hidden = false; });

  var STREET_ZOOM = 17;
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var status = document.getElementById("location-status");
  var map = window.CoCreateMaps.create(element);
  var bounds = window.CoCreateMaps.boundsOf(element);

  function inside(lat, lon) { return !bounds || bounds.contains([lat, lon]); }

  function write() {
    var centre = map.getCenter();
    latInput.value = centre.lat.toFixed(6);
    lonInput.value = centre.lng.toFixed(6);
    root.dispatchEvent(new CustomEvent("pinmove", { bubbles: true, detail: { lat: centre.lat, lon: centre.lng } }));
  }

  function goTo(lat, lon) { map.setView([lat, lon], Math.max(map.getZoom(), STREET_ZOOM)); }

  function locate() {
    if (!navigator.geolocation) { status.textContent = root.dataset.denied; return; }
    status.textContent = root.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var lat = position.coords.latitude, lon = position.coords.longitude;
        if (inside(lat, lon)) { goTo(lat, lon); status.textContent = ""; }
        else status.textContent = root.dataset.outside;
      },
      function () { status.textContent = root.dataset.denied; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  map.on("moveend", write);
  var lat0 = parseFloat(latInput.value || root.dataset.lat), lon0 = parseFloat(lonInput.value || root.dataset.lon);
  if (isFinite(lat0) && isFinite(lon0)) {
    map.setView([lat0, lon0], STREET_ZOOM);
  } else {
    map.setView(bounds ? bounds.getCenter() : map.getCenter(), STREET_ZOOM);
    // Only where the person already allowed it: asking for a location unprompted is rude.
    if (navigator.permissions && navigator.geolocation) {
      navigator.permissions.query({ name: "geolocation" }).then(function (permission) {
        if (permission.state === "granted") locate();
      }, function () {});
    }
  }
  write();

  document.getElementById("use-my-location").addEventListener("click", locate);

  function fromInputs() {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (isFinite(lat) && isFinite(lon)) goTo(lat, lon);
  }
  latInput.addEventListener("change", fromInputs);
  lonInput.addEventListener("change", fromInputs);

  var search = document.getElementById("place-search");
  var results = document.getElementById("place-results");
  var timer = null;
  function showPlaces(items) {
    results.replaceChildren();
    if (!items.length) {
      var empty = document.createElement("li");
      empty.textContent = root.dataset.noPlaces;
      results.appendChild(empty);
      return;
    }
    items.forEach(function (place) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-secondary place-result";
      button.textContent = place.address;
      button.addEventListener("click", function () {
        goTo(place.lat, place.lon);
        var address = document.getElementById("id_address");
        if (address && !address.value) address.value = place.address;
        results.replaceChildren();
      });
      item.appendChild(button);
      results.appendChild(item);
    });
  }
  search.addEventListener("input", function () {
    clearTimeout(timer);
    var text = search.value.trim();
    if (text.length < 3) { results.replaceChildren(); return; }
    timer = setTimeout(function () {
      fetch(search.dataset.url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { showPlaces(data.results); })
        .catch(function () { results.replaceChildren(); });
    }, 300);
  });
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });

  window.CoCreatePicker = { map: map, goTo: goTo };
})();
