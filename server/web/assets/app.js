// levy web page: progressive enhancement only. Every view is rendered by
// the server and works with JavaScript off; this script adds what a script
// does better: the chart's values read out on tap and by the arrow keys,
// focus on the error summary, and copying a short link.
"use strict";
(function () {
  // GOV.UK pattern: move focus to the error summary so that screen reader
  // users hear the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Error links: focus the field and show its label, even inside a
  // folded section.
  document.querySelectorAll(".error-summary a[href^='#'], .question-panel a[href^='#'], .summary-action a[href^='#'], .question a[href^='#f-']").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      var details = target.closest("details");
      if (details) details.open = true;
      e.preventDefault();
      var group = target.closest(".form-group, .fieldset") || target;
      group.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
  });

  // Copy a short link as an absolute address.
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    if (!navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var url = new URL(b.getAttribute("data-copy"), location.href).href;
      navigator.clipboard.writeText(url).then(function () { b.textContent = "Link copied"; }, function () { b.textContent = "Copy failed: select the link instead"; });
    });
  });

  // The chart: each change is a link to its table row. With the script a
  // tap or Enter reads the value out beside the chart instead of jumping,
  // and the arrow keys move along a line (up and down switch lines).
  document.querySelectorAll("[data-testid=timeline-figure], [data-testid=burden-figure]").forEach(function (fig) {
    var readout = fig.querySelector("[data-chart-readout]");
    fig.querySelectorAll("svg[data-chart]").forEach(function (svg) {
      var pts = Array.prototype.slice.call(svg.querySelectorAll("a.pt"));
      function series(name) { return pts.filter(function (p) { return p.getAttribute("data-series") === name; }); }
      function show(p) {
        pts.forEach(function (q) { q.classList.toggle("active", q === p); });
        if (readout) { readout.hidden = false; readout.textContent = p.getAttribute("aria-label"); }
      }
      pts.forEach(function (p) {
        p.addEventListener("click", function (e) { e.preventDefault(); show(p); p.focus(); });
        p.addEventListener("focus", function () { show(p); });
        p.addEventListener("keydown", function (e) {
          var own = series(p.getAttribute("data-series"));
          var i = own.indexOf(p), next = null;
          if (e.key === "ArrowRight") next = own[Math.min(i + 1, own.length - 1)];
          else if (e.key === "ArrowLeft") next = own[Math.max(i - 1, 0)];
          else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
            var other = series(p.getAttribute("data-series") === "known" ? "collected" : "known");
            var x = +p.querySelector("circle").getAttribute("cx");
            other.forEach(function (q) { if (+q.querySelector("circle").getAttribute("cx") <= x) next = q; });
            next = next || other[0];
          } else if (e.key === "Escape") {
            p.classList.remove("active");
            if (readout) readout.hidden = true;
            return;
          }
          if (next) { e.preventDefault(); next.focus(); }
        });
      });
    });
  });
})();
