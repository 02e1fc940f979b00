/*
 * 领导看板 charts (Apache ECharts, vendored). Strict CSP: the figures come from the
 * <script type="application/json" id="reports-dashboard-data"> block (Django json_script, never
 * executed); every text in it is translated on the server.
 *
 *   #chart-trends  this year's monthly counts per module (lines; meals on the right axis)
 *   #chart-budget  budget execution against time progress (bars, %)
 *   #chart-energy  the three energy indicators' change against the base year and the change
 *                  expected by now (bars, %)
 *
 * Each chart has the toolbox's "save as image" (PNG). Each container gets data-ready="1" once
 * drawn. Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips carry
 * style="" attributes, which the CSP (style-src 'self') would block. Heights are set through
 * the CSSOM (allowed by the CSP, unlike style attributes).
 */
(function () {
  "use strict";

  var charts = [];
  var data;

  function toolbox() {
    return {
      right: 0,
      top: 0,
      feature: {
        saveAsImage: { title: data.save_title, type: "png", pixelRatio: 2 }
      }
    };
  }

  function init(id, height, option) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    el.style.width = "100%";
    el.style.height = height + "px";
    var chart = window.echarts.init(el, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-ready", "1");
    charts.push(chart);
    return chart;
  }

  function trends() {
    init("chart-trends", 340, {
      aria: { enabled: true },
      toolbox: toolbox(),
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, left: 0, right: 40 },
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", name: data.count_axis, minInterval: 1 },
        { type: "value", name: data.meals_axis, minInterval: 1, splitLine: { show: false } }
      ],
      series: data.trends.map(function (trend) {
        return {
          name: trend.name,
          type: "line",
          data: trend.data,
          yAxisIndex: trend.key === "meals" ? 1 : 0,
          symbolSize: 6
        };
      })
    });
  }

  function budget() {
    if (!data.budget.has_data) {
      return;
    }
    init("chart-budget", 220, {
      aria: { enabled: true },
      toolbox: toolbox(),
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.budget.labels },
      series: [
        {
          type: "bar",
          data: [
            { value: data.budget.values[0], itemStyle: { color: "#adb5bd" } },
            { value: data.budget.values[1], itemStyle: { color: "#0d6efd" } }
          ],
          barMaxWidth: 28,
          label: { show: true, position: "right", formatter: "{c}%" }
        }
      ]
    });
  }

  function energy() {
    if (!data.energy.names.length) {
      return;
    }
    init("chart-energy", 240, {
      aria: { enabled: true },
      toolbox: toolbox(),
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, left: 0, right: 40 },
      grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.energy.names },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        {
          name: data.energy.change_name,
          type: "bar",
          data: data.energy.change,
          itemStyle: { color: "#0d6efd" },
          barMaxWidth: 28
        },
        {
          name: data.energy.expected_name,
          type: "bar",
          data: data.energy.expected,
          itemStyle: { color: "#fd7e14" },
          barMaxWidth: 28
        }
      ]
    });
  }

  function start() {
    var source = document.getElementById("reports-dashboard-data");
    if (!source || !window.echarts) {
      return;
    }
    data = JSON.parse(source.textContent);
    trends();
    budget();
    energy();
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
