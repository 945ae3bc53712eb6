// Draws the network map with Cytoscape; positions come from the server (rustworkx layout).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("network-data");
    var box = document.getElementById("network");
    if (!source || !box || typeof cytoscape === "undefined") { return; }
    var graph = JSON.parse(source.textContent);
    var cy = cytoscape({
      container: box,
      elements: graph.elements,
      layout: { name: "preset", fit: true, padding: 20 },
      style: [
        { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 10, width: 14, height: 14 } },
        { selector: "edge", style: { width: 1.5, "line-color": "#9e9e9e", "target-arrow-color": "#9e9e9e", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
        { selector: "edge[kind = 'intro']", style: { "line-style": "dashed", "target-arrow-shape": "none" } }
      ]
    });
    cy.on("tap", "node", function (event) { window.location.href = event.target.data("href"); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
