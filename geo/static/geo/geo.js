/* Maps for initiatives: an enhancement. Without JavaScript the list, the filters and the
   address field do the same work. Leaflet comes from django-leaflet's static files. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function readConfig(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function labels(config) { return config.labels || {}; }

  /* Every map of the plugin: Leaflet's zoom buttons and attribution in the page's language
     (the texts come from the server, translatable), tiles, and the municipality's bounds. */
  function newMap(elementId, config) {
    var text = labels(config);
    var map = L.map(elementId, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: text.zoom_in || "Inzoomen", zoomOutTitle: text.zoom_out || "Uitzoomen" }).addTo(map);
    if (text.attribution_prefix) { map.attributionControl.setPrefix(text.attribution_prefix); }
    L.tileLayer(config.tiles_url, { attribution: config.tiles_attribution, maxZoom: 19 }).addTo(map);
    return map;
  }

  /* The first view is set once and without animation, so the map page asks for its data once
     (an animated fitBounds after setView used to end in a second "moveend" and request). */
  function baseMap(elementId, config) {
    var map = newMap(elementId, config);
    if (config.bounds) {
      map.fitBounds([[config.bounds[1], config.bounds[0]], [config.bounds[3], config.bounds[2]]], { animate: false });
    } else {
      map.setView(config.center, config.zoom, { animate: false });
    }
    return map;
  }

  function query(params) {
    return Object.keys(params).filter(function (k) { return params[k] !== "" && params[k] !== null; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); }).join("&");
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /* The map page: clusters and single initiatives from /api/geo/initiatives/. */
  function initMapPage() {
    var config = readConfig("geo-map-config");
    var section = document.querySelector("[data-geo-map]");
    if (!config || !section) { return; }
    section.hidden = false;
    var map = baseMap("geo-map", config);
    if (config.area) {
      var projectArea = L.geoJSON(config.area, { style: { color: "#00689e", weight: 3, fillOpacity: 0.05 } }).addTo(map);
      if (projectArea.getBounds().isValid()) { map.fitBounds(projectArea.getBounds(), { animate: false }); }
    }
    fetch(config.areas_url).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        style: { color: "#555", weight: 1, dashArray: "4 4", fillOpacity: 0 },
        onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name); }
      }).addTo(map);
    }).catch(function () { /* the area layer is optional */ });

    var layer = L.layerGroup().addTo(map);
    var pending = null;
    function load() {
      var b = map.getBounds();
      var bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)]
        .map(function (v) { return v.toFixed(6); }).join(",");
      var params = Object.assign({ bbox: bbox, zoom: map.getZoom() }, config.filters || {});
      var url = config.layer_url + "?" + query(params);
      pending = url;
      fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        if (pending !== url || !data.features) { return; }
        layer.clearLayers();
        data.features.forEach(function (f) {
          var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          if (f.properties.cluster) {
            var n = f.properties.count;
            var size = n < 10 ? 32 : n < 100 ? 40 : 48;
            var marker = L.marker(ll, {
              icon: L.divIcon({ className: "geo-cluster", html: "<span>" + n + "</span>", iconSize: [size, size] }),
              title: (labels(config).cluster || "{n}").replace("{n}", n), alt: (labels(config).cluster || "{n}").replace("{n}", n), keyboard: true
            });
            marker.on("click", function () { map.setView(ll, Math.min(map.getZoom() + 2, 19)); });
            layer.addLayer(marker);
          } else {
            var url = config.detail_url.replace("/0/", "/" + f.properties.id + "/");
            var circle = L.circleMarker(ll, { radius: 9, weight: 2, color: "#fff", fillColor: "#00689e", fillOpacity: 1, className: "geo-initiative" });
            var n = f.properties.reactions || 0;
            var reactions = (n === 1 ? labels(config).reactions_one : labels(config).reactions) || "{n}";
            circle.bindPopup('<a href="' + url + '">' + escapeHtml(f.properties.title) + "</a><br>" + escapeHtml(f.properties.theme || "") +
              '<br><span class="geo-popup-reactions">' + escapeHtml(reactions.replace("{n}", n)) + "</span>");
            layer.addLayer(circle);
          }
        });
      }).catch(function () { /* the list below stays available */ });
    }
    // Panning by keyboard or dragging ends in several "moveend"s in a row: ask once they stop.
    var timer = null;
    map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 150); });
    load();
  }

  /* The submit form: click the map and drag the pin, search an address via /api/geo/adres/,
     or choose a wijk or buurt in the select (which works without the map). */
  function initPicker() {
    var config = readConfig("geo-picker-config");
    var picker = document.querySelector("[data-geo-picker]");
    if (!config || !picker) { return; }
    var latInput = document.getElementById("id_lat");
    var lonInput = document.getElementById("id_lon");
    var noLocation = document.getElementById("id_no_location");
    var address = document.getElementById("id_address");
    var status = document.getElementById("picker-status");
    picker.hidden = false;
    var map = baseMap("geo-picker-map", config);
    if (config.area) {
      var area = L.geoJSON(config.area, { style: { color: "#00689e", weight: 3, fillOpacity: 0.05 } }).addTo(map);
      if (area.getBounds().isValid()) { map.fitBounds(area.getBounds()); }
    }
    var text = labels(config);
    var placeArea = document.getElementById("id_place_area");
    var marker = null;
    function setInputs(lat, lon) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      if (noLocation) { noLocation.checked = false; }
      // A point on the map is more precise than a whole wijk: the latest choice wins.
      if (placeArea) { placeArea.value = ""; }
    }
    function place(lat, lon, label) {
      setInputs(lat, lon);
      if (!marker) {
        // A draggable pin (the help text promises it); its icon is plain HTML, no image files.
        marker = L.marker([lat, lon], {
          draggable: true, autoPan: true, keyboard: false, title: text.marker || "", alt: text.marker || "",
          icon: L.divIcon({ className: "geo-picked", iconSize: [22, 22] })
        }).addTo(map);
        marker.on("dragend", function () {
          var ll = marker.getLatLng();
          setInputs(ll.lat, ll.lng);
          status.textContent = text.moved || "";
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      status.textContent = label || text.picked || "";
    }
    function forget(message) {
      latInput.value = "";
      lonInput.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = message || "";
    }
    if (latInput.value && lonInput.value) {
      place(parseFloat(latInput.value), parseFloat(lonInput.value), text.picked);
      map.setView([parseFloat(latInput.value), parseFloat(lonInput.value)], 16);
    }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
    // Typing a new address replaces the point: it is looked up on submit (or with the button).
    address.addEventListener("input", function () {
      if (latInput.value) { forget(text.address_pending); }
    });
    // Choosing a wijk or buurt (the way that works by keyboard too) replaces a clicked point.
    if (placeArea) {
      placeArea.addEventListener("change", function () {
        if (placeArea.value) { forget(text.area_pending); }
      });
    }

    var search = document.querySelector("[data-geo-search]");
    var button = document.getElementById("geo-search-button");
    var results = document.getElementById("geo-search-results");
    var error = document.getElementById("geo-search-error");
    search.hidden = false;
    button.addEventListener("click", function () {
      error.textContent = "";
      results.innerHTML = "";
      fetch(config.suggest_url + "?" + query({ q: address.value })).then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      }).then(function (res) {
        if (!res.ok) { error.textContent = res.data.error; return; }
        if (!res.data.results.length) { error.textContent = text.not_found || ""; return; }
        res.data.results.forEach(function (s) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "link-button geo-suggestion";
          b.textContent = s.label;
          b.addEventListener("click", function () {
            fetch(config.lookup_url + "?" + query({ id: s.id })).then(function (r) {
              return r.json().then(function (data) { return { ok: r.ok, data: data }; });
            }).then(function (res2) {
              if (!res2.ok) { error.textContent = res2.data.error; return; }
              address.value = res2.data.label;
              place(res2.data.lat, res2.data.lon, (text.chosen || "") + " " + res2.data.label);
              map.setView([res2.data.lat, res2.data.lon], 17);
              results.innerHTML = "";
            });
          });
          li.appendChild(b);
          results.appendChild(li);
        });
        results.querySelector("button").focus();
      }).catch(function () { error.textContent = text.search_down || ""; });
    });
  }

  /* The detail page: one point. */
  function initPoint() {
    var config = readConfig("geo-point-config");
    var section = document.querySelector("[data-geo-point]");
    if (!config || !section || !config.point) { return; }
    section.hidden = false;
    var map = newMap("geo-point-map", config).setView(config.point, 16);
    L.circleMarker(config.point, { radius: 10, weight: 3, color: "#fff", fillColor: "#00689e", fillOpacity: 1 }).addTo(map);
  }

  initMapPage();
  initPicker();
  initPoint();
})();
