// Live search from the top bar on every page: fetches /zoeken?format=json on each keystroke and
// draws the results right under the field (on /zoeken itself: in the page's own results).
// Progressive enhancement: without script the form still goes to /zoeken on Enter. No innerHTML
// with data. Keyboard: ArrowDown from the field into the results, ArrowUp/ArrowDown between
// them, Escape closes and returns to the field; a live region says how many were found.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var form = input && input.form;
  var panel = document.getElementById("q-panel");
  var status = document.getElementById("q-status");
  if (!input || !form || !panel) { return; }
  var pageResults = document.getElementById("results");
  var target = pageResults || panel;
  var url = form.getAttribute("action");
  // The old behaviour waited this long after a keystroke (bench/search_browser.py sets it to
  // measure the baseline); 0: ask at once, a newer keystroke aborts the older request.
  var debounce = window.netwerkSearchDebounce || 0;
  var timer = null;
  var latest = 0;
  var controller = null;
  var cache = {};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function actions(number, display, name, messaging) {
    var box = el("div", "actions");
    var call = el("a", "call", "Bel " + display);
    call.href = "tel:" + number;
    call.setAttribute("aria-label", "Bel " + name);
    box.appendChild(call);
    if (messaging) {
      var sms = el("a", "chip", "Sms");
      sms.href = "sms:" + number;
      var wa = el("a", "chip", "WhatsApp");
      wa.href = "https://wa.me/" + number.replace("+", "");
      wa.rel = "noopener noreferrer";
      wa.target = "_blank";
      box.appendChild(sms); box.appendChild(wa);
    }
    return box;
  }

  function person(h) {
    var li = el("li", "person" + (h.stale ? " is-stale" : ""));
    var av = el("span", "avatar");
    av.setAttribute("aria-hidden", "true");
    if (h.has_photo) {
      var img = el("img");
      img.loading = "lazy";
      img.decoding = "async";
      img.src = "/personen/" + h.id + "/foto";
      img.alt = "";
      av.appendChild(img);
    } else {
      av.textContent = h.initials;
    }
    li.appendChild(av);
    var body = el("div", "person-body");
    var a = el("a", "name", h.name);
    a.href = "/personen/" + h.id;
    body.appendChild(a);
    if (h.stale) { body.appendChild(document.createTextNode(" ")); body.appendChild(el("span", "badge-stale", "verouderd")); }
    if (h.own_wijk) { body.appendChild(document.createTextNode(" ")); body.appendChild(el("span", "tag", "jouw wijk")); }
    var meta = el("div", "meta", h.role ? h.role + " · " : "");
    var org = el("a", null, h.organisation);
    org.href = "/organisaties/" + h.organisation_id;
    meta.appendChild(org);
    body.appendChild(meta);
    if (h.wijken.length) { body.appendChild(el("div", "meta", h.wijken.join(", "))); }
    if (h.mobile) { body.appendChild(actions(h.mobile, h.mobile_display, h.name, h.messaging)); }
    li.appendChild(body);
    return li;
  }

  function organisation(o) {
    var li = el("li", "organisation");
    var a = el("a", "name", o.name);
    a.href = "/organisaties/" + o.id;
    li.appendChild(a);
    li.appendChild(el("div", "meta", o.sector.replace(/_/g, " ")));
    if (o.phone) { li.appendChild(actions(o.phone, o.phone_display, o.name, o.messaging)); }
    return li;
  }

  function open(isOpen) {
    if (pageResults) { return; }
    panel.hidden = !isOpen;
  }

  function say(text) { if (status) { status.textContent = text; } }

  // Everything is built off the page and put in with one replaceChildren: one style and layout
  // pass per answer, not one per card (static/css/netwerk.css also lets the browser skip
  // cards below the fold: content-visibility).
  function put(nodes) {
    if (target.replaceChildren) { target.replaceChildren(nodes); return; }
    target.textContent = "";
    target.appendChild(nodes);
  }

  function render(data) {
    var out = document.createDocumentFragment();
    if (!data.query) { put(out); open(false); say(""); return; }
    var n = data.people.length, m = data.organisations.length;
    if (!n && !m) {
      out.appendChild(el("p", "search-empty", "Niets gevonden voor ‘" + data.query + "’."));
      put(out);
      say("Niets gevonden.");
      open(true);
      return;
    }
    var sections = [];
    if (n) {
      var people = document.createDocumentFragment();
      var h = el("h2", "search-heading", "Personen ");
      h.appendChild(el("span", "muted small", "(" + n + ")"));
      people.appendChild(h);
      var ul = el("ul", "list results-people");
      for (var i = 0; i < n; i++) { ul.appendChild(person(data.people[i])); }
      people.appendChild(ul);
      sections.push(people);
    }
    if (m) {
      var orgs = document.createDocumentFragment();
      orgs.appendChild(el("h2", "search-heading", "Organisaties"));
      var ol = el("ul", "list results-orgs");
      for (var j = 0; j < m; j++) { ol.appendChild(organisation(data.organisations[j])); }
      orgs.appendChild(ol);
      if (data.organisations_first) { sections.unshift(orgs); } else { sections.push(orgs); }
    }
    for (var k = 0; k < sections.length; k++) { out.appendChild(sections[k]); }
    if (!pageResults) {
      var all = el("a", "search-all", "Alle resultaten op de zoekpagina");
      all.href = url + "?q=" + encodeURIComponent(data.query);
      out.appendChild(all);
    }
    put(out);
    say((n ? n + (n === 1 ? " persoon" : " personen") : "") + (n && m ? " en " : "") +
        (m ? m + (m === 1 ? " organisatie" : " organisaties") : "") + " gevonden.");
    open(true);
    target.setAttribute("data-query", data.query);  // which query the shown results answer
    target.dispatchEvent(new CustomEvent("netwerk:results", { detail: data.query }));
  }

  function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (pageResults) {
      window.history.replaceState(null, "", q ? url + "?q=" + encodeURIComponent(q) : url);
      document.body.classList.toggle("is-searching", !!q);
    }
    if (controller) { controller.abort(); controller = null; }
    if (!q) { render({ query: "", people: [], organisations: [] }); return; }
    if (cache[q]) { render(cache[q]); return; }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?format=json&q=" + encodeURIComponent(q),
          { credentials: "same-origin", signal: controller ? controller.signal : undefined })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        cache[q] = data;
        if (ticket === latest) { render(data); }
      })
      .catch(function () { /* aborted or offline: the form still works without script */ });
  }

  function links() {
    return Array.prototype.slice.call(target.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    if (debounce) {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, debounce);
    } else {
      run();
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = links()[0];
      if (first) { event.preventDefault(); open(true); first.focus(); }
    } else if (event.key === "Escape" && !pageResults && !panel.hidden) {
      event.preventDefault();
      open(false);
    }
  });

  target.addEventListener("keydown", function (event) {
    var list = links();
    var i = list.indexOf(document.activeElement);
    if (i < 0) { return; }
    if (event.key === "ArrowDown" && i < list.length - 1) {
      event.preventDefault(); list[i + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (i > 0) { list[i - 1].focus(); } else { input.focus(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      open(false);
      input.focus();
    }
  });

  input.addEventListener("click", function () {
    if (!pageResults && input.value.trim() && target.childNodes.length) { open(true); }
  });

  document.addEventListener("click", function (event) {
    if (!pageResults && !panel.hidden && !form.contains(event.target) && !panel.contains(event.target)) {
      open(false);
    }
  });
})();
