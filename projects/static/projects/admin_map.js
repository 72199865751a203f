/* The admin's map sits in a tab that is hidden when the page loads, so Leaflet measures a
   0×0 box. Re-measure whenever the map's box changes size (tab shown, window resized). */
(function () {
  "use strict";
  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    if (!window.ResizeObserver || !map) { return; }
    new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
  });
})();
