// The dashboard's own script: copy buttons, confirmations, and the usage charts. Every page works
// without it; it only adds comfort.
(function () {
  "use strict";

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied") || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  var COLOURS = ["#1f4e8c", "#b3261e", "#1e6b3a", "#a05a00", "#6a3d9a", "#008080"];

  function barChart(canvas, rows, series, labels, stacked) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (row) { return row.period_start; }),
        datasets: series.map(function (name, index) {
          return { label: labels[name], data: rows.map(function (row) { return row[name]; }), backgroundColor: COLOURS[index % COLOURS.length] };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  function drawCharts() {
    var source = document.getElementById("usage-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = canvas.getAttribute("data-chart").split(":");  // "daily:calls" or "monthly:counters"
      var rows = data[spec[0]];
      var calls = spec[1] === "calls";
      barChart(canvas, rows, calls ? ["successful", "failed"] : data.counters, data.labels, calls);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
