/* Kefu help widget: <script src="https://help.example.com/widget.js" data-brand="acme" async></script>
   A launcher button (in a shadow root, so the page's CSS and ours never meet) opens a panel whose
   content is an iframe served by the help desk: knowledge-base search, the answer bot, the ticket form
   and a signed-in customer's tickets. Optional: data-lang="zh-hans|en", data-position="left". */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.kefuWidget) return;
  var brand = script.getAttribute("data-brand");
  if (!brand) return;
  var base = new URL(script.src, location.href).origin;
  var lang = script.getAttribute("data-lang") ||
    ((navigator.language || "").toLowerCase().indexOf("zh") === 0 ? "zh-hans" : "en");
  var left = script.getAttribute("data-position") === "left";
  var zh = lang === "zh-hans";
  var side = left ? "left:20px" : "right:20px";
  var host = document.createElement("div");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ".l{position:fixed;bottom:20px;" + side + ";z-index:2147483000;border:0;border-radius:28px;" +
    "padding:14px 20px;font:600 15px/1 system-ui,sans-serif;color:#fff;background:#206bc4;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25)}.l:focus-visible{outline:3px solid #f59f00;outline-offset:2px}" +
    ".p{position:fixed;bottom:84px;" + side + ";z-index:2147483000;width:380px;height:600px;" +
    "max-height:calc(100vh - 104px);border-radius:12px;overflow:hidden;background:#fff;" +
    "box-shadow:0 8px 30px rgba(0,0,0,.3)}.p[hidden]{display:none}" +
    ".p iframe{border:0;width:100%;height:100%}" +
    "@media (max-width:480px){.p{left:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}}" +
    "</style>" +
    '<div class="p" hidden role="dialog" aria-label="' + (zh ? "帮助" : "Help") + '"></div>' +
    '<button type="button" class="l" aria-expanded="false">' + (zh ? "帮助" : "Help") + "</button>";
  var panel = root.querySelector(".p");
  var launcher = root.querySelector(".l");
  var frame = null;

  function toggle(open) {
    if (open && !frame) {
      frame = document.createElement("iframe");
      frame.title = zh ? "帮助中心" : "Help center";
      frame.src = base + "/hc/" + encodeURIComponent(brand) + "/widget/?lang=" + lang;
      panel.appendChild(frame);
    }
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? (zh ? "关闭" : "Close") : (zh ? "帮助" : "Help");
    if (open) frame.focus(); else launcher.focus();
  }

  launcher.addEventListener("click", function () { toggle(panel.hidden); });
  window.addEventListener("message", function (event) {
    if (event.origin === base && event.data === "kefu:close") toggle(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) toggle(false);
  });
  window.kefuWidget = { open: function () { toggle(true); }, close: function () { toggle(false); } };
  (document.body || document.documentElement).appendChild(host);
})();
