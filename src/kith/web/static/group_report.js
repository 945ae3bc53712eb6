// Draws the group report's givers-and-takers chart with Chart.js from the JSON the page embeds.
// A static file, not inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("report-chart-data");
    var canvas = document.getElementById("chart-givers");
    if (!source || !canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    // a bar pair per member: the figure grows with the members shown (CSSOM, allowed by the CSP)
    canvas.parentNode.style.height = Math.max(140, 70 + 34 * data.labels.length) + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          // the garden's colours: blue for help given, orange for help received
          { label: "referrals given", data: data.given, backgroundColor: "#0072b2" },
          { label: "referrals received", data: data.received, backgroundColor: "#e69f00" }
        ]
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
