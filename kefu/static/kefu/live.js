/* Live updates: one EventSource per page on the tickets:stream endpoint.
   window.kefuLive.on(callback) calls callback({id, number, updated_at, kind}) for each changed ticket
   the agent can see. The server ends each stream after about a minute; EventSource reconnects by itself
   and sends Last-Event-ID, so nothing is lost or repeated. */
(function () {
  "use strict";

  var url = document.body.dataset.kefuStream;
  var callbacks = [];
  var source = null;

  function connect() {
    if (source || !url || typeof window.EventSource === "undefined") return;
    source = new EventSource(url);
    source.addEventListener("ticket", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      callbacks.forEach(function (callback) {
        try { callback(data); } catch (error) { window.console && console.error(error); }
      });
    });
  }

  window.kefuLive = {
    on: function (callback) {
      callbacks.push(callback);
      connect();
    },
  };

  window.addEventListener("pagehide", function () {
    if (source) { source.close(); source = null; }
  });
})();
