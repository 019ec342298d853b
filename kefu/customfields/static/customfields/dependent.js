// Dependent pick lists: a select with data-cf-parent offers only the options whose data-parents
// (values separated by "|") include the parent select's value; an option without data-parents is
// always offered. The services refuse the same combinations, so this only keeps the form honest.
(function () {
  if (window.kefuDependentPicklists) return;
  window.kefuDependentPicklists = true;

  function parentOf(select) {
    var scope = select.closest("[data-cf-scope]") || document;
    return scope.querySelector('[data-cf-key="' + select.dataset.cfParent + '"]');
  }

  function refresh(select) {
    var parent = parentOf(select);
    var wanted = parent ? Array.from(parent.selectedOptions || []).map(function (o) { return o.value; }) : [];
    Array.from(select.options).forEach(function (option) {
      if (!option.dataset.parents) return;
      var offered = option.dataset.parents.split("|").some(function (v) { return wanted.indexOf(v) >= 0; });
      option.hidden = !offered;
      option.disabled = !offered && !option.selected;
    });
  }

  function refreshAll() {
    document.querySelectorAll("select[data-cf-parent]").forEach(refresh);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-cf-key]")) refreshAll();
  });
  document.addEventListener("htmx:afterSwap", refreshAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refreshAll);
  else refreshAll();
})();
