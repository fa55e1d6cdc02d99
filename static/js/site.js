/* Every page: the language choice applies as soon as it is made (its button is for pages without JavaScript). */
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-on-change]").forEach(function (form) {
    form.querySelectorAll("[data-without-js]").forEach(function (button) { button.hidden = true; });
    form.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
