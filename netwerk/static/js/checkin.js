/* The check-in page's typeahead: organisations from the search JSON (/zoeken?format=json),
   at most eight at a time, filled in with textContent. Without scripts the full name works. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-typeahead]");
  if (!form) { return; }
  var input = form.querySelector("[role=combobox]"), hidden = form.querySelector("input[type=hidden][name$=organisation_id]");
  var list = document.getElementById("org-treffers"), timer = null, asked = 0;
  function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
  input.addEventListener("input", function () {
    hidden.value = "";
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++asked;
      fetch("/zoeken?format=json&q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {organisations: []}; })
        .then(function (data) {
          if (mine !== asked) { return; }
          while (list.firstChild) { list.removeChild(list.firstChild); }
          (data.organisations || []).slice(0, 8).forEach(function (o) {
            var li = document.createElement("li"), b = document.createElement("button");
            li.setAttribute("role", "option");
            b.type = "button"; b.textContent = o.name;
            b.addEventListener("click", function () {
              input.value = o.name; hidden.value = String(o.id); close(); input.focus();
            });
            li.appendChild(b); list.appendChild(li);
          });
          list.hidden = !list.firstChild;
          input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
        }).catch(close);
    }, 200);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { close(); }
    if (ev.key === "ArrowDown" && !list.hidden) { ev.preventDefault(); list.querySelector("button").focus(); }
  });
}());
