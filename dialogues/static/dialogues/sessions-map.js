/* Enhancement only: the sessions' places on a map. The addresses are in the page as text. */
(function () {
  var el = document.getElementById("sessions-map");
  var dataEl = document.getElementById("sessions-map-data");
  if (!el || !dataEl || !window.L) return;
  var points = JSON.parse(dataEl.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lon], { title: p.title, alt: p.title }).addTo(map);
    var popup = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = p.title;
    popup.appendChild(strong);
    if (p.venue) { popup.appendChild(document.createElement("br")); popup.appendChild(document.createTextNode(p.venue)); }
    marker.bindPopup(popup);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 16); } else { map.fitBounds(bounds, { padding: [30, 30] }); }
})();
