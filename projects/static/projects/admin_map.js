/* The admin's drawing map. */
(function () {
  "use strict";

  /* Leaflet.draw and the zoom buttons speak the admin's language: the texts come from the
     widget (translated in Python), merged into L.drawLocal before the map is made on "load". */
  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      if (source[key] && typeof source[key] === "object") {
        target[key] = target[key] || {};
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
  }
  function translate() {
    var element = document.getElementById("participatie-draw-texts");
    if (!element || !window.L) { return; }
    var texts = JSON.parse(element.textContent);
    if (texts.zoom && L.Control.Zoom) {
      merge(L.Control.Zoom.prototype.options, texts.zoom);
      delete texts.zoom;
    }
    if (L.drawLocal) { merge(L.drawLocal, texts); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", translate);
  } else {
    translate();
  }

  /* The map sits in a tab that is hidden when the page loads, so Leaflet measures a 0×0 box.
     Re-measure whenever the map's box changes size (tab shown, window resized). */
  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    if (!window.ResizeObserver || !map) { return; }
    new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
  });
})();
