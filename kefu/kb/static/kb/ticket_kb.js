// The ticket page's knowledge-base panel: insert a found article's link or text into the reply editor.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-insert]");
    if (!button) return;
    var editor = document.getElementById("reply-editor");
    if (!editor || !editor.editor) return;
    window.dispatchEvent(new CustomEvent("kefu-compose", { detail: "reply" }));
    var html;
    if (button.dataset.kbInsert === "link") {
      var link = document.createElement("a");
      link.href = button.dataset.url;
      link.textContent = button.dataset.title;
      html = link.outerHTML;
    } else {
      html = button.parentElement.querySelector("template").innerHTML;
    }
    editor.editor.insertHTML(html);
    editor.focus();
  });
})();
