/* Ticket page and create-ticket page: keyboard shortcuts, @mention autocomplete, editor glue,
 * presence heartbeat state and live refresh. Server-rendered HTML + HTMX do the rest. */
(function () {
  "use strict";

  var page = document.getElementById("ticket-page");

  // Opened in the list's split view: the list around it already is the console.
  if (window.top !== window.self) document.documentElement.classList.add("kefu-in-pane");
  var ticketId = page ? Number(page.dataset.ticketId) : null;

  // Files go through the attachment inputs (size-checked by the server), never dropped into the editor.
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(
      target.isContentEditable ||
        target.closest("input, textarea, select, trix-editor, [contenteditable='true'], [contenteditable='']")
    );
  }

  function editorText(id) {
    var element = document.getElementById(id);
    return element && element.editor ? element.editor.getDocument().toString() : "";
  }

  function compose(mode) {
    window.dispatchEvent(new CustomEvent("kefu-compose", { detail: mode }));
    window.setTimeout(function () {
      var editor = document.getElementById(mode === "reply" ? "reply-editor" : "comment-editor");
      if (editor) {
        editor.scrollIntoView({ block: "center" });
        editor.focus();
      }
    }, 0);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  function showHelp() {
    var dialog = document.getElementById("ticket-shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  var shortcuts = {
    j: function () { follow("ticket-next"); },
    k: function () { follow("ticket-previous"); },
    r: function () { compose("reply"); },
    c: function () { compose("comment"); },
    a: function () {
      var button = document.querySelector("[data-kefu-assign-me]");
      if (button) button.click();
    },
    p: function () {
      var link = document.getElementById("ticket-print");
      if (link) window.open(link.href, "_blank", "noopener");
    },
    "?": showHelp,
  };

  if (page) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTyping(event.target)) return;
      var dialog = document.getElementById("ticket-shortcuts");
      if (dialog && dialog.open) return;
      var action = shortcuts[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-kefu-help]")) showHelp();
    });
  }

  /* @mention autocomplete in the comment editor. */
  var mention = { start: -1, end: -1, items: [], active: 0, seq: 0, timer: null };

  function suggestions() {
    return document.getElementById("mention-suggestions");
  }

  function hideSuggestions() {
    var list = suggestions();
    mention.items = [];
    if (list) {
      list.hidden = true;
      list.textContent = "";
    }
  }

  function renderSuggestions() {
    var list = suggestions();
    if (!list) return;
    list.textContent = "";
    if (!mention.items.length) {
      list.hidden = true;
      return;
    }
    mention.items.forEach(function (user, index) {
      var item = document.createElement("li");
      item.className = "list-group-item list-group-item-action" + (index === mention.active ? " active" : "");
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === mention.active ? "true" : "false");
      item.textContent = user.name + (user.email && user.email !== user.name ? " · " + user.email : "");
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        chooseMention(user);
      });
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function syncMentionInputs(text) {
    var holder = document.getElementById("comment-mentions");
    if (!holder) return;
    Array.prototype.slice.call(holder.querySelectorAll("input[name=mention_ids]")).forEach(function (input) {
      if (text.indexOf("@" + input.dataset.name) === -1) input.remove();
    });
  }

  function chooseMention(user) {
    var element = document.getElementById("comment-editor");
    var holder = document.getElementById("comment-mentions");
    if (!element || !element.editor || !holder) return;
    element.editor.setSelectedRange([mention.start, mention.end]);
    element.editor.insertString("@" + user.name + " ");
    if (!holder.querySelector("input[value='" + user.id + "']")) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "mention_ids";
      input.value = String(user.id);
      input.dataset.name = user.name;
      holder.appendChild(input);
    }
    hideSuggestions();
  }

  function lookupMentions(query) {
    var seq = ++mention.seq;
    fetch(page.dataset.mentionsUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        if (seq !== mention.seq) return;
        mention.items = data.items || [];
        mention.active = 0;
        renderSuggestions();
      })
      .catch(hideSuggestions);
  }

  document.addEventListener("trix-change", function (event) {
    if (!page || event.target.id !== "comment-editor") return;
    var editor = event.target.editor;
    var text = editor.getDocument().toString();
    syncMentionInputs(text);
    var position = editor.getSelectedRange()[0];
    // "请@王" must suggest: any character may come before the @, except those of an e-mail address's
    // local part ("li.na@kefu" is an address being typed, not a mention).
    var match = /(?:^|[^A-Za-z0-9._%+\-])@([^\s@]{0,30})$/.exec(text.slice(0, position));
    if (!match) {
      hideSuggestions();
      return;
    }
    mention.start = position - match[1].length - 1;
    mention.end = position;
    window.clearTimeout(mention.timer);
    mention.timer = window.setTimeout(function () { lookupMentions(match[1]); }, 150);
  });

  // Capture phase: the choice must be taken before the editor turns Enter into a new line.
  document.addEventListener(
    "keydown",
    function (event) {
      if (!event.target || event.target.id !== "comment-editor" || !mention.items.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var step = event.key === "ArrowDown" ? 1 : -1;
        mention.active = (mention.active + step + mention.items.length) % mention.items.length;
        renderSuggestions();
      } else if (event.key === "Enter" || event.key === "Tab") {
        chooseMention(mention.items[mention.active]);
      } else if (event.key === "Escape") {
        hideSuggestions();
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    },
    true
  );

  /* Presence: the heartbeat (hx-vals in the template) asks whether the agent is writing a reply. */
  window.kefuTicket = {
    replying: function () {
      return editorText("reply-editor").trim().length > 0;
    },
  };

  if (page) {
    window.addEventListener("pagehide", function () {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", page.dataset.csrfToken);
      if (navigator.sendBeacon) navigator.sendBeacon(page.dataset.presenceLeaveUrl, data);
    });
  }

  /* Live refresh: the stream reports tickets that changed; refresh this page's regions for ours. */
  function onLive(message) {
    var data = message && message.data !== undefined ? message.data : message;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch (error) {
        return;
      }
    }
    if (data && Number(data.id) === ticketId && window.htmx) {
      window.htmx.trigger(document.body, "kefu-live-changed");
    }
  }

  var subscribed = false;
  function subscribe() {
    if (!page || subscribed || !window.kefuLive || !window.kefuLive.on) return;
    subscribed = true;
    window.kefuLive.on(onLive);
  }
  subscribe();
  document.addEventListener("DOMContentLoaded", subscribe);
  window.addEventListener("load", subscribe);

  /* Create-ticket page: search a contact through contacts:lookup, or type a new one's email. */
  window.kefuContactPicker = function (url, contactId, label) {
    return {
      url: url,
      contactId: contactId,
      label: label,
      q: "",
      results: [],
      seq: 0,
      search: function () {
        var self = this;
        var query = self.q.trim();
        if (!self.url || query.length < 2) {
          self.results = [];
          return;
        }
        var seq = ++self.seq;
        fetch(self.url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) {
            if (seq === self.seq) self.results = data.items || [];
          })
          .catch(function () { self.results = []; });
      },
      choose: function (contact) {
        this.contactId = String(contact.id);
        this.label = contact.name ? contact.name + " <" + contact.email + ">" : contact.email;
        this.results = [];
        this.q = "";
      },
      clear: function () {
        this.contactId = "";
        this.label = "";
      },
    };
  };
})();
