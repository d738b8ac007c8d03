// topictrack report: hover values, legend toggles and zoom on the timeline, topic search, and
// the article lists of topics, events and stories. Plain ES2017, no library, no network: it
// reads the page data from the #tt-data element.
(function () {
  "use strict";
  var D;
  try { D = JSON.parse(document.getElementById("tt-data").textContent); } catch (e) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var A = D.articles || { id: [], title: [], snippet: [], date: [], topic: [], score: [], url: [] };
  var urls = {};
  (A.url || []).forEach(function (p) { urls[p[0]] = p[1]; });
  var topicById = {};
  (D.topics || []).forEach(function (t) { topicById[t.id] = t; });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function fmt(v, share) {
    if (share) return (v * 100).toFixed(v >= 0.1 ? 0 : 1) + "%";
    return Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v).toLocaleString("en") : v.toFixed(1);
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function dateText(s) {
    var p = s.split("-");
    if (p.length < 3) return s;
    return (D.unit === "month" ? "" : +p[2] + " ") + MONTHS[+p[1] - 1] + " " + p[0];
  }

  // ---- Article panel -------------------------------------------------------------------
  var panel = document.getElementById("tt-panel");
  var PAGE = 20, list = [], page = 0;
  function showPage() {
    var ol = document.getElementById("tt-panel-list");
    ol.textContent = "";
    ol.start = page * PAGE + 1;
    list.slice(page * PAGE, page * PAGE + PAGE).forEach(function (i) {
      var li = el("li");
      var url = urls[i];
      var title = url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, A.title[i])
                      : el("span", {}, A.title[i]);
      title.className = "t";
      li.appendChild(title);
      var t = topicById[A.topic[i]];
      var meta = [A.date[i] ? dateText(A.date[i]) : "undated",
                  "#" + A.topic[i] + (t ? " " + t.label : ""),
                  "score " + Number(A.score[i]).toFixed(2)].join(" · ");
      li.appendChild(el("div", { "class": "meta" }, meta));
      if (A.snippet[i]) li.appendChild(el("div", { "class": "s" }, A.snippet[i]));
      ol.appendChild(li);
    });
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    document.getElementById("tt-page").textContent = "Page " + (page + 1) + " of " + pages;
    document.getElementById("tt-prev").disabled = page === 0;
    document.getElementById("tt-next").disabled = page + 1 >= pages;
  }
  function openList(title, note, items) {
    if (!panel) return;
    list = items; page = 0;
    document.getElementById("tt-panel-title").textContent = title;
    document.getElementById("tt-panel-note").textContent =
      items.length.toLocaleString("en") + " article" + (items.length === 1 ? "" : "s") + (note ? " · " + note : "");
    panel.hidden = false;
    showPage();
    document.getElementById("tt-panel-close").focus();
  }
  var byTopic = null;
  function topicArticles(id) {
    if (!byTopic) {
      byTopic = {};
      for (var i = 0; i < A.topic.length; i++) (byTopic[A.topic[i]] = byTopic[A.topic[i]] || []).push(i);
      for (var k in byTopic) byTopic[k].sort(function (a, b) { return A.score[b] - A.score[a] || a - b; });
    }
    return byTopic[id] || [];
  }
  function openTopic(id) {
    var t = topicById[id];
    openList("#" + id + " " + (t ? t.label : ""), "closest to the topic first", topicArticles(id));
  }
  function openEvent(rank) {
    var e = (D.events || []).filter(function (x) { return x.rank === rank; })[0];
    if (e) openList("Event " + rank + ": " + e.label, "peak " + dateText(e.peak), e.articles);
  }
  function openStory(id) {
    var s = (D.stories || []).filter(function (x) { return x.id === id; })[0];
    if (s) openList("Story: " + s.label, "in date order", s.articles);
  }
  if (panel) {
    document.getElementById("tt-panel-close").addEventListener("click", function () { panel.hidden = true; });
    document.getElementById("tt-prev").addEventListener("click", function () { if (page > 0) { page--; showPage(); } });
    document.getElementById("tt-next").addEventListener("click", function () {
      if ((page + 1) * PAGE < list.length) { page++; showPage(); }
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") panel.hidden = true; });
  }
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("a")) return;
    var n = ev.target.closest("[data-topic],[data-event],[data-story]");
    if (!n || n.closest("#tt-panel")) return;
    if (n.hasAttribute("data-topic")) openTopic(+n.getAttribute("data-topic"));
    else if (n.hasAttribute("data-event")) openEvent(+n.getAttribute("data-event"));
    else openStory(+n.getAttribute("data-story"));
  });

  // ---- Topic search --------------------------------------------------------------------
  var search = document.getElementById("tt-search");
  if (search) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("table.topics tbody tr"));
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = q.every(function (w) { return texts[i].indexOf(w) >= 0; });
        r.classList.toggle("hidden", !ok);
        if (ok) shown++;
      });
      document.getElementById("tt-search-count").textContent =
        q.length ? shown + " of " + rows.length + " topics" : "";
    });
  }

  // ---- Interactive timeline ------------------------------------------------------------
  var box = document.getElementById("tt-timeline");
  if (!box || !D.bins || !D.bins.length) return;
  box.textContent = "";
  var nb = D.bins.length;
  var state = {
    share: false,
    smooth: D.unit === "day" && nb >= 14,
    on: {},
    i0: 0, i1: nb - 1
  };
  (D.top || []).forEach(function (id) { state.on[id] = true; });

  var controls = el("div", { "class": "tt-controls" });
  function toggle(label, key, title) {
    var b = el("button", { type: "button", "aria-pressed": String(state[key]), title: title }, label);
    b.addEventListener("click", function () { state[key] = !state[key]; b.setAttribute("aria-pressed", String(state[key])); draw(); });
    controls.appendChild(b);
    return b;
  }
  toggle("Share of articles", "share", "Each topic's share of the bin's articles instead of counts");
  if (D.unit === "day") toggle("7-day average", "smooth", "Centred 7-day moving average (evens out weekends)");
  var reset = el("button", { type: "button", id: "tt-reset" }, "Reset zoom");
  reset.addEventListener("click", function () { state.i0 = 0; state.i1 = nb - 1; draw(); });
  controls.appendChild(reset);
  var range = el("span", { "class": "muted", id: "tt-range" });
  controls.appendChild(range);
  box.appendChild(controls);

  var legend = el("div", { "class": "tt-legend", role: "group", "aria-label": "Topics shown" });
  D.topics.forEach(function (t) {
    var b = el("button", { type: "button", "data-legend": t.id, "aria-pressed": String(!!state.on[t.id]) });
    var sw = el("span", { "class": "sw" });
    sw.style.background = t.color;
    b.appendChild(sw);
    b.appendChild(document.createTextNode("#" + t.id + " " + t.label));
    b.addEventListener("click", function () {
      state.on[t.id] = !state.on[t.id];
      b.setAttribute("aria-pressed", String(state.on[t.id]));
      draw();
    });
    legend.appendChild(b);
  });

  var W = 1100, H = 400, L = 56, R = 170, T = 14, B = 30;
  var svg = sv("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Interactive timeline" });
  box.appendChild(svg);
  box.appendChild(legend);
  var tip = el("div", { "class": "tt-tip", id: "tt-tip" });
  tip.hidden = true;
  box.appendChild(tip);

  function values(t) {
    var v = t.counts.map(function (c, b) {
      return state.share ? (D.totals[b] ? c / D.totals[b] : 0) : c;
    });
    if (!state.smooth) return v;
    var h = 3;
    return v.map(function (_, b) {
      var s = 0, n = 0;
      for (var j = Math.max(0, b - h); j <= Math.min(nb - 1, b + h); j++) { s += v[j]; n++; }
      return s / n;
    });
  }
  function niceStep(max) {
    var raw = max / 5, p = Math.pow(10, Math.floor(Math.log10(raw || 1))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  var series = [], X, Y;
  function draw() {
    svg.textContent = "";
    var i0 = state.i0, i1 = state.i1, span = Math.max(1, i1 - i0);
    range.textContent = dateText(D.bins[i0]) + " – " + dateText(D.bins[i1]);
    series = D.topics.filter(function (t) { return state.on[t.id]; })
      .map(function (t) { return { t: t, v: values(t) }; });
    var max = 0;
    series.forEach(function (s) { for (var b = i0; b <= i1; b++) max = Math.max(max, s.v[b]); });
    if (max <= 0) max = state.share ? 0.1 : 1;
    var step = niceStep(max), top = Math.ceil(max / step) * step;
    X = function (b) { return L + (b - i0) / span * (W - L - R); };
    Y = function (v) { return T + (1 - v / top) * (H - T - B); };
    for (var g = 0; g <= top + 1e-12; g += step) {
      svg.appendChild(sv("line", { x1: L, x2: W - R, y1: Y(g), y2: Y(g), stroke: g === 0 ? "#333" : "#e3e3e3" }));
      var lab = sv("text", { x: L - 6, y: Y(g) + 4, "text-anchor": "end", "font-size": 12, fill: "#5f5f5f" });
      lab.textContent = fmt(g, state.share);
      svg.appendChild(lab);
    }
    var nt = Math.min(7, span + 1);
    for (var k = 0; k < nt; k++) {
      var b = Math.round(i0 + k * span / Math.max(1, nt - 1));
      var tx = sv("text", { x: X(b), y: H - 10, "text-anchor": k === 0 ? "start" : k === nt - 1 ? "end" : "middle", "font-size": 12, fill: "#5f5f5f" });
      tx.textContent = dateText(D.bins[b]);
      svg.appendChild(tx);
    }
    series.forEach(function (s) {
      var pts = [];
      for (var b = i0; b <= i1; b++) pts.push(X(b).toFixed(1) + "," + Y(s.v[b]).toFixed(1));
      svg.appendChild(sv("polyline", { points: pts.join(" "), fill: "none", stroke: s.t.color, "stroke-width": 2, "stroke-linejoin": "round" }));
    });
    // Direct labels at the line ends when the lines are few, pushed apart so they do not overlap.
    if (series.length && series.length <= 5) {
      var ends = series.map(function (s) { return { s: s, y: Y(s.v[i1]) }; }).sort(function (a, b) { return a.y - b.y; });
      for (var e = 1; e < ends.length; e++) ends[e].y = Math.max(ends[e].y, ends[e - 1].y + 14);
      ends.forEach(function (d) {
        var t = sv("text", { x: W - R + 6, y: d.y + 4, "font-size": 12, fill: d.s.t.color, "font-weight": 600 });
        var name = "#" + d.s.t.id + " " + d.s.t.label;
        t.textContent = name.length > 24 ? name.slice(0, 23) + "…" : name;
        svg.appendChild(t);
      });
    }
    // Event markers: the strongest dozen, at the bin of their peak.
    (D.events || []).filter(function (ev) { return ev.rank <= 12; }).forEach(function (ev) {
      var b = binOf(ev.peak);
      if (b < i0 || b > i1) return;
      var x = X(b), y = T + 2;
      var m = sv("path", { d: "M" + (x - 6) + "," + y + " L" + (x + 6) + "," + y + " L" + x + "," + (y + 10) + " Z",
        fill: "#1a1a1a", "class": "tt-ev", "data-event": ev.rank, cursor: "pointer" });
      var tt = sv("title");
      tt.textContent = "Event " + ev.rank + ": " + ev.label + " (" + dateText(ev.peak) + ")";
      m.appendChild(tt);
      svg.appendChild(m);
    });
    cursor = sv("line", { y1: T, y2: H - B, stroke: "#888", "stroke-dasharray": "3 3", visibility: "hidden" });
    svg.appendChild(cursor);
    sel = sv("rect", { y: T, height: H - T - B, fill: "rgba(0,114,178,.12)", visibility: "hidden" });
    svg.appendChild(sel);
    dots = sv("g");
    svg.appendChild(dots);
    overlay = sv("rect", { x: L, y: T + 14, width: W - L - R, height: H - T - B - 14, fill: "transparent", "class": "tt-overlay" });
    svg.appendChild(overlay);
  }
  function binOf(day) {
    var b = 0;
    while (b + 1 < nb && D.bins[b + 1] <= day) b++;
    return b;
  }
  var cursor, sel, dots, overlay, dragFrom = null;
  function binAt(ev) {
    var r = svg.getBoundingClientRect();
    var x = (ev.clientX - r.left) / r.width * W;
    var b = Math.round(state.i0 + (x - L) / (W - L - R) * Math.max(1, state.i1 - state.i0));
    return Math.min(state.i1, Math.max(state.i0, b));
  }
  function hover(ev) {
    var b = binAt(ev);
    cursor.setAttribute("x1", X(b)); cursor.setAttribute("x2", X(b));
    cursor.setAttribute("visibility", "visible");
    dots.textContent = "";
    var rows = series.map(function (s) { return { s: s, v: s.v[b] }; })
      .sort(function (a, c) { return c.v - a.v; });
    rows.forEach(function (r) {
      dots.appendChild(sv("circle", { cx: X(b), cy: Y(r.v), r: 3.5, fill: r.s.t.color, stroke: "#fff" }));
    });
    tip.textContent = "";
    var head = (state.smooth ? "7 days around " : "") + dateText(D.bins[b]) +
      " · " + D.totals[b].toLocaleString("en") + " articles";
    tip.appendChild(el("b", {}, head));
    rows.slice(0, 10).forEach(function (r) {
      var row = el("div", { "class": "row" });
      var name = el("span", {}, "#" + r.s.t.id + " " + r.s.t.label);
      name.style.color = r.s.t.color;
      row.appendChild(name);
      row.appendChild(el("span", {}, fmt(r.v, state.share)));
      tip.appendChild(row);
    });
    tip.hidden = false;
    var br = box.getBoundingClientRect();
    var left = ev.clientX - br.left + 14;
    if (left + 300 > br.width) left = ev.clientX - br.left - 14 - tip.offsetWidth;
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = Math.max(0, ev.clientY - br.top - 20) + "px";
    if (dragFrom !== null) {
      var a = Math.min(dragFrom, b), c = Math.max(dragFrom, b);
      sel.setAttribute("x", X(a)); sel.setAttribute("width", Math.max(1, X(c) - X(a)));
      sel.setAttribute("visibility", "visible");
    }
  }
  svg.addEventListener("mousemove", function (ev) {
    if (ev.target === overlay || dragFrom !== null) hover(ev);
  });
  svg.addEventListener("mouseleave", function () {
    tip.hidden = true;
    if (cursor) cursor.setAttribute("visibility", "hidden");
    if (dots) dots.textContent = "";
  });
  svg.addEventListener("mousedown", function (ev) {
    if (ev.target !== overlay) return;
    dragFrom = binAt(ev);
    ev.preventDefault();
  });
  document.addEventListener("mouseup", function (ev) {
    if (dragFrom === null) return;
    var b = binAt(ev), a = Math.min(dragFrom, b), c = Math.max(dragFrom, b);
    dragFrom = null;
    if (c - a >= 1) { state.i0 = a; state.i1 = c; }
    draw();
  });
  draw();
})();
