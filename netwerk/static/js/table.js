/* The facilitator's table (/netwerk/tafel): draws /netwerk/data.json as SVG with the stored
   positions, places labels greedily without overlap (the names that matter first, the rest
   on hover or tap), filters in the browser (sector, level, session timeline), finds and flies
   to a node, focuses on one node (1 or 2 steps, the rest dimmed), steps through what the
   analysis found, animates the growth from session to session, polls the data with its ETag
   so check-ins appear live, and exports the drawn view as SVG or PNG.
   Every text goes in with textContent; no inline styles (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("tafel");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("tafel-teksten").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("tafel-kaart");
  var NEW = "#f2b705";
  var POLL_MS = 3000;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k] !== undefined ? values[k] : ""; });
  }
  function norm(s) { return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  var background = el("rect", {x: 0, y: 0, width: "100%", height: "100%", fill: "#ffffff"}, svg);
  var gEdges = el("g", {}, svg), gSpokes = el("g", {}, svg), gNodes = el("g", {}, svg);
  var gLabels = el("g", {"font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"}, svg);

  var S = {
    url: root.getAttribute("data-data-url"), data: null, etag: null, byId: {}, nodes: [], edges: [],
    level: "organisation", expanded: {}, hidden: {}, frame: null, maxFrame: null,
    focus: null, highlight: null, fresh: {}, selected: null, hover: null,
    view: {k: 1, x: 0, y: 0}, slides: [], slide: -1, playing: null
  };

  // -- data ------------------------------------------------------------------------------------
  function load(first) {
    var headers = {"Accept": "application/json"};
    if (S.etag && !first) { headers["If-None-Match"] = S.etag; }
    return fetch(S.url, {headers: headers, credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 304) { return null; }
      if (!r.ok) { throw new Error("data " + r.status); }
      S.etag = r.headers.get("ETag");
      return r.json();
    }).then(function (data) { if (data) { take(data, first); } });
  }

  function take(data, first) {
    var before = S.byId, added = [];
    S.data = data; S.byId = {}; S.nodes = data.nodes; S.edges = data.edges;
    data.nodes.forEach(function (n) {
      S.byId[n.id] = n;
      if (!first && !before[n.id]) { added.push(n); S.fresh[n.id] = Date.now(); }
    });
    var maxDeg = {organisation: 1, professional: 1, cluster: 1};
    data.nodes.forEach(function (n) { maxDeg[n.kind] = Math.max(maxDeg[n.kind] || 1, n.deg); });
    data.nodes.forEach(function (n) {
      var base = n.kind === "professional" ? 7 : 11;
      n.r = base + (n.kind === "professional" ? 6 : 15) * Math.sqrt(n.deg / maxDeg[n.kind]);
      n.rank = (n.kind === "professional" ? 0 : 1000) + n.deg * 10 + n.bc * 2000;
      var st = data.sectors[n.sector] || {colour: "#6B6B6B", shape: "circle"};
      n.colour = st.colour; n.shape = st.shape;
    });
    S.adj = {};
    data.edges.forEach(function (e) {
      (S.adj[e.from] = S.adj[e.from] || []).push(e.to);
      (S.adj[e.to] = S.adj[e.to] || []).push(e.from);
    });
    if (first && data.level === "professional") { S.level = "professional"; }
    timeline(first);
    legend();
    build();
    buildSlides();
    if (first) { fit(); } else { draw(); }
    if (added.length) {
      announce(T["new"] + added.slice(0, 6).map(function (n) { return n.label; }).join(", "));
      setTimeout(draw, 12000);
    }
  }

  // -- which nodes show --------------------------------------------------------------------------
  function inFrame(item) {
    return S.frame === null || (item.s !== null && item.s !== undefined && item.s <= S.frame);
  }
  function candidate(n) {  // shown at this level whatever the filters (fitting uses these)
    if (n.kind === "professional") { return S.level === "professional" || !!S.expanded[n.organisation]; }
    return S.level !== "professional";
  }
  function visible(n) { return candidate(n) && !S.hidden[n.sector] && inFrame(n); }

  function focusSet() {
    if (!S.focus) { return null; }
    var seen = {}, frontier = [S.focus.id];
    seen[S.focus.id] = true;
    for (var step = 0; step < S.focus.steps; step++) {
      var next = [];
      frontier.forEach(function (id) {
        (S.adj[id] || []).forEach(function (m) { if (!seen[m]) { seen[m] = true; next.push(m); } });
      });
      frontier = next;
    }
    return seen;
  }

  // -- building and drawing ------------------------------------------------------------------
  function shapePath(shape, r) {
    if (shape === "square") { var s = r * 0.88; return "M" + -s + " " + -s + "H" + s + "V" + s + "H" + -s + "Z"; }
    if (shape === "triangle") { return "M0 " + -1.25 * r + "L" + 1.1 * r + " " + 0.65 * r + "L" + -1.1 * r + " " + 0.65 * r + "Z"; }
    if (shape === "diamond") { return "M0 " + -1.25 * r + "L" + 1.25 * r + " 0L0 " + 1.25 * r + "L" + -1.25 * r + " 0Z"; }
    return "M" + r + " 0A" + r + " " + r + " 0 1 0 " + -r + " 0A" + r + " " + r + " 0 1 0 " + r + " 0Z";
  }

  function build() {
    [gEdges, gSpokes, gNodes, gLabels].forEach(function (g) { while (g.firstChild) { g.removeChild(g.firstChild); } });
    S.edges.forEach(function (e) {
      e.el = el("line", {"stroke": "#8a9699", "stroke-linecap": "round"}, gEdges);
    });
    S.nodes.forEach(function (n) {
      n.el = el("g", {"class": "knoop", "data-id": n.id, "tabindex": "-1"}, gNodes);
      n.ring = el("path", {d: shapePath(n.shape, n.r + 5), fill: "none", stroke: NEW, "stroke-width": 0}, n.el);
      n.body = el("path", {d: shapePath(n.shape, n.r), fill: n.colour, stroke: "#ffffff", "stroke-width": 2}, n.el);
      var title = el("title", {}, n.el);
      title.textContent = n.label + (n.orgLabel ? " (" + n.orgLabel + ")" : "");
      n.text = null;
      if (n.kind === "professional") { n.spoke = el("line", {"stroke": "#c3cbcd", "stroke-dasharray": "3 4"}, gSpokes); }
    });
  }

  var scheduled = false;
  function draw() {
    if (scheduled) { return; }
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; render(); });
  }

  function fontSize() { return Math.max(14, Math.min(24, window.innerWidth / 88)); }

  function render() {
    var v = S.view, W = svg.clientWidth, H = svg.clientHeight;
    var zoom = Math.max(0.8, Math.min(2.2, Math.sqrt(v.k / (S.fitK || v.k)))) *
      Math.max(0.5, Math.min(1, Math.min(W, H) / 900));
    var focus = focusSet(), hl = S.highlight, now = Date.now();
    var shown = {};
    S.nodes.forEach(function (n) {
      var vis = visible(n);
      shown[n.id] = vis;
      n.sx = n.x * v.k + v.x; n.sy = n.y * v.k + v.y;
      n.sr = n.r * zoom;
      if (!vis) { n.el.setAttribute("display", "none"); if (n.spoke) { n.spoke.setAttribute("display", "none"); } return; }
      n.el.removeAttribute("display");
      n.el.setAttribute("transform", "translate(" + n.sx.toFixed(1) + " " + n.sy.toFixed(1) + ") scale(" + zoom.toFixed(3) + ")");
      var dim = (focus && !focus[n.id]) || (hl && !hl[n.id]);
      n.dim = !!dim;
      n.el.setAttribute("opacity", dim ? 0.15 : 1);
      var isNew = (S.fresh[n.id] && now - S.fresh[n.id] < 12000) ||
        (S.frame !== null && S.frame > 0 && n.s === S.frame) || (hl && hl[n.id]) || S.selected === n.id;
      n.ring.setAttribute("stroke-width", isNew ? 5 : 0);
      n.ring.setAttribute("stroke", (hl && hl[n.id]) || S.selected === n.id ? "#000000" : NEW);
      if (n.spoke) {
        var org = S.byId["o" + n.organisation];
        if (org && shown[org.id] && S.level === "organisation") {
          n.spoke.removeAttribute("display");
          n.spoke.setAttribute("x1", org.sx); n.spoke.setAttribute("y1", org.sy);
          n.spoke.setAttribute("x2", n.sx); n.spoke.setAttribute("y2", n.sy);
          n.spoke.setAttribute("opacity", dim ? 0.15 : 1);
        } else { n.spoke.setAttribute("display", "none"); }
      }
    });
    S.edges.forEach(function (e) {
      var a = S.byId[e.from], b = S.byId[e.to];
      if (!a || !b || !shown[a.id] || !shown[b.id] || !inFrame(e)) { e.el.setAttribute("display", "none"); return; }
      e.el.removeAttribute("display");
      e.el.setAttribute("x1", a.sx.toFixed(1)); e.el.setAttribute("y1", a.sy.toFixed(1));
      e.el.setAttribute("x2", b.sx.toFixed(1)); e.el.setAttribute("y2", b.sy.toFixed(1));
      var isNew = S.frame !== null && S.frame > 0 && e.s === S.frame;
      var w = e.kind === "organisation" ? 1.5 + Math.min(7, Math.sqrt(e.w || 1) * 1.6) : 1.5;
      e.el.setAttribute("stroke-width", (isNew ? w + 2 : w).toFixed(1));
      e.el.setAttribute("stroke", isNew ? NEW : "#8a9699");
      var dim = (focus && !(focus[a.id] && focus[b.id])) || (hl && !(hl[a.id] || hl[b.id]));
      e.el.setAttribute("opacity", dim ? 0.08 : 0.75);
    });
    labels(W, H, shown);
  }

  // Greedy label placement: most important first, four places tried around each node, a label
  // only where it overlaps no placed label and no other node; the rest show on hover or tap.
  var measure = document.createElement("canvas").getContext("2d");
  var widths = {};
  function textWidth(text, size, weight) {
    var key = weight + size + "|" + text;
    if (widths[key] === undefined) {
      measure.font = weight + " " + size + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      widths[key] = measure.measureText(text).width;
    }
    return widths[key];
  }

  function labels(W, H, shown) {
    var F = fontSize(), cell = 96, grid = {};
    function cells(b, fn) {
      for (var gx = Math.floor(b.x / cell); gx <= Math.floor((b.x + b.w) / cell); gx++) {
        for (var gy = Math.floor(b.y / cell); gy <= Math.floor((b.y + b.h) / cell); gy++) {
          if (fn(gx + ":" + gy) === false) { return false; }
        }
      }
      return true;
    }
    function add(b) { cells(b, function (key) { (grid[key] = grid[key] || []).push(b); }); }
    function free(b) {
      return cells(b, function (key) {
        var list = grid[key] || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (o.owner !== b.owner && b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) { return false; }
        }
      });
    }
    var box = svg.getBoundingClientRect();
    Array.prototype.forEach.call(root.querySelectorAll(".tafel-balk, .tafel-legenda, .tafel-tijdlijn, .tafel-zoom, .tafel-paneel, .tafel-verhaal, .tafel-qr"), function (o) {
      if (o.hidden || !o.offsetParent) { return; }
      var r = o.getBoundingClientRect();
      add({x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height, owner: "overlay"});
    });
    var order = [];
    S.nodes.forEach(function (n) {
      if (!shown[n.id]) { if (n.text) { n.text.setAttribute("display", "none"); } return; }
      add({x: n.sx - n.sr - 2, y: n.sy - n.sr - 2, w: 2 * n.sr + 4, h: 2 * n.sr + 4, owner: n.id});
      order.push(n);
    });
    var hl = S.highlight;
    function priority(n) {
      if (n.id === S.hover || n.id === S.selected) { return 1e9; }
      return (hl && hl[n.id] ? 1e6 : 0) + (n.dim ? -1e6 : 0) + n.rank;
    }
    order.sort(function (a, b) { return priority(b) - priority(a); });
    S.placed = [];
    order.forEach(function (n) {
      var forced = n.id === S.hover || n.id === S.selected;
      var size = n.kind === "professional" ? Math.max(18, F * 0.86) : F;
      if (window.innerWidth < 700) { size = n.kind === "professional" ? 13 : 15; }
      var weight = n.kind === "professional" ? "400" : "600";
      var w = textWidth(n.label, size, weight), h = size * 1.2, gap = 4;
      var spots = [
        {x: n.sx + n.sr + gap, y: n.sy - h / 2, a: "start"},
        {x: n.sx - n.sr - gap - w, y: n.sy - h / 2, a: "end"},
        {x: n.sx - w / 2, y: n.sy + n.sr + gap, a: "middle"},
        {x: n.sx - w / 2, y: n.sy - n.sr - gap - h, a: "middle"},
        {x: n.sx + n.sr * 0.7, y: n.sy - n.sr - h, a: "start"},
        {x: n.sx + n.sr * 0.7, y: n.sy + n.sr, a: "start"},
        {x: n.sx - n.sr * 0.7 - w, y: n.sy - n.sr - h, a: "end"},
        {x: n.sx - n.sr * 0.7 - w, y: n.sy + n.sr, a: "end"}
      ];
      var chosen = null;
      if (!n.dim || forced) {
        for (var i = 0; i < spots.length; i++) {
          var b = {x: spots[i].x, y: spots[i].y, w: w, h: h, owner: n.id};
          if (b.x < 0 || b.y < 0 || b.x + w > W || b.y + h > H) { continue; }
          if (forced || free(b)) { chosen = spots[i]; add(b); break; }
        }
        if (!chosen && forced) { chosen = spots[0]; }
      }
      if (!chosen) { if (n.text) { n.text.setAttribute("display", "none"); } return; }
      if (!n.text) {
        n.text = el("text", {"paint-order": "stroke", "stroke": "#ffffff", "stroke-width": 5,
                              "stroke-linejoin": "round", "fill": "#111111", "dominant-baseline": "central"}, gLabels);
        n.text.textContent = n.label;
      }
      n.text.removeAttribute("display");
      n.text.setAttribute("font-size", size.toFixed(1));
      n.text.setAttribute("font-weight", weight);
      n.text.setAttribute("x", (chosen.x).toFixed(1));
      n.text.setAttribute("y", (chosen.y + h / 2).toFixed(1));
      n.text.setAttribute("text-anchor", "start");
      n.text.setAttribute("opacity", n.dim && !forced ? 0.3 : 1);
      S.placed.push({id: n.id, x: chosen.x, y: chosen.y, w: w, h: h, size: size});
    });
  }

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

  load(true).then(function () { root.setAttribute("data-drawn", "1"); poll(); }).catch(function () {
    announce("De kaart kon niet geladen worden.");
  });
  window.netwerkTafel = S;  // for the browser tests and the bench
}());
