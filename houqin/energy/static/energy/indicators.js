/*
 * 能耗指标 charts (Apache ECharts, vendored). Strict CSP: the figures come from the
 * <script type="application/json" id="energy-indicators-data"> block (Django json_script, never
 * executed); every text in it is translated on the server.
 *
 *   #chart-monthly  this year's monthly kgce (bars) against last year's (line)
 *   #chart-mix      the energy mix by kind, in kgce (pie)
 *   #chart-target   the three target indicators, base year = 100, with the target level
 *
 * Each container gets data-ready="1" once drawn (the browser test reads the series back with
 * echarts.getInstanceByDom(el).getOption()). Tooltips are drawn on the canvas
 * (renderMode "richText"): ECharts' HTML tooltips carry style="" attributes, which the CSP
 * (style-src 'self') would block.
 */
(function () {
  "use strict";

  var charts = [];

  function number(value, unit) {
    if (value === null || value === undefined || value === "-") {
      return "—";
    }
    var text = Number(value).toLocaleString("zh-CN", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2
    });
    return unit ? text + " " + unit : text;
  }

  function init(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    var chart = window.echarts.init(el, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-ready", "1");
    charts.push(chart);
    return chart;
  }

  function monthly(data) {
    init("chart-monthly", {
      aria: { enabled: true },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        valueFormatter: function (value) {
          return number(value, data.unit);
        }
      },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "right" } },
      series: [
        {
          name: data.current.name,
          type: "bar",
          data: data.current.data,
          itemStyle: { color: "#0d6efd" },
          barMaxWidth: 28
        },
        {
          name: data.previous.name,
          type: "line",
          data: data.previous.data,
          itemStyle: { color: "#fd7e14" },
          symbolSize: 6
        }
      ]
    });
  }

  function mix(data) {
    if (!data.mix.length) {
      return;
    }
    init("chart-mix", {
      aria: { enabled: true },
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: function (params) {
          return params.name + "\n" + number(params.value, data.unit) + "（" + params.percent + "%）";
        }
      },
      legend: { bottom: 0, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: ["32%", "56%"],
          center: ["50%", "45%"],
          data: data.mix,
          avoidLabelOverlap: true,
          // Never truncated to a stub at the container's edge.
          label: { formatter: "{b}\n{d}%", overflow: "none" },
          labelLine: { length: 8, length2: 6 }
        }
      ]
    });
  }

  function target(data) {
    var t = data.target;
    if (!t) {
      return;
    }
    init("chart-target", {
      aria: { enabled: true },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        axisPointer: { type: "shadow" },
        formatter: function (params) {
          var i = params[0].dataIndex;
          var v = t.values[i];
          var lines = [t.categories[i]];
          lines.push(t.base.name + "：" + number(v.base, v.unit));
          lines.push(t.current.name + "：" + number(v.current, v.unit));
          lines.push(t.goal.name + "：" + number(t.goal.data[i]) + "（" + t.base.name + " = 100）");
          return lines.join("\n");
        }
      },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: t.categories, axisLabel: { interval: 0 } },
      yAxis: { type: "value", min: 0 },
      series: [
        { name: t.base.name, type: "bar", data: t.base.data, itemStyle: { color: "#adb5bd" }, barMaxWidth: 32 },
        { name: t.current.name, type: "bar", data: t.current.data, itemStyle: { color: "#0d6efd" }, barMaxWidth: 32 },
        {
          name: t.goal.name,
          type: "scatter",
          data: t.goal.data,
          symbol: "rect",
          symbolSize: [56, 3],
          itemStyle: { color: "#dc3545" },
          z: 5
        }
      ]
    });
  }

  function start() {
    var source = document.getElementById("energy-indicators-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    monthly(data);
    mix(data);
    target(data);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
    window.addEventListener("beforeprint", function () {
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
