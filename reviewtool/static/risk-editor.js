// Progressive enhancement for the risk editor: show likelihood x severity as you choose.
// The page works without it; the server computes and checks every score itself.
"use strict";
(function () {
  var bind = function (out) {
    var ids = out.dataset.for.split(" ");
    var fallback = (out.dataset.fallback || "").split(" ").filter(Boolean);
    var pick = function (id, alt) {
      var value = document.getElementById(id).value;
      return value ? Number(value) : (alt ? Number(document.getElementById(alt).value) : 0);
    };
    var update = function () {
      var l = pick(ids[0], fallback[0]);
      var s = pick(ids[1], fallback[1]);
      out.textContent = l && s ? "Score " + l * s + (l * s >= 15 ? " (high)" : l * s >= 8 ? " (medium)" : " (low)") : "";
    };
    ids.concat(fallback).forEach(function (id) {
      document.getElementById(id).addEventListener("change", update);
    });
    update();
  };
  document.querySelectorAll("output.score").forEach(bind);
  // Rows added in place by repeat-rows.js get their scores too.
  document.addEventListener("repeat:added", function (event) {
    event.detail.querySelectorAll("output.score").forEach(bind);
  });
})();
