// Qualification record forms: show the level select of the chosen ladder only.
// Without JavaScript every ladder's select shows, each labelled with its ladder, and the
// server reads the chosen ladder's; the hidden ones are disabled so they are not sent.
(function () {
  "use strict";
  document.querySelectorAll("select[data-ladder-select]").forEach(function (ladder) {
    var groups = ladder.form.querySelectorAll("[data-level-group]");
    function show() {
      groups.forEach(function (group) {
        var active = group.dataset.levelGroup === ladder.value;
        group.hidden = !active;
        group.querySelectorAll("select").forEach(function (select) {
          select.disabled = !active;
        });
      });
    }
    ladder.addEventListener("change", show);
    show();
  });
})();
