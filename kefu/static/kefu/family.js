// Closing a parent ticket closes its open children: the status form asks first, listing them.
// The list comes from the family card (#ticket-family), which says what is open right now.
(function () {
  "use strict";
  document.body.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    if (!form || !form.querySelector("[data-kefu-status-field]")) return;
    var select = form.querySelector("select");
    var option = select && select.options[select.selectedIndex];
    var family = document.getElementById("ticket-family");
    var message = family && family.getAttribute("data-close-confirm");
    if (!option || !option.hasAttribute("data-closed") || !message) return;
    event.preventDefault();
    if (window.confirm(message)) {
      event.detail.issueRequest(true);
    } else {
      var selected = select.querySelector("option[selected]");
      if (selected) select.value = selected.value;
    }
  });
})();
