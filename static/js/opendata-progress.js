/* Open data page, city staff: follow a running build of the datasets, then reload the page
   to show the new files. The page works without it; this only moves the progress bars. */
(function () {
  "use strict";
  var panel = document.getElementById("build");
  if (!panel || !window.fetch || panel.dataset.status !== "building") return;

  var url = panel.dataset.progressUrl;
  var statusText = panel.querySelector("[data-build-status]");
  var INTERVAL = 1500;
  var RETRY = 5000;

  function show(data) {
    Object.keys(data.datasets).forEach(function (name) {
      var counts = data.datasets[name];
      var bar = panel.querySelector('progress[data-dataset="' + name + '"]');
      var label = panel.querySelector('[data-dataset-count="' + name + '"]');
      if (bar) {
        var max = Math.max(counts.total, 1);
        bar.max = max;
        // A finished dataset with no rows is full, not empty.
        bar.value = data.status === "succeeded" && !counts.total ? max : Math.min(counts.done, max);
        bar.textContent = counts.done + " / " + counts.total;
      }
      if (label) label.textContent = counts.done + " / " + counts.total;
    });
    if (statusText && data.status_label) statusText.textContent = data.status_label;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        panel.dataset.status = data.status || "";
        if (data.status === "building") {
          window.setTimeout(poll, INTERVAL);
        } else {
          // Finished: the page now has the new files, sizes and charts.
          window.location.reload();
        }
      })
      .catch(function () {
        // Offline or signed out for a moment: try again, less often.
        window.setTimeout(poll, RETRY);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
