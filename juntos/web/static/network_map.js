/* Network map explorer: draws /network/graph.json with sigma.js (WebGL) over graphology.
 * Positions come from the server (no physics on load). Everything else is progressive
 * enhancement: the filter and path forms work without this file (server-rendered SVG). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.Sigma || !window.graphology) return;
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1f6f8b", "#8cd17d"];
  var STANCE = { ally: "#9fcf97", neutral: "#cfcfcf", opponent: "#f0a3a4", "": "#dddddd" };
  var query = new URLSearchParams(el.dataset.query || "");
  var colourBy = el.dataset.colour || "community";
  var panel = document.getElementById("panel");
  var highlighted = null;
  var graph, renderer, data;

  document.querySelectorAll(".js-only").forEach(function (n) { n.hidden = false; });
  el.classList.add("loading");
  el.setAttribute("aria-busy", "true");

  function colour(node, i) {
    if (colourBy === "imported") return (data.colours && data.colours[i]) || "#999999";
    if (colourBy === "kind") return PALETTE[node[5] % PALETTE.length];
    if (colourBy === "country") return PALETTE[node[6] % PALETTE.length];
    return node[4] < 0 ? "#999999" : PALETTE[node[4] % PALETTE.length];
  }

  fetch("/network/graph.json?" + query.toString(), { headers: { accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(draw);

  function draw(json) {
    data = json;
    graph = new graphology.MultiGraph();
    json.nodes.forEach(function (n, i) {
      graph.addNode(n[0], { label: n[1], x: n[2], y: -n[3], size: n[9], color: colour(n, i) });
    });
    json.edges.forEach(function (e, i) {
      graph.addEdgeWithKey("e" + i, json.nodes[e[0]][0], json.nodes[e[1]][0], {
        color: STANCE[json.stances[e[3]]] || "#dddddd", size: 0.6, kind: json.tie_kinds[e[2]]
      });
    });
    el.innerHTML = "";
    renderer = new Sigma(graph, el, {
      labelRenderedSizeThreshold: 9, // labels appear only when zoomed in enough
      defaultEdgeType: "line", zIndex: true, minCameraRatio: 0.02, maxCameraRatio: 4,
      hideEdgesOnMove: json.edges.length > 5000, // keep panning smooth on large maps
      nodeReducer: function (node, attrs) {
        if (!highlighted) return attrs;
        if (highlighted.has(node)) return Object.assign({}, attrs, { highlighted: true, zIndex: 1, forceLabel: true });
        return Object.assign({}, attrs, { color: "#e4e4e4", label: "", zIndex: 0 });
      },
      edgeReducer: function (edge, attrs) {
        if (!highlighted) return attrs;
        var ends = graph.extremities(edge);
        if (highlighted.has(ends[0]) && highlighted.has(ends[1]) && highlighted.pathEdge(ends[0], ends[1])) {
          return Object.assign({}, attrs, { color: "#111111", size: 3, zIndex: 1 });
        }
        return Object.assign({}, attrs, { hidden: true });
      }
    });
    renderer.on("clickNode", function (e) { openPanel(e.node); });
    el.classList.remove("loading");
    el.removeAttribute("aria-busy");
    el.dataset.nodes = String(graph.order);
    el.dataset.edges = String(graph.size);
    el.dataset.ready = "1";
    if (query.get("from") && query.get("to")) highlightPath(query.get("from"), query.get("to"));
    if (query.get("actor")) openPanel(query.get("actor"));
  }

  function setHighlight(nodes, pairs) {
    if (!nodes) { highlighted = null; renderer.refresh(); return; }
    var set = new Set(nodes);
    set.pathEdge = function (a, b) { return pairs.has(a + "\u0000" + b) || pairs.has(b + "\u0000" + a); };
    highlighted = set;
    renderer.refresh();
  }

  function highlightPath(from, to) {
    var url = "/network/path.json?" + new URLSearchParams({ from: from, to: to }).toString();
    fetch(url, { headers: { accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (p) {
      var nodes = (p.strongest || []).filter(function (s) { return graph.hasNode(s); });
      var pairs = new Set();
      for (var i = 0; i + 1 < nodes.length; i++) pairs.add(nodes[i] + "\u0000" + nodes[i + 1]);
      el.dataset.path = nodes.join(" ");
      setHighlight(nodes.length ? nodes : null, pairs);
    });
  }

  function text(tag, content, cls) {
    var n = document.createElement(tag);
    n.textContent = content;
    if (cls) n.className = cls;
    return n;
  }

  function openPanel(slug) {
    if (!graph.hasNode(slug)) return;
    var url = new URL(window.location.href);
    url.searchParams.set("actor", slug);
    history.replaceState(null, "", url);
    fetch("/network/actors/" + encodeURIComponent(slug) + ".json", { headers: { accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (info) {
        panel.innerHTML = "";
        var a = info.actor, m = info.metrics;
        panel.appendChild(text("h2", a.name + (a.acronym ? " (" + a.acronym + ")" : "")));
        panel.appendChild(text("p", [a.kind, a.country, a.city].filter(Boolean).join(" · ")));
        if (a.themes.length) panel.appendChild(text("p", a.themes.join(", ")));
        var dl = document.createElement("dl");
        dl.className = "facts";
        [["degree", m.degree], ["betweenness", m.betweenness + (info.betweenness_exact ? "" : " ≈")],
         ["pagerank", m.pagerank], ["constraint", m.constraint === null ? "" : m.constraint],
         ["k-core", m.core], ["community", m.community]].forEach(function (row) {
          dl.appendChild(text("dt", row[0]));
          dl.appendChild(text("dd", String(row[1])));
        });
        panel.appendChild(dl);
        var list = document.createElement("ul");
        info.ties.slice(0, 60).forEach(function (t) {
          var li = document.createElement("li");
          var link = text("a", t.other.name);
          link.href = "/network/actors/" + encodeURIComponent(t.other.slug);
          li.appendChild(text("span", t.kind + (t.directed ? (t.outgoing ? " → " : " ← ") : " — ")));
          li.appendChild(link);
          if (t.stance) li.appendChild(text("span", " (" + t.stance + ")", "muted"));
          list.appendChild(li);
        });
        panel.appendChild(list);
        if (info.campaigns.length) {
          var campaigns = document.createElement("ul");
          info.campaigns.forEach(function (c) {
            var li = document.createElement("li");
            var link = text("a", c.title);
            link.href = "/campaigns/" + encodeURIComponent(c.slug);
            li.appendChild(link);
            li.appendChild(text("span", " (" + c.role + ")", "muted"));
            campaigns.appendChild(li);
          });
          panel.appendChild(campaigns);
        }
        var focus = text("a", "⊙ " + slug);
        focus.href = "/network?focus=" + encodeURIComponent(slug);
        focus.className = "button secondary";
        panel.appendChild(focus);
        panel.hidden = false;
        panel.dataset.slug = slug;
        var ego = [slug].concat(graph.neighbors(slug));
        var pairs = new Set();
        graph.neighbors(slug).forEach(function (n) { pairs.add(slug + "\u0000" + n); });
        if (!query.get("from")) setHighlight(ego, pairs);
      });
  }

  function search() {
    var input = document.getElementById("map-search");
    var wanted = (input.value || "").trim().toLowerCase();
    if (!wanted || !graph) return;
    var found = null;
    graph.forEachNode(function (node, attrs) {
      if (found) return;
      if (node === wanted || (attrs.label || "").toLowerCase().indexOf(wanted) !== -1) found = node;
    });
    if (!found) { input.setCustomValidity("?"); input.reportValidity(); return; }
    input.setCustomValidity("");
    var pos = renderer.getNodeDisplayData(found);
    renderer.getCamera().animate({ x: pos.x, y: pos.y, ratio: 0.25 }, { duration: 300 });
    openPanel(found);
  }

  var go = document.getElementById("map-search-go");
  if (go) go.addEventListener("click", search);
  var box = document.getElementById("map-search");
  if (box) box.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); search(); } });
  // Filters apply at once: the form is a GET, so the URL keeps the state of the view.
  var filters = document.getElementById("map-filters");
  if (filters) filters.addEventListener("change", function () { filters.requestSubmit(); });
})();
