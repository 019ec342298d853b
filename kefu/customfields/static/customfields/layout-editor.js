/* The layout editor (Settings → Layouts): sections of fields dragged into order with SortableJS (or moved
   with the Add buttons), mandatory flags, and layout rules. The state is one object; every change redraws
   from it, and the form sends it as JSON to the server, which checks it (layout_save). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("layout-editor-data").textContent);
  var words = document.getElementById("layout-words").dataset;
  var catalog = data.catalog;
  var labels = {};
  var choices = {};
  catalog.forEach(function (item) { labels[item.field] = item.label; choices[item.field] = item.choices; });
  var state = {
    sections: (data.layout.sections || []).map(function (section) {
      return {key: section.key || "", name: section.name || "", name_en: section.name_en || "",
              fields: (section.fields || []).map(function (f) {
                return {field: f.field, required_on_create: !!f.required_on_create, required_on_close: !!f.required_on_close};
              })};
    }),
    rules: (data.layout.rules || []).map(function (rule) {
      var when = rule.when || {};
      return {when: {field: when.field || "", values: (when.values || []).map(String)}, show: (rule.show || []).slice(),
              require: rule.require !== false};
    }),
  };
  var sectionsBox = document.getElementById("layout-sections");
  var rulesBox = document.getElementById("layout-rules");
  var available = document.getElementById("layout-available");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "checked") node.checked = !!attrs[key];
      else if (key === "value") node.value = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function placed() {
    var names = [];
    state.sections.forEach(function (section) { section.fields.forEach(function (f) { names.push(f.field); }); });
    return names;
  }
  function label(name) { return labels[name] || name; }
  function newKey() {
    var used = state.sections.map(function (s) { return s.key; });
    for (var n = state.sections.length + 1; ; n++) { if (used.indexOf("s" + n) < 0) return "s" + n; }
  }
  function findField(name) {
    for (var i = 0; i < state.sections.length; i++) {
      var fields = state.sections[i].fields;
      for (var j = 0; j < fields.length; j++) if (fields[j].field === name) return fields[j];
    }
    return {field: name, required_on_create: false, required_on_close: false};
  }

  function fieldItem(field, inSection) {
    var name = field.field;
    var item = el("li", {"class": "list-group-item d-flex align-items-center gap-2 flex-wrap", "data-field": name}, [
      el("span", {"class": "text-secondary", style: "cursor: grab", "data-drag-handle": "", title: words.drag, text: "⠿"}),
      el("span", {"class": "flex-fill", text: label(name)}),
    ]);
    if (inSection) {
      var flags = [["required_on_create", words.onCreate], ["required_on_close", words.onClose]];
      // Records that are never closed (contacts, accounts, custom modules) have no close flag.
      flags.filter(function (flag) { return flag[0] !== "required_on_close" || (data.phases || ["create", "close"]).indexOf("close") >= 0; }).forEach(function (flag) {
        var box = el("input", {type: "checkbox", "class": "form-check-input", checked: field[flag[0]], "data-flag": flag[0]});
        box.addEventListener("change", function () { findField(name)[flag[0]] = box.checked; });
        item.appendChild(el("label", {"class": "form-check form-check-inline mb-0"}, [box, el("span", {"class": "form-check-label", text: flag[1]})]));
      });
      var out = el("button", {type: "button", "class": "btn btn-sm btn-ghost-secondary", "aria-label": words.removeField + ": " + label(name), text: "×"});
      out.addEventListener("click", function () { removeField(name); });
      item.appendChild(out);
    } else {
      var add = el("button", {type: "button", "class": "btn btn-sm", "aria-label": words.add + ": " + label(name), text: words.add});
      add.addEventListener("click", function () {
        if (!state.sections.length) state.sections.push({key: newKey(), name: words.section + " 1", name_en: "", fields: []});
        state.sections[state.sections.length - 1].fields.push({field: name, required_on_create: false, required_on_close: false});
        draw();
      });
      item.appendChild(add);
    }
    return item;
  }
  function removeField(name) {
    state.sections.forEach(function (section) { section.fields = section.fields.filter(function (f) { return f.field !== name; }); });
    cleanRules();
    draw();
  }
  function cleanRules() {
    var names = placed();
    state.rules.forEach(function (rule) {
      if (names.indexOf(rule.when.field) < 0) rule.when.field = "";
      rule.show = rule.show.filter(function (name) { return names.indexOf(name) >= 0; });
    });
  }

  // After a drag: read the new order of every list back into the state.
  function readOrder() {
    var before = {};
    state.sections.forEach(function (section) { section.fields.forEach(function (f) { before[f.field] = f; }); });
    sectionsBox.querySelectorAll("[data-section-index]").forEach(function (list) {
      var section = state.sections[Number(list.dataset.sectionIndex)];
      section.fields = Array.prototype.map.call(list.querySelectorAll("[data-field]"), function (item) {
        var name = item.dataset.field;
        return before[name] || {field: name, required_on_create: false, required_on_close: false};
      });
    });
    cleanRules();
    draw();
  }

  function drawSections() {
    sectionsBox.innerHTML = "";
    state.sections.forEach(function (section, index) {
      var name = el("input", {"class": "form-control", value: section.name, "aria-label": words.name, placeholder: words.name, "data-section-name": ""});
      name.addEventListener("input", function () { section.name = name.value; });
      var nameEn = el("input", {"class": "form-control", value: section.name_en, "aria-label": words.nameEn, placeholder: words.nameEn});
      nameEn.addEventListener("input", function () { section.name_en = nameEn.value; });
      var drop = el("button", {type: "button", "class": "btn btn-sm btn-outline-danger", text: words.removeSection});
      drop.addEventListener("click", function () { state.sections.splice(index, 1); cleanRules(); draw(); });
      var list = el("ul", {"class": "list-group list-group-flush", "data-section-index": String(index), style: "min-height: 2.5rem"});
      section.fields.forEach(function (f) { list.appendChild(fieldItem(f, true)); });
      if (!section.fields.length) list.appendChild(el("li", {"class": "list-group-item text-secondary", "data-placeholder": "", text: words.empty}));
      sectionsBox.appendChild(el("div", {"class": "card mb-3", "data-testid": "layout-section"}, [
        el("div", {"class": "card-header d-flex gap-2 align-items-center"}, [name, nameEn, drop]),
        list,
      ]));
      Sortable.create(list, {group: "layout-fields", handle: "[data-drag-handle]", filter: "[data-placeholder]", animation: 150, forceFallback: true, onEnd: readOrder});
    });
  }
  function drawAvailable() {
    available.innerHTML = "";
    var names = placed();
    catalog.forEach(function (item) {
      if (names.indexOf(item.field) < 0) available.appendChild(fieldItem({field: item.field}, false));
    });
  }
  function drawRules() {
    rulesBox.innerHTML = "";
    var names = placed();
    state.rules.forEach(function (rule, index) {
      var when = el("select", {"class": "form-select", "aria-label": words.when});
      when.appendChild(el("option", {value: "", text: words.choose}));
      names.forEach(function (name) {
        var option = el("option", {value: name, text: label(name)});
        if (name === rule.when.field) option.selected = true;
        when.appendChild(option);
      });
      when.addEventListener("change", function () { rule.when.field = when.value; rule.when.values = []; draw(); });
      var values;
      var offered = choices[rule.when.field] || [];
      if (offered.length) {
        values = el("div", {"class": "d-flex flex-wrap gap-2", role: "group", "aria-label": words.is});
        offered.forEach(function (choice) {
          var box = el("input", {type: "checkbox", "class": "form-check-input", checked: rule.when.values.indexOf(String(choice[0])) >= 0});
          box.addEventListener("change", function () {
            rule.when.values = rule.when.values.filter(function (v) { return v !== String(choice[0]); });
            if (box.checked) rule.when.values.push(String(choice[0]));
          });
          values.appendChild(el("label", {"class": "form-check form-check-inline mb-0"}, [box, el("span", {"class": "form-check-label", text: choice[1]})]));
        });
      } else {
        values = el("input", {"class": "form-control", value: rule.when.values.join(", "), placeholder: words.valuesHint, "aria-label": words.is});
        values.addEventListener("input", function () {
          rule.when.values = values.value.split(/[,，]/).map(function (v) { return v.trim(); }).filter(Boolean);
        });
      }
      var show = el("div", {"class": "d-flex flex-wrap gap-2", role: "group", "aria-label": words.show});
      names.forEach(function (name) {
        if (name === rule.when.field) return;
        var box = el("input", {type: "checkbox", "class": "form-check-input", checked: rule.show.indexOf(name) >= 0});
        box.addEventListener("change", function () {
          rule.show = rule.show.filter(function (n) { return n !== name; });
          if (box.checked) rule.show.push(name);
        });
        show.appendChild(el("label", {"class": "form-check form-check-inline mb-0"}, [box, el("span", {"class": "form-check-label", text: label(name)})]));
      });
      var require = el("input", {type: "checkbox", "class": "form-check-input", checked: rule.require});
      require.addEventListener("change", function () { rule.require = require.checked; });
      var drop = el("button", {type: "button", "class": "btn btn-sm btn-outline-danger", text: words.removeRule});
      drop.addEventListener("click", function () { state.rules.splice(index, 1); draw(); });
      rulesBox.appendChild(el("div", {"class": "border rounded p-2 mb-2", "data-testid": "layout-rule"}, [
        el("div", {"class": "d-flex gap-2 align-items-center mb-2"}, [el("span", {text: words.when}), when, el("span", {"class": "text-nowrap", text: words.is})]),
        el("div", {"class": "mb-2"}, [values]),
        el("div", {"class": "mb-2"}, [el("span", {"class": "me-2", text: words.show}), show]),
        el("div", {"class": "d-flex justify-content-between align-items-center"}, [
          el("label", {"class": "form-check mb-0"}, [require, el("span", {"class": "form-check-label", text: words.require})]),
          drop,
        ]),
      ]));
    });
  }
  function draw() { drawSections(); drawAvailable(); drawRules(); }

  Sortable.create(available, {group: "layout-fields", handle: "[data-drag-handle]", animation: 150, forceFallback: true, onEnd: readOrder});
  document.getElementById("layout-add-section").addEventListener("click", function () {
    state.sections.push({key: newKey(), name: words.section + " " + (state.sections.length + 1), name_en: "", fields: []});
    draw();
  });
  document.getElementById("layout-add-rule").addEventListener("click", function () {
    state.rules.push({when: {field: "", values: []}, show: [], require: true});
    draw();
  });
  document.getElementById("layout-form").addEventListener("submit", function () {
    document.getElementById("layout-json").value = JSON.stringify(state);
  });
  draw();
})();
