/* Proposal page: support, or withdraw a support, without reloading the page.
   The forms work on their own; this only submits them with fetch and updates the page. */
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-support-form]"));
  if (!forms.length || !window.fetch || !window.FormData) return;

  var count = document.getElementById("support-count");
  var progress = document.getElementById("support-progress");
  var status = document.getElementById("proposal-status");
  var message = document.getElementById("support-message");

  function update(data) {
    count.textContent = data.support_count;
    progress.max = data.threshold;
    progress.value = data.support_count;
    progress.textContent = Math.min(100, Math.round((100 * data.support_count) / data.threshold)) + "%";
    if (status && data.status_label) {
      status.textContent = data.status_label;
      status.className = "status status-" + data.status;
    }
    if (message) message.textContent = data.message || "";
  }

  function showForms(supported, submitted) {
    forms.forEach(function (form) {
      form.hidden = (form.dataset.supportForm === "support") === supported;
    });
    // The button just pressed may be hidden now: keep keyboard focus on its counterpart.
    if (submitted.hidden) {
      var visible = forms.filter(function (form) { return !form.hidden; })[0];
      if (visible) visible.querySelector("button").focus();
    }
  }

  forms.forEach(function (form) {
    form.dataset.enhanced = "true";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-Requested-With": "XMLHttpRequest",
          "X-CSRFToken": token ? token.value : ""
        }
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) throw new Error("Not a JSON answer");
          return response.json();
        })
        .then(function (data) {
          button.disabled = false;
          update(data);
          showForms(data.supported, form);
        })
        .catch(function () {
          // Offline, logged out or an unexpected page: let the browser submit the form itself.
          button.disabled = false;
          form.submit();
        });
    });
  });
})();
