// The status report's "Udskriv" button (no inline handlers: the Content-Security-Policy allows only our files).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
