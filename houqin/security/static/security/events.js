/*
 * 培训演练 form (strict CSP: no inline scripts). In a [data-sec-people] box, narrow the
 * participants checklist by agency ([data-sec-people-agency]) and by name
 * ([data-sec-people-search]); [data-sec-people-all="1"/"0"] ticks or unticks the people shown;
 * [data-sec-people-count] shows how many are ticked. Hidden people keep their ticks.
 */
(function () {
  "use strict";

  function boxes(root) {
    return Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox][data-agency]"));
  }

  function refresh(root) {
    var agencySelect = root.querySelector("[data-sec-people-agency]");
    var search = root.querySelector("[data-sec-people-search]");
    var agency = agencySelect ? agencySelect.value : "";
    var term = search ? search.value.trim() : "";
    var ticked = 0;
    boxes(root).forEach(function (input) {
      var show =
        (!agency || input.getAttribute("data-agency") === agency) &&
        (!term || (input.getAttribute("data-name") || "").indexOf(term) !== -1);
      var row = input.closest(".form-check");
      if (row) {
        row.hidden = !show;
      }
      if (input.checked) {
        ticked += 1;
      }
    });
    var count = document.querySelector("[data-sec-people-count]");
    if (count) {
      count.textContent = String(ticked);
    }
  }

  function rootOf(el) {
    return el && el.closest ? el.closest("[data-sec-people]") : null;
  }

  document.addEventListener("input", function (event) {
    var root = rootOf(event.target);
    if (root) {
      refresh(root);
    }
  });
  document.addEventListener("change", function (event) {
    var root = rootOf(event.target);
    if (root) {
      refresh(root);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sec-people-all]") : null;
    var root = rootOf(button);
    if (!root) {
      return;
    }
    var on = button.getAttribute("data-sec-people-all") === "1";
    boxes(root).forEach(function (input) {
      var row = input.closest(".form-check");
      if (!row || !row.hidden) {
        input.checked = on;
      }
    });
    refresh(root);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-sec-people]").forEach(refresh);
  });
})();
