/* Canned replies in the reply editor: type "#" and a few letters (or open the menu), pick one, and its text
   — placeholders filled for this ticket by the server, which also counts the use — replaces what was typed. */
(function () {
  "use strict";
  if (window.kefuCannedPicker) return;
  window.kefuCannedPicker = true;

  var state = { picker: null, items: [], active: 0, start: -1, end: -1, seq: 0, timer: null };

  function csrf() {
    var page = document.getElementById("ticket-page");
    return page ? page.dataset.csrfToken : "";
  }

  function listOf(picker) { return picker.querySelector("[data-canned-list]"); }

  function hide() {
    if (state.picker) {
      var list = listOf(state.picker);
      list.hidden = true;
      list.textContent = "";
      state.picker.querySelector("[data-canned-menu]").setAttribute("aria-expanded", "false");
    }
    state.items = [];
  }

  function render(picker) {
    var list = listOf(picker);
    list.textContent = "";
    if (!state.items.length) {
      var none = document.createElement("li");
      none.className = "list-group-item text-secondary";
      none.textContent = picker.querySelector("[data-canned-empty]").textContent;
      list.appendChild(none);
    }
    state.items.forEach(function (reply, index) {
      var item = document.createElement("li");
      item.className = "list-group-item list-group-item-action" + (index === state.active ? " active" : "");
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === state.active ? "true" : "false");
      item.dataset.testid = "canned-option";
      var title = document.createElement("strong");
      title.textContent = reply.title + (reply.shortcut ? "  #" + reply.shortcut : "");
      var preview = document.createElement("div");
      preview.className = "small text-secondary text-truncate";
      preview.textContent = reply.preview;
      item.appendChild(title);
      item.appendChild(preview);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(picker, reply);
      });
      list.appendChild(item);
    });
    list.hidden = false;
    picker.querySelector("[data-canned-menu]").setAttribute("aria-expanded", "true");
  }

  function search(picker, query) {
    var seq = ++state.seq;
    state.picker = picker;
    fetch(picker.dataset.searchUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : { items: [] }; })
      .then(function (data) {
        if (seq !== state.seq) return;
        state.items = data.items || [];
        state.active = 0;
        render(picker);
      })
      .catch(hide);
  }

  function choose(picker, reply) {
    var editor = document.getElementById(picker.dataset.editor);
    var url = picker.dataset.insertUrl.replace(/\/0\/insert\/$/, "/" + reply.id + "/insert/");
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf(), Accept: "application/json" } })
      .then(function (answer) { if (!answer.ok) throw new Error(); return answer.json(); })
      .then(function (data) {
        if (!editor || !editor.editor) return;
        if (state.start >= 0) editor.editor.setSelectedRange([state.start, state.end]);
        editor.editor.insertString(data.body);
        editor.focus();
        state.start = state.end = -1;
        var query = picker.querySelector("[data-canned-query]");
        query.value = "";
        query.hidden = true;
        hide();
      })
      .catch(function () { window.kefuToast && window.kefuToast(document.body.dataset.kefuError, "error"); });
  }

  function pickerFor(editorId) {
    return document.querySelector("[data-canned-picker][data-editor='" + editorId + "']");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-canned-menu]");
    if (!button) return;
    var picker = button.closest("[data-canned-picker]");
    var query = picker.querySelector("[data-canned-query]");
    state.start = state.end = -1;
    query.hidden = false;
    query.focus();
    search(picker, query.value);
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-canned-query]")) return;
    var picker = event.target.closest("[data-canned-picker]");
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () { search(picker, event.target.value); }, 150);
  });

  document.addEventListener("trix-change", function (event) {
    var picker = pickerFor(event.target.id);
    if (!picker) return;
    var editor = event.target.editor;
    var position = editor.getSelectedRange()[0];
    var text = editor.getDocument().toString().slice(0, position);
    var match = /(?:^|\s)#([^\s#]{0,30})$/.exec(text);
    if (!match) {
      if (state.picker === picker && state.start >= 0) { state.start = state.end = -1; hide(); }
      return;
    }
    state.start = position - match[1].length - 1;
    state.end = position;
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () { search(picker, match[1]); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!state.picker || !state.items.length) return;
    var inPicker = event.target.closest && (event.target.closest("[data-canned-picker]") === state.picker || event.target.id === state.picker.dataset.editor);
    if (!inPicker) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      state.active = (state.active + step + state.items.length) % state.items.length;
      render(state.picker);
    } else if (event.key === "Enter" || (event.key === "Tab" && state.start >= 0)) {
      choose(state.picker, state.items[state.active]);
    } else if (event.key === "Escape") {
      hide();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }, true);
})();
