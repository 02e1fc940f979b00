/*
 * houqin — page behaviour. Strict CSP (script-src 'self'): no inline scripts or on*= handlers
 * anywhere; templates declare behaviour with data-hq-* attributes handled here.
 *
 *   data-hq-back               on a link: go back in history (the href is the fallback)
 *   data-hq-confirm="文字"      on a form, or a button/link: ask before submitting/following
 *                              (for htmx elements use hx-confirm instead)
 *   data-hq-no-disable         on a POST form: do not disable its buttons while submitting
 *   data-hq-autosubmit         on a form: submit when any control changes (e.g. page size)
 *   data-hq-print              on a button: open the browser's print dialog (printable lists)
 *
 * htmx:
 *   - a 422 response is swapped like a 200 (return 422 with the re-rendered form fragment);
 *   - other 4xx/5xx responses and network failures show a toast in Chinese (texts come from
 *     data-msg-* attributes of #hq-toasts, so they are translated in the template);
 *   - a request that ends on the login page (session expired) reloads the page to log in.
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

  // ------------------------------------------------------------------ back buttons
  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-hq-back]");
    if (!back) {
      return;
    }
    var sameOrigin = false;
    try {
      sameOrigin = document.referrer && new URL(document.referrer).origin === window.location.origin;
    } catch (e) {
      sameOrigin = false;
    }
    if (window.history.length > 1 && sameOrigin) {
      event.preventDefault();
      window.history.back();
    }
    // otherwise follow the link's href (e.g. the home page)
  });

  // ------------------------------------------------------------------ print buttons
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-hq-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // ------------------------------------------------------------------ confirmations
  document.addEventListener(
    "click",
    function (event) {
      var el = event.target.closest("[data-hq-confirm]");
      if (!el || el.tagName === "FORM" || el.hasAttribute("hx-confirm")) {
        return;
      }
      if (!window.confirm(el.getAttribute("data-hq-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  function isHtmxForm(form) {
    return ["hx-post", "hx-get", "hx-put", "hx-patch", "hx-delete", "data-hx-post", "data-hx-get"]
      .some(function (name) {
        return form.hasAttribute(name);
      }) || !!form.closest("[hx-boost='true']");
  }

  // ------------------------------------------------------------------ form submission
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    if (event.defaultPrevented || isHtmxForm(form)) {
      return; // htmx handles its own forms (use hx-confirm there)
    }
    var question = form.getAttribute("data-hq-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute("data-hq-no-disable") || form.target === "_blank") {
      return;
    }
    // Disable after the browser has collected the form data (so the clicked button's
    // name/value is still sent), to stop a second click from submitting twice.
    var buttons = form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']");
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.classList.add("hq-submitting");
      });
    }, 0);
    // A response that is a file download never leaves the page: re-enable after a while.
    window.setTimeout(function () {
      enableButtons(form);
    }, 10000);
  });

  function enableButtons(root) {
    root.querySelectorAll(".hq-submitting").forEach(function (button) {
      button.disabled = false;
      button.classList.remove("hq-submitting");
    });
  }

  // Coming back with the browser's back button restores the page from the cache.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      enableButtons(document);
    }
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-hq-autosubmit")) {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  // ------------------------------------------------------------------ toasts
  function toast(message, variant) {
    var container = document.getElementById("hq-toasts");
    if (!container || !message) {
      return;
    }
    var el = document.createElement("div");
    el.className = "toast align-items-center border-0 text-bg-" + (variant || "danger");
    el.setAttribute("role", "alert");
    el.setAttribute("aria-live", "assertive");
    el.setAttribute("aria-atomic", "true");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", container.getAttribute("data-msg-close") || "Close");
    row.appendChild(body);
    row.appendChild(close);
    el.appendChild(row);
    container.appendChild(el);
    el.addEventListener("hidden.bs.toast", function () {
      el.remove();
    });
    if (window.bootstrap && window.bootstrap.Toast) {
      window.bootstrap.Toast.getOrCreateInstance(el, { delay: 6000 }).show();
    } else {
      el.classList.add("show");
    }
  }

  function message(key) {
    var container = document.getElementById("hq-toasts");
    return container ? container.getAttribute("data-msg-" + key) : "";
  }

  function statusMessage(status) {
    if (status === 0) {
      return message("network");
    }
    return message(String(status)) || message(status >= 500 ? "500" : "error");
  }

  // ------------------------------------------------------------------ htmx integration
  function loginPath() {
    return document.body ? document.body.getAttribute("data-login-url") : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var xhr = detail.xhr;
    var login = loginPath();
    if (login && xhr && xhr.responseURL) {
      var landed;
      try {
        landed = new URL(xhr.responseURL, window.location.href).pathname;
      } catch (e) {
        landed = "";
      }
      if (landed === login && window.location.pathname !== login) {
        // The session expired: the request was redirected to the login page.
        detail.shouldSwap = false;
        window.location.assign(
          login + "?next=" + encodeURIComponent(window.location.pathname + window.location.search)
        );
        return;
      }
    }
    if (xhr && xhr.status === 422) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    toast(statusMessage(xhr ? xhr.status : 0), "danger");
  });

  document.addEventListener("htmx:sendError", function () {
    toast(message("network"), "danger");
  });

  document.addEventListener("htmx:timeout", function () {
    toast(message("timeout") || message("network"), "warning");
  });

  // ------------------------------------------------------------------ Bootstrap widgets in new content
  function initWidgets(root) {
    if (!window.bootstrap || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-bs-toggle='tooltip']").forEach(function (el) {
      window.bootstrap.Tooltip.getOrCreateInstance(el);
    });
    root.querySelectorAll("[data-bs-toggle='popover']").forEach(function (el) {
      window.bootstrap.Popover.getOrCreateInstance(el);
    });
  }

  ready(function () {
    if (window.htmx) {
      // htmx.onLoad runs for the document and for every swapped-in fragment.
      window.htmx.onLoad(initWidgets);
    } else {
      initWidgets(document);
    }
  });
})();
