/*
 * 预算执行 chart (Apache ECharts, vendored). Strict CSP: the figures come from the
 * <script type="application/json" id="finance-execution-data"> block (Django json_script, never
 * executed); every text in it is translated on the server.
 *
 *   #chart-execution  per project: the execution rate (bars) and the planned progress (line),
 *                     with the time progress of the year as a dashed horizontal line
 *
 * The container gets data-ready="1" once drawn (the browser test reads the series back with
 * echarts.getInstanceByDom(el).getOption()). Tooltips are drawn on the canvas
 * (renderMode "richText"): ECharts' HTML tooltips carry style="" attributes, which the CSP
 * (style-src 'self') would block.
 */
(function () {
  "use strict";

  function percent(value) {
    if (value === null || value === undefined || value === "-") {
      return "—";
    }
    return Number(value).toFixed(2) + "%";
  }

  function draw(data) {
    var el = document.getElementById("chart-execution");
    if (!el) {
      return null;
    }
    var chart = window.echarts.init(el, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        valueFormatter: percent
      },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: data.categories.map(function (code, i) {
          return code + " " + data.names[i];
        }),
        axisLabel: { interval: 0, width: 90, overflow: "truncate" }
      },
      yAxis: { type: "value", name: data.unit, min: 0, max: function (v) {
        return Math.max(100, Math.ceil(v.max / 10) * 10);
      } },
      series: [
        {
          name: data.rate.name,
          type: "bar",
          data: data.rate.data,
          itemStyle: { color: "#0d6efd" },
          barMaxWidth: 36,
          label: { show: true, position: "top", formatter: function (p) {
            return percent(p.value);
          } },
          markLine: {
            symbol: "none",
            silent: true,
            lineStyle: { type: "dashed", color: "#dc3545" },
            label: {
              position: "insideEndTop",
              formatter: data.time.name + " " + percent(data.time.value)
            },
            data: [{ yAxis: data.time.value, name: data.time.name }]
          }
        },
        {
          name: data.plan.name,
          type: "line",
          data: data.plan.data,
          itemStyle: { color: "#fd7e14" },
          symbolSize: 8
        }
      ]
    });
    el.setAttribute("data-ready", "1");
    return chart;
  }

  function start() {
    var source = document.getElementById("finance-execution-data");
    if (!source || !window.echarts) {
      return;
    }
    var chart = draw(JSON.parse(source.textContent));
    if (!chart) {
      return;
    }
    window.addEventListener("resize", function () {
      chart.resize();
    });
    window.addEventListener("beforeprint", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
