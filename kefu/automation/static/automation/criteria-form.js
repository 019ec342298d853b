/* A criteria form for assignment rules: "all"/"any" of a list of conditions, each field → operator → value
   chosen from the criteria engine's catalog. Definitions with nested groups (made through the API) are
   kept as they are and shown read-only. The JSON goes into a hidden input; the server validates it. */
(function () {
  "use strict";

  function valueOf(condition) {
    if (condition.value === undefined || condition.value === null) return "";
    return condition.value;
  }

  window.kefuCriteriaForm = function (inputId, catalogId) {
    var input = document.getElementById(inputId);
    var catalog = JSON.parse(document.getElementById(catalogId).textContent);
    var definition = {};
    try { definition = JSON.parse(input.value || "{}") || {}; } catch (error) { definition = {}; }
    var match = definition.any ? "any" : "all";
    var items = definition[match] || [];
    var nested = items.some(function (item) { return item.all || item.any; });
    function isRange(key) {
      var op = catalog.operators.find(function (entry) { return entry.key === key; });
      return op ? op.value === "range" : false;
    }
    return {
      catalog: catalog,
      match: match,
      nested: nested,
      raw: input.value,
      conditions: nested ? [] : items.map(function (item) {
        var value = valueOf(item);
        return {
          field: item.field,
          op: item.op,
          value: Array.isArray(value) && !isRange(item.op) ? value.map(String) : value,
          low: Array.isArray(value) ? value[0] : "",
          high: Array.isArray(value) ? value[1] : "",
        };
      }),
      fieldOf: function (key) { return catalog.fields.find(function (field) { return field.key === key; }) || null; },
      operatorOf: function (key) { return catalog.operators.find(function (op) { return op.key === key; }) || null; },
      operators: function (condition) {
        var field = this.fieldOf(condition.field);
        var self = this;
        return field ? field.operators.map(function (key) { return self.operatorOf(key); }).filter(Boolean) : [];
      },
      kind: function (condition) { var op = this.operatorOf(condition.op); return op ? op.value : "none"; },
      choices: function (condition) { var field = this.fieldOf(condition.field); return field && field.choices ? field.choices : null; },
      add: function () {
        var field = catalog.fields[0];
        this.conditions.push({ field: field.key, op: field.operators[0], value: "", low: "", high: "" });
      },
      remove: function (index) { this.conditions.splice(index, 1); },
      fieldChanged: function (condition) {
        var field = this.fieldOf(condition.field);
        if (field && field.operators.indexOf(condition.op) === -1) condition.op = field.operators[0];
        condition.value = "";
      },
      sync: function () {
        if (this.nested) { input.value = this.raw; return; }
        var self = this;
        var list = this.conditions.map(function (condition) {
          var kind = self.kind(condition);
          var out = { field: condition.field, op: condition.op };
          if (kind === "one") out.value = condition.value;
          if (kind === "list") out.value = Array.isArray(condition.value) ? condition.value : String(condition.value).split(/[,，]/).map(function (part) { return part.trim(); }).filter(Boolean);
          if (kind === "range") out.value = [condition.low, condition.high];
          return out;
        });
        var definition = {};
        definition[this.match] = list;
        input.value = list.length ? JSON.stringify(definition) : "";
      },
    };
  };
})();
