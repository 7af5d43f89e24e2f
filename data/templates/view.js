// The page script of a ufgraph network view. Everything taken from reports
// arrives as JSON and is put into the page with textContent only, so a name
// such as "<script>" shows as text and never runs.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("ufgraph-data").textContent);
  var container = document.getElementById("network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  // The network starts empty so the handlers below are in place before the
  // data arrives and the layout starts.
  var network = new vis.Network(container, {}, data.options);
  var state = window.ufgraph = {
    data: data, network: network, nodes: nodes, edges: edges, stable: false, stableAt: null
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // ---- physics: settle, then stop, so the picture is still and dragging stays cheap
  function markStillOnNextDraw() {
    network.once("afterDrawing", function () {
      state.stable = true;
      state.stableAt = performance.now();
      document.body.setAttribute("data-stable", "true");
    });
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markStillOnNextDraw();
      network.redraw();
    });
  } else {
    markStillOnNextDraw();
  }
  network.setData({ nodes: nodes, edges: edges });
  if (!data.options.physics.enabled) network.fit();

  // ---- hover boxes, built from plain data
  function hoverBox(h) {
    var box = el("div", null, "hover");
    box.appendChild(el("div", h.head, "hover-head"));
    h.rows.forEach(function (row) {
      var line = el("div", null, "hover-row");
      line.appendChild(el("span", row[0] + ": ", "hover-key"));
      line.appendChild(el("span", row[1]));
      box.appendChild(line);
    });
    h.quotes.forEach(function (q) { box.appendChild(el("blockquote", q)); });
    if (h.reports.length) {
      var list = el("ul");
      h.reports.forEach(function (r) { list.appendChild(el("li", r)); });
      box.appendChild(list);
    }
    return box;
  }

  var tooltip = document.getElementById("tooltip");
  function showTip(h, pointer) {
    tooltip.replaceChildren(hoverBox(h));
    tooltip.hidden = false;
    var frame = container.getBoundingClientRect();
    var x = frame.left + pointer.x + 14, y = frame.top + pointer.y + 14;
    var w = tooltip.offsetWidth, hgt = tooltip.offsetHeight;
    tooltip.style.left = Math.max(4, Math.min(x, window.innerWidth - w - 8)) + "px";
    tooltip.style.top = Math.max(4, Math.min(y, window.innerHeight - hgt - 8)) + "px";
  }
  function hideTip() { tooltip.hidden = true; }
  network.on("hoverNode", function (p) { showTip(nodes.get(p.node).hover, p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(edges.get(p.edge).hover, p.pointer.DOM); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (e) { network.on(e, hideTip); });

  // ---- details of the selected node
  var details = document.getElementById("details");
  function showDetails(id) {
    var item = nodes.get(id);
    if (!item) return;
    document.getElementById("detail-body").replaceChildren(hoverBox(item.hover));
    details.hidden = false;
  }
  network.on("selectNode", function (p) { showDetails(p.nodes[0]); });

  // ---- legend with a checkbox per node type
  var hiddenTypes = new Set();
  function applyTypeFilter() {
    var nodeChanges = [], hiddenIds = new Set();
    nodes.forEach(function (n) {
      var hide = hiddenTypes.has(n.kind);
      if (hide) hiddenIds.add(n.id);
      if (Boolean(n.hidden) !== hide) nodeChanges.push({ id: n.id, hidden: hide });
    });
    var edgeChanges = [];
    edges.forEach(function (e) {
      var hide = hiddenIds.has(e.from) || hiddenIds.has(e.to);
      if (Boolean(e.hidden) !== hide) edgeChanges.push({ id: e.id, hidden: hide });
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
  }
  var typeList = document.getElementById("type-list");
  data.types.forEach(function (t) {
    var row = el("label", null, "type-row");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t.type);
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(t.type); else hiddenTypes.add(t.type);
      applyTypeFilter();
    });
    var swatch = el("span", null, "swatch shape-" + t.shape);
    swatch.style.background = t.color;
    row.appendChild(box);
    row.appendChild(swatch);
    row.appendChild(el("span", t.type));
    row.appendChild(el("span", "(" + t.count + ")", "count"));
    typeList.appendChild(row);
  });
  var relList = document.getElementById("rel-list");
  data.rels.forEach(function (r) { relList.appendChild(el("li", r[0] + " (" + r[1] + ")")); });

  // ---- search by name or alias
  var index = data.nodes.map(function (n) {
    return { id: n.id, name: n.label, kind: n.kind, keys: n.names.map(function (s) { return s.toLowerCase(); }) };
  });
  function rank(entry, q) {
    if (entry.keys.indexOf(q) >= 0) return 0;
    if (entry.keys.some(function (k) { return k.indexOf(q) === 0; })) return 1;
    return entry.keys.some(function (k) { return k.indexOf(q) >= 0; }) ? 2 : -1;
  }
  function findNodes(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    return index.map(function (e) { return { e: e, r: rank(e, q) }; })
      .filter(function (x) { return x.r >= 0; })
      .sort(function (a, b) { return a.r - b.r || a.e.name.localeCompare(b.e.name); })
      .slice(0, 20).map(function (x) { return x.e; });
  }
  function focusNode(id) {
    var item = nodes.get(id);
    if (item && item.hidden) {
      hiddenTypes.delete(item.kind);
      var box = typeList.querySelector('input[data-type="' + CSS.escape(item.kind) + '"]');
      if (box) box.checked = true;
      applyTypeFilter();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 300 } });
    showDetails(id);
  }
  state.focusNode = focusNode;
  state.findNodes = findNodes;
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  search.addEventListener("input", function () {
    results.replaceChildren();
    if (!search.value.trim()) return;
    var hits = findNodes(search.value);
    if (!hits.length) results.appendChild(el("li", "no match", "none"));
    hits.forEach(function (h) {
      var button = el("button", h.name);
      button.type = "button";
      button.appendChild(el("span", h.kind, "kind"));
      button.addEventListener("click", function () { focusNode(h.id); });
      var item = el("li");
      item.appendChild(button);
      results.appendChild(item);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var hits = findNodes(search.value);
    if (hits.length) focusNode(hits[0].id);
  });

  // ---- summary and what was left out
  var summary = count(data.stats.nodes, "node") + ", " + count(data.stats.edges, "link") + " shown";
  var filters = data.filters.map(function (f) { return f[0] + ": " + f[1]; }).join(" · ");
  document.getElementById("summary").textContent = summary + (filters ? " — " + filters : "");
  var leftOut = document.getElementById("left-out-list");
  function count(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  data.leftOut.forEach(function (r) {
    var item = el("li", count(r.count, "node") + ": " + r.reason + " ");
    var byType = r.byType.map(function (t) { return t[0] + " " + t[1]; }).join(", ");
    item.appendChild(el("span", "(" + byType + ")", "by-type"));
    leftOut.appendChild(item);
  });
  data.edgesLeftOut.forEach(function (r) { leftOut.appendChild(el("li", count(r[1], "link") + ": " + r[0])); });
  if (!leftOut.children.length) leftOut.appendChild(el("li", "nothing"));

  // ---- the focus of the view starts selected, its details shown
  if (data.focus.length) {
    network.selectNodes(data.focus);
    showDetails(data.focus[0]);
  }
})();
