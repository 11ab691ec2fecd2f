// Childcare request form: the name and birth date fields only while "another child" is chosen.
// Without JavaScript they always show, and the server ignores them when a remembered child is
// chosen.
(function () {
  "use strict";
  var fields = document.querySelector("[data-new-child]");
  if (!fields) {
    return;
  }
  var radios = document.querySelectorAll("input[name=child]");
  function show() {
    var chosen = document.querySelector("input[name=child]:checked");
    fields.hidden = Boolean(chosen) && chosen.value !== "new";
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
