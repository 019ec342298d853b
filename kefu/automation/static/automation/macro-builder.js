/* The macro builder: a list of actions edited with drop-downs; the JSON goes into a hidden input that the
   server cleans with the action registry (errors come back naming actions[n]). */
(function () {
  "use strict";

  function splitTags(text) {
    return (text || "").split(/[,，;；\n]/).map(function (tag) { return tag.trim(); }).filter(Boolean);
  }

  function toItem(action) {
    return {
      type: action.type || "reply",
      body: action.body || "",
      field: action.field || "status",
      value: action.value === undefined || action.value === null ? "" : action.value,
      agent_id: action.agent_id || "",
      team_id: action.team_id || "",
      tags: (action.tags || []).join(", "),
    };
  }

  function toAction(item) {
    switch (item.type) {
      case "reply":
      case "comment":
        return { type: item.type, body: item.body };
      case "set_field":
        return { type: item.type, field: item.field, value: item.value === "" ? null : Number(item.value) };
      case "assign":
        var assign = { type: "assign" };
        if (item.agent_id !== "") assign.agent_id = Number(item.agent_id);
        if (item.team_id !== "") assign.team_id = Number(item.team_id);
        return assign;
      default:
        return { type: item.type, tags: splitTags(item.tags) };
    }
  }

  window.kefuMacroBuilder = function (inputId, catalogId) {
    var input = document.getElementById(inputId);
    var catalog = JSON.parse(document.getElementById(catalogId).textContent);
    var initial = [];
    try { initial = JSON.parse(input.value || "[]"); } catch (error) { initial = []; }
    return {
      catalog: catalog,
      items: (Array.isArray(initial) ? initial : []).map(toItem),
      add: function () { this.items.push(toItem({ type: catalog.types.length ? catalog.types[0].type : "reply" })); },
      remove: function (index) { this.items.splice(index, 1); },
      choices: function (item) {
        var field = catalog.fields.find(function (entry) { return entry.key === item.field; });
        return field ? field.choices : [];
      },
      insert: function (item, event) {
        if (event.target.value) item.body = (item.body || "") + "{{ " + event.target.value + " }}";
        event.target.value = "";
      },
      sync: function () { input.value = JSON.stringify(this.items.map(toAction)); },
    };
  };
})();
