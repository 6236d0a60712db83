/* The facilitator's table, part 3 of 3 (after table.js and table-view.js): the showcase (one
   slide per finding), live polling with the ETag, export as SVG or PNG, the controls, and the
   start: load the data, draw, poll. */
(function () {
  "use strict";
  var P = window.netwerkTafelParts;
  if (!P) { return; }
  var S = P.S, T = P.T, root = P.root, svg = P.svg, fmt = P.fmt, norm = P.norm;
  var candidate = P.candidate, visible = P.visible, draw = P.draw;
  var load = P.load, focusSet = P.focusSet, fit = P.fit, flyTo = P.flyTo, zoomAt = P.zoomAt;
  var select = P.select, panel = P.panel, play = P.play;
  var POLL_MS = 3000;

  // -- showcase: one slide per finding -------------------------------------------------------------
  function resolve(id) {  // a person on an organisation map stands for their organisation
    var n = S.byId[id];
    if (!n) { return null; }
    if (n.kind === "professional" && S.level === "organisation" && !S.expanded[n.organisation]) { return "o" + n.organisation; }
    return id;
  }
  function buildSlides() {
    var a = S.data.analysis, slides = [], label = function (id) { return (S.byId[id] || {}).label || id; };
    var orgs = S.nodes.filter(function (n) { return n.kind === "organisation"; }).length;
    var people = S.nodes.filter(function (n) { return n.kind === "professional"; }).length;
    var orgLines = S.edges.filter(function (e) { return e.kind === "organisation"; }).length;
    slides.push({title: T.slideOverview + " " + S.data.area.name, text: fmt(T.slideOverviewText, {o: orgs, p: people, l: orgLines}), ids: []});
    slides.push({title: T.slideIsolated, text: a.isolated.length ? T.slideIsolatedText : T.slideIsolatedNone,
                 items: a.isolated.map(label), ids: a.isolated});
    a.cutPoints.slice(0, 3).forEach(function (c) { slides.push({title: T.slideCut, text: c.text, ids: [c.node].concat(c.cutOff), main: c.node}); });
    a.bridges.slice(0, 2).forEach(function (b) { slides.push({title: T.slideBridge, text: b.text, ids: [b.a, b.b].concat(b.side)}); });
    if (a.brokers.length) {
      slides.push({title: T.slideBrokers, text: T.slideBrokersText,
                   items: a.brokers.slice(0, 5).map(function (b) { return b.label + " — " + fmt(T.reach, {n: b.reach}); }),
                   ids: a.brokers.slice(0, 5).map(function (b) { return b.node; })});
    }
    slides.push({title: T.slideMissing, text: a.missingSectors.length ? "" : T.slideMissingNone,
                 items: a.missingSectors.map(function (m) { return m.name + (m.candidates.length ? " — " + fmt(T.by, {names: m.candidates.slice(0, 3).join(", ")}) : ""); }),
                 ids: []});
    slides.push({title: T.slideUnconnected, text: a.unconnected.length ? T.slideUnconnectedText : T.slideUnconnectedNone,
                 items: a.unconnected.map(function (c) { return c.label + (c.covers.length ? " (" + c.covers.map(function (d) { return d[0]; }).join(", ") + ")" : ""); }),
                 ids: a.unconnected.map(function (c) { return c.node; })});
    S.slides = slides;
    if (S.slide >= 0) { showSlide(Math.min(S.slide, slides.length - 1)); }
  }
  var story = document.getElementById("tafel-verhaal");
  function showSlide(i) {
    S.slide = i;
    if (i < 0) { story.hidden = true; S.highlight = null; draw(); return; }
    var s = S.slides[i];
    story.hidden = false;
    document.getElementById("tafel-verhaal-teller").textContent = fmt(T.of, {i: i + 1, n: S.slides.length});
    document.getElementById("tafel-verhaal-kop").textContent = s.title;
    document.getElementById("tafel-verhaal-tekst").textContent = s.text;
    var ul = document.getElementById("tafel-verhaal-lijst");
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    (s.items || []).slice(0, 8).forEach(function (t) { var li = document.createElement("li"); li.textContent = t; ul.appendChild(li); });
    var hl = null, list = [];
    if (s.ids.length) {
      hl = {};
      s.ids.forEach(function (id) { var r = resolve(id); if (r && S.byId[r]) { hl[r] = true; } });
      list = Object.keys(hl).map(function (id) { return S.byId[id]; }).filter(visible);
      if (!list.length) { hl = null; }
    }
    S.highlight = hl; S.focus = null;
    if (list.length) { flyTo(list, (S.fitK || 1) * 2.2); } else { fit(); }
  }

  // -- live: poll the data (ETag) so check-ins and new ties appear ---------------------------------
  var status = document.getElementById("tafel-melding"), statusTimer = null;
  function announce(text) {
    status.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.textContent = ""; }, 10000);
  }
  function poll() {
    setTimeout(function () {
      (document.visibilityState === "hidden" ? Promise.resolve() : load(false)).catch(function () {}).then(poll);
    }, POLL_MS);
  }

  // -- export: the drawn view as SVG or PNG ---------------------------------------------------------
  function svgText() {
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", svg.clientWidth); copy.setAttribute("height", svg.clientHeight);
    copy.setAttribute("viewBox", "0 0 " + svg.clientWidth + " " + svg.clientHeight);
    Array.prototype.forEach.call(copy.querySelectorAll("[display=none]"), function (e) { e.parentNode.removeChild(e); });
    return new XMLSerializer().serializeToString(copy);
  }
  function fileName(ext) { return "netwerk-" + norm(S.data.area.name).replace(/[^a-z0-9]+/g, "-") + "." + ext; }
  function save(href, name) {
    var a = document.createElement("a");
    a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function exportSvg() { save("data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText()), fileName("svg")); }
  function exportPng() {
    var img = new Image(), scale = 2;
    img.onload = function () {
      var c = document.createElement("canvas");
      c.width = svg.clientWidth * scale; c.height = svg.clientHeight * scale;
      var ctx = c.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      save(c.toDataURL("image/png"), fileName("png"));
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText());
  }

  // -- controls ----------------------------------------------------------------------------------
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-action]");
    if (!b) { return; }
    var action = b.getAttribute("data-action"), W = svg.clientWidth, H = svg.clientHeight;
    if (action === "in") { zoomAt(1.4, W / 2, H / 2); }
    if (action === "uit") { zoomAt(1 / 1.4, W / 2, H / 2); }
    if (action === "passend") { fit(); }
    if (action === "niveau") {
      S.level = S.level === "organisation" ? "professional" : "organisation";
      b.setAttribute("aria-pressed", S.level === "professional" ? "true" : "false");
      b.textContent = S.level === "professional" ? T.orgButton : T.peopleButton;
      if (S.selected && !candidate(S.byId[S.selected])) { select(null); }
      fit();
    }
    if (action === "verhaal") { showSlide(0); }
    if (action === "legenda") {
      var aside = root.querySelector(".tafel-legenda");
      aside.classList.toggle("open");
      b.setAttribute("aria-pressed", aside.classList.contains("open") ? "true" : "false");
      draw();
    }
    if (action === "vorige") { showSlide(Math.max(0, S.slide - 1)); }
    if (action === "volgende") { showSlide(Math.min(S.slides.length - 1, S.slide + 1)); }
    if (action === "sluit-verhaal") { showSlide(-1); }
    if (action === "sluit-paneel") { S.focus = null; select(null); }
    if (action === "focus1" || action === "focus2") {
      if (S.selected) {
        S.focus = {id: S.selected, steps: action === "focus1" ? 1 : 2};
        S.highlight = null;
        var f = focusSet();
        flyTo(S.nodes.filter(function (n) { return f[n.id] && visible(n); }), (S.fitK || 1) * 3);
        root.querySelector("[data-action=focus0]").hidden = false;
      }
    }
    if (action === "focus0") { S.focus = null; b.hidden = true; draw(); }
    if (action === "afspelen") { play(); }
    if (action === "qr") {
      var qr = document.getElementById("tafel-qr");
      qr.hidden = !qr.hidden; b.setAttribute("aria-pressed", qr.hidden ? "false" : "true");
    }
    if (action === "svg") { exportSvg(); }
    if (action === "png") { exportPng(); }
    if (action === "volledig") {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT") { return; }
    if (S.slide >= 0 && ev.key === "ArrowRight") { showSlide(Math.min(S.slides.length - 1, S.slide + 1)); }
    if (S.slide >= 0 && ev.key === "ArrowLeft") { showSlide(Math.max(0, S.slide - 1)); }
    if (ev.key === "Escape") { showSlide(-1); S.focus = null; select(null); }
  });
  document.getElementById("tafel-gebied").addEventListener("change", function (ev) {
    var url = new URL(S.url, window.location.href);
    url.searchParams.set("gebied", ev.target.value);
    url.searchParams.delete("sessie");
    S.url = url.pathname + url.search; S.expanded = {}; S.hidden = {}; S.focus = null; S.highlight = null;
    var page = new URL(window.location.href);
    page.searchParams.set("gebied", ev.target.value); page.searchParams.delete("sessie");
    history.replaceState(null, "", page.pathname + page.search);
    load(true).catch(function () {});
  });
  function placeOverlays() {
    var bar = root.querySelector(".tafel-balk").getBoundingClientRect();
    root.querySelector(".tafel-legenda").style.top = (bar.bottom + 8) + "px";
    panel.style.top = (bar.bottom + 8) + "px";
  }
  placeOverlays();
  window.addEventListener("resize", function () { placeOverlays(); fit(); });

  load(true).then(function () { poll(); }).catch(function () {
    announce("De kaart kon niet geladen worden.");
  });

  P.buildSlides = buildSlides; P.announce = announce;
}());
