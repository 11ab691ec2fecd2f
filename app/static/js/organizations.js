// Organizations tree filter, "select all" checkboxes, and the credentials download.
// Everything here is an enhancement: the pages work without JavaScript.
(function () {
  "use strict";

  // Folding as the server does (DOMAIN §3): no diacritics, đ -> d, lower case.
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().trim();
  }

  // --- tree filter: <input data-tree-filter="id of the tree container"> ---
  document.querySelectorAll("[data-tree-filter]").forEach(function (input) {
    var tree = document.getElementById(input.dataset.treeFilter);
    if (!tree) { return; }
    var items = Array.prototype.slice.call(tree.querySelectorAll("[data-tree-item]"));
    var names = items.map(function (li) { return fold(li.dataset.name); });
    var empty = tree.querySelector("[data-tree-empty]");
    input.hidden = false;
    input.addEventListener("input", function () {
      var needle = fold(input.value);
      var shown = new Set();
      // Children come after their parent in document order: walk backwards so that a
      // parent knows whether one of its descendants matched.
      for (var i = items.length - 1; i >= 0; i--) {
        var li = items[i];
        var visible = !needle || names[i].indexOf(needle) !== -1 ||
          Array.prototype.some.call(li.querySelectorAll("[data-tree-item]"), function (c) {
            return shown.has(c);
          });
        if (visible) { shown.add(li); }
        li.hidden = !visible;
      }
      var any = false;
      tree.querySelectorAll("[data-tree-section]").forEach(function (section) {
        var has = section.querySelector("[data-tree-item]:not([hidden])") !== null;
        section.hidden = !has;
        any = any || has;
      });
      if (empty) { empty.hidden = any; }
    });
  });

  // --- "select all" and the count of selected boxes ---
  function boxes(name) {
    return document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  }
  function refresh(name) {
    var all = boxes(name);
    var checked = Array.prototype.filter.call(all, function (b) { return b.checked; }).length;
    document.querySelectorAll('[data-selected-count="' + name + '"]').forEach(function (el) {
      el.hidden = false;
      el.querySelector("span").textContent = checked;
    });
    document.querySelectorAll('[data-check-all="' + name + '"]').forEach(function (box) {
      box.checked = all.length > 0 && checked === all.length;
      box.indeterminate = checked > 0 && checked < all.length;
    });
    document.querySelectorAll('[data-requires-selection="' + name + '"]').forEach(function (b) {
      if (!b.dataset.busy) { b.disabled = checked === 0; }
    });
  }
  var names = new Set();
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    var name = box.dataset.checkAll;
    names.add(name);
    box.hidden = false;
    box.addEventListener("change", function () {
      boxes(name).forEach(function (b) { b.checked = box.checked; });
      refresh(name);
    });
  });
  document.querySelectorAll("[data-requires-selection]").forEach(function (b) {
    names.add(b.dataset.requiresSelection);
  });
  names.forEach(function (name) {
    boxes(name).forEach(function (b) {
      b.addEventListener("change", function () { refresh(name); });
    });
    refresh(name);
  });

  // --- the credentials download: fetch the file, save it, then reload the list ---
  // A plain form POST would leave the page showing officials who now have accounts.
  function filename(response) {
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
      response.headers.get("Content-Disposition") || "");
    return match ? decodeURIComponent(match[1]) : "tai-khoan.xlsx";
  }
  document.querySelectorAll("form[data-download-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.URL || !window.Blob) { return; }
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      var label = button.textContent;
      button.dataset.busy = "1";
      button.disabled = true;
      button.textContent = button.dataset.busyLabel || label;
      // redirect "manual": a refusal is a redirect whose flashed message the reload shows.
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual"
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.ok && type.indexOf("spreadsheetml") !== -1) {
          return response.blob().then(function (blob) {
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = filename(response);
            document.body.appendChild(link);
            link.click();
            setTimeout(function () {
              URL.revokeObjectURL(link.href);
              window.location.reload();
            }, 800);
          });
        }
        window.location.reload();
      }).catch(function () {
        delete button.dataset.busy;
        button.textContent = label;
        button.disabled = false;
        window.alert(form.dataset.errorMessage);
      });
    });
  });
})();
