/* neuroendo: tiny SVG line plots and job polling; no dependencies, no network. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
                "#e377c2", "#7f7f7f", "#bcbd22"];

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function ticks(lo, hi, n) {
    if (!(hi > lo)) { return [lo]; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    if (err >= 7.5) { step *= 10; } else if (err >= 3.5) { step *= 5; } else if (err >= 1.5) { step *= 2; }
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) { out.push(v); }
    return out;
  }

  function fmt(v, dates) {
    if (dates) { return new Date(v).toISOString().slice(0, 10); }
    return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : +v.toPrecision(4);
  }

  /* One small panel per series (units differ between analytes and states). */
  function panel(container, label, s, opts, color) {
    var W = 640, H = 200, L = 60, R = 10, T = 24, B = 30;
    var xs = [], ys = [];
    for (var i = 0; i < s.x.length; i++) {
      if (s.x[i] !== null && s.y[i] !== null && isFinite(s.x[i]) && isFinite(s.y[i])) {
        xs.push(s.x[i]); ys.push(s.y[i]);
      }
    }
    if (!xs.length) { return; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    if (y1 === y0) { y0 -= Math.abs(y0) * 0.1 || 1; y1 += Math.abs(y1) * 0.1 || 1; }
    var sx = function (v) { return L + (v - x0) / (x1 - x0) * (W - L - R); };
    var sy = function (v) { return H - B - (v - y0) / (y1 - y0) * (H - T - B); };
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img"}, container);
    el("title", {}, svg).textContent = label;
    var t = el("text", {x: L, y: 15, "font-size": 13, "font-weight": label === opts.highlight ? "bold" : "normal"}, svg);
    t.textContent = label;
    ticks(y0, y1, 4).forEach(function (v) {
      el("line", {x1: L, x2: W - R, y1: sy(v), y2: sy(v), stroke: "#eee"}, svg);
      el("text", {x: L - 4, y: sy(v) + 4, "font-size": 10, "text-anchor": "end"}, svg).textContent = fmt(v, false);
    });
    ticks(x0, x1, 6).forEach(function (v) {
      el("text", {x: sx(v), y: H - B + 14, "font-size": 10, "text-anchor": "middle"}, svg).textContent = fmt(v, opts.dates);
    });
    el("text", {x: W - R, y: H - 4, "font-size": 10, "text-anchor": "end"}, svg).textContent = opts.xlabel || "";
    var d = xs.map(function (v, k) { return (k ? "L" : "M") + sx(v).toFixed(1) + "," + sy(ys[k]).toFixed(1); }).join("");
    el("path", {d: d, fill: "none", stroke: color, "stroke-width": 1.6}, svg);
    if (xs.length <= 60) {
      xs.forEach(function (v, k) { el("circle", {cx: sx(v), cy: sy(ys[k]), r: 2.5, fill: color}, svg); });
    }
  }

  function draw(container) {
    var src = document.getElementById(container.getAttribute("data-plot"));
    if (!src) { return; }
    var data = JSON.parse(src.textContent);
    if (!data || !data.series) { return; }
    var names = Object.keys(data.series);
    if (data.highlight && names.indexOf(data.highlight) > 0) {
      names.splice(names.indexOf(data.highlight), 1);
      names.unshift(data.highlight);
    }
    names.forEach(function (name, i) { panel(container, name, data.series[name], data, COLORS[i % COLORS.length]); });
  }

  function poll(box) {
    var id = box.getAttribute("data-job");
    fetch("/api/jobs/" + encodeURIComponent(id), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        box.querySelector(".job-status").textContent = job.status;
        box.querySelector(".job-progress").value = job.progress;
        box.querySelector(".job-message").textContent = job.message;
        if (job.result_url) { box.querySelector(".job-result").hidden = false; }
        if (job.status === "queued" || job.status === "running") { setTimeout(function () { poll(box); }, 1000); }
      })
      .catch(function () { setTimeout(function () { poll(box); }, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-plot]"), draw);
    Array.prototype.forEach.call(document.querySelectorAll("[data-job]"), poll);
  });
}());
