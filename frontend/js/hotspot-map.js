// Hotspot map (Leaflet). Tiles come from the configured server when there is one; with
// none, or none reachable, the map is still useful: a plain background with the outline
// of the places shown and a circle per place, sized and coloured by what happened there.
(function () {
  "use strict";
  var element = document.getElementById("hotspot-map");
  if (!element || typeof window.L === "undefined") return;
  var L = window.L;
  element.style.height = "480px";
  element.style.background = "#f3f2f1";
  element.style.marginBottom = "30px";
  var map = L.map(element, { zoomControl: true, attributionControl: Boolean(element.dataset.tileUrl) });
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  function colour(total) {
    return total >= 10 ? "#d4351c" : total >= 4 ? "#f47738" : total >= 1 ? "#ffdd00" : "#505a5f";
  }
  fetch(element.dataset.url, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var points = data.points.map(function (p) { return [p.lat, p.lng]; });
      if (!points.length) { map.setView([52.5, -1.5], 6); return; }
      var bounds = L.latLngBounds(points);
      L.rectangle(bounds.pad(0.2), { color: "#0b0c0c", weight: 1, fill: false, dashArray: "4" }).addTo(map);
      data.points.forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 6 + Math.min(p.total, 20), color: "#0b0c0c", weight: 1, fillColor: colour(p.total), fillOpacity: 0.8 })
          .bindTooltip(p.name + ": " + p.concerns + " concerns, " + p.observations + " observations, " + p.incidents + " incidents, " + p.foundMissing + " found while missing")
          .addTo(map);
      });
      map.fitBounds(bounds.pad(0.3));
    });
})();
