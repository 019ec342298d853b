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

/* The rich-text toolbar in the console's language (Trix ships English only): the words come from the
   catalogue (includes/trix_lang.html); each editor's toolbar is relabelled as it initialises, and Trix's
   own config gets them for anything it draws later (the link dialog, attachment captions). */
(function () {
  "use strict";
  var BUTTONS = {
    bold: "[data-trix-attribute=bold]", italic: "[data-trix-attribute=italic]",
    strike: "[data-trix-attribute=strike]", link: "[data-trix-action=link]",
    heading1: "[data-trix-attribute=heading1]", quote: "[data-trix-attribute=quote]",
    code: "[data-trix-attribute=code]", bullets: "[data-trix-attribute=bullet]",
    numbers: "[data-trix-attribute=number]", outdent: "[data-trix-action=decreaseNestingLevel]",
    indent: "[data-trix-action=increaseNestingLevel]", attachFiles: "[data-trix-action=attachFiles]",
    undo: "[data-trix-action=undo]", redo: "[data-trix-action=redo]",
  };
  function words() {
    var holder = document.getElementById("kefu-trix-lang");
    if (!holder) return null;
    try { return JSON.parse(holder.textContent); } catch (error) { return null; }
  }
  function relabel(toolbar) {
    var lang = words();
    if (!lang || !toolbar) return;
    if (window.Trix && window.Trix.config && window.Trix.config.lang) Object.assign(window.Trix.config.lang, lang);
    Object.keys(BUTTONS).forEach(function (key) {
      toolbar.querySelectorAll(BUTTONS[key]).forEach(function (button) {
        button.title = lang[key];
        button.textContent = lang[key];
      });
    });
    toolbar.querySelectorAll("input[name=href]").forEach(function (input) {
      input.placeholder = lang.urlPlaceholder;
      input.setAttribute("aria-label", lang.url);
    });
    toolbar.querySelectorAll("[data-trix-method=setAttribute]").forEach(function (b) { b.value = lang.link; });
    toolbar.querySelectorAll("[data-trix-method=removeAttribute]").forEach(function (b) { b.value = lang.unlink; });
  }
  document.addEventListener("trix-initialize", function (event) { relabel(event.target.toolbarElement); });
  // This script is deferred: editors that initialised before it ran are relabelled now.
  document.querySelectorAll("trix-editor").forEach(function (editor) { relabel(editor.toolbarElement); });
})();
