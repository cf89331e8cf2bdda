// levy web page: plain JavaScript, no build step, no third-party code.
// Every state of the page is in the query string, so every view is a
// shareable URL; forms are ordinary GET forms that reload the page.
"use strict";
(function () {
  var SVGNS = "http://www.w3.org/2000/svg";
  var params = new URLSearchParams(location.search);
  var page = params.get("page") || "home";
  var root = document.getElementById("page");
  var results = document.getElementById("results");
  var info = null;

  // h builds an element; attributes named on* are not supported on purpose
  // (no inline handlers under the content security policy).
  function h(tag, attrs) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function s(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function setAttrs(el, attrs) {
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") el.textContent = v; else el.setAttribute(k, v === true ? "" : v);
    }
  }
  function add(el, kid) {
    if (kid === null || kid === undefined || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { add(el, k); }); return; }
    el.appendChild(typeof kid === "object" ? kid : document.createTextNode(String(kid)));
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  function api(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; },
        function () { return { ok: false, status: r.status, body: { error: { code: "internal", message: "The server sent an unreadable answer (" + r.status + ")." } } }; });
    }, function () {
      return { ok: false, status: 0, body: { error: { code: "network", message: "levy could not be reached. Check your connection and try again." } } };
    });
  }

  // query builds an API query string from the page's parameters.
  function query(names, extra) {
    var q = new URLSearchParams();
    names.forEach(function (n) {
      var vs = params.getAll(n).filter(function (v) { return v.trim() !== ""; });
      if (vs.length) q.set(n, vs.join(","));
    });
    for (var k in extra || {}) if (extra[k] !== "" && extra[k] != null) q.set(k, extra[k]);
    return q.toString();
  }
  function link(pg, values) {
    var q = new URLSearchParams({ page: pg });
    for (var k in values) if (values[k]) q.set(k, values[k]);
    return "/?" + q.toString();
  }

  // --- forms ---------------------------------------------------------------

  var FIELDS = {
    hts: { label: "Commodity code (HTS number)", hint: "8 or 10 digits, dots optional, for example 8703.23.01.30", cls: "w-code", inputmode: "decimal", autocomplete: "off" },
    origin: { label: "Country of origin", hint: "Two-letter code, for example JP for Japan", cls: "w-2", autocomplete: "off" },
    entry_date: { label: "Entry date", hint: "The date of entry for consumption", type: "date", cls: "w-date" },
    value: { label: "Customs value in US dollars", cls: "w-money", inputmode: "decimal" },
    export_date: { label: "Export date", hint: "When the goods were loaded for export, for in-transit rules", type: "date", cls: "w-date" },
    known_on: { label: "Read the law as known on", hint: "Leave empty for the law as it stood on the entry date (what was collected)", type: "date", cls: "w-date" },
    quantity: { label: "Quantity", hint: "For specific rates", cls: "w-money", inputmode: "decimal" },
    unit: { label: "Unit of quantity", hint: "kg, liters, No., doz., pr.", cls: "w-money" },
    program: { label: "Special program claimed", hint: "For example S+ for USMCA, KR for KORUS", cls: "w-2" },
    mode: { label: "Final mode of transport", options: [["", "Not given"], ["ocean", "Ocean"], ["air", "Air"], ["truck", "Truck"], ["rail", "Rail"]] },
    steel_value: { label: "Value of the steel content", cls: "w-money", inputmode: "decimal" },
    aluminum_value: { label: "Value of the aluminum content", cls: "w-money", inputmode: "decimal" },
    copper_value: { label: "Value of the copper content", cls: "w-money", inputmode: "decimal" },
    us_content_value: { label: "Value of the US content", cls: "w-money", inputmode: "decimal" },
    q: { label: "Search by commodity code or words", hint: "For example basketballs, passenger motor vehicles or 8703.23", type: "search", cls: "" },
    from: { label: "From", type: "date", cls: "w-date" },
    to: { label: "To", hint: "Default: the end of levy's data", type: "date", cls: "w-date" }
  };

  function field(name, over) {
    var f = Object.assign({}, FIELDS[name], over || {});
    var id = "f-" + name;
    var hintId = f.hint ? id + "-hint" : null;
    var control;
    if (f.options) {
      control = h("select", { id: id, name: name, "aria-describedby": hintId });
      f.options.forEach(function (o) {
        control.appendChild(h("option", { value: o[0], selected: (params.get(name) || "") === o[0], text: o[1] }));
      });
    } else {
      control = h("input", { id: id, name: name, type: f.type || "text", class: f.cls, value: params.get(name) || f.value || "",
        inputmode: f.inputmode, autocomplete: f.autocomplete, spellcheck: "false", "aria-describedby": hintId });
    }
    return h("div", { class: "form-group", "data-field": name },
      h("label", { for: id, text: f.label }), f.hint ? h("span", { class: "hint", id: hintId, text: f.hint }) : null, control);
  }

  function form(pg, kids, submit) {
    return h("form", { method: "get", action: "/", novalidate: true },
      h("input", { type: "hidden", name: "page", value: pg }), kids,
      h("button", { type: "submit", class: "button", text: submit }));
  }

  function moreDetails(names) {
    var open = names.some(function (n) { return params.get(n); });
    return h("details", { open: open }, h("summary", { text: "More about the goods (optional)" }),
      h("div", null, names.map(function (n) { return field(n); })));
  }

  // showError shows an API error: a summary at the top linking to the field
  // it names, and the message beside that field.
  function showError(err, where) {
    err = err || { message: "Something went wrong." };
    var target = err.field ? document.getElementById("f-" + err.field) : null;
    var sugg = null;
    if (err.suggestions && err.suggestions.length) {
      sugg = h("p", null, "Did you mean: ", err.suggestions.map(function (x, i) {
        var values = {};
        params.forEach(function (v, k) { values[k] = v; });
        if (err.field && err.field !== "scenario") values[err.field] = x;
        var pg = page === "line" ? "line" : page;
        if (page === "line") values = { code: x };
        return [i ? ", " : "", err.field === "scenario" ? h("code", { text: x }) : h("a", { href: link(pg, values), text: x })];
      }));
    }
    var box = h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
      h("h2", { text: "There is a problem" }),
      h("ul", null, h("li", null, target ? h("a", { href: "#f-" + err.field, text: err.message }) : h("span", { text: err.message }))),
      sugg);
    (where || root).insertBefore(box, (where || root).firstChild);
    if (target) {
      var group = target.closest(".form-group");
      group.classList.add("error");
      var msgId = "f-" + err.field + "-error";
      group.insertBefore(h("span", { class: "error-message", id: msgId }, h("span", { class: "visually-hidden", text: "Error: " }), err.message), target);
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " " + msgId).trim());
      box.querySelector("a").addEventListener("click", function (e) { e.preventDefault(); target.focus(); });
    }
    document.title = "Error: " + document.title;
    box.focus();
  }

  function loading(text) { clear(results); results.appendChild(h("p", { class: "loading", text: text || "Working it out…" })); }

  // --- rendering -----------------------------------------------------------

  function pct(x) { return Number(x).toFixed(2).replace(/\.00$/, "") + "%"; }
  function usd(x) { return "$" + Number(x).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function tableWrap(caption, table) {
    return h("div", { class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0" }, table);
  }

  function layerRows(layers) {
    return layers.map(function (l) {
      return h("tr", null,
        h("td", { class: "nowrap code", text: l.heading }),
        h("td", null, l.title, l.confidence && l.confidence !== "high" ? h("span", { class: "hint", text: l.confidence + " confidence" }) : null),
        h("td", { class: "nowrap", text: l.rate }),
        h("td", { class: "num", text: usd(l.base) }),
        h("td", { class: "num", text: usd(l.amount) }),
        h("td", { text: l.citation }));
    });
  }
  function layerTable(caption, layers, totalLabel, total) {
    var t = h("table", null, h("caption", { text: caption }),
      h("thead", null, h("tr", null, ["Heading", "What", "Rate", "Base", "Amount", "Legal basis"].map(function (c, i) {
        return h("th", { scope: "col", class: i === 3 || i === 4 ? "num" : null, text: c });
      }))),
      h("tbody", null, layerRows(layers),
        total != null ? h("tr", { class: "total" }, h("th", { scope: "row", colspan: "4", text: totalLabel }), h("td", { class: "num", text: usd(total) }), h("td")) : null));
    return tableWrap(caption, t);
  }

  function renderAssessment(a, opts) {
    opts = opts || {};
    var heading = h(opts.level || "h2", { id: "result-heading", tabindex: "-1", text: opts.title || "What is owed" });
    return h("section", { class: "assessment", "aria-labelledby": "result-heading" }, heading,
      h("p", null, h("strong", { class: "code", text: a.hts }), " ", a.description,
        " — entered " + a.entry_date + ", law as known on " + a.known_on + ". Base rate from " + a.rate_line + " (" + a.column + ")" +
        (a.scenario ? ", under scenario " + a.scenario : "") + "."),
      h("dl", { class: "summary-list" },
        h("div", null, h("dt", { text: "Duty" }), h("dd", { "data-testid": "duty", text: usd(a.duty) })),
        h("div", null, h("dt", { text: "Effective duty rate" }), h("dd", { text: pct(a.effective_rate) })),
        h("div", null, h("dt", { text: "Fees" }), h("dd", { text: usd(a.fees_total) })),
        h("div", null, h("dt", { text: "Total to pay" }), h("dd", { text: usd(a.total) }))),
      a.warnings.map(function (w) {
        return h("div", { class: "warning" }, h("span", { class: "icon", "aria-hidden": "true", text: "!" }),
          h("span", null, h("span", { class: "visually-hidden", text: "Warning: " }), w));
      }),
      layerTable("Duty, layer by layer", a.layers, "Duty", a.duty),
      a.fees.length ? layerTable("Fees", a.fees, "Fees", a.fees_total) : null,
      a.report_headings.length ? h("p", null, "Chapter 99 headings to report on the entry: ",
        h("strong", { class: "code", text: a.report_headings.join(", ") })) : null,
      a.questions.length ? [h("h3", { text: "What levy assumed" }),
        h("p", { text: "The answer depends on facts the line did not give. Tell levy more under “More about the goods” to settle them." }),
        h("ul", null, a.questions.map(function (q) {
          var change = q.alternative ? " With " + q.alternative + ", the duty changes by $" + q.duty_change + "." : "";
          return h("li", null, h("strong", { class: "code", text: q.fact }), ": " + q.assumed + ". Otherwise: " + q.otherwise + "." + change);
        }))] : null,
      a.explain && a.explain.length ? [h("h3", { text: "Measures considered" }), tableWrap("Measures considered", h("table", null,
        h("thead", null, h("tr", null, ["Heading", "Measure", "Outcome", "Why"].map(function (c) { return h("th", { scope: "col", text: c }); }))),
        h("tbody", null, a.explain.map(function (st) {
          return h("tr", null, h("td", { class: "code nowrap", text: st.heading }), h("td", { class: "code", text: st.measure }), h("td", { text: st.outcome }), h("td", { text: st.reason }));
        }))))] : null);
  }

  // --- the timeline chart ----------------------------------------------------

  function day(s) { return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5; }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function fmtDate(s) { return +s.slice(8, 10) + " " + MONTHS[+s.slice(5, 7) - 1] + " " + s.slice(0, 4); }

  // chart draws both readings as step lines of the effective rate.
  function chart(t, id) {
    var W = 720, H = 340, L = 52, R = 16, T = 20, B = 46;
    var x0 = day(t.from), x1 = day(t.to) + 1;
    var all = t.as_collected.concat(t.as_known);
    var maxRate = Math.max.apply(null, all.map(function (g) { return +g.rate; }).concat([5]));
    var step = maxRate > 60 ? 20 : maxRate > 30 ? 10 : 5;
    var yMax = Math.ceil(maxRate * 1.1 / step) * step;
    function X(d) { return L + (d - x0) / (x1 - x0) * (W - L - R); }
    function Y(r) { return T + (1 - r / yMax) * (H - T - B); }
    var svg = s("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": id + "-title " + id + "-desc", "data-testid": "timeline-chart" },
      s("title", { id: id + "-title", text: "Effective duty rate on " + t.hts + " from " + t.origin + ", " + fmtDate(t.from) + " to " + fmtDate(t.to) }),
      s("desc", { id: id + "-desc", text: "Two step lines: as collected, and as known on " + fmtDate(t.known_on) + ". The table beside the chart gives the same figures." }));
    for (var r = 0; r <= yMax; r += step) {
      svg.appendChild(s("line", { class: "grid", x1: L, x2: W - R, y1: Y(r), y2: Y(r) }));
      svg.appendChild(s("text", { class: "tick", x: L - 6, y: Y(r) + 4, "text-anchor": "end", text: r + "%" }));
    }
    var d = new Date(x0 * 864e5), months = [];
    d.setUTCDate(1);
    while (d.getTime() / 864e5 <= x1) {
      var dd = d.getTime() / 864e5;
      if (dd >= x0 && d.getUTCMonth() % 3 === 0) months.push([dd, MONTHS[d.getUTCMonth()] + " " + String(d.getUTCFullYear()).slice(2)]);
      d.setUTCMonth(d.getUTCMonth() + 1);
    }
    months.forEach(function (m) {
      svg.appendChild(s("line", { class: "axis", x1: X(m[0]), x2: X(m[0]), y1: H - B, y2: H - B + 5 }));
      svg.appendChild(s("text", { class: "tick", x: X(m[0]), y: H - B + 18, "text-anchor": "middle", text: m[1] }));
    });
    svg.appendChild(s("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }));
    svg.appendChild(s("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }));
    [[t.horizon, "end of levy's data"], [t.known_on, "known on"]].forEach(function (m) {
      var md = day(m[0]);
      if (md <= x0 || md >= x1) return;
      svg.appendChild(s("line", { class: "marker", x1: X(md), x2: X(md), y1: T, y2: H - B }));
      svg.appendChild(s("text", { class: "marker-label", x: X(md) - 4, y: T + 10, "text-anchor": "end", text: m[1] }));
    });
    function series(segs, cls) {
      var path = "";
      segs.forEach(function (g, i) {
        var a = X(day(g.from)), b = X(Math.min(day(g.to), x1)), y = Y(+g.rate);
        path += (i === 0 ? "M" + a + "," + y : "V" + y) + "H" + b;
      });
      svg.appendChild(s("path", { class: cls, d: path, "data-series": cls }));
      segs.forEach(function (g, i) {
        if (i > 0) svg.appendChild(s("line", { class: "change", x1: X(day(g.from)), x2: X(day(g.from)), y1: T, y2: H - B }));
        svg.appendChild(s("circle", { class: "dot-" + cls, cx: X(day(g.from)), cy: Y(+g.rate), r: cls === "known" ? 4.5 : 3.5 },
          s("title", { text: (cls === "known" ? "As known on " + t.known_on : "As collected") + ": " + pct(g.rate) + " from " + fmtDate(g.from) + " (" + (g.headings.join(", ") || "base rate only") + ")" })));
      });
    }
    series(t.as_collected, "collected");
    series(t.as_known, "known");
    return h("figure", null, svg,
      h("ul", { class: "legend" },
        h("li", null, h("span", { class: "swatch", "aria-hidden": "true" }), "As collected (each entry read on its own date)"),
        h("li", null, h("span", { class: "swatch known", "aria-hidden": "true" }), "As known on " + fmtDate(t.known_on))),
      h("figcaption", { text: "Effective duty rate on a customs value of " + usd(t.value) + ". Each step is a change in the law or in what was known of it." }));
  }

  // changes merges the two readings into runs where neither changes.
  function changes(t) {
    var starts = {};
    t.as_collected.concat(t.as_known).forEach(function (g) { starts[g.from] = true; });
    var ds = Object.keys(starts).sort();
    function at(segs, d) { return segs.filter(function (g) { return g.from <= d && d < g.to; })[0]; }
    return ds.map(function (d, i) {
      var c = at(t.as_collected, d), k = at(t.as_known, d);
      var until = i + 1 < ds.length ? ds[i + 1] : null;
      return { from: d, last: until ? new Date((day(until) - 1) * 864e5).toISOString().slice(0, 10) : t.to, c: c, k: k };
    });
  }

  function timelineTable(t) {
    var caption = "Duty on " + t.hts + " from " + t.origin + ", by entry date";
    var tbl = h("table", { "data-testid": "timeline-table" }, h("caption", { text: caption }),
      h("thead", null, h("tr", null,
        h("th", { scope: "col", text: "Entry dates" }),
        h("th", { scope: "col", class: "num", text: "As collected" }),
        h("th", { scope: "col", class: "num", text: "As known on " + t.known_on }),
        h("th", { scope: "col", class: "num", text: "Refund (−) or extra" }))),
      h("tbody", null, changes(t).map(function (row) {
        var diff = (+row.k.duty) - (+row.c.duty);
        return h("tr", { class: diff !== 0 ? "changed" : null },
          h("th", { scope: "row", class: "nowrap" }, row.from === row.last ? fmtDate(row.from) : [fmtDate(row.from), h("br"), "to " + fmtDate(row.last)]),
          h("td", { class: "num", title: row.c.headings.join(", ") }, pct(row.c.rate), h("span", { class: "hint", text: row.c.headings.join(", ") || "base only" })),
          h("td", { class: "num", title: row.k.headings.join(", ") }, pct(row.k.rate), h("span", { class: "hint", text: row.k.headings.join(", ") || "base only" })),
          h("td", { class: "num", text: diff === 0 ? "—" : (diff < 0 ? "−" : "+") + usd(Math.abs(diff)) }));
      })));
    return tableWrap(caption, tbl);
  }

  function renderTimeline(t, id) {
    return h("div", { class: "chart-and-table" }, h("div", null, chart(t, id)), h("div", null, timelineTable(t)));
  }

  // --- pages ---------------------------------------------------------------

  function home() {
    root.appendChild(h("div", null,
      h("h1", null, h("span", { class: "caption", text: "A worked example" }), "Japan, 2025 to 2026: what was collected, and what is owed now"),
      h("p", { class: "lead", text: "From April 2025 the duty on Japanese goods changed again and again. Some changes were retroactive, and the Supreme Court later voided the IEEPA tariffs, so the duty as collected on the day of entry differs from the duty as the law is known today. The difference is a refund." }),
      h("p", null, "levy reads every entry two ways: ", h("strong", { text: "as collected" }), " (the law as it stood on the entry date) and ",
        h("strong", { text: "as known" }), " on a later date. Below: basketballs (HTS 9506.62.80.20) made in Japan, then a Japanese passenger car.")));
    var story = h("section", { "aria-labelledby": "story-ball" }, h("h2", { id: "story-ball", text: "Basketballs from Japan, by entry date" }), h("p", { class: "loading", text: "Loading the timeline…" }));
    var car = h("section", { "aria-labelledby": "story-car" }, h("h2", { id: "story-car", text: "A Japanese car entered on 20 September 2025" }), h("p", { class: "loading", text: "Loading the assessment…" }));
    results.appendChild(story);
    results.appendChild(car);
    api("/v1/timeline?" + query([], { hts: "9506.62.80.20", origin: "JP", from: "2025-01-01", to: "2026-10-31", value: "10000" })).then(function (r) {
      story.removeChild(story.querySelector(".loading"));
      if (!r.ok) return showError(r.body.error, story);
      story.appendChild(renderTimeline(r.body, "ball"));
      story.appendChild(h("p", null, h("a", { href: link("timeline", { hts: "9506.62.80.20", origin: "JP", from: "2025-01-01", to: "2026-10-31" }), text: "Open this timeline to change the product, country or dates" })));
    });
    var carQ = { hts: "8703.23.01.30", origin: "JP", entry_date: "2025-09-20", value: "40000" };
    api("/v1/assess?" + query([], carQ)).then(function (r) {
      car.removeChild(car.querySelector(".loading"));
      if (!r.ok) return showError(r.body.error, car);
      car.appendChild(h("p", { text: "A car (HTS 8703.23.01.30) valued at $40,000. The Section 232 auto tariff on Japanese cars became 15% including the 2.5% base rate under the deal of September 2025." }));
      car.appendChild(renderAssessment(r.body, { title: "Duty on the car", level: "h3" }));
      car.appendChild(h("p", null, h("a", { class: "button secondary", href: link("assess", carQ), text: "Assess your own line" }),
        h("a", { class: "button secondary", href: link("timeline", { hts: carQ.hts, origin: "JP", from: "2025-01-01", to: "2026-10-31", value: "40000" }), text: "See the car’s timeline" })));
    });
  }

  function search() {
    root.appendChild(h("h1", { text: "Search the tariff schedule" }));
    root.appendChild(form("search", [field("q")], "Search"));
    var q = params.get("q");
    if (!q) return;
    loading("Searching…");
    api("/v1/hts?" + query(["q"], { limit: "50" })).then(function (r) {
      clear(results);
      if (!r.ok) return showError(r.body.error);
      var res = r.body.results;
      document.title = q + " — search — levy";
      results.appendChild(h("h2", { id: "result-heading", tabindex: "-1", text: res.length + (res.length === 1 ? " line matches " : " lines match ") + "“" + q + "”" }));
      if (!res.length) {
        results.appendChild(h("p", { text: "Try fewer or different words, or the first digits of a commodity code." }));
        return;
      }
      results.appendChild(h("ul", { class: "results-list", "data-testid": "search-results" }, res.map(function (m) {
        return h("li", null, h("a", { href: link("line", { code: m.dotted }), class: "code", text: m.dotted }), " ",
          h("strong", { text: m.description }), m.general ? " — general rate " + m.general : "",
          h("span", { class: "ctx", text: m.context }));
      })));
    });
  }

  function line() {
    var code = params.get("code") || "";
    root.appendChild(h("h1", null, h("span", { class: "caption", text: "Commodity code" }), code));
    loading("Looking up " + code + "…");
    api("/v1/hts/" + encodeURIComponent(code)).then(function (r) {
      clear(results);
      if (!r.ok) return showError(r.body.error);
      var l = r.body;
      root.querySelector("h1").appendChild(h("span", { class: "caption", text: l.description }));
      document.title = l.dotted + " — levy";
      var path = h("ol", { class: "body" }, l.path.filter(function (p) { return p.description; }).map(function (p) {
        return h("li", null, p.dotted ? h("span", { class: "code", text: p.dotted + " " }) : null, p.description);
      }), h("li", null, h("strong", null, h("span", { class: "code", text: l.dotted + " " }), l.description)));
      var rates = l.rates;
      results.appendChild(h("section", { "aria-labelledby": "result-heading" },
        h("h2", { id: "result-heading", tabindex: "-1", text: "Where it sits in the schedule" }), path,
        h("h2", { text: "Rates of duty" }),
        rates ? [rates.from !== l.dotted ? h("p", { text: "Inherited from " + rates.from + "." }) : null,
          tableWrap("Rates of duty", h("table", null, h("caption", { class: "visually-hidden", text: "Rates of duty" }), h("tbody", null,
            [["General (column 1)", rates.general], ["Special", rates.special], ["Column 2", rates.other]].map(function (x) {
              return h("tr", null, h("th", { scope: "row", text: x[0] }), h("td", { text: x[1].text || "—" }), h("td", { class: "hint", text: x[1].text && !x[1].parsed ? "levy cannot read this rate" : "" }));
            }))))] : h("p", { text: "No line above prints a rate." }),
        h("p", null, "Units: " + (l.units.join(", ") || "none") + ". " + l.revision + "."),
        l.footnotes.length ? [h("h2", { text: "Footnotes" }), h("ul", null, l.footnotes.map(function (f) {
          return h("li", null, h("span", { class: "code", text: f.on }), " (" + f.columns.join(", ") + "): " + f.text);
        }))] : null,
        h("p", null, h("a", { class: "button", href: link("assess", { hts: l.dotted }), text: "Assess this line" }),
          h("a", { class: "button secondary", href: link("timeline", { hts: l.dotted }), text: "See its timeline" }))));
      results.querySelector("#result-heading").focus();
    });
  }

  var INPUTS = ["hts", "origin", "entry_date", "export_date", "known_on", "value", "quantity", "unit", "program", "mode",
    "steel_value", "aluminum_value", "copper_value", "us_content_value", "informal", "de_minimis", "scenario", "explain"];

  function scenarioSelect(cb) {
    var sel = h("select", { id: "f-scenario", name: "scenario" }, h("option", { value: "", text: "Enacted law" }));
    var group = h("div", { class: "form-group", "data-field": "scenario" }, h("label", { for: "f-scenario", text: "Read under" }),
      h("span", { class: "hint", text: "Enacted law, or an announced or hypothetical scenario" }), sel);
    api("/v1/scenarios").then(function (r) {
      if (!r.ok) return;
      r.body.scenarios.forEach(function (sc) {
        sel.appendChild(h("option", { value: sc.id, selected: params.get("scenario") === sc.id, text: sc.title }));
      });
      if (cb) cb();
    });
    return group;
  }

  function check(name, label) {
    return h("div", { class: "form-group", "data-field": name }, h("label", { class: "checkbox", for: "f-" + name },
      h("input", { type: "checkbox", id: "f-" + name, name: name, value: "true", checked: params.get(name) === "true" }), label));
  }

  function assess() {
    root.appendChild(h("h1", { text: "Assess an import line" }));
    root.appendChild(h("p", { text: "Every duty layer: the base rate, each chapter 99 measure in force on the entry date, and the fees, each with its legal citation." }));
    root.appendChild(form("assess", [field("hts"), field("origin"), h("div", { class: "form-row" }, field("entry_date"), field("value")),
      moreDetails(["known_on", "export_date", "mode", "program", "quantity", "unit", "steel_value", "aluminum_value", "copper_value", "us_content_value"]),
      scenarioSelect(), check("informal", "This is an informal entry (under $2,500)"), check("de_minimis", "Claim de minimis: a shipment of $800 or less, where still allowed"), check("explain", "Explain which measures were considered")], "Work out the duty"));
    if (!params.get("hts")) return;
    loading();
    api("/v1/assess?" + query(INPUTS)).then(function (r) {
      clear(results);
      if (!r.ok) return showError(r.body.error);
      document.title = r.body.hts + " from " + params.get("origin").toUpperCase() + " — levy";
      results.appendChild(renderAssessment(r.body));
      results.appendChild(h("p", null, h("a", { href: link("timeline", { hts: r.body.hts, origin: params.get("origin"), value: params.get("value") }), text: "See how this duty changes with the entry date" })));
      results.querySelector("#result-heading").focus();
    });
  }

  function timeline() {
    root.appendChild(h("h1", { text: "Timeline of a product from a country" }));
    root.appendChild(h("p", { text: "The effective duty rate for every entry date, as collected and as the law is known on a later date (by default today). Where the two differ, the importer is owed a refund or an extra bill." }));
    root.appendChild(form("timeline", [field("hts"), field("origin"), h("div", { class: "form-row" }, field("from", { value: "2025-01-01" }), field("to")),
      h("div", { class: "form-row" }, field("value", { value: "10000" }), field("known_on", { hint: "Default: today" })),
      moreDetails(["program", "mode", "steel_value", "aluminum_value", "copper_value", "us_content_value"])], "Show the timeline"));
    if (!params.get("hts")) return;
    loading("Reading every change in the law…");
    api("/v1/timeline?" + query(["hts", "origin", "from", "to", "value", "known_on", "program", "mode", "steel_value", "aluminum_value", "copper_value", "us_content_value", "scenario"])).then(function (r) {
      clear(results);
      if (!r.ok) return showError(r.body.error);
      var t = r.body;
      document.title = "Timeline of " + t.hts + " from " + t.origin + " — levy";
      results.appendChild(h("h2", { id: "result-heading", tabindex: "-1" }, t.hts + " " + t.description + ", from " + t.origin));
      results.appendChild(renderTimeline(t, "tl"));
      results.querySelector("#result-heading").focus();
    });
  }

  function compare() {
    root.appendChild(h("h1", { text: "Compare scenarios" }));
    root.appendChild(h("p", { text: "The same line under enacted law and under announced or hypothetical measures, side by side." }));
    var boxes = h("fieldset", { class: "form-group", "data-field": "scenario" }, h("legend", { text: "Scenarios" }), h("span", { class: "hint", id: "f-scenario-hint", text: "Leave all unticked to compare every scenario" }));
    var chosen = params.getAll("scenario").join(",").split(",");
    api("/v1/scenarios").then(function (r) {
      if (!r.ok) return;
      r.body.scenarios.forEach(function (sc, i) {
        var id = i === 0 ? "f-scenario" : "f-scenario-" + i;
        boxes.appendChild(h("label", { class: "checkbox", for: id }, h("input", { type: "checkbox", id: id, name: "scenario", value: sc.id, checked: chosen.indexOf(sc.id) >= 0 }),
          h("span", null, sc.title, h("span", { class: "hint", text: sc.id }))));
      });
    });
    root.appendChild(form("compare", [field("hts"), field("origin"), h("div", { class: "form-row" }, field("entry_date"), field("value")), boxes], "Compare"));
    if (!params.get("hts")) return;
    loading();
    var q = query(["hts", "origin", "entry_date", "value"]);
    if (params.getAll("scenario").some(function (v) { return v; })) q += "&" + query(["scenario"]);
    api("/v1/compare?" + q).then(function (r) {
      clear(results);
      if (!r.ok) return showError(r.body.error);
      var cs = r.body.comparisons, a0 = cs[0].assessment;
      document.title = "Compare " + a0.hts + " — levy";
      var rows = [
        ["Duty", function (c) { return usd(c.assessment.duty); }],
        ["Effective duty rate", function (c) { return pct(c.assessment.effective_rate); }],
        ["Difference from enacted law", function (c) { return c.scenario ? (+c.difference >= 0 ? "+" : "−") + usd(Math.abs(+c.difference)) : "—"; }],
        ["Fees", function (c) { return usd(c.assessment.fees_total); }],
        ["Total to pay", function (c) { return usd(c.assessment.total); }],
        ["Chapter 99 headings", function (c) { return c.assessment.headings.join(", ") || "none"; }]];
      var caption = a0.hts + " " + a0.description + ", entered " + a0.entry_date;
      results.appendChild(h("h2", { id: "result-heading", tabindex: "-1", text: "Side by side" }));
      results.appendChild(tableWrap(caption, h("table", { class: "compare-grid", "data-testid": "compare-table" }, h("caption", { text: caption }),
        h("thead", null, h("tr", null, h("td"), cs.map(function (c) { return h("th", { scope: "col", text: c.title }); }))),
        h("tbody", null, rows.map(function (row) {
          return h("tr", null, h("th", { scope: "row", text: row[0] }), cs.map(function (c) { return h("td", { class: "num", text: row[1](c) }); }));
        })))));
      cs.forEach(function (c) {
        results.appendChild(h("h3", { text: c.title }));
        results.appendChild(layerTable("Layers: " + c.title, c.assessment.layers, "Duty", c.assessment.duty));
      });
      results.querySelector("#result-heading").focus();
    });
  }

  var PAGES = { home: home, search: search, line: line, assess: assess, timeline: timeline, compare: compare };
  var current = page === "line" ? "search" : page;
  document.querySelectorAll(".nav a").forEach(function (a) {
    if (a.getAttribute("data-page") === current) a.setAttribute("aria-current", "page");
  });
  (PAGES[page] || home)();
  api("/v1/info").then(function (r) {
    if (!r.ok) return;
    info = r.body;
    var el = document.getElementById("data-info");
    el.textContent = "Schedule: " + info.revision + ". " + info.measures + " measures, " + info.scenarios +
      " scenarios; rules known to " + fmtDate(info.horizon) + ".";
  });
})();
