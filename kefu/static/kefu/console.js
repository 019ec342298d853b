/* Kefu console: helpers every page shares. The CSRF token travels in the body's hx-headers. */
(function () {
  "use strict";

  function toast(message, level) {
    var container = document.getElementById("kefu-toasts");
    if (!container || !message) return;
    var item = document.createElement("div");
    item.className = "toast show align-items-center border-0 text-bg-" + (level === "error" ? "danger" : level || "info");
    item.setAttribute("role", level === "error" ? "alert" : "status");
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    item.appendChild(body);
    container.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 6000);
  }

  window.kefuToast = toast;

  // A server answer can raise a toast with the header  HX-Trigger: {"kefu-toast": {"message": "…", "level": "success"}}
  document.addEventListener("kefu-toast", function (event) {
    var detail = event.detail || {};
    toast(detail.message || detail.value, detail.level);
  });

  document.addEventListener("htmx:responseError", function () {
    toast(document.body.dataset.kefuError, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.body.dataset.kefuError, "error");
  });
})();
