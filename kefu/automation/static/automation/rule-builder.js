/* The rule builder: conditions in nested all/any groups and a list of actions, edited with drop-downs.
   The definition is kept as JSON in two hidden inputs (criteria, actions) that the server validates with
   the criteria engine and the action registry; errors come back by path (criteria.all[1].any[0].value,
   actions[2].field) and are shown under the row they name. Without an actions input (actionsId null) it
   edits conditions alone: a saved ticket view's. */
(function () {
  "use strict";

  var uid = 0;
  function nextId() { uid += 1; return uid; }

  function choiceValue(choices, selected) {
    var found = (choices || []).find(function (choice) { return String(choice.value) === String(selected); });
    return found ? found.value : selected;
  }

  function splitList(text) {
    return String(text || "").split(/[,，;；\n]/).map(function (item) { return item.trim(); }).filter(Boolean);
  }

  window.kefuRuleBuilder = function (criteriaId, actionsId, catalogId, errorsId) {
    var criteriaInput = document.getElementById(criteriaId);
    var actionsInput = actionsId ? document.getElementById(actionsId) : null;
    var catalog = JSON.parse(document.getElementById(catalogId).textContent);
    var errors = JSON.parse(document.getElementById(errorsId).textContent || "{}");
    var fields = {};
    catalog.fields.forEach(function (field) { fields[field.key] = field; });
    var operators = {};
    catalog.operators.forEach(function (op) { operators[op.key] = op; });
    var settable = {};
    (catalog.settable || []).forEach(function (field) { settable[field.key] = field; });

    function toNode(json) {
      var op = json && json.any ? "any" : "all";
      var items = (json && json[op]) || [];
      return {
        id: nextId(), kind: "group", op: op,
        items: items.map(function (item) { return item.field ? toCondition(item) : toNode(item); }),
      };
    }

    function toCondition(item) {
      var value = item.value;
      var condition = { id: nextId(), kind: "condition", field: item.field, op: item.op, value: "", list: [], low: "", high: "" };
      if (Array.isArray(value) && operators[item.op] && operators[item.op].value === "range") {
        condition.low = value[0]; condition.high = value[1];
      } else if (Array.isArray(value)) {
        var field = fields[item.field];
        if (field && field.choices) condition.list = value.map(String);
        else condition.value = value.join(", ");
      } else if (value !== undefined && value !== null) {
        condition.value = String(value);
      }
      return condition;
    }

    function toAction(action) {
      return {
        id: nextId(), type: action.type || "set_field", field: action.field || "priority",
        value: action.value === undefined || action.value === null ? "" : String(action.value),
        agent_id: action.agent_id ? String(action.agent_id) : "", team_id: action.team_id ? String(action.team_id) : "",
        tags: (action.tags || []).join(", "), body: action.body || "",
        macro_id: action.macro_id ? String(action.macro_id) : "",
        template: action.template || "", to: (action.to || []).join(", "),
      };
    }

    function parse(input, fallback) {
      try { return JSON.parse(input.value || "null") || fallback; } catch (error) { return fallback; }
    }

    function conditionJson(condition) {
      var field = fields[condition.field] || { type: "text", choices: null };
      var op = operators[condition.op] || { value: "none" };
      var out = { field: condition.field, op: condition.op };
      var number = field.type === "number" || field.type === "hours";
      function one(raw) {
        if (field.choices) return choiceValue(field.choices, raw);
        if (field.type === "boolean") return raw === "true";
        if (number && raw !== "" && !isNaN(Number(raw))) return Number(raw);
        return raw;
      }
      if (op.value === "one") out.value = one(condition.value);
      if (op.value === "list") {
        out.value = field.choices ? condition.list.map(function (v) { return choiceValue(field.choices, v); }) : splitList(condition.value).map(one);
      }
      if (op.value === "range") out.value = [one(String(condition.low)), one(String(condition.high))];
      return out;
    }

    function groupJson(group) {
      var out = {};
      out[group.op] = group.items.map(function (item) { return item.kind === "group" ? groupJson(item) : conditionJson(item); });
      return out;
    }

    function actionJson(action) {
      switch (action.type) {
        case "set_field":
          var field = settable[action.field] || {};
          var value = action.value === "" ? null : (field.choices ? choiceValue(field.choices, action.value) : action.value);
          if (field.type === "number" && value !== null && !isNaN(Number(value))) value = Number(value);
          if (field.type === "boolean" && value !== null) value = value === "true";
          return { type: "set_field", field: action.field, value: value };
        case "assign":
          var assign = { type: "assign" };
          if (action.agent_id !== "") assign.agent_id = Number(action.agent_id);
          if (action.team_id !== "") assign.team_id = Number(action.team_id);
          return assign;
        case "add_tags":
        case "remove_tags":
          return { type: action.type, tags: splitList(action.tags) };
        case "comment":
        case "reply":
          return { type: action.type, body: action.body };
        case "apply_macro":
          return { type: "apply_macro", macro_id: action.macro_id === "" ? null : Number(action.macro_id) };
        case "notify_email":
        case "notify_sms":
        case "notify_in_app":
          return { type: action.type, template: action.template, to: splitList(action.to) };
        default:
          return { type: action.type };
      }
    }

    return {
      catalog: catalog,
      errors: errors,
      root: toNode(parse(criteriaInput, { all: [] })),
      actions: actionsInput ? parse(actionsInput, []).map(toAction) : [],

      rows: function () {
        var rows = [];
        function walk(group, path, depth, parent, index) {
          rows.push({ node: group, path: path, depth: depth, parent: parent, index: index });
          group.items.forEach(function (item, position) {
            var childPath = path + "." + group.op + "[" + position + "]";
            if (item.kind === "group") walk(item, childPath, depth + 1, group, position);
            else rows.push({ node: item, path: childPath, depth: depth + 1, parent: group, index: position });
          });
        }
        walk(this.root, "criteria", 0, null, 0);
        return rows;
      },
      field: function (condition) { return fields[condition.field] || null; },
      operatorsOf: function (condition) {
        var field = fields[condition.field];
        return field ? field.operators.map(function (key) { return operators[key]; }) : [];
      },
      valueKind: function (condition) {
        var op = operators[condition.op];
        return op ? op.value : "none";
      },
      inputType: function (condition) {
        var field = fields[condition.field];
        if (!field) return "text";
        if (field.type === "number" || field.type === "hours") return "number";
        if (field.type === "date" || field.type === "datetime") return "date";
        return "text";
      },
      fieldChanged: function (condition) {
        var field = fields[condition.field];
        if (field && field.operators.indexOf(condition.op) === -1) condition.op = field.operators[0];
        condition.value = ""; condition.list = []; condition.low = ""; condition.high = "";
      },
      addCondition: function (group) {
        var first = catalog.fields[0];
        group.items.push({ id: nextId(), kind: "condition", field: first.key, op: first.operators[0], value: "", list: [], low: "", high: "" });
      },
      addGroup: function (group) {
        var child = { id: nextId(), kind: "group", op: group.op === "all" ? "any" : "all", items: [] };
        group.items.push(child);
        this.addCondition(child);
      },
      removeRow: function (row) { if (row.parent) row.parent.items.splice(row.index, 1); },
      errorsAt: function (path, exact) {
        var found = [];
        var self = this;
        Object.keys(self.errors).forEach(function (key) {
          var own = exact ? key === path : (key === path || key.indexOf(path + ".") === 0 || key.indexOf(path + "[") === 0);
          if (own) found.push(self.errors[key]);
        });
        return found;
      },
      conditionErrors: function (row) { return this.errorsAt(row.path, false); },
      groupErrors: function (row) { return this.errorsAt(row.path, true); },
      actionErrors: function (index) { return this.errorsAt("actions[" + index + "]", false); },

      settableField: function (action) { return settable[action.field] || null; },
      addAction: function () { this.actions.push(toAction({ type: "set_field", field: "priority" })); },
      removeAction: function (index) { this.actions.splice(index, 1); },

      sync: function () {
        criteriaInput.value = JSON.stringify(groupJson(this.root));
        if (actionsInput) actionsInput.value = JSON.stringify(this.actions.map(actionJson));
      },
    };
  };

  /* The list page: drag rows to reorder; the new order is saved at once. */
  window.kefuRuleOrder = function (tbody) {
    if (!tbody || !window.Sortable) return;
    window.Sortable.create(tbody, {
      handle: "[data-drag]",
      animation: 150,
      onEnd: function () {
        var body = new URLSearchParams();
        tbody.querySelectorAll("tr[data-rule-id]").forEach(function (row) { body.append("ids", row.dataset.ruleId); });
        var token = document.querySelector("[name=csrfmiddlewaretoken]");
        fetch(tbody.dataset.reorderUrl, {
          method: "POST",
          headers: { "X-CSRFToken": token ? token.value : "", "Content-Type": "application/x-www-form-urlencoded" },
          body: body,
        }).then(function (response) {
          var status = document.getElementById("reorder-status");
          if (status) status.textContent = response.ok ? status.dataset.saved : status.dataset.failed;
        });
      },
    });
  };
})();
