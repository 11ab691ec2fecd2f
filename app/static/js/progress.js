// Mục tiêu 3 dashboard: threshold markers and one Chart.js chart per indicator.
// The data comes from data-* attributes of each <canvas class="m3-chart"> (no inline scripts).
(function () {
  "use strict";
  document.querySelectorAll("[data-left]").forEach(function (el) {
    el.style.left = Math.max(0, Math.min(100, parseFloat(el.dataset.left) || 0)) + "%";
  });
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
      // Above the bars, in the padding kept for it: the bars' own words stay clear.
      ctx.fillText(options.label, x + (ctx.textAlign === "right" ? -4 : 4), area.top - 4);
      ctx.restore();
    }
  };

  // Not met: red with white diagonal stripes, so that it differs from "met" without colour.
  function striped(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var t = tile.getContext("2d");
    t.fillStyle = colour;
    t.fillRect(0, 0, 8, 8);
    t.strokeStyle = "rgba(255, 255, 255, 0.6)";
    t.lineWidth = 2;
    t.beginPath();
    t.moveTo(-2, 10); t.lineTo(10, -2);
    t.moveTo(-2, 2); t.lineTo(2, -2);
    t.moveTo(6, 10); t.lineTo(10, 6);
    t.stroke();
    return t.createPattern(tile, "repeat");
  }

  function fill(ctx, status) {
    if (status === "not_met") { return striped(COLOURS.not_met); }
    return COLOURS[status] || COLOURS.not_applicable;
  }

  // Writes "62.5% · Đạt" at the end of each bar: the status in words, not in colour alone.
  var statusText = {
    id: "m3StatusText",
    afterDatasetsDraw: function (chart, _args, options) {
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var meta = chart.getDatasetMeta(0);
      ctx.save();
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      meta.data.forEach(function (bar, i) {
        var value = options.values[i];
        var text = (value === null ? "—" : value + "%") + " · " + (options.labels[i] || "");
        var width = ctx.measureText(text).width;
        var inside = bar.x + 4 + width > area.right;
        // Inside a long bar in white on a plate of its solid colour (4.5:1, the stripes kept
        // off the letters), else after it in dark grey.
        if (inside) {
          ctx.fillStyle = COLOURS[options.statuses[i]] || COLOURS.not_applicable;
          ctx.fillRect(bar.x - width - 7, bar.y - 7, width + 6, 14);
        }
        ctx.fillStyle = inside ? "#ffffff" : "#212529";
        ctx.textAlign = inside ? "right" : "left";
        ctx.fillText(text, inside ? bar.x - 4 : bar.x + 4, bar.y);
      });
      ctx.restore();
    }
  };

  function draw(canvas) {
    if (canvas.dataset.rendered) { return; }
    var values = JSON.parse(canvas.dataset.values);
    var statuses = JSON.parse(canvas.dataset.statuses);
    var statusLabels = JSON.parse(canvas.dataset.statusLabels || "[]");
    var ctx = canvas.getContext("2d");
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(canvas.dataset.labels),
        datasets: [{
          data: values.map(function (v) { return v === null ? 0 : v; }),
          backgroundColor: statuses.map(function (s) { return fill(ctx, s); }),
          borderRadius: 3
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 14 } },
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = values[item.dataIndex] === null ? "—" : values[item.dataIndex] + "%";
                return value + " · " + (statusLabels[item.dataIndex] || "");
              }
            }
          },
          m3StatusText: { values: values, labels: statusLabels, statuses: statuses },
          m3Threshold: {
            value: parseFloat(canvas.dataset.threshold),
            label: canvas.dataset.thresholdLabel
          }
        }
      },
      plugins: [thresholdLine, statusText]
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
