/* The ticket layout's rules, live: a field a rule governs is shown while one of its rules matches the values
   on the page, and marked mandatory when the rule says so (the services enforce the same rules). Each
   container [data-ticket-layout] holds its rules as JSON; each field's wrapper is [data-layout-field]. */
(function () {
  "use strict";
  function valuesOf(wrapper) {
    var input = wrapper.querySelector("select, input:not([type=hidden]), textarea");
    if (!input) return [];
    if (input.type === "checkbox") return [input.checked ? "true" : "false"];
    if (input.multiple) return Array.prototype.map.call(input.selectedOptions, function (o) { return o.value; });
    if (wrapper.dataset.layoutField === "tags") return input.value.split(/[,，]/).map(function (v) { return v.trim(); }).filter(Boolean);
    return input.value ? [input.value] : [];
  }
  function apply(container) {
    var rules = JSON.parse(container.dataset.ticketLayout || "[]");
    if (!rules.length) return;
    var wrappers = {};
    container.querySelectorAll("[data-layout-field]").forEach(function (w) { wrappers[w.dataset.layoutField] = w; });
    var governed = {}, shown = {}, required = {};
    rules.forEach(function (rule) {
      var current = wrappers[rule.field] ? valuesOf(wrappers[rule.field]) : [];
      var matches = current.some(function (v) { return rule.values.indexOf(v) >= 0; });
      rule.show.forEach(function (name) {
        governed[name] = true;
        if (matches) { shown[name] = true; if (rule.require) required[name] = true; }
      });
    });
    Object.keys(wrappers).forEach(function (name) {
      var wrapper = wrappers[name];
      var hidden = governed[name] && !shown[name];
      wrapper.hidden = !!hidden;
      var label = wrapper.querySelector(".form-label");
      if (label) label.classList.toggle("required", wrapper.dataset.layoutFlag === "true" || !!required[name]);
    });
  }
  function setUp(root) {
    (root.matches && root.matches("[data-ticket-layout]") ? [root] : []).concat(
      Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-ticket-layout]") : [])
    ).forEach(function (container) {
      if (container.dataset.layoutReady) return;
      container.dataset.layoutReady = "1";
      container.addEventListener("change", function () { apply(container); });
      container.addEventListener("input", function () { apply(container); });
      apply(container);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
})();
