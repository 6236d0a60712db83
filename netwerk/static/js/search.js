// As-you-type search: fetches /zoeken?format=json and redraws the results (no innerHTML with data).
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  if (!input || !results) { return; }
  var url = results.getAttribute("data-json-url");
  var timer = null;
  var latest = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function actions(number, display, name) {
    var box = el("div", "actions");
    var call = el("a", "call", "Bel " + display);
    call.href = "tel:" + number;
    call.setAttribute("aria-label", "Bel " + name);
    var sms = el("a", "chip", "Sms");
    sms.href = "sms:" + number;
    var wa = el("a", "chip", "WhatsApp");
    wa.href = "https://wa.me/" + number.replace("+", "");
    wa.rel = "noopener noreferrer";
    wa.target = "_blank";
    box.appendChild(call); box.appendChild(sms); box.appendChild(wa);
    return box;
  }

  function person(h) {
    var li = el("li", "person" + (h.stale ? " is-stale" : ""));
    var av = el("span", "avatar");
    av.setAttribute("aria-hidden", "true");
    if (h.has_photo) {
      var img = el("img");
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
    if (h.mobile) { body.appendChild(actions(h.mobile, h.mobile_display, h.name)); }
    li.appendChild(body);
    return li;
  }

  function organisation(o) {
    var li = el("li");
    var a = el("a", "name", o.name);
    a.href = "/organisaties/" + o.id;
    li.appendChild(a);
    li.appendChild(el("div", "meta", o.sector.replace(/_/g, " ")));
    if (o.phone) { li.appendChild(actions(o.phone, o.phone_display, o.name)); }
    return li;
  }

  function render(data) {
    results.textContent = "";
    if (!data.query) { return; }
    if (!data.people.length && !data.organisations.length) {
      results.appendChild(el("p", null, "Niets gevonden voor ‘" + data.query + "’."));
      return;
    }
    if (data.people.length) {
      var h = el("h2", null, "Personen ");
      h.appendChild(el("span", "muted small", "(" + data.people.length + ")"));
      results.appendChild(h);
      var ul = el("ul", "list results-people");
      data.people.forEach(function (p) { ul.appendChild(person(p)); });
      results.appendChild(ul);
    }
    if (data.organisations.length) {
      results.appendChild(el("h2", null, "Organisaties"));
      var ol = el("ul", "list results-orgs");
      data.organisations.forEach(function (o) { ol.appendChild(organisation(o)); });
      results.appendChild(ol);
    }
  }

  function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (window.location.pathname === "/zoeken") {
      window.history.replaceState(null, "", q ? "/zoeken?q=" + encodeURIComponent(q) : "/zoeken");
    }
    if (!q) { render({ query: "", people: [], organisations: [] }); return; }
    fetch(url + "?format=json&q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && ticket === latest) { render(data); } })
      .catch(function () { /* the form still works without script */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 150);
  });
})();
