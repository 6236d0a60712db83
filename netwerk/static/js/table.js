/* The facilitator's table (/netwerk/tafel), part 1 of 3: the data and the drawing. Loads
   /netwerk/data.json (compact, decoded here), draws it as SVG with the stored positions and
   places labels greedily without overlap (the names that matter first, the rest on hover or
   tap), and sets data-drawn="1" and the performance mark "tafel-drawn" once drawn.
   table-view.js (part 2) adds fit, zoom, pan, fly, the panel, find, legend and timeline;
   table-story.js (part 3) the showcase, live polling, export and the controls, and starts it.
   The parts share window.netwerkTafelParts; loaded in that order with plain script tags.
   Every text goes in with textContent; no inline styles (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("tafel");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("tafel-teksten").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("tafel-kaart");
  var NEW = "#f2b705";
  var P = window.netwerkTafelParts = {};  // shared with table-view.js and table-story.js

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

  // The compact answer (format 2: short keys, edges as [i, j, w, s] with indexes into nodes, a
  // node's kind told by its id) becomes the objects the page works with; an answer of
  // format 1 (one object per edge) is taken as it is.
  var KINDS = {o: "organisation", p: "professional", c: "cluster"};
  function decode(data) {
    if (data.format !== 2) { return; }
    var orgLabels = {};
    data.nodes = data.nodes.map(function (c) {
      var kind = KINDS[c.id.charAt(0)] || "organisation";
      var n = {id: c.id, label: c.label, x: c.x, y: c.y, kind: kind, sector: c.sec, deg: c.deg || 0,
               bc: c.bc || 0, s: c.s === undefined ? null : c.s, people: c.n || 0, role: c.role || "",
               organisation: kind === "professional" ? c.org : (kind === "organisation" ? parseInt(c.id.slice(1), 10) : null)};
      if (kind === "organisation") { orgLabels[n.organisation] = n.label; }
      return n;
    });
    data.nodes.forEach(function (n) { if (n.kind === "professional") { n.orgLabel = orgLabels[n.organisation] || ""; } });
    data.edges = data.edges.map(function (e) {
      var a = data.nodes[e[0]], b = data.nodes[e[1]];
      return {from: a.id, to: b.id, kind: a.kind === "professional" && b.kind === "professional" ? "professional" : "organisation",
              w: e.length > 2 ? e[2] : 1, s: e.length > 3 ? e[3] : null};
    });
  }

  function take(data, first) {
    var before = S.byId, added = [];
    decode(data);
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
    P.timeline(first);
    P.legend();
    build();
    P.buildSlides();
    if (first) { P.fit(); } else { draw(); }
    if (added.length) {
      P.announce(T["new"] + added.slice(0, 6).map(function (n) { return n.label; }).join(", "));
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
    // lines and spokes are made when first shown (at the professionals level the lines
    // between organisations never are, at the organisations level the ties between people)
    S.edges.forEach(function (e) { e.el = null; });
    S.nodes.forEach(function (n) {
      n.el = el("g", {"class": "knoop", "data-id": n.id, "tabindex": "-1"}, gNodes);
      n.ring = el("path", {d: shapePath(n.shape, n.r + 5), fill: "none", stroke: NEW, "stroke-width": 0}, n.el);
      n.body = el("path", {d: shapePath(n.shape, n.r), fill: n.colour, stroke: "#ffffff", "stroke-width": 2}, n.el);
      var title = el("title", {}, n.el);
      title.textContent = n.label + (n.orgLabel ? " (" + n.orgLabel + ")" : "");
      n.text = null;
      n.spoke = null;
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
      if (n.kind === "professional") {
        var org = S.byId["o" + n.organisation];
        if (org && shown[org.id] && S.level === "organisation") {
          if (!n.spoke) { n.spoke = el("line", {"stroke": "#c3cbcd", "stroke-dasharray": "3 4"}, gSpokes); }
          n.spoke.removeAttribute("display");
          n.spoke.setAttribute("x1", org.sx); n.spoke.setAttribute("y1", org.sy);
          n.spoke.setAttribute("x2", n.sx); n.spoke.setAttribute("y2", n.sy);
          n.spoke.setAttribute("opacity", dim ? 0.15 : 1);
        } else if (n.spoke) { n.spoke.setAttribute("display", "none"); }
      }
    });
    S.edges.forEach(function (e) {
      var a = S.byId[e.from], b = S.byId[e.to];
      if (!a || !b || !shown[a.id] || !shown[b.id] || !inFrame(e)) { if (e.el) { e.el.setAttribute("display", "none"); } return; }
      if (!e.el) { e.el = el("line", {"stroke": "#8a9699", "stroke-linecap": "round"}, gEdges); }
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
    if (S.data && !S.drawnAt) {  // the first drawing of the data: for the tests and the bench
      S.drawnAt = performance.now();
      if (performance.mark) { performance.mark("tafel-drawn"); }
      root.setAttribute("data-drawn", "1");
    }
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


  P.S = S; P.T = T; P.root = root; P.svg = svg; P.el = el; P.fmt = fmt; P.norm = norm;
  P.load = load; P.inFrame = inFrame; P.candidate = candidate; P.visible = visible;
  P.focusSet = focusSet; P.shapePath = shapePath; P.draw = draw; P.render = render;
  window.netwerkTafel = S;  // for the browser tests and the bench
}());
