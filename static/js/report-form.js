/* The report form: offers open reports near the pin, shrinks photos before they are sent, remembers
   the kind of problem for next time, and keeps a report made offline on the phone (see offline.js). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var MAX_SIDE = 2048, QUALITY = 0.85, RECENT_KEY = "cocreate.recentServices";
  var sendButton = document.getElementById("send-report");
  var element = document.getElementById("pick-map");

  /* Open reports of the same kind near the pin. */
  var nearbyTimer = null;
  function showNearby(lat, lon) {
    var section = document.getElementById("nearby");
    var list = document.getElementById("nearby-list");
    var template = document.getElementById("nearby-item");
    if (!element || !element.dataset.nearbyUrl) return;
    var url = element.dataset.nearbyUrl + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        list.replaceChildren();
        data.results.forEach(function (report) {
          var item = template.content.cloneNode(true);
          var link = item.querySelector(".nearby-link");
          link.href = report.url;
          link.textContent = "#" + report.id + " " + (report.description || "");
          item.querySelector(".nearby-meta").textContent = report.status + " · " + report.distance_m + " m";
          item.querySelector(".nearby-follow").action = report.follow_url;
          list.appendChild(item);
        });
        section.hidden = data.results.length === 0;
      })
      .catch(function () { section.hidden = true; });
  }
  document.addEventListener("pinmove", function (event) {
    clearTimeout(nearbyTimer);
    nearbyTimer = setTimeout(function () { showNearby(event.detail.lat, event.detail.lon); }, 500);
  });

  /* Photos: every chosen image is redrawn at most 2048 px long as a JPEG before it is sent. */
  var previews = document.getElementById("photo-previews");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file][name=photos]"));
  var pending = 0;

  function shrink(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && file.type === "image/jpeg" && blob.size >= file.size)) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function setFiles(input, files) {
    var transfer = new DataTransfer();
    files.forEach(function (file) { transfer.items.add(file); });
    input.files = transfer.files;
  }

  function renderPreviews() {
    previews.querySelectorAll(".photo-new").forEach(function (node) { node.remove(); });
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file, index) {
        var item = document.createElement("li");
        item.className = "photo-new";
        var image = document.createElement("img");
        image.src = URL.createObjectURL(file);
        image.alt = form.dataset.photoLabel + " " + (index + 1);
        image.width = 96;
        image.height = 96;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button-secondary button-small";
        remove.textContent = form.dataset.remove;
        remove.addEventListener("click", function () {
          setFiles(input, Array.prototype.filter.call(input.files, function (other) { return other !== file; }));
          renderPreviews();
        });
        item.append(image, remove);
        previews.appendChild(item);
      });
    });
  }

  function busy(change) {
    pending += change;
    sendButton.disabled = pending > 0;
    sendButton.setAttribute("aria-busy", pending > 0 ? "true" : "false");
    form.dataset.photosReady = pending > 0 ? "0" : "1";
  }
  form.dataset.photosReady = "1";

  inputs.forEach(function (input) {
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files);
      if (!chosen.length) { renderPreviews(); return; }
      busy(1);
      Promise.all(chosen.map(shrink)).then(function (files) {
        setFiles(input, files);
        renderPreviews();
        busy(-1);
      });
    });
  });

  /* The outbox: a report made offline, kept on this phone until it is sent. */
  var outbox = document.getElementById("outbox");
  var outboxText = outbox.querySelector(".outbox-text");
  var outboxActions = outbox.querySelector(".outbox-actions");

  function action(label, handler, href) {
    var node = document.createElement(href ? "a" : "button");
    node.textContent = label;
    if (href) node.href = href;
    else { node.type = "button"; node.className = "button-secondary button-small"; node.addEventListener("click", handler); }
    outboxActions.appendChild(node);
  }

  function showOutbox(detail) {
    if (!window.CoCreateOutbox) return;
    window.CoCreateOutbox.all().then(function (records) {
      var record = records[0];
      if (!record && !(detail && detail.sent)) {
        // Nothing waits; a "sent" notice stays until the page changes.
        if (outbox.dataset.state !== "sent") outbox.hidden = true;
        return;
      }
      outboxActions.replaceChildren();
      if (!record) {
        outbox.hidden = false;
        outbox.dataset.state = "sent";
        outboxText.textContent = outbox.dataset.sent;
        action(outbox.dataset.see, null, detail.sent);
        return;
      }
      outbox.hidden = false;
      outbox.dataset.state = record.status;
      outboxText.textContent = record.status === "refused" ? outbox.dataset.refused
        : (detail && detail.sending ? outbox.dataset.sending : outbox.dataset.saved);
      if (record.status === "refused") action(outbox.dataset.open, null, record.url + "#restore-" + record.id);
      action(outbox.dataset.discard, function () {
        if (window.confirm(outbox.dataset.discardConfirm)) {
          window.CoCreateOutbox.remove(record.id).then(function () { outbox.dataset.state = ""; showOutbox(); });
        }
      });
    });
  }
  document.addEventListener("cocreate:outbox", function (event) { showOutbox(event.detail); });
  showOutbox();

  function keepOffline() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    var files = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) {
        files.push({ field: "photos", blob: file, name: file.name });
      });
    });
    var record = {
      url: location.pathname, fields: fields, files: files, status: "queued",
      service: form.dataset.serviceName, savedAt: new Date().toISOString(),
    };
    return window.CoCreateOutbox.save(record).then(function () {
      form.reset();
      inputs.forEach(function (input) { setFiles(input, []); });
      renderPreviews();
      showOutbox();
      outbox.scrollIntoView();
    });
  }

  /* "Open it": a refused saved report is put back into the form, photos included. */
  function restore() {
    var wanted = /^#restore-(\d+)$/.exec(location.hash);
    if (!wanted || !window.CoCreateOutbox) return;
    window.CoCreateOutbox.all().then(function (records) {
      var record = records.filter(function (item) { return String(item.id) === wanted[1]; })[0];
      if (!record) return;
      record.fields.forEach(function (pair) {
        form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (field) {
          if (field.type === "checkbox" || field.type === "radio") field.checked = field.checked || field.value === pair[1];
          else if (field.type !== "file") field.value = pair[1];
        });
      });
      var gallery = document.getElementById("id_gallery");
      setFiles(gallery, record.files.map(function (file) { return new File([file.blob], file.name, { type: file.blob.type }); }));
      renderPreviews();
      var lat = parseFloat(document.getElementById("id_lat").value), lon = parseFloat(document.getElementById("id_lon").value);
      if (window.CoCreatePicker && isFinite(lat) && isFinite(lon)) window.CoCreatePicker.goTo(lat, lon);
      window.CoCreateOutbox.remove(record.id).then(function () { outbox.dataset.state = ""; showOutbox(); });
    });
  }
  window.addEventListener("hashchange", restore);
  restore();

  form.addEventListener("submit", function (event) {
    try {
      var recent = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]").filter(function (code) { return code !== form.dataset.service; });
      localStorage.setItem(RECENT_KEY, JSON.stringify([form.dataset.service].concat(recent).slice(0, 5)));
    } catch (error) { /* private browsing: no memory of recent services */ }
    if (!navigator.onLine && window.CoCreateOutbox) {
      event.preventDefault();
      keepOffline();
    }
  });

  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
