/* The facilitator's table, part 2 of 3 (after table.js): the view (fit, zoom, pan, fly), a tap
   and the panel, find on the map, the legend that hides sectors, and the timeline. */
(function () {
  "use strict";
  var P = window.netwerkTafelParts;
  if (!P) { return; }
  var S = P.S, T = P.T, root = P.root, svg = P.svg, el = P.el, fmt = P.fmt, norm = P.norm;
  var inFrame = P.inFrame, candidate = P.candidate, shapePath = P.shapePath;
  var draw = P.draw, render = P.render;
  // -- view: fit, zoom, pan, fly ------------------------------------------------------------------
  function bounds(list) {
    var b = {x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity};
    list.forEach(function (n) {
      b.x0 = Math.min(b.x0, n.x); b.y0 = Math.min(b.y0, n.y); b.x1 = Math.max(b.x1, n.x); b.y1 = Math.max(b.y1, n.y);
    });
    return b;
  }
  function viewFor(list) {
    var W = svg.clientWidth, H = svg.clientHeight;
    if (!list.length) { return {k: 1, x: W / 2, y: H / 2}; }
    var b = bounds(list), padX = Math.min(260, W * 0.18), padY = Math.min(140, H * 0.16);
    var k = Math.min((W - 2 * padX) / Math.max(b.x1 - b.x0, 1), (H - 2 * padY) / Math.max(b.y1 - b.y0, 1));
    k = Math.min(k, 2.5);
    return {k: k, x: W / 2 - k * (b.x0 + b.x1) / 2, y: H / 2 - k * (b.y0 + b.y1) / 2};
  }
  function fit() {
    var v = viewFor(S.nodes.filter(candidate));
    S.fitK = v.k; S.view = v; draw();
  }
  function fly(target, ms) {
    var from = S.view, start = performance.now();
    ms = ms || 600;
    function step(t) {
      var p = Math.min(1, (t - start) / ms), e = p < 0.5 ? 2 * p * p : 1 - Math.pow(-2 * p + 2, 2) / 2;
      S.view = {k: from.k + (target.k - from.k) * e, x: from.x + (target.x - from.x) * e, y: from.y + (target.y - from.y) * e};
      render();
      if (p < 1) { requestAnimationFrame(step); }
    }
    requestAnimationFrame(step);
  }
  function flyTo(list, maxK) {
    var v = viewFor(list);
    if (list.length === 1 || v.k > (maxK || Infinity)) {
      var k = Math.min(Math.max(S.view.k, (S.fitK || 1) * 1.8), maxK || 3);
      var b = bounds(list);
      v = {k: k, x: svg.clientWidth / 2 - k * (b.x0 + b.x1) / 2, y: svg.clientHeight / 2 - k * (b.y0 + b.y1) / 2};
    }
    fly(v);
  }
  function zoomAt(factor, cx, cy) {
    var v = S.view, k = Math.max(0.02, Math.min(20, v.k * factor));
    S.view = {k: k, x: cx - (cx - v.x) * (k / v.k), y: cy - (cy - v.y) * (k / v.k)};
    draw();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, {passive: false});
  var pointers = {}, drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    pointers[ev.pointerId] = {x: ev.clientX, y: ev.clientY};
    drag = {x: ev.clientX, y: ev.clientY, vx: S.view.x, vy: S.view.y, moved: false,
            node: nodeOf(ev.target), pinch: null};
    if (Object.keys(pointers).length === 2) {
      var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
      drag.pinch = {d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y), k: S.view.k};
    }
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) {
      var over = nodeOf(ev.target);
      if ((over && over.id) !== S.hover) { S.hover = over ? over.id : null; draw(); }
      return;
    }
    if (pointers[ev.pointerId]) { pointers[ev.pointerId] = {x: ev.clientX, y: ev.clientY}; }
    var keys = Object.keys(pointers);
    if (drag.pinch && keys.length === 2) {
      var a = pointers[keys[0]], b = pointers[keys[1]], r = svg.getBoundingClientRect();
      var d = Math.hypot(a.x - b.x, a.y - b.y);
      zoomAt((drag.pinch.k * d / drag.pinch.d) / S.view.k, (a.x + b.x) / 2 - r.left, (a.y + b.y) / 2 - r.top);
      drag.moved = true;
      return;
    }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; }
    if (drag.moved) { S.view = {k: S.view.k, x: drag.vx + dx, y: drag.vy + dy}; draw(); }
  });
  function up(ev) {
    delete pointers[ev.pointerId];
    if (!drag) { return; }
    var d = drag;
    drag = Object.keys(pointers).length ? drag : null;
    if (!d.moved && ev.type === "pointerup") { tap(d.node); }
  }
  svg.addEventListener("pointerup", up);
  svg.addEventListener("pointercancel", up);
  function nodeOf(target) {
    var g = target && target.closest ? target.closest(".knoop") : null;
    return g ? S.byId[g.getAttribute("data-id")] : null;
  }

  // -- tap: open an organisation's people, show the panel ----------------------------------------
  function tap(n) {
    if (!n) { select(null); return; }
    if (n.kind === "organisation" && S.level === "organisation") {
      if (S.expanded[n.organisation]) { delete S.expanded[n.organisation]; } else { S.expanded[n.organisation] = true; }
    }
    select(n.id);
  }
  var panel = document.getElementById("tafel-paneel");
  function select(id) {
    S.selected = id;
    var n = id && S.byId[id];
    panel.hidden = !n;
    if (n) {
      document.getElementById("tafel-paneel-naam").textContent = n.label;
      var sector = (S.data.sectors[n.sector] || {}).name || n.sector;
      var what = [n.kind === "professional" ? (n.role || T.person) + " · " + n.orgLabel : sector,
                  fmt(T.linesOf, {n: n.deg})];
      if (n.kind === "organisation") { what.splice(1, 0, n.people + " " + T.people); }
      document.getElementById("tafel-paneel-wat").textContent = what.join(" · ");
      var list = document.getElementById("tafel-paneel-mensen");
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (n.kind === "organisation") {
        S.nodes.filter(function (p) { return p.kind === "professional" && p.organisation === n.organisation; })
          .sort(function (a, b) { return a.label.localeCompare(b.label); })
          .forEach(function (p) {
            var li = document.createElement("li");
            var b = document.createElement("button");
            b.type = "button"; b.textContent = p.label + (p.role ? " · " + p.role : "");
            b.addEventListener("click", function () { S.expanded[n.organisation] = true; select(p.id); flyTo([p]); });
            li.appendChild(b); list.appendChild(li);
          });
      }
      root.querySelector("[data-action=focus0]").hidden = !S.focus;
    }
    draw();
  }

  // -- find --------------------------------------------------------------------------------------
  var find = document.getElementById("tafel-zoekveld"), hits = document.getElementById("tafel-treffers");
  find.addEventListener("input", function () {
    var q = norm(find.value.trim());
    while (hits.firstChild) { hits.removeChild(hits.firstChild); }
    if (q.length < 2) { hits.hidden = true; return; }
    var found = S.nodes.filter(function (n) { return norm(n.label).indexOf(q) >= 0; })
      .sort(function (a, b) { return (norm(a.label).indexOf(q) - norm(b.label).indexOf(q)) || b.rank - a.rank; }).slice(0, 8);
    found.forEach(function (n) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.textContent = n.label + (n.orgLabel ? " · " + n.orgLabel : "");
      b.addEventListener("click", function () { goTo(n); });
      li.appendChild(b); hits.appendChild(li);
    });
    hits.hidden = !found.length;
  });
  find.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var b = hits.querySelector("button"); if (b) { b.click(); } }
    if (ev.key === "Escape") { find.value = ""; hits.hidden = true; }
  });
  function goTo(n) {
    hits.hidden = true; find.value = n.label;
    if (n.kind === "professional" && S.level === "organisation") { S.expanded[n.organisation] = true; }
    if (S.hidden[n.sector]) { delete S.hidden[n.sector]; legend(); }
    if (!inFrame(n)) { S.frame = S.maxFrame; syncSlider(); }
    select(n.id);
    flyTo([n]);
  }

  // -- legend: tap a sector to hide or show it ---------------------------------------------------
  function legend() {
    var ul = document.getElementById("tafel-legenda");
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    Object.keys(S.data.sectors).forEach(function (key) {
      var st = S.data.sectors[key], li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", S.hidden[key] ? "false" : "true");
      var icon = el("svg", {width: 22, height: 22, viewBox: "-12 -12 24 24", "aria-hidden": "true"});
      el("path", {d: shapePath(st.shape, 8), fill: st.colour, stroke: "#ffffff", "stroke-width": 1.5}, icon);
      b.appendChild(icon);
      b.appendChild(document.createTextNode(st.name));
      b.addEventListener("click", function () {
        if (S.hidden[key]) { delete S.hidden[key]; } else { S.hidden[key] = true; }
        b.setAttribute("aria-pressed", S.hidden[key] ? "false" : "true");
        draw();
      });
      li.appendChild(b); ul.appendChild(li);
    });
  }

  // -- timeline: the network after each session, growing in place --------------------------------
  var slider = document.getElementById("tafel-stap"), sliderText = document.getElementById("tafel-stap-tekst");
  function timeline(first) {
    var sessions = S.data.sessions, bar = document.getElementById("tafel-tijdlijn");
    bar.hidden = !sessions.length;
    if (!sessions.length) { S.frame = null; return; }
    var withNow = !S.data.session;
    S.maxFrame = withNow ? sessions.length : sessions.length - 1;
    slider.max = S.maxFrame;
    if (first) { S.frame = withNow ? null : S.maxFrame; }
    syncSlider();
  }
  function frameValue() { return S.frame === null ? S.maxFrame : S.frame; }
  function syncSlider() {
    slider.value = frameValue();
    var sessions = S.data.sessions, k = frameValue();
    var orgs = S.nodes.filter(function (n) { return n.kind === "organisation" && inFrame(n); }).length;
    var label = k >= sessions.length ? T.now : fmt(T.after, {n: k + 1}) + ": " + sessions[k].title + " (" + sessions[k].date + ")";
    sliderText.textContent = label + " · " + fmt(T.orgCount, {n: orgs});
  }
  slider.addEventListener("input", function () {
    var k = parseInt(slider.value, 10);
    S.frame = k >= S.data.sessions.length ? null : k;
    syncSlider(); draw();
  });
  function play() {
    if (S.playing) { clearTimeout(S.playing); S.playing = null; return; }
    var k = 0;
    function next() {
      S.frame = k >= S.data.sessions.length ? null : k;
      syncSlider(); draw();
      k += 1;
      S.playing = k <= S.maxFrame ? setTimeout(next, 1800) : null;
    }
    next();
  }


  P.bounds = bounds; P.fit = fit; P.flyTo = flyTo; P.zoomAt = zoomAt; P.select = select;
  P.panel = panel; P.legend = legend; P.timeline = timeline; P.syncSlider = syncSlider;
  P.play = play;
}());
