/* The ticket list: select-all and the bulk bar's count, tidy filter URLs, the live-updates banner and
 * the keyboard shortcuts (listed in the "?" dialog). */
(function () {
  "use strict";

  var results = document.getElementById("ticket-list-results");
  if (!results) return;

  function boxes() {
    return Array.prototype.slice.call(results.querySelectorAll("[data-ticket-checkbox]"));
  }

  var bulkBar = document.getElementById("bulk-form");
  var bulkResult = document.getElementById("bulk-result");

  // The bulk bar appears once a ticket is selected (and stays while it shows a result); the assignee
  // list offers only the agents who work in the departments of every selected ticket.
  function updateBulkBar(checked) {
    if (!bulkBar) return;
    var departments = {};
    checked.forEach(function (box) {
      var row = box.closest("tr");
      if (row && row.dataset.departmentId) departments[row.dataset.departmentId] = true;
    });
    var wanted = Object.keys(departments);
    var narrowed = false;
    var select = bulkBar.querySelector("#bulk-assignee");
    if (select) {
      Array.prototype.forEach.call(select.querySelectorAll("option[data-departments]"), function (option) {
        var offered = option.dataset.departments === "all" ? null : option.dataset.departments.split(" ");
        var valid = !offered || wanted.every(function (id) { return offered.indexOf(id) !== -1; });
        option.hidden = !valid;
        option.disabled = !valid;
        if (!valid) narrowed = true;
      });
      if (select.selectedOptions.length && select.selectedOptions[0].disabled) select.value = "me";
    }
    var hint = bulkBar.querySelector("[data-bulk-assign-hint]");
    if (hint) hint.classList.toggle("d-none", !narrowed);
    var showing = checked.length > 0 || (bulkResult && bulkResult.textContent.trim() !== "");
    bulkBar.hidden = !showing;
  }

  function updateCount() {
    var checkedBoxes = boxes().filter(function (box) { return box.checked; });
    var checked = checkedBoxes.length;
    updateBulkBar(checkedBoxes);
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

  /* Keyboard: j/k move through the rows, o or Enter opens, x selects, / searches, n new, ? help. */
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(results.querySelectorAll("tr[data-ticket-id]"));
  }

  function mark(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("kefu-current", i === current);
      if (i === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    return current >= 0 ? rows()[current] : null;
  }

  function isTyping(target) {
    return Boolean(
      target && target.closest &&
        (target.isContentEditable || target.closest("input, textarea, select, trix-editor, [contenteditable]"))
    );
  }

  function showHelp() {
    var dialog = document.getElementById("ticket-shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  var keys = {
    j: function () { mark(current + 1); },
    k: function () { mark(current < 0 ? 0 : current - 1); },
    o: function () {
      var row = currentRow();
      var link = row && row.querySelector("a[href]");
      if (!link) return;
      if (pane && listArea.classList.contains("kefu-split-on")) pane.src = link.href;
      else window.location.href = link.href;
    },
    x: function () {
      var row = currentRow();
      var box = row && row.querySelector("[data-ticket-checkbox]");
      if (box) {
        box.checked = !box.checked;
        updateCount();
      }
    },
    "/": function () {
      var search = document.getElementById("filter-q");
      if (search) search.focus();
    },
    n: function () {
      var link = document.getElementById("ticket-new");
      if (link) window.location.href = link.href;
    },
    "?": showHelp,
  };
  keys.Enter = keys.o;

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event.target)) return;
    var dialog = document.getElementById("ticket-shortcuts");
    if (dialog && dialog.open) return;
    if (event.key === "Enter" && current < 0) return;
    if (event.key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    var action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-kefu-help]")) showHelp();
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === results) current = -1;
  });

  // Compact (the default) or comfortable rows, remembered in this browser.
  var listArea = results.parentElement;
  var densityToggle = document.querySelector("[data-density-toggle]");
  function setDensity(comfortable) {
    listArea.classList.toggle("kefu-comfortable", comfortable);
    if (!densityToggle) return;
    densityToggle.setAttribute("aria-pressed", comfortable ? "true" : "false");
    densityToggle.querySelector("[data-when-compact]").hidden = comfortable;
    densityToggle.querySelector("[data-when-comfortable]").hidden = !comfortable;
  }
  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode */ }
  }
  if (densityToggle) {
    setDensity(stored("kefu.list.density") === "comfortable");
    densityToggle.addEventListener("click", function () {
      var comfortable = !listArea.classList.contains("kefu-comfortable");
      store("kefu.list.density", comfortable ? "comfortable" : "compact");
      setDensity(comfortable);
    });
  }

  // Split view: a ticket opened from the list shows beside it, in the pane on the right.
  var splitToggle = document.querySelector("[data-split-toggle]");
  var pane = document.querySelector("iframe[name=kefu-ticket-pane]");
  function setSplit(on) {
    if (!pane) return;
    listArea.classList.toggle("kefu-split-on", on);
    pane.hidden = !on;
    if (splitToggle) splitToggle.setAttribute("aria-pressed", on ? "true" : "false");
    if (!on) pane.removeAttribute("src");
  }
  if (splitToggle && pane) {
    setSplit(stored("kefu.list.split") === "on");
    splitToggle.addEventListener("click", function () {
      var on = !listArea.classList.contains("kefu-split-on");
      store("kefu.list.split", on ? "on" : "off");
      setSplit(on);
    });
    results.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("tbody a[href]");
      if (!link || !listArea.classList.contains("kefu-split-on")) return;
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      pane.src = link.href;
      rows().forEach(function (row, index) {
        if (row.contains(link)) mark(index);
      });
    });
  }

  updateCount();
})();
