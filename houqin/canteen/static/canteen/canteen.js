/*
 * 食堂 pages. Strict CSP: no inline scripts; behaviour hangs on data-canteen-* attributes.
 *
 *   [data-canteen-order]    order form: +/- steppers ([data-canteen-step]) around each
 *                           quantity input ([data-canteen-qty], data-price) and the live total
 *                           ([data-canteen-total]). Without JavaScript the inputs work alone.
 *   [data-canteen-verify]   counter form (htmx): after each answer the code input is cleared
 *                           and focused again, ready for the next scan. With the browser's
 *                           BarcodeDetector (when available) a camera button scans QR codes.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  // ------------------------------------------------------------------ order form
  function quantity(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function updateTotal(form) {
    var cents = 0;
    form.querySelectorAll("[data-canteen-qty]").forEach(function (input) {
      var price = Math.round(parseFloat(input.getAttribute("data-price") || "0") * 100);
      cents += price * quantity(input);
    });
    var total = form.querySelector("[data-canteen-total]");
    if (total) {
      total.textContent = (cents / 100).toFixed(2);
    }
  }

  function initOrderForm(form) {
    form.querySelectorAll("[data-canteen-step]").forEach(function (button) {
      button.hidden = false;
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-canteen-step]");
      if (!button) {
        return;
      }
      var input = button.parentElement.querySelector("[data-canteen-qty]");
      if (!input) {
        return;
      }
      var max = parseInt(input.getAttribute("max") || "20", 10);
      var next = quantity(input) + parseInt(button.getAttribute("data-canteen-step"), 10);
      input.value = String(Math.min(Math.max(next, 0), max));
      updateTotal(form);
    });
    form.addEventListener("input", function () {
      updateTotal(form);
    });
    updateTotal(form);
  }

  // ------------------------------------------------------------------ counter
  function codeInput(form) {
    return form.querySelector("[data-canteen-code]");
  }

  function initCounter(form) {
    var input = codeInput(form);
    if (input) {
      input.focus();
    }
    form.addEventListener("htmx:afterRequest", function () {
      var el = codeInput(form);
      if (el) {
        el.value = "";
        el.focus();
      }
    });
    initCamera(form);
  }

  function initCamera(form) {
    var box = form.querySelector("[data-canteen-camera-box]");
    if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
      return; // progressive enhancement: typing and USB scanners always work
    }
    var button = box.querySelector("[data-canteen-camera]");
    var video = box.querySelector("[data-canteen-video]");
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      return;
    }
    box.hidden = false;
    var stream = null;
    var last = "";
    var lastAt = 0;

    function setLabels(on) {
      box.querySelector("[data-label-start]").hidden = on;
      box.querySelector("[data-label-stop]").hidden = !on;
    }

    function stop() {
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
      }
      stream = null;
      video.hidden = true;
      setLabels(false);
    }

    function scan() {
      if (!stream) {
        return;
      }
      detector
        .detect(video)
        .then(function (codes) {
          var now = Date.now();
          var text = codes.length ? codes[0].rawValue : "";
          // The same code held in front of the camera is submitted once every 3 seconds.
          if (text && (text !== last || now - lastAt > 3000)) {
            last = text;
            lastAt = now;
            var input = codeInput(form);
            input.value = text;
            if (typeof form.requestSubmit === "function") {
              form.requestSubmit();
            } else {
              form.submit();
            }
          }
        })
        .catch(function () {})
        .then(function () {
          window.setTimeout(scan, 250);
        });
    }

    button.addEventListener("click", function () {
      if (stream) {
        stop();
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          setLabels(true);
          return video.play();
        })
        .then(scan)
        .catch(function () {
          stop();
        });
    });
  }

  ready(function () {
    document.querySelectorAll("[data-canteen-order]").forEach(initOrderForm);
    document.querySelectorAll("[data-canteen-verify]").forEach(initCounter);
  });
})();
