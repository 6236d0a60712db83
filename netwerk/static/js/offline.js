/* netwerk — the offline page: search the copy of one's own directory that the service worker
   (netwerk/static/js/sw.js) keeps in Cache Storage. Everything is drawn with textContent. */
(function () {
  "use strict";
  var DIRECTORY_URL = "/offline/gids.json";
  var MAX_SHOWN = 50;
  var status = document.getElementById("offline-status");
  var words = status.dataset;
  var copyLine = document.getElementById("offline-copy");
  var empty = document.getElementById("offline-empty");
  var form = document.getElementById("offline-search");
  var input = document.getElementById("offline-q");
  var count = document.getElementById("offline-count");
  var results = document.getElementById("offline-results");
  var people = [];
  var organisations = [];

  function showStatus() {
    status.textContent = navigator.onLine ? words.online : words.offline;
  }
  window.addEventListener("online", showStatus);
  window.addEventListener("offline", showStatus);
  showStatus();

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function digits(text) { return (text || "").replace(/\D/g, ""); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function dutchDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return iso; }
    return pad(d.getDate()) + "-" + pad(d.getMonth() + 1) + "-" + d.getFullYear() + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function haystack(entry, fields) {
    var text = fields.map(function (f) {
      var v = entry[f];
      return Array.isArray(v) ? v.join(" ") : (v || "");
    }).join(" ");
    return { text: fold(text), digits: digits([entry.mobile, entry.landline, entry.phone,
      entry.crisis_phone, entry.mobile_display, entry.landline_display].join(" ")) };
  }

  function matches(entry, terms, numberQuery) {
    if (numberQuery && numberQuery.length >= 4) {
      var local = numberQuery.replace(/^0/, "");
      return entry._hay.digits.indexOf(local) !== -1;
    }
    return terms.every(function (t) { return entry._hay.text.indexOf(t) !== -1; });
  }

  function link(cls, href, text, label) {
    var a = document.createElement("a");
    a.className = cls;
    a.href = href;
    a.textContent = text;
    if (label) { a.setAttribute("aria-label", label); }
    return a;
  }

  function span(cls, text) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function row(name, meta, number, display, canText) {
    var li = document.createElement("li");
    li.className = "contact";
    var who = document.createElement("div");
    who.className = "contact-who";
    who.appendChild(span("name", name));
    who.appendChild(span("meta", meta));
    if (number) { who.appendChild(span("meta", display)); }
    li.appendChild(who);
    if (number) {
      li.appendChild(link("call contact-call", "tel:" + number, words.call,
        fill(words.callLabel, { name: name, number: display })));
      if (canText) {
        var more = document.createElement("div");
        more.className = "contact-more";
        more.appendChild(link("chip", "sms:" + number, words.sms));
        li.appendChild(more);
      }
    } else {
      li.appendChild(span("meta contact-call", words.noNumber));
    }
    return li;
  }

  function render() {
    var q = fold(input.value).trim();
    var terms = q.split(/\s+/).filter(Boolean);
    var numberQuery = /^[\d\s+\-()]+$/.test(input.value.trim()) ? digits(input.value) : "";
    var found = people.filter(function (p) { return matches(p, terms, numberQuery); });
    var orgs = organisations.filter(function (o) { return matches(o, terms, numberQuery); });
    results.textContent = "";
    orgs.slice(0, 10).forEach(function (o) {
      var number = o.phone || o.crisis_phone;
      var display = o.phone ? o.phone_display : o.crisis_phone_display;
      var li = row(o.name, words.organisations, number, display, false);
      li.dataset.organisationId = o.id;
      results.appendChild(li);
    });
    found.slice(0, MAX_SHOWN).forEach(function (p) {
      var number = p.mobile || p.landline;
      var display = p.mobile ? p.mobile_display : p.landline_display;
      var meta = [p.role, p.organisation].filter(Boolean).join(" · ");
      var li = row(p.name, meta, number, display, p.can_text);
      li.dataset.professionalId = p.id;
      results.appendChild(li);
    });
    count.textContent = fill(words.count, { shown: Math.min(found.length, MAX_SHOWN),
      total: found.length });
  }

  function noCopy() {
    empty.textContent = words.none;
    empty.hidden = false;
    form.hidden = true;
    copyLine.hidden = true;
  }

  function load() {
    if (!window.caches) { noCopy(); return; }
    caches.match(DIRECTORY_URL).then(function (response) {
      if (!response) { noCopy(); return null; }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      people = (data.people || []).map(function (p) {
        p._hay = haystack(p, ["name", "role", "organisation", "wijken", "email"]);
        return p;
      });
      organisations = (data.organisations || []).map(function (o) {
        o._hay = haystack(o, ["name", "sector"]);
        return o;
      });
      copyLine.textContent = fill(words.copy, { date: dutchDate(data.generated_at) });
      copyLine.dataset.generatedAt = data.generated_at;
      copyLine.hidden = false;
      empty.hidden = true;
      form.hidden = false;
      render();
    }).catch(noCopy);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); render(); });
  input.addEventListener("input", render);
  load();
})();
