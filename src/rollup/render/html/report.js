// callcheck report: the filter box, expand/collapse, and opening the worst calls for printing.
(function () {
  "use strict";
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var containers = Array.prototype.slice.call(document.querySelectorAll("[data-filterable]"));
  function rows(container) {
    if (container.tagName === "TABLE") {
      return Array.prototype.slice.call(container.tBodies[0].rows);
    }
    return Array.prototype.filter.call(container.children, function (el) {
      return !el.classList.contains("head");
    });
  }
  function apply() {
    var query = input.value.trim().toLowerCase();
    var total = 0, visible = 0;
    containers.forEach(function (container) {
      var inGroups = !!container.closest("#groups");
      rows(container).forEach(function (row) {
        var text = (row.textContent + " " + (row.getAttribute("data-key") || "") + " " +
          (row.getAttribute("data-rule") || "")).toLowerCase();
        var hit = !query || text.indexOf(query) !== -1;
        row.hidden = !hit;
        if (inGroups) {
          total += 1;
          if (hit) visible += 1;
        }
      });
    });
    shown.textContent = query ? visible + " of " + total + " rows match" : "";
  }
  if (input) {
    input.addEventListener("input", apply);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-toggle]"), function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-toggle") === "open";
      Array.prototype.forEach.call(document.querySelectorAll("#groups details"), function (d) {
        if (!d.hidden) d.open = open;
      });
    });
  });
  // On paper, the worst calls are shown with their excerpts; rows the reader opened stay open.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("#worst details:not([open])"));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
