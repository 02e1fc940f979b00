/*
 * 登记支出: show the approval notice while the amount typed is at or above the center's
 * threshold (<form data-threshold="10000.00">). Strict CSP: no inline script.
 */
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form[data-threshold]");
    if (!form) {
      return;
    }
    var threshold = Number(form.getAttribute("data-threshold"));
    var input = form.querySelector("[data-threshold-input]");
    var notice = form.querySelector("[data-threshold-notice]");
    if (!input || !notice || isNaN(threshold)) {
      return;
    }
    function update() {
      var value = Number(String(input.value).replace(/[,，\s]/g, ""));
      var show = input.value.trim() !== "" && !isNaN(value) && value >= threshold;
      notice.classList.toggle("d-none", !show);
    }
    input.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
