/* Shows the project area on a map. An enhancement: without JavaScript the section stays hidden. */
(function () {
  "use strict";
  var configEl = document.getElementById("project-map-config");
  var section = document.querySelector("[data-project-map]");
  if (!configEl || !section || typeof L === "undefined") { return; }
  var config = JSON.parse(configEl.textContent);
  section.hidden = false;
  var map = L.map("project-map", { scrollWheelZoom: false }).setView(config.center, config.zoom);
  L.tileLayer(config.tiles_url, { attribution: config.tiles_attribution, maxZoom: 19 }).addTo(map);
  var colour = getComputedStyle(document.documentElement).getPropertyValue("--colour-primary").trim() || "#00689e";
  var layer = L.geoJSON(config.area, { style: { color: colour, weight: 3, fillOpacity: 0.15 } }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16] }); }
})();
