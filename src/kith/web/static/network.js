// Draws the network map with Cytoscape. Positions come from the server in [0, 1]² (clusters
// laid out and packed by app/network_map.py); here they are stretched to the canvas, turned a
// quarter for a tall phone, and names are shown only where they cover no name already shown.
(function () {
  "use strict";
  var PAD = 24; // room at the canvas's edges for the outermost names (the fit makes the rest)
  var FONT = 11; // px at zoom 1
  var MIN_FONT = 8; // below this many pixels on screen a name is not drawn
  var CELL = 80; // px: the grid that speeds up the overlap test

  function placer(aspect, box) {
    var w = Math.max(box.clientWidth - 2 * PAD, 10);
    var h = Math.max(box.clientHeight - 2 * PAD, 10);
    var turn = (w < h) !== (aspect < 1); // lay a wide map along a tall screen
    return function (node) {
      var p = node.data("unit");
      var x = turn ? p.y : p.x;
      var y = turn ? p.x : p.y;
      return { x: PAD + x * w, y: PAD + y * h };
    };
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  function cellsOf(box) {
    var keys = [];
    for (var gx = Math.floor(box.x1 / CELL); gx <= Math.floor(box.x2 / CELL); gx++) {
      for (var gy = Math.floor(box.y1 / CELL); gy <= Math.floor(box.y2 / CELL); gy++) {
        keys.push(gx + ":" + gy);
      }
    }
    return keys;
  }

  function offScreen(box, width, height) {
    return box.x2 < 0 || box.y2 < 0 || box.x1 > width || box.y1 > height;
  }

  // Greedy: by rank (the best connected first, the one searched for before all), a name is
  // shown when its box on screen meets no name shown before it. Names are drawn above the
  // dots on a light background (avoiding every dot too would leave a big map unnamed).
  function declutter(cy) {
    var grid = {};
    var width = cy.width();
    var height = cy.height();
    var zoom = cy.zoom();
    // Restyling measures every name again (30-70 ms for 1,575 people on a quiet machine, far
    // more on a busy one): only when the zoom moved by a quarter since the last time.
    if (Math.abs(Math.log(zoom / (cy.scratch("zoom") || 1))) > Math.log(1.25)) {
      cy.scratch("zoom", zoom);
      cy.style().fromJson(sheet(zoom)).update();
    }
    var readable = FONT * Math.sqrt(zoom) >= MIN_FONT; // below this, no name is shown
    function put(box, owner) {
      cellsOf(box).forEach(function (key) { (grid[key] = grid[key] || []).push([box, owner]); });
    }
    function free(box, owner) {
      return cellsOf(box).every(function (key) {
        return (grid[key] || []).every(function (held) { return held[1] === owner || !overlaps(box, held[0]); });
      });
    }
    // The one searched for first, then the clusters' captions, then people by rank.
    function weight(node) { return node.selected() ? 0 : node.hasClass("caption") ? 1 : 2; }
    var order = cy.nodes().sort(function (a, b) {
      return (weight(a) - weight(b)) || (a.data("rank") - b.data("rank"));
    });
    var named = [];
    var quiet = [];
    order.forEach(function (node) {
      // Far off screen needs no measuring (zoomed in, that is most people).
      var at = node.renderedPosition();
      if (at.x < -width || at.y < -height || at.x > 2 * width || at.y > 2 * height) { quiet.push(node); return; }
      var box = node.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      // A caption only over a cluster at least as wide as it on screen, or it hides the map.
      var fits = !node.hasClass("caption") || node.data("span") * cy.zoom() >= box.x2 - box.x1;
      var shown = (readable || node.selected()) && fits && !offScreen(box, width, height) && free(box, node.id());
      if (shown) { put(box, node.id()); named.push(node); } else { quiet.push(node); }
    });
    cy.batch(function () {
      cy.collection(named).addClass("named");
      cy.collection(quiet).removeClass("named");
    });
    cy.container().setAttribute("aria-busy", "false"); // the names fit the view again
  }

  // The look of the map at a zoom: dots, names and lines grow as √zoom on screen rather than
  // as the zoom, so zoomed in they stay a readable size and people move apart.
  function sheet(zoom) {
    var k = 1 / Math.sqrt(zoom); // model units per screen unit, relative to zoom 1
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          "border-width": 1 * k,
          "border-color": "#fff",
          width: "mapData(degree, 1, 12, " + 9 * k + ", " + 22 * k + ")",
          height: "mapData(degree, 1, 12, " + 9 * k + ", " + 22 * k + ")",
          label: "data(label)",
          "font-size": FONT * k,
          "text-valign": "bottom",
          "text-margin-y": 2 * k,
          "text-opacity": 0,
          "text-background-color": "#fff",
          "text-background-opacity": 0,
          "text-background-padding": 1 * k
        }
      },
      { selector: "node.caption", style: { width: 1, height: 1, "background-opacity": 0, "border-width": 0, "text-valign": "center", "text-margin-y": 0, color: "#5f6368", "font-weight": "bold", "font-size": FONT * k, events: "no" } },
      { selector: "node.named", style: { "text-opacity": 1, "text-background-opacity": 0.8, "z-index": 10 } },
      { selector: "node:selected", style: { "border-width": 3 * k, "border-color": "#111", "font-weight": "bold" } },
      { selector: ".faded", style: { opacity: 0.25 } },
      { selector: "edge", style: { width: 1.2 * k, "line-color": "#9e9e9e", "target-arrow-color": "#9e9e9e", "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": "straight" } },
      { selector: "edge[kind = 'intro']", style: { "line-style": "dashed", "target-arrow-shape": "none" } }
    ];
  }

  function draw() {
    var source = document.getElementById("network-data");
    var box = document.getElementById("network");
    if (!source || !box || typeof cytoscape === "undefined") { return; }
    var graph = JSON.parse(source.textContent);
    graph.elements.forEach(function (el) {
      if (el.position) { el.data.unit = el.position; delete el.position; }
    });
    // A caption above each larger cluster: whose circle it is and what most of them share.
    (graph.captions || []).forEach(function (caption, index) {
      graph.elements.push({ group: "nodes", classes: "caption", data: { id: "cluster-" + index, label: caption.label, cluster: caption.cluster, rank: index } });
    });
    var cy = cytoscape({
      container: box,
      elements: graph.elements,
      layout: { name: "preset", fit: false },
      autoungrabify: true, // people stay where the layout put them
      minZoom: 0.2,
      maxZoom: 8,
      style: sheet(1)
    });
    var start = 1; // the zoom of the first view, where the whole map shows
    cy.nodes().panify(); // a finger on a person drags the map too (a tap still opens them)
    function place() {
      var people = cy.nodes().not(".caption");
      people.positions(placer(graph.aspect, box));
      cy.nodes(".caption").positions(function (caption) {
        var members = people.filter(function (n) { return n.data("cluster") === caption.data("cluster"); });
        var bounds = members.boundingBox({ includeLabels: false });
        caption.data("span", bounds.x2 - bounds.x1);
        return { x: (bounds.x1 + bounds.x2) / 2, y: bounds.y1 - 2 * FONT };
      });
      cy.viewport({ zoom: 1, pan: { x: 0, y: 0 } });
      cy.nodes().addClass("named"); // fit to the names too, so none is cut at an edge
      for (var pass = 0; pass < 2; pass++) { // the second fit with the first fit's sizes
        cy.fit(cy.nodes(), 4);
        cy.zoom({ level: Math.min(cy.zoom(), 1), renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        cy.scratch("zoom", cy.zoom());
        cy.style().fromJson(sheet(cy.zoom())).update();
      }
      start = cy.zoom();
      declutter(cy);
    }
    place();

    var pending = null;
    function later() {
      box.setAttribute("aria-busy", "true");
      if (pending) { clearTimeout(pending); }
      pending = setTimeout(function () { pending = null; declutter(cy); }, 80);
    }
    cy.on("viewport", later);
    // A phone's address bar sliding away fires resize too: only a new canvas size redraws.
    var size = box.clientWidth + "x" + box.clientHeight;
    window.addEventListener("resize", function () {
      cy.resize();
      var now = box.clientWidth + "x" + box.clientHeight;
      if (now !== size) { size = now; place(); }
    });

    var found = document.getElementById("map-found");
    function unfocus() {
      cy.elements().removeClass("faded");
      cy.$(":selected").unselect();
    }
    function focus(node) {
      unfocus();
      node.select();
      cy.elements().difference(node.closedNeighborhood()).addClass("faded");
      // Show the person with everyone they are linked to, but never closer than twice the
      // first view (a pair would otherwise fill the screen).
      var hood = node.closedNeighborhood();
      box.setAttribute("aria-busy", "true");
      cy.animate({ fit: { eles: hood, padding: 48 } }, {
        duration: 250,
        complete: function () {
          if (cy.zoom() > 2 * start) { cy.zoom(2 * start); cy.center(node); }
          declutter(cy);
        }
      });
      // Built with the DOM, not markup: names are the user's text.
      var open = document.createElement("a");
      open.href = node.data("href");
      open.textContent = "Open " + node.data("label") + "'s page";
      found.replaceChildren(node.data("label") + " (" + node.data("stage") + "), with everyone linked to them. ", open);
    }
    var form = document.getElementById("map-search");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = document.getElementById("map-find").value.trim().toLowerCase();
      if (!wanted) { return; }
      var people = cy.nodes().not(".caption");
      var exact = people.filter(function (n) { return n.data("label").toLowerCase() === wanted; });
      var near = exact.length ? exact : people.filter(function (n) {
        return n.data("label").toLowerCase().indexOf(wanted) !== -1;
      });
      if (!near.length) { found.textContent = "No one on the map is called " + wanted + "."; return; }
      focus(near.sort(function (a, b) { return a.data("rank") - b.data("rank"); })[0]);
    });
    document.getElementById("map-all").addEventListener("click", function () {
      unfocus();
      found.textContent = "";
      place();
    });
    cy.on("tap", "node", function (event) { window.location.href = event.target.data("href"); });
    cy.on("tap", function (event) { if (event.target === cy) { unfocus(); later(); } });
    window.kithNetwork = cy; // for the browser tests and the curious
    box.setAttribute("data-ready", "true");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
