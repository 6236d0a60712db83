/* netwerk — the favourite button on a profile (templates/directory/person.html) flips at once:
   the form is posted with fetch and aria-pressed, the label and the hidden value change in
   place. Without JavaScript, or when the request fails, the form posts as a normal page. */
(function () {
  "use strict";
  document.querySelectorAll("form.favourite-form").forEach(function (form) {
    var button = form.querySelector("button[aria-pressed]");
    var value = form.querySelector("input[name=favoriet]");
    var status = form.querySelector("[role=status]");
    if (!button || !value || !window.fetch) { return; }
    var busy = false;

    function show(on) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.labelOn : button.dataset.labelOff;
      value.value = on ? "0" : "1";  // the next tap does the opposite
      if (status) { status.textContent = on ? button.dataset.saidOn : button.dataset.saidOff; }
    }

    form.addEventListener("submit", function (event) {
      if (busy) { event.preventDefault(); return; }
      event.preventDefault();
      var wanted = value.value !== "0";
      var body = new FormData(form);
      busy = true;
      show(wanted);  // at once; put back if the server says otherwise
      fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        show(Boolean(data.favourite));
        busy = false;
      }).catch(function () {
        busy = false;
        show(!wanted);
        value.value = wanted ? "1" : "0";
        form.submit();  // fall back to the plain form (it answers with a page and a message)
      });
    });
  });
})();
