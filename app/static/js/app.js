// Behaviour for every page. No inline scripts exist (CSP script-src 'self').
(function () {
  "use strict";
  // Widths from data attributes: inline style attributes are forbidden by the CSP.
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
  });
  // Buttons that ask before a destructive action: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { event.preventDefault(); }
  });
  // "Select all" checkboxes: <input type="checkbox" data-select-all="official_id"> ticks every
  // checkbox of that name in its form (the form may be linked by the form="..." attribute).
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-select-all]");
    if (!box) { return; }
    var form = box.form;
    if (!form) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" && el.name === box.dataset.selectAll) { el.checked = box.checked; }
    });
  });
})();
