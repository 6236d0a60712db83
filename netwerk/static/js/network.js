/* netwerk: draws the network maps of a page with vis-network (served by the app).
 *
 * Each map is a <div class="netwerk-kaart" data-island="ID"> whose data lives in
 * <script type="application/json" id="ID"> (pyvis's nodes, edges and options, HTML-escaped by
 * the server). Everything taken from the data is written with textContent, never innerHTML:
 * a label such as <img src=x onerror=alert(1)> stays text. After the first drawing the
 * container carries data-drawn="1" and data-node-count / data-edge-count.
 */
(function () {
  "use strict";

  var T = {
    line: "lijn", lines: "lijnen", ties: "persoonlijke lijntjes", members: "in dit cluster",
    betweenness: "tussenpositie", focus1: "Focus: 1 stap", focus2: "Focus: 2 stappen",
    empty: "Geen knooppunten in deze selectie.", tieCount: "lijntje(s)"
  };
  var texts = document.getElementById("kaart-teksten");
  if (texts) { T = Object.assign(T, JSON.parse(texts.textContent)); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeTel(href) {
    return /^tel:\+[0-9]{6,15}$/.test(href || "") ? href : null;
  }

  function safePath(href) {
    return /^\/[a-z]+\/[0-9]+$/.test(href || "") ? href : null;
  }

  function tooltip(text) {
    var box = el("div", "kaart-tooltip", text);
    return box;
  }

  function focusLink(base, nodeId, steps, text) {
    var url = new URL(base, window.location.href);
    url.searchParams.set("focus", nodeId);
    url.searchParams.set("stappen", String(steps));
    var a = el("a", "chip", text);
    a.href = url.pathname + url.search;
    return a;
  }

  function showPanel(panel, node) {
    if (!panel) { return; }
    var info = node.info || {};
    panel.textContent = "";
    var title = el("h2", "panel-title");
    var orgPath = safePath(info.url);
    if (orgPath) {
      var link = el("a", null, node.label);
      link.href = orgPath;
      title.appendChild(link);
    } else {
      title.textContent = node.label;
    }
    panel.appendChild(title);
    var sub = el("p", "muted small", node.sectorName || "");
    if (info.organisation) { sub.textContent = info.role ? info.role + " · " + info.organisation : info.organisation; }
    panel.appendChild(sub);
    var numbers = el("ul", "numbers");
    numbers.appendChild(el("li", null, info.lines + " " + (info.lines === 1 ? T.line : T.lines)));
    if (info.ties !== info.lines) { numbers.appendChild(el("li", null, info.ties + " " + T.ties)); }
    if (info.members) { numbers.appendChild(el("li", null, info.members + " " + T.members)); }
    numbers.appendChild(el("li", null, T.betweenness + " " + Number(info.betweenness || 0).toFixed(2)));
    panel.appendChild(numbers);
    var people = info.people || [];
    if (people.length) {
      var list = el("ul", "list panel-people");
      people.forEach(function (p) {
        var item = el("li");
        var name = el("a", "name", p.name);
        var path = safePath(p.url);
        if (path) { name.href = path; }
        item.appendChild(name);
        if (p.role) { item.appendChild(el("div", "meta", p.role)); }
        var tel = safeTel(p.tel);
        if (tel) {
          var call = el("a", "call", p.phone);
          call.href = tel;
          item.appendChild(call);
        }
        list.appendChild(item);
      });
      panel.appendChild(list);
    }
    var base = panel.getAttribute("data-focus-base");
    if (base) {
      var links = el("p", "actions");
      links.appendChild(focusLink(base, node.id, 1, T.focus1));
      links.appendChild(focusLink(base, node.id, 2, T.focus2));
      panel.appendChild(links);
    }
  }

  function draw(container) {
    var island = document.getElementById(container.getAttribute("data-island"));
    if (!island || typeof vis === "undefined") { return; }
    var data = JSON.parse(island.textContent);
    var byId = {};
    var nodes = data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      copy.title = tooltip(n.tooltip || n.label);
      byId[n.id] = n;
      return copy;
    });
    var edges = data.edges.map(function (e, i) {
      var copy = Object.assign({ id: "e" + i }, e);
      copy.title = tooltip(e.tooltip + " " + T.tieCount);
      return copy;
    });
    var panel = document.getElementById("paneel");
    function done() {
      container.setAttribute("data-node-count", String(nodes.length));
      container.setAttribute("data-edge-count", String(edges.length));
      container.setAttribute("data-drawn", "1");
    }
    if (!nodes.length) {
      container.appendChild(el("p", "muted empty-map", T.empty));
      done();
      return;
    }
    var network = new vis.Network(container, {
      nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)
    }, data.options || {});
    // vis-network fits a map at most at its own size (zoom 1): on a projector's wide canvas a
    // small network stayed small, its labels hard to read from the back of the room.
    network.fit({ animation: false, maxZoomLevel: 2 });
    network.once("afterDrawing", done);
    function open(params) {
      if (params.nodes && params.nodes.length) { showPanel(panel, byId[params.nodes[0]]); }
    }
    network.on("click", open);
    // A long press opens it too: on a phone people hold a finger on a node, and a tap that a
    // busy page timed as longer than vis-network's 250 ms counts as a hold, not a click.
    network.on("hold", open);
    container.netwerkNetwork = network;
    networks.push(network);
  }

  var networks = [];
  window.addEventListener("beforeprint", function () {
    networks.forEach(function (network) {
      network.redraw();
      network.fit({ animation: false, maxZoomLevel: 2 });
    });
  });

  function downloadPng(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    var canvas = target && target.querySelector("canvas");
    if (!canvas) { return; }
    var copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    var link = document.createElement("a");
    link.download = button.getAttribute("data-filename") || "netwerk.png";
    link.href = copy.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) { return; }
    if (button.getAttribute("data-action") === "png") { downloadPng(button); }
    if (button.getAttribute("data-action") === "print") { window.print(); }
  });

  Array.prototype.forEach.call(document.querySelectorAll(".netwerk-kaart"), draw);
}());
