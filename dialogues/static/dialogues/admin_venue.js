/* The venue of a session: choose it by address (PDOK Locatieserver, through the admin's own
   endpoints) or by a click on the map; the marker can be dragged. The latitude and longitude
   inputs remain the form's fields (and the way to do it without JavaScript); here they become
   read-only and follow the map. Configuration comes from the JSON script tag. */
(function () {
  "use strict";
  // Wagtail loads form media in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  function init() {
    var configEl = document.getElementById("venue-map-config");
    var panel = document.getElementById("venue-map-panel");
    if (!configEl || !panel || !window.L) { return; }
    var cfg = JSON.parse(configEl.textContent);
    var lat = document.getElementById(cfg.latId);
    var lon = document.getElementById(cfg.lonId);
    var address = document.getElementById(cfg.addressId);
    if (!lat || !lon) { return; }
    var search = document.getElementById("venue-search");
    var searchButton = document.getElementById("venue-search-button");
    var results = document.getElementById("venue-results");
    var status = document.getElementById("venue-status");
    panel.hidden = false;
    lat.readOnly = true;
    lon.readOnly = true;

    var map = L.map("venue-map", { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: cfg.text.zoomIn, zoomOutTitle: cfg.text.zoomOut }).addTo(map);
    L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;

    function say(text) { status.textContent = text; }

    function changed(input) { input.dispatchEvent(new Event("change", { bubbles: true })); }

    function setPoint(latlng, zoomTo) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      changed(lat);
      changed(lon);
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: cfg.text.marker, alt: cfg.text.marker }).addTo(map);
        marker.on("dragend", function () { setPoint(marker.getLatLng(), false); });
      } else {
        marker.setLatLng(latlng);
      }
      if (zoomTo) { map.setView(latlng, Math.max(map.getZoom() || 0, 16)); }
      say(cfg.text.placed);
    }

    var start = lat.value && lon.value ? L.latLng(parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))) : null;
    if (start && !isNaN(start.lat) && !isNaN(start.lng)) {
      map.setView(start, 16);
      marker = L.marker(start, { draggable: true, title: cfg.text.marker, alt: cfg.text.marker }).addTo(map);
      marker.on("dragend", function () { setPoint(marker.getLatLng(), false); });
    } else {
      map.setView(cfg.center, cfg.zoom);
    }
    map.on("click", function (event) { setPoint(event.latlng, false); });

    // The map may start in a box that is not laid out yet (a collapsed panel): re-measure.
    if (window.ResizeObserver) { new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer()); }

    function getJSON(url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.error || response.statusText); }
          return data;
        });
      });
    }

    function choose(suggestion) {
      say(cfg.text.searching);
      getJSON(cfg.lookupUrl + "?id=" + encodeURIComponent(suggestion.id)).then(function (location) {
        results.textContent = "";
        if (address) { address.value = location.label; changed(address); }
        setPoint(L.latLng(location.lat, location.lon), true);
      }).catch(function (error) { say(error.message); });
    }

    function runSearch() {
      var q = search.value.trim();
      results.textContent = "";
      if (q.length < 3) { say(cfg.text.short); return; }
      say(cfg.text.searching);
      getJSON(cfg.suggestUrl + "?q=" + encodeURIComponent(q)).then(function (data) {
        if (!data.results.length) { say(cfg.text.none); return; }
        say(cfg.text.results);
        data.results.forEach(function (suggestion) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "button button-small button-secondary";
          button.textContent = suggestion.label;
          button.addEventListener("click", function () { choose(suggestion); });
          item.appendChild(button);
          results.appendChild(item);
        });
        results.querySelector("button").focus();
      }).catch(function (error) { say(error.message); });
    }

    searchButton.addEventListener("click", runSearch);
    // Enter in the search box searches; it must not submit the whole session form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); runSearch(); }
    });
    document.getElementById("venue-clear").addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      changed(lat);
      changed(lon);
      if (marker) { map.removeLayer(marker); marker = null; }
      say(cfg.text.cleared);
    });
  }
})();
