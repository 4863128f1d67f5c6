// Printing a page for a meeting: everything folded away on screen (the "why" of each status, the tables
// behind the charts, the focus areas) goes on paper too, and is folded again afterwards. Browsers do not
// print the content of a closed <details>, whatever the print stylesheet says.
(function () {
  "use strict";
  let opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.from(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });
})();
