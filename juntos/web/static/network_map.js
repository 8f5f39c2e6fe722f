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
  // Above these sizes the map is drawn with less detail (see draw).
  var LARGE_NODES = 2000, LARGE_EDGES = 5000;
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

  function load() {
    // The page names the version of the map it shows: that URL's body never changes, so a
    // warm visit draws from the browser's cache without a request (see the view's headers).
    var wanted = new URLSearchParams(query);
    ["actor", "view", "v"].forEach(function (k) { wanted.delete(k); });
    if (el.dataset.graphVersion) wanted.set("v", el.dataset.graphVersion);
    return fetch("/network/graph.json?" + wanted.toString(), { headers: { accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(draw);
  }
  load();

  function draw(json) {
    data = json;
    relaxStop("stopped");
    if (renderer) { renderer.kill(); renderer = null; }
    highlighted = null;
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
    // Level of detail: on large maps the camera moves over the nodes alone (ties and labels
    // come back when it stops), nodes are drawn as plain points (the cheapest WebGL program;
    // phones and machines without a GPU draw with the CPU), fewer labels are placed and nodes
    // are not sorted by zIndex on every refresh.
    var large = json.nodes.length > LARGE_NODES || json.edges.length > LARGE_EDGES;
    var programs = Sigma.rendering || {};
    renderer = new Sigma(graph, el, {
      labelRenderedSizeThreshold: large ? 12 : 9, // labels appear only when zoomed in enough
      labelDensity: large ? 0.5 : 1, labelGridCellSize: large ? 150 : 100,
      defaultEdgeType: "line", zIndex: !large, minCameraRatio: 0.02, maxCameraRatio: 4,
      hideEdgesOnMove: large, hideLabelsOnMove: large,
      nodeProgramClasses: large && programs.NodePointProgram ? { circle: programs.NodePointProgram } : {},
      edgeProgramClasses: large && programs.EdgeLineProgram ? { line: programs.EdgeLineProgram } : {},
      nodeReducer: function (node, attrs) {
        if (!highlighted) return attrs;
        if (highlighted.has(node)) return Object.assign({}, attrs, { highlighted: true, zIndex: 1, forceLabel: true });
        return Object.assign({}, attrs, { color: "#e4e4e4", label: "", zIndex: 0 });
      },
      edgeReducer: function (edge, attrs) {
        if (relax && relax.large) return Object.assign({}, attrs, { hidden: true });
        if (!highlighted) return attrs;
        var ends = graph.extremities(edge);
        if (highlighted.has(ends[0]) && highlighted.has(ends[1]) && highlighted.pathEdge(ends[0], ends[1])) {
          return Object.assign({}, attrs, { color: "#111111", size: 3, zIndex: 1 });
        }
        return Object.assign({}, attrs, { hidden: true });
      }
    });
    // Hover picking reads a pixel back from WebGL (gl.readPixels), which waits for the GPU to
    // finish drawing: without a GPU that stalls the main thread on every mouse move of a drag.
    // While the camera moves nothing is picked; it resumes once the map is still.
    var pick = renderer.getNodeAtPosition.bind(renderer), captor = renderer.getMouseCaptor();
    function moving() {
      return captor.isMouseDown || captor.isMoving || captor.draggedEvents || renderer.getCamera().isAnimated();
    }
    renderer.getNodeAtPosition = function (pos) { return moving() ? null : pick(pos); };
    // Nor are the nodes drawn a second time into the picking buffer while it moves: the frame
    // drawn when it stops does it (one is drawn if sigma does not).
    var stale = false;
    Object.keys(renderer.nodePrograms || {}).forEach(function (type) {
      var program = renderer.nodePrograms[type], render = program.render, picking = program.pickProgram;
      program.render = function (params) {
        stale = moving();
        program.pickProgram = stale ? null : picking;
        try { return render.call(program, params); } finally { program.pickProgram = picking; }
      };
    });
    // When a drag ends sigma refreshes everything (every node and tie through the reducers,
    // some 40 ms at 5,000 actors) only to bring the ties hidden while moving back: a redraw
    // does that. This file's own refreshes pass options ({} is the same full refresh).
    var refreshAll = renderer.refresh.bind(renderer);
    renderer.refresh = function (options) { return options ? refreshAll(options) : renderer.scheduleRender(); };
    var current = renderer;
    function repick() {
      if (!stale || renderer !== current) return;
      if (moving()) setTimeout(repick, 100); else renderer.scheduleRender();
    }
    renderer.on("afterRender", function () { if (stale) setTimeout(repick, 100); });
    renderer.on("clickNode", function (e) { openPanel(e.node); });
    renderer.on("clickStage", closePanel);
    // The camera (zoom and pan) is part of the view's state in the URL, so a shared link
    // opens on the same part of the map.
    var camera = renderer.getCamera();
    var cameraTimer = 0;
    camera.on("updated", function (state) {
      clearTimeout(cameraTimer);
      cameraTimer = setTimeout(function () {
        var value = [state.x, state.y, state.ratio].map(function (v) { return v.toFixed(4); }).join(",");
        el.dataset.camera = value;
        setParam("view", value === "0.5000,0.5000,1.0000" || value === fitView ? "" : value);
      }, 300);
    });
    var wanted = (query.get("view") || "").split(",").map(Number);
    if (wanted.length === 3 && wanted.every(isFinite) && wanted[2] > 0) {
      camera.setState({ x: wanted[0], y: wanted[1], ratio: wanted[2] });
    } else if (graph.order > 1) {
      fit(camera);
    }
    fitted();
    el.classList.remove("loading");
    el.removeAttribute("aria-busy");
    el.dataset.nodes = String(graph.order);
    el.dataset.edges = String(graph.size);
    el.dataset.ready = "1";
    if (query.get("from") && query.get("to")) highlightPath(query.get("from"), query.get("to"));
    if (query.get("actor")) openPanel(query.get("actor"));
  }

  // The canvas follows its column (the side panel opening or closing, a phone turned): sigma
  // itself only listens to the window.
  // Only a change of size costs a full refresh (every node and tie processed again).
  function fitted() {
    if (!renderer) return;
    var before = renderer.getDimensions();
    renderer.resize();
    var after = renderer.getDimensions();
    if (after.width !== before.width || after.height !== before.height) renderer.refresh({});
    el.dataset.width = String(el.clientWidth);
    el.dataset.bounds = core().map(Math.round).join(",");
  }
  if (window.ResizeObserver) {
    var resizing = 0;
    new ResizeObserver(function () {
      cancelAnimationFrame(resizing);
      resizing = requestAnimationFrame(fitted);
    }).observe(el);
  }

  // Where the bulk of the map lies on screen (viewport pixels: left, top, right, bottom):
  // the nodes between the 1st and 99th percentile on each axis, so one far-off actor does not
  // shrink the rest into a corner. Sampled on large maps.
  function core() {
    var xs = [], ys = [], step = Math.max(1, Math.floor(graph.order / 2000)), i = 0;
    // The camera as it is now, even before sigma has drawn it.
    var now = { cameraState: renderer.getCamera().getState() };
    graph.forEachNode(function (n, a) {
      if (i++ % step) return;
      var p = renderer.graphToViewport({ x: a.x, y: a.y }, now);
      xs.push(p.x); ys.push(p.y);
    });
    if (!xs.length) return [0, 0, 0, 0];
    xs.sort(function (a, b) { return a - b; });
    ys.sort(function (a, b) { return a - b; });
    function q(list, f) { return list[Math.min(list.length - 1, Math.floor(f * list.length))]; }
    return [q(xs, 0.01), q(ys, 0.01), q(xs, 0.99), q(ys, 0.99)];
  }

  // Fit to view on load: frame the bulk of the map in the canvas, centred, with room on the
  // right for the labels of the nodes at its edge (labels run right of their node).
  var fitView = "";
  function fit(camera) {
    // Positions on screen are known: sigma processed the graph when it was created.
    var w = el.clientWidth, h = el.clientHeight;
    var b = core(), margin = 24, labels = Math.min(200, w * 0.15);
    // Screen pixels the core may take once zoomed, and the zoom that makes it so.
    var zoom = Math.min((w - 2 * margin - labels) / Math.max(b[2] - b[0], 1),
                        (h - 2 * margin) / Math.max(b[3] - b[1], 1), 8);
    // The point to put in the middle: the core's, shifted right by half the labels' room.
    var centre = renderer.viewportToFramedGraph({ x: (b[0] + b[2]) / 2 + labels / 2 / zoom,
                                                 y: (b[1] + b[3]) / 2 });
    var state = { x: centre.x, y: centre.y, ratio: camera.getState().ratio / zoom };
    camera.setState(state);
    fitView = [state.x, state.y, state.ratio].map(function (v) { return v.toFixed(4); }).join(",");
  }

  function setHighlight(nodes, pairs) {
    if (!nodes) { highlighted = null; renderer.refresh({}); return; }
    var set = new Set(nodes);
    set.pathEdge = function (a, b) { return pairs.has(a + "\u0000" + b) || pairs.has(b + "\u0000" + a); };
    highlighted = set;
    renderer.refresh({});
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

  function setParam(name, value) {
    var url = new URL(window.location.href);
    if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    history.replaceState(null, "", url);
  }

  function closePanel() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    panel.dataset.slug = "";
    setParam("actor", "");
    if (!query.get("from")) setHighlight(null);
  }

  function openPanel(slug) {
    if (!graph.hasNode(slug)) return;
    setParam("actor", slug);
    fetch("/network/actors/" + encodeURIComponent(slug) + ".json", { headers: { accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (info) {
        panel.innerHTML = "";
        var close = text("button", "×", "secondary panel-close");
        close.type = "button";
        close.setAttribute("aria-label", el.dataset.labelClose || "×");
        close.addEventListener("click", closePanel);
        panel.appendChild(close);
        var a = info.actor, m = info.metrics;
        panel.appendChild(text("h2", a.name + (a.acronym ? " (" + a.acronym + ")" : "")));
        panel.appendChild(text("p", [a.kind, a.country, a.city].filter(Boolean).join(" · ")));
        if (a.themes.length) panel.appendChild(text("p", a.themes.join(", ")));
        var dl = document.createElement("dl");
        dl.className = "facts";
        // The measures the page lists (juntos.network_map.measures), in its order and words.
        JSON.parse(el.dataset.measures || "[]").forEach(function (row) {
          var value = m[row.name];
          dl.appendChild(text("dt", row.label));
          dl.appendChild(text("dd", (value === null || value === undefined ? "" : String(value)) +
            (row.sampled && !info.betweenness_exact ? " ≈" : "")));
        });
        panel.appendChild(dl);
        // People's judgements (Net-Map), apart from the measures and never called centrality.
        var judged = document.createElement("div");
        judged.className = "judgements";
        judged.appendChild(text("h3", el.dataset.labelJudgements || "Judgements"));
        var words = JSON.parse(el.dataset.judgementWords || "{}");
        (info.judgements || []).slice(0, 10).forEach(function (j) {
          judged.appendChild(text("p", j.issue + ": " + (el.dataset.labelJudgement || "{influence} {stance} {confidence}")
            .replace("{influence}", String(j.influence)).replace("{stance}", words[j.stance] || j.stance)
            .replace("{confidence}", words[j.confidence] || j.confidence)));
        });
        var record = text("a", el.dataset.labelJudge || "+");
        record.href = "/network/actors/" + encodeURIComponent(slug) + "#judgements";
        judged.appendChild(record);
        panel.appendChild(judged);
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
        // Focus on this actor, keeping the other filters and view options.
        var focusQuery = new URLSearchParams(query);
        ["expand", "view", "page"].forEach(function (k) { focusQuery.delete(k); });
        focusQuery.set("focus", slug);
        focusQuery.set("actor", slug);
        focus.href = "/network?" + focusQuery.toString();
        focus.title = el.dataset.labelFocus || "";
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
  // "Expand by tie kind": the links are plain GETs (the no-JS page follows them). Here the new
  // view is fetched and drawn in place: the page's HTML for the notice, links and forms (same
  // server templates), graph.json for the map; the URL changes as if we had navigated.
  function expand(href) {
    var url = new URL(href, window.location.href);
    el.classList.add("loading");
    el.setAttribute("aria-busy", "true");
    el.dataset.ready = "";
    return fetch(url.pathname + url.search, { headers: { accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["#map-summary", ".map-links", "#map-filters", "#path-form"].forEach(function (sel) {
          var fresh = doc.querySelector(sel), old = document.querySelector(sel);
          if (fresh && old) old.innerHTML = fresh.innerHTML;
        });
        ["focus-notice", "map-legend"].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (old && fresh) old.replaceWith(document.importNode(fresh, true));
          else if (old) old.remove();
        });
        history.pushState(null, "", url);
        query = new URLSearchParams(url.search);
        var mapNode = doc.getElementById("map");
        if (mapNode) {
          el.dataset.query = mapNode.dataset.query;
          el.dataset.graphVersion = mapNode.dataset.graphVersion || "";
        }
        if (panel) panel.hidden = true;
        return load();
      })
      .catch(function () { window.location.href = url.href; });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("#focus-notice a.expand-link") : null;
    if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    expand(link.href);
  });
  window.addEventListener("popstate", function () { window.location.reload(); });

  // "Relax layout": ForceAtlas2 in the browser, only when asked, on the current view, for a
  // bounded number of steps, in the package's web worker (a static file, so the page's CSP
  // holds) with a step per frame on the page as the fallback. Positions are the viewer's own:
  // nothing is sent to the server; a reload brings back the shared layout.
  var relax = null;
  var relaxButton = document.getElementById("map-relax");
  var stopButton = document.getElementById("map-relax-stop");
  var relaxStatus = document.getElementById("map-relax-status");


  function relaxSteps(order) {
    if (order > 3000) return 150;
    if (order > 1000) return 300;
    return 500;
  }

  function label(name, n, max) {
    return (el.dataset[name] || "").replace("{n}", String(n)).replace("{max}", String(max));
  }

  function relaxStart() {
    var FA2 = window.graphologyLayoutForceAtlas2;
    if (!graph || relax || !FA2 || !graph.order) return;
    var settings = Object.assign({}, FA2.DEFAULT_SETTINGS, FA2.inferSettings(graph),
      { barnesHutOptimize: graph.order > 500 });
    var before = {};
    graph.forEachNode(function (node, attrs) { before[node] = [attrs.x, attrs.y]; });
    relax = { n: 0, max: relaxSteps(graph.order), settings: settings, before: before,
      worker: null, frame: 0, graph: graph, painted: 0,
      // Large maps: ties are hidden while it runs and positions drawn about once a second.
      large: graph.size > LARGE_EDGES, paintEvery: graph.size > LARGE_EDGES ? 1000 : 0 };
    if (relax.large) renderer.refresh({});
    el.dataset.relax = "running";
    if (relaxButton) relaxButton.hidden = true;
    if (stopButton) stopButton.hidden = false;
    var matrices = FA2.helpers.graphToByteArrays(graph, function () { return 1; });
    try {
      relax.worker = new Worker(el.dataset.relaxWorker);
    } catch (err) {
      relax.worker = null;
    }
    el.dataset.relaxEngine = relax.worker ? "worker" : "page";
    if (!relax.worker) { relaxFrame(); return; }
    relax.worker.addEventListener("message", function (e) {
      if (!relax || relax.graph !== graph) return;
      var nodes = new Float32Array(e.data.nodes);
      var now = performance.now();
      // Drawing is the cost on large maps (the worker is fast): draw the positions at most
      // every relax.paintEvery ms and keep the worker stepping in between.
      var last = relax.n + 1 >= relax.max;
      if (last || now - relax.painted >= relax.paintEvery) {
        FA2.helpers.assignLayoutChanges(graph, nodes, null);
        relax.painted = performance.now();
        measurePaint(relax);
      }
      relaxStep();
      if (relax) relax.worker.postMessage({ settings: relax.settings, nodes: nodes.buffer }, [nodes.buffer]);
    });
    relax.worker.addEventListener("error", function () {
      if (!relax) return;
      relax.worker.terminate();
      relax.worker = null;
      el.dataset.relaxEngine = "page";
      relaxFrame();
    });
    relax.worker.postMessage({ settings: settings, nodes: matrices.nodes.buffer, edges: matrices.edges.buffer },
      [matrices.nodes.buffer, matrices.edges.buffer]);
  }

  // A repaint's cost, until the frame after sigma's has come (where WebGL has no GPU, drawing
  // a large map delays the next frames): wait at least four times as long before the next
  // repaint, so the map stays smooth to pan and zoom most of the time while it relaxes.
  function measurePaint(run) {
    var started = performance.now();
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        var cost = performance.now() - started;
        run.paintEvery = Math.max(run.large ? 1000 : 0, 4 * cost);
        el.dataset.relaxPaintMs = String(Math.round(cost));
      });
    });
  }

  function relaxFrame() {
    relax.frame = requestAnimationFrame(function () {
      if (!relax) return;
      window.graphologyLayoutForceAtlas2.forceAtlas2.assign(graph, { iterations: 1, settings: relax.settings });
      relaxStep();
      if (relax) relaxFrame();
    });
  }

  function relaxStep() {
    relax.n += 1;
    el.dataset.relaxSteps = String(relax.n);
    if (relaxStatus && (relax.n % 10 === 0 || relax.n === 1)) relaxStatus.textContent = label("labelRelaxing", relax.n, relax.max);
    if (relax.n >= relax.max) relaxStop("done");
  }

  function relaxStop(how) {
    if (!relax) return;
    var done = relax;
    relax = null;
    if (done.worker) done.worker.terminate();
    if (done.frame) cancelAnimationFrame(done.frame);
    if (done.large && renderer && done.graph === graph) renderer.refresh({});
    if (done.graph === graph) {
      var moved = 0;
      graph.forEachNode(function (node, attrs) {
        var b = done.before[node];
        if (b) moved += Math.hypot(attrs.x - b[0], attrs.y - b[1]);
      });
      el.dataset.relaxMoved = String(Math.round(moved / Math.max(graph.order, 1)));
    }
    el.dataset.relax = how;
    el.dataset.relaxSteps = String(done.n);
    if (relaxButton) relaxButton.hidden = false;
    if (stopButton) stopButton.hidden = true;
    if (relaxStatus) relaxStatus.textContent = label("labelRelaxed", done.n, done.max);
  }

  if (relaxButton) relaxButton.addEventListener("click", relaxStart);
  if (stopButton) stopButton.addEventListener("click", function () { relaxStop("stopped"); });

  // Filters apply at once: the form is a GET, so the URL keeps the state of the view.
  var filters = document.getElementById("map-filters");
  if (filters) filters.addEventListener("change", function () { filters.requestSubmit(); });
})();
