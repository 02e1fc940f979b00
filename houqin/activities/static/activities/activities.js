/*
 * 活动记录 chart (Apache ECharts, vendored). Strict CSP: the figures come from the
 * <script type="application/json" id="activities-chart-data"> block (Django json_script,
 * never executed); every text in it is translated on the server.
 *
 *   #chart-activities-monthly  activities per month of the chosen year (bars)
 *
 * The container gets data-ready="1" once drawn. Tooltips are drawn on the canvas
 * (renderMode "richText"): ECharts' HTML tooltips carry style="" attributes, which the CSP
 * would block. The list is refreshed by htmx: the chart is drawn again after each swap.
 */
(function () {
  "use strict";

  var chart = null;

  function draw() {
    var el = document.getElementById("chart-activities-monthly");
    var source = document.getElementById("activities-chart-data");
    if (!el || !source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (chart) {
      chart.dispose();
    }
    chart = window.echarts.init(el, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1, name: data.unit },
      series: [{ name: data.series_month, type: "bar", data: data.monthly, barMaxWidth: 28 }]
    });
    el.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () {
    if (chart) {
      chart.resize();
    }
  });
})();
