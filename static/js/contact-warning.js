/* Warn before a citizen publishes contact details.
 *
 * Loaded on every page by base.html; it watches the forms that publish text (a report,
 * a comment, a proposal): those with a description, address, title, summary or body
 * field, or any form marked data-contact-check. When the text looks like a phone number,
 * an email address or an identity number, the first submit stops and a warning says
 * that the public will see it redacted; a second submit sends the form as it is (a
 * change to the text checks it again). The
 * server redacts the public text either way (cocreate/redaction.py holds the rules).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var message = script && script.getAttribute("data-message");
  if (!message) {
    return;
  }
  var FIELDS = [
    "textarea[name=description]", "textarea[name=body]", "textarea[name=summary]",
    "input[name=title]", "input[name=summary]", "input[name=address]",
  ].join(",");
  var PATTERNS = [
    /[\w.+-]+@[\w-]+(\.[\w-]+)+/,                                    // ana@example.org
    /[\w.+-]+\s*[\[({<]\s*(at|@)\s*[\])}>]\s*[\w-]+/i,               // ana [at] example [dot] org
    /[\w.+-]+\s+at\s+[\w-]+(\s+dot\s+[\w-]+)*\s+dot\s+(com|net|org|info|biz|io|id|my|co|go|ac|or)\b/i,
    /(^|\D)\d{6}-\d{2}-\d{4}(\D|$)/,                                  // MyKad 900101-14-5678
    /(^|[^\d.])(\d{12,20}|\d{4}([ -])\d{4}\3\d{4}\3\d{4})([^\d.]|$)/, // NIK and long identity numbers
  ];
  var PHONE = /(^|[^\w+.,\/-])((\+\d{1,3}[ .-]?|\(0\d{1,4}\)[ .-]?)?\d{1,13}([ .-]\d{2,8}){0,5})/g;

  function looksLikePhone(text) {
    var match;
    PHONE.lastIndex = 0;
    while ((match = PHONE.exec(text)) !== null) {
      var candidate = match[2];
      var digits = candidate.replace(/\D/g, "");
      var body = candidate.replace(/^(\+\d{1,3}[ .-]?|\(0\d{1,4}\)[ .-]?)/, "");
      var separators = (body.match(/[ .-]/g) || []).filter(function (s, i, all) { return all.indexOf(s) === i; });
      var dials = /^[+0(]/.test(candidate) || digits.indexOf("62") === 0;
      if (digits.length >= 9 && digits.length <= 15 && dials && separators.length <= 1) {
        return true;
      }
    }
    return false;
  }

  function looksPersonal(text) {
    return !!text && (looksLikePhone(text) || PATTERNS.some(function (pattern) { return pattern.test(text); }));
  }

  function warn(form) {
    var warning = form.querySelector(".contact-warning");
    if (!warning) {
      warning = document.createElement("p");
      warning.className = "notice contact-warning";
      warning.setAttribute("role", "alert");
      warning.textContent = message;
      var button = form.querySelector("button[type=submit], input[type=submit]");
      form.insertBefore(warning, button && button.parentNode === form ? button : null);
    }
    warning.scrollIntoView({block: "nearest"});
  }

  // Capture: the warning stops the submit before any other script of the page handles it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-contact-warned") === "true") {
      return;
    }
    var fields = form.querySelectorAll(form.hasAttribute("data-contact-check") ? "textarea, input[type=text]" : FIELDS);
    var personal = Array.prototype.some.call(fields, function (field) { return looksPersonal(field.value); });
    if (!personal) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    form.setAttribute("data-contact-warned", "true");
    warn(form);
  }, true);

  // Text changed after the warning: check it again on the next submit.
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.getAttribute("data-contact-warned") === "true") {
      form.removeAttribute("data-contact-warned");
      var warning = form.querySelector(".contact-warning");
      if (warning) {
        warning.remove();
      }
    }
  });
}());
