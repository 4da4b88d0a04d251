// Progressive enhancement for repeating rows (risks, safeguards, criteria, conditions).
// Each box [data-repeat] holds its rows, a <template> of a blank row whose names carry
// __index__ (the list index the server reads) and __number__ (the row's number in labels),
// and an "Add another" button. Without this script that button submits the form and the
// server adds the blank row, keeping what was typed; with it, the row appears in place.
"use strict";
(function () {
  var nextIndex = {};  // per list: boxes of one list (risks by category) share its indexes
  var boxes = document.querySelectorAll("[data-repeat]");
  boxes.forEach(function (box) {
    var list = box.dataset.repeat;
    nextIndex[list] = Math.max(nextIndex[list] || 0, Number(box.dataset.next));
  });
  boxes.forEach(function (box) {
    var list = box.dataset.repeat;
    var number = Number(box.dataset.count);
    var template = box.querySelector("template");
    var add = box.querySelector("button.add-row");
    var enableRemove = function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.closest(".repeat-row").remove();
        add.focus();
      });
    };
    box.querySelectorAll("button.remove-row").forEach(enableRemove);
    add.addEventListener("click", function (event) {
      event.preventDefault();
      number += 1;
      var html = template.innerHTML.split("__index__").join(String(nextIndex[list]))
        .split("__number__").join(String(number));
      nextIndex[list] += 1;
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      box.insertBefore(row, add);
      row.querySelectorAll("button.remove-row").forEach(enableRemove);
      document.dispatchEvent(new CustomEvent("repeat:added", { detail: row }));
      var first = row.querySelector("textarea, select, input:not([type=hidden])");
      if (first) { first.focus(); }
    });
  });
})();
