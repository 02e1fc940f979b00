/*
 * duties — behaviour of the plan form (strict CSP: loaded as a file, no inline script).
 *
 *   [data-duties-schedule]      the schedule card; data-uses-time / data-uses-months list the
 *                               presets that use the time field / the months field
 *   [data-duties-preset]        the preset select; [data-duties-when="time|months|custom"]
 *                               blocks are shown only when the preset uses them (a block
 *                               holding an error is always shown)
 *   [data-duties-add-item]      button adding a checklist row from <template id="checklist-empty">
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

  function words(value) {
    return (value || "").split(/\s+/).filter(Boolean);
  }

  function updateSchedule(card) {
    var select = card.querySelector("[data-duties-preset]");
    if (!select) {
      return;
    }
    var preset = select.value;
    var wanted = {
      time: words(card.getAttribute("data-uses-time")).indexOf(preset) !== -1,
      months: words(card.getAttribute("data-uses-months")).indexOf(preset) !== -1,
      custom: preset === "custom"
    };
    card.querySelectorAll("[data-duties-when]").forEach(function (block) {
      var show = wanted[block.getAttribute("data-duties-when")] || !!block.querySelector(".is-invalid");
      block.classList.toggle("d-none", !show);
    });
  }

  function addItem(button) {
    var container = document.querySelector("[data-duties-items]");
    var template = document.getElementById("checklist-empty");
    if (!container || !template) {
      return;
    }
    var prefix = container.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    while (holder.firstElementChild) {
      container.appendChild(holder.firstElementChild);
    }
    total.value = String(index + 1);
    var label = document.getElementById("id_" + prefix + "-" + index + "-label");
    if (label) {
      label.focus();
    }
    button.blur();
  }

  ready(function () {
    document.querySelectorAll("[data-duties-schedule]").forEach(function (card) {
      updateSchedule(card);
      card.addEventListener("change", function (event) {
        if (event.target.matches("[data-duties-preset]")) {
          updateSchedule(card);
        }
      });
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-duties-add-item]");
      if (button) {
        event.preventDefault();
        addItem(button);
      }
    });
  });
})();
