// A job's page: follows its status URL (data-job-status-url) every 1.5 seconds and moves the
// progress bar and the count; once the job has ended the page is loaded again, and shows the
// result from the database (a reload at any time shows the same). No inline scripts exist
// (CSP script-src 'self').
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) { return; }
  var state = box.dataset.jobState;
  if (state === "done" || state === "failed") { return; }
  var url = box.dataset.jobStatusUrl;
  var bar = box.querySelector("[data-job-bar]");
  var progress = box.querySelector("[data-job-progress]");
  var INTERVAL = 1500;

  function show(status) {
    box.querySelectorAll("[data-job-field]").forEach(function (el) {
      var value = status[el.dataset.jobField];
      if (value !== undefined && value !== null) { el.textContent = value; }
    });
    if (status.percent !== null && status.percent !== undefined) {
      bar.style.width = status.percent + "%";
      progress.setAttribute("aria-valuenow", String(status.percent));
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () { window.setTimeout(poll, INTERVAL * 2); });
  }

  window.setTimeout(poll, INTERVAL);
})();
