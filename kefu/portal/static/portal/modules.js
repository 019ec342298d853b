// Help-center settings: reorder the home page's modules by dragging (SortableJS) or with the arrow buttons.
(function () {
  "use strict";
  var list = document.getElementById("hc-modules");
  if (!list) return;
  if (window.Sortable) window.Sortable.create(list, { handle: ".kefu-drag-handle", animation: 150 });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) return;
    var item = button.closest("li");
    if (button.dataset.move === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (button.dataset.move === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    button.focus();
  });
})();
