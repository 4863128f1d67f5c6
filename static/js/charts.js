/* Draws the page's Plotly charts from their JSON blocks; no inline script, so a strict CSP works.

   Each chart is a container <div data-chart="ID"> whose figure ({data, layout}) is in
   <script type="application/json" id="ID">, written by Django's json_script from indicators/charts/.
   The table under each chart carries the same numbers for readers who cannot use the chart. */
(function () {
  "use strict";

  if (!window.Plotly) {
    return;
  }

  // The modebar's tooltips in Danish (keys as plotly.js 4 spells them); numbers use layout.separators, set
  // by the server in the page's language.
  window.Plotly.register({
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Autoscale": "Autoskalér",
      "Box Select": "Vælg med rektangel",
      "Click to enter Colorscale title": "Klik for at skrive farveskalaens titel",
      "Compare data on hover": "Sammenlign data ved mus over",
      "Double-click on legend to isolate one trace": "Dobbeltklik på forklaringen for at isolere én serie",
      "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
      "Download plot as a PNG": "Hent diagrammet som PNG",
      "Download plot as a png": "Hent diagrammet som PNG",
      "Download plot": "Hent diagrammet",
      "Lasso Select": "Vælg med lasso",
      "Pan": "Panorér",
      "Reset": "Nulstil",
      "Reset axes": "Nulstil akser",
      "Reset view": "Nulstil visning",
      "Reset views": "Nulstil visninger",
      "Show closest data on hover": "Vis nærmeste data ved mus over",
      "Snapshot succeeded": "Billedet er gemt",
      "Taking snapshot - this may take a few seconds": "Gemmer billedet – det kan tage et par sekunder",
      "Toggle Spike Lines": "Slå hjælpelinjer til/fra",
      "Toggle show closest data on hover": "Slå visning af nærmeste data til/fra",
      "Zoom": "Zoom",
      "Zoom in": "Zoom ind",
      "Zoom out": "Zoom ud"
    },
    format: {
      decimal: ",",
      thousands: ".",
      days: ["Søndag", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag"],
      shortDays: ["Søn", "Man", "Tir", "Ons", "Tor", "Fre", "Lør"],
      months: ["Januar", "Februar", "Marts", "April", "Maj", "Juni", "Juli", "August", "September",
        "Oktober", "November", "December"],
      shortMonths: ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
      date: "%d-%m-%Y"
    }
  });

  var CONFIG = {
    displaylogo: false,
    responsive: true,
    // The page's language: the Danish tooltips above, or plotly.js's own English ones.
    locale: document.documentElement.lang === "da" ? "da" : "en",
    scrollZoom: false,
    // sendChartToCloud would upload the chart to Plotly's servers: never from here.
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "sendChartToCloud"]
  };

  // A geo subplot makes plotly.js fetch world borders from its CDN, even when, as here, it draws only our
  // own GeoJSON with the base map hidden. An empty topology in its cache keeps every map offline.
  var EMPTY_TOPOLOGY = { type: "Topology", objects: {}, arcs: [] };

  function keepGeoOffline(layout) {
    window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
    var cache = window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
    Object.keys(layout).forEach(function (key) {
      if (!/^geo\d*$/.test(key)) {
        return;
      }
      var geo = layout[key] || {};
      var name = String(geo.scope || "world").replace(/ /g, "-") + "_" + String(geo.resolution || 110) + "m";
      if (!cache[name]) {
        cache[name] = EMPTY_TOPOLOGY;
      }
    });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    keepGeoOffline(layout);
    var config = Object.assign({}, CONFIG, {
      toImageButtonOptions: { format: "png", filename: container.getAttribute("data-chart").replace("chart-data-", "diagram-") }
    });
    window.Plotly.newPlot(container, figure.data || [], layout, config).then(function () {
      container.classList.add("chart-drawn");
      // An area in a comparison chart or on the map opens its profile (the figure gives each point its
      // page as customdata; the tables under the charts link the same pages for the keyboard).
      container.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point && point.customdata;
        if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
          window.location.href = url;
        }
      });
    });
  }

  var containers = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  containers.forEach(draw);

  // Printing: each chart at the printed column's width; back afterwards (static/js/site.js unfolds the
  // tables).
  window.addEventListener("beforeprint", function () {
    containers.forEach(function (container) {
      if (container.classList.contains("chart-drawn")) {
        window.Plotly.relayout(container, { width: 680 });
      }
    });
  });
  window.addEventListener("afterprint", function () {
    containers.forEach(function (container) {
      if (container.classList.contains("chart-drawn")) {
        window.Plotly.relayout(container, { width: null, autosize: true });
      }
    });
  });
})();
