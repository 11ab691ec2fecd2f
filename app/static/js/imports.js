// The import pages: a form whose submit button carries data-busy="<words>" is sent once.
// While its request runs (reading and checking a file, or writing it, takes a while) the
// buttons are disabled and say what is happening; links of the form are disabled too.
// No inline scripts exist (CSP script-src 'self').
(function () {
  "use strict";

  function setBusy(form, busy) {
    form.querySelectorAll("[data-busy]").forEach(function (button) {
      if (busy) {
        button.dataset.idle = button.tagName === "INPUT" ? button.value : button.textContent;
      }
      var words = busy ? button.dataset.busy : button.dataset.idle;
      if (words) {
        if (button.tagName === "INPUT") { button.value = words; } else { button.textContent = words; }
      }
      button.disabled = busy;
    });
    form.querySelectorAll("a.btn").forEach(function (link) {
      link.classList.toggle("disabled", busy);
      if (busy) { link.setAttribute("aria-disabled", "true"); } else { link.removeAttribute("aria-disabled"); }
    });
    if (busy) { form.setAttribute("aria-busy", "true"); } else { form.removeAttribute("aria-busy"); }
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-busy]")) { return; }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault(); // already sent: a second click sends nothing
        return;
      }
      form.setAttribute("aria-busy", "true");
      // After the submit event, so that the browser has taken the form's data already.
      window.setTimeout(function () { setBusy(form, true); }, 0);
    });
  });

  // Back to a page kept in the back-forward cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[aria-busy]").forEach(function (form) { setBusy(form, false); });
  });
})();
