// Monitoring dashboards: charts drawn from json_script data and an auto-submitting filter.
// No inline scripts (CSP): pages mark elements with data-* attributes instead.
(function () {
  "use strict";

  var STATUS_COLOURS = {
    green: "#75b798", yellow: "#ffda6a", red: "#ea868f",
    no_data: "#ced4da", "n/a": "#ced4da", info: "#9ec5fe"
  };

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function format(value, unit) {
    if (value === null || value === undefined) { return "нет данных"; }
    var text = unit === "%" ? value.toFixed(1).replace(".", ",") + " %" : String(value);
    return text;
  }

  function tooltip(unit) {
    return { callbacks: { label: function (ctx) {
      return ctx.dataset.label + ": " + format(ctx.parsed.y === undefined ? ctx.parsed.x : ctx.parsed.y, unit);
    } } };
  }

  function barChart(canvas, d) {
    var count = d.labels.length;
    var horizontal = count > 25;
    if (horizontal) { canvas.parentNode.style.height = Math.max(22, count * 1.1) + "rem"; }
    var datasets = [{
      type: "bar", label: d.label, data: d.values, order: 2,
      backgroundColor: d.statuses.map(function (s) { return STATUS_COLOURS[s] || "#9ec5fe"; })
    }];
    if (d.target !== null) {
      datasets.push({
        type: "line", label: "Целевое значение", order: 1, pointRadius: 0, borderWidth: 2,
        borderColor: "#0d6efd", borderDash: [6, 4],
        data: d.labels.map(function () { return d.target; })
      });
    }
    var valueAxis = { beginAtZero: true, max: d.unit === "%" ? 100 : undefined };
    new window.Chart(canvas, {
      data: { labels: d.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
        scales: horizontal ? { x: valueAxis } : { y: valueAxis },
        plugins: { tooltip: tooltip(d.unit), legend: { display: d.target !== null } }
      }
    });
  }

  function lineChart(canvas, d) {
    new window.Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: [{
        label: d.label, data: d.values, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
        spanGaps: true, tension: 0
      }] },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, max: d.unit === "%" ? 100 : undefined } },
        plugins: { tooltip: tooltip(d.unit) }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) { return; }
    (canvas.dataset.chart === "bar" ? barChart : lineChart)(canvas, d);
  });

  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
