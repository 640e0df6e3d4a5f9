/* Progressive enhancement for the roles index: filter the list in place.
   Without JavaScript the form stays hidden and the full list (and the browse pages) still work. */
(function () {
  "use strict";
  var form = document.getElementById("role-filter");
  if (!form) { return; }
  var text = document.getElementById("filter-text");
  var stage = document.getElementById("filter-stage");
  var profession = document.getElementById("filter-profession");
  var setting = document.getElementById("filter-setting");
  var status = document.getElementById("filter-status");
  var items = Array.prototype.slice.call(document.querySelectorAll("li[data-stage]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".filter-group"));

  function normalise(value) {
    return value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function apply() {
    var words = normalise(text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var title = normalise(item.querySelector("a").textContent);
      var settings = (item.getAttribute("data-settings") || "").split(" ");
      var match = words.every(function (word) { return title.indexOf(word) !== -1; }) &&
        (!stage.value || item.getAttribute("data-stage") === stage.value) &&
        (!profession.value || item.getAttribute("data-profession") === profession.value) &&
        (!setting.value || settings.indexOf(setting.value) !== -1);
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelectorAll("li[data-stage]:not([hidden])").length === 0;
    });
    status.textContent = shown === items.length ? items.length + " roles" : shown + " of " + items.length + " roles shown";
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  [text, stage, profession, setting].forEach(function (control) {
    control.addEventListener("input", apply);
    control.addEventListener("change", apply);
  });
  apply();
}());
