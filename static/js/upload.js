// Keeps the progress bar of an upload that is being checked or loaded up to date without a reload,
// and reloads the page once the work is done so the problems or the preview appear.
(function () {
  "use strict";
  var panel = document.querySelector("[data-status-url]");
  if (!panel) return;
  var bar = panel.querySelector("progress");
  var label = panel.querySelector("label");
  var text = panel.querySelector(".progress-text");
  var url = panel.getAttribute("data-status-url");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        text.textContent = state.progress + " %";
        label.textContent = state.label;
        if (state.working) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
