/*
 * 维修 phone pages (strict CSP: no inline scripts). In a form marked data-maint-photos, show
 * thumbnails of the photos chosen in its file input (into its [data-maint-previews] box), at
 * most the input's data-max (9 by default). The server checks count, type and size.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") {
      return;
    }
    var form = input.closest("form[data-maint-photos]");
    var box = form ? form.querySelector("[data-maint-previews]") : null;
    if (!box) {
      return;
    }
    box.querySelectorAll("img").forEach(function (img) {
      URL.revokeObjectURL(img.src);
    });
    box.textContent = "";
    var max = parseInt(input.getAttribute("data-max") || "9", 10);
    var files = Array.prototype.slice.call(input.files || []);
    files.slice(0, max).forEach(function (file) {
      if (!/^image\//.test(file.type)) {
        return;
      }
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      box.appendChild(img);
    });
  });
})();
