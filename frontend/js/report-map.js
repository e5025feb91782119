// The map on the public "where" question (progressive enhancement). Tap or click to drop
// a pin; its latitude and longitude go into the form's hidden inputs. Tiles come from the
// configured server when there is one; with none the map is a plain background, as on
// the hotspot map, and the page says so. Without JavaScript none of this shows and the
// place and postcode boxes are the whole question.
(function () {
  "use strict";
  var element = document.getElementById("report-map");
  if (!element || typeof window.L === "undefined") return;
  var L = window.L;
  var latitudeInput = document.getElementById(element.dataset.latitudeInput);
  var longitudeInput = document.getElementById(element.dataset.longitudeInput);
  var status = document.getElementById("report-map-status");
  var centreButton = document.getElementById("report-map-centre");
  var removeButton = document.getElementById("report-map-remove");
  if (!latitudeInput || !longitudeInput) return;

  // The UK, roughly; the server checks the same box.
  var UK_CENTRE = [54.5, -3.0];
  var bounds = L.latLngBounds([49.0, -9.0], [61.0, 2.5]);
  var tileUrl = element.dataset.tileUrl;
  var map = L.map(element, {
    zoomControl: true,
    attributionControl: Boolean(tileUrl),
    maxBounds: bounds.pad(0.1),
    minZoom: 4
  });
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  // Drawn with CSS (frontend/scss/_report-map.scss), so no image paths to find. Leaflet
  // moves the outer element with a transform, so the turned teardrop is an inner span.
  var pinIcon = L.divIcon({
    className: "app-report-map__pin",
    html: '<span class="app-report-map__pin-head"></span>',
    iconSize: [24, 24],
    iconAnchor: [12, 30]
  });
  var marker = null;

  function rounded(value, places) {
    return Number(value).toFixed(places);
  }

  function show(latlng, announce) {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { icon: pinIcon, interactive: false, keyboard: false }).addTo(map);
    }
    latitudeInput.value = rounded(latlng.lat, 5);
    longitudeInput.value = rounded(latlng.lng, 5);
    removeButton.hidden = false;
    if (announce) {
      status.textContent = "Pin dropped at " + rounded(latlng.lat, 2) + ", " + rounded(latlng.lng, 2) + ".";
    }
  }

  function drop(latlng) {
    if (!bounds.contains(latlng)) {
      status.textContent = "That is outside the UK. Put the pin on a place in the UK.";
      return;
    }
    show(latlng, true);
  }

  function remove() {
    if (marker) {
      map.removeLayer(marker);
      marker = null;
    }
    latitudeInput.value = "";
    longitudeInput.value = "";
    removeButton.hidden = true;
    status.textContent = "Pin removed. There is no pin on the map.";
    centreButton.focus();
  }

  map.on("click", function (event) { drop(event.latlng); });
  centreButton.addEventListener("click", function () { drop(map.getCenter()); });
  removeButton.addEventListener("click", remove);

  var lat = parseFloat(latitudeInput.value);
  var lng = parseFloat(longitudeInput.value);
  if (isFinite(lat) && isFinite(lng) && bounds.contains([lat, lng])) {
    map.setView([lat, lng], tileUrl ? 15 : 8);
    show(L.latLng(lat, lng), false);
    status.textContent = "Your pin is at " + rounded(lat, 2) + ", " + rounded(lng, 2) + ".";
  } else {
    map.setView(UK_CENTRE, 5);
  }
})();
