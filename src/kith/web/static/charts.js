// Draws the dashboard's charts with Chart.js from the JSON the page embeds.
// A static file, not inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var common = { responsive: true, maintainAspectRatio: false, animation: false };
    new Chart(document.getElementById("chart-funnel"), {
      type: "bar",
      data: {
        labels: data.funnel.labels,
        datasets: [
          { label: "seeded", data: data.funnel.seeded, backgroundColor: "#56b4e9" },
          { label: "grew", data: data.funnel.grew, backgroundColor: "#009e73" },
          { label: "trusted", data: data.funnel.trusted, backgroundColor: "#0072b2" }
        ]
      },
      options: common
    });
    new Chart(document.getElementById("chart-effort"), {
      type: "line",
      data: {
        labels: data.effort.labels,
        datasets: [
          { label: "interactions per week", data: data.effort.interactions, borderColor: "#0b57d0", yAxisID: "effort" },
          { label: "people", data: data.effort.people, borderColor: "#009e73", yAxisID: "growth" }
        ]
      },
      options: Object.assign({}, common, {
        scales: { effort: { position: "left", beginAtZero: true }, growth: { position: "right", beginAtZero: true } }
      })
    });
    new Chart(document.getElementById("chart-balance"), {
      type: "bar",
      data: {
        labels: data.balance.labels,
        datasets: [{ label: "people", data: data.balance.counts, backgroundColor: "#0072b2" }]
      },
      options: common
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
