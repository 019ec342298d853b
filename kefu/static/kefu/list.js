/* The ticket list: select-all and the bulk bar's count, tidy filter URLs, and the live-updates banner. */
(function () {
  "use strict";

  var results = document.getElementById("ticket-list-results");
  if (!results) return;

  function boxes() {
    return Array.prototype.slice.call(results.querySelectorAll("[data-ticket-checkbox]"));
  }

  function updateCount() {
    var checked = boxes().filter(function (box) { return box.checked; }).length;
    document.querySelectorAll("[data-selected-count]").forEach(function (node) { node.textContent = checked; });
    var all = results.querySelector("[data-select-all]");
    if (all) {
      all.checked = checked > 0 && checked === boxes().length;
      all.indeterminate = checked > 0 && checked < boxes().length;
    }
  }

  results.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      boxes().forEach(function (box) { box.checked = event.target.checked; });
    }
    updateCount();
  });

  function refresh() {
    window.htmx.ajax("GET", window.location.pathname + window.location.search, {
      target: "#ticket-list-results",
      swap: "innerHTML",
    });
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === results) {
      updateCount();
      hideBanner();
    }
  });

  // "Save as view" sits outside the swapped results: after the filters changed the URL, carry the new
  // query (the server turns ?view= into the saved view's base view).
  document.body.addEventListener("htmx:pushedIntoHistory", function () {
    var link = document.querySelector("[data-save-view]");
    if (link) link.href = link.getAttribute("data-save-view") + window.location.search;
  });

  // Bulk actions answer with  HX-Trigger: kefu-list-refresh  after changing tickets.
  document.body.addEventListener("kefu-list-refresh", refresh);

  // Without a saved view, empty filter fields add nothing to the URL; with one, an empty field clears
  // the saved filter and must be sent.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("#ticket-filters");
    if (!form || form.querySelector("input[name=saved]")) return;
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (key) {
      if (parameters[key] === "") delete parameters[key];
    });
  });

  var banner = document.getElementById("live-banner");
  var changed = {};
  var countsTimer = null;

  // The view counts follow live changes, at most every 10 seconds (each refresh is one query).
  function refreshCountsSoon() {
    if (countsTimer) return;
    countsTimer = window.setTimeout(function () {
      countsTimer = null;
      document.body.dispatchEvent(new CustomEvent("kefu-counts-refresh"));
    }, 10000);
  }

  function hideBanner() {
    changed = {};
    if (banner) banner.classList.add("d-none");
  }

  if (banner) {
    banner.querySelector("[data-live-refresh]").addEventListener("click", refresh);
  }

  if (window.kefuLive && banner) {
    window.kefuLive.on(function (ticket) {
      var row = results.querySelector('tr[data-ticket-id="' + ticket.id + '"]');
      if (row) row.classList.add("kefu-live-changed");
      changed[ticket.id] = true;
      banner.querySelector("[data-count]").textContent = Object.keys(changed).length;
      banner.classList.remove("d-none");
      refreshCountsSoon();
    });
  }

  updateCount();
})();
