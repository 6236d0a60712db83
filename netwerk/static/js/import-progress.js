/* netwerk — the progress bar of an import (templates/interchange/run.html): polls the run's
   status.json, moves the bar, says the state when it changes, and reloads the page when the
   import is done (the server then shows the report). Without JavaScript the page has a
   link to reload it. */
(function () {
  "use strict";
  var card = document.querySelector(".import-run[data-status-url]");
  if (!card || !window.fetch) { return; }
  var bar = card.querySelector("progress");
  var status = card.querySelector("[role=status]");
  var state = card.dataset.state;
  var delay = 500;

  function poll() {
    fetch(card.dataset.statusUrl, {
      credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 403 || response.status === 404) { return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (data === null) { return; }  // no longer ours to see: stop asking
      if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
      if (data.finished) {
        if (bar) { bar.value = 100; }
        if (status) { status.textContent = data.label; }
        window.location.reload();
        return;
      }
      if (status && data.state !== state) { status.textContent = data.label; }
      state = data.state;
      delay = 500;
      window.setTimeout(poll, delay);
    }).catch(function () {
      delay = Math.min(delay * 2, 10000);  // the server is away a moment: ask less often
      window.setTimeout(poll, delay);
    });
  }

  window.setTimeout(poll, delay);
}());
