// Mục tiêu 3 dashboard: threshold markers and one Chart.js chart per indicator.
// The data comes from data-* attributes of each <canvas class="m3-chart"> (no inline scripts).
(function () {
  "use strict";
  document.querySelectorAll("[data-left]").forEach(function (el) {
    el.style.left = Math.max(0, Math.min(100, parseFloat(el.dataset.left) || 0)) + "%";
  });
  // The per-organization table: show its "scrolls sideways" hint whenever it is wider than its box.
  function hintOverflow() {
    document.querySelectorAll(".m3-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("m3-scroll-hint")) {
        hint.classList.toggle("is-shown", box.scrollWidth > box.clientWidth + 1);
      }
    });
  }
  hintOverflow();
  window.addEventListener("resize", hintOverflow);
  if (typeof window.Chart === "undefined") { return; }

  var COLOURS = { met: "#198754", not_met: "#dc3545", not_applicable: "#adb5bd" };

  // Draws a dashed vertical line at the threshold of a horizontal bar chart.
  var thresholdLine = {
    id: "m3Threshold",
    afterDatasetsDraw: function (chart, _args, options) {
      var x = chart.scales.x.getPixelForValue(options.value);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#212529";
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#212529";
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = x > area.right - 60 ? "right" : "left";
      ctx.fillText(options.label, x + (ctx.textAlign === "right" ? -4 : 4), area.top + 10);
      ctx.restore();
    }
  };

  function draw(canvas) {
    if (canvas.dataset.rendered) { return; }
    var values = JSON.parse(canvas.dataset.values);
    var statuses = JSON.parse(canvas.dataset.statuses);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(canvas.dataset.labels),
        datasets: [{
          data: values.map(function (v) { return v === null ? 0 : v; }),
          backgroundColor: statuses.map(function (s) { return COLOURS[s] || COLOURS.not_applicable; }),
          borderRadius: 3
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return values[item.dataIndex] === null ? "—" : values[item.dataIndex] + "%";
              }
            }
          },
          m3Threshold: {
            value: parseFloat(canvas.dataset.threshold),
            label: canvas.dataset.thresholdLabel
          }
        }
      },
      plugins: [thresholdLine]
    });
    canvas.dataset.rendered = "1";
  }

  function drawVisible(root) {
    root.querySelectorAll("canvas.m3-chart").forEach(function (canvas) {
      var closed = canvas.closest("details:not([open])");
      if (!closed) { draw(canvas); }
    });
  }

  document.querySelectorAll("details.m3-charts").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { drawVisible(details); }
    });
  });
  drawVisible(document);
})();
