// The trainer's register (templates/attendance/register.html). Without this script the
// "Tất cả có mặt" button saves everyone not marked otherwise as present (one request); with
// it, the button only ticks "present" for everyone, the trainer then taps the exceptions and
// saves once.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-all-present]");
    if (!button || !button.form) { return; }
    event.preventDefault();
    button.form.querySelectorAll(".att-line").forEach(function (line) {
      var present = line.querySelector('input[type=radio][value="present"]');
      if (present) { present.checked = true; }
    });
  });
})();
