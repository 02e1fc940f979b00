// Meetings pages: the print button of the service sheet (no inline handlers under CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-hq-print]");
    if (el) {
      event.preventDefault();
      window.print();
    }
  });
})();
