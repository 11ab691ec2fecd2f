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
  // Wide tables (.m3-scroll: the Mục tiêu 3 per-organization table, the attendance grid):
  // show their "scrolls sideways" hint whenever the table is wider than its box.
  function hintOverflow() {
    document.querySelectorAll(".m3-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("m3-scroll-hint")) {
        hint.classList.toggle("is-shown", box.scrollWidth > box.clientWidth + 1);
      }
    });
  }
  hintOverflow();
  window.addEventListener("resize", hintOverflow);
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
