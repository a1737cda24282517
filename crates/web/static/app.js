// climb's page script: the chart's roles open the side panel on click or
// Enter/Space, a path answer highlights its roles and arrows, and the chart
// never shrinks its titles below 12px (it scrolls instead, and says so).
// Pages work without it (every role has a page, the path form a page of
// its own).
(function () {
  "use strict";

  // The browser's time zone goes to the server in a cookie, so pages show
  // times where the visitor is (unless they chose a zone on their account).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.split("; ").indexOf("climb_tz=" + zone) === -1) {
      document.cookie = "climb_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (ignored) { /* no Intl: times stay in UTC */ }

  function chart() { return document.getElementById("chart"); }

  function openRole(id) {
    var panel = document.getElementById("panel");
    if (!panel || !window.htmx) {
      window.location.href = "/roles/" + encodeURIComponent(id);
      return;
    }
    var c = chart();
    if (c) {
      c.querySelectorAll("g.role.selected").forEach(function (g) { g.classList.remove("selected"); });
      c.querySelectorAll("g.role").forEach(function (g) {
        if (g.getAttribute("data-role") === id) { g.classList.add("selected"); }
      });
    }
    window.htmx.ajax("GET", "/roles/" + encodeURIComponent(id), { target: "#panel", swap: "innerHTML" });
  }

  function clearPath() {
    var c = chart();
    if (!c) { return; }
    c.classList.remove("has-path");
    c.querySelectorAll(".on-path").forEach(function (el) { el.classList.remove("on-path"); });
  }

  function highlightPath(container) {
    var c = chart();
    if (!c) { return; }
    clearPath();
    var steps = container.querySelectorAll("li[data-from][data-to]");
    if (steps.length === 0) { return; }
    c.classList.add("has-path");
    steps.forEach(function (li) {
      var from = li.getAttribute("data-from");
      var to = li.getAttribute("data-to");
      c.querySelectorAll("g.role").forEach(function (g) {
        var role = g.getAttribute("data-role");
        if (role === from || role === to) { g.classList.add("on-path"); }
      });
      c.querySelectorAll(".transition").forEach(function (t) {
        if (t.getAttribute("data-from") === from && t.getAttribute("data-to") === to) {
          t.classList.add("on-path");
        }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var role = target.closest("#chart g.role");
    if (role) {
      event.preventDefault();
      openRole(role.getAttribute("data-role"));
      return;
    }
    if (target.closest(".clear-path")) {
      clearPath();
      var result = document.getElementById("path-result");
      if (result) { result.textContent = ""; }
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if ((event.key === "Enter" || event.key === " ") && target.matches("#chart g.role")) {
      event.preventDefault();
      openRole(target.getAttribute("data-role"));
    }
  });

  // The chart's role titles are 13px at its natural size; drawn narrower
  // than 12/13 of it they would fall under 12px.
  var SMALLEST_SCALE = 12 / 13;

  function fitChart() {
    var c = chart();
    var svg = c && c.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var natural = svg.viewBox.baseVal.width;
    if (natural > 0) {
      svg.style.minWidth = Math.ceil(natural * SMALLEST_SCALE) + "px";
    }
    var hint = document.getElementById("chart-hint");
    if (hint) { hint.hidden = c.scrollWidth <= c.clientWidth + 1; }
  }

  fitChart();
  window.addEventListener("resize", fitChart);

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    if (target.id === "path-result") {
      highlightPath(target);
    } else if (target.id === "panel") {
      var title = document.getElementById("panel-title");
      if (title) {
        title.focus({ preventScroll: true });
        // Below the width that holds the panel beside the chart, it is
        // under the chart: bring it into view.
        if (window.matchMedia("(max-width: 112rem)").matches) {
          target.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      }
    }
  });
})();
