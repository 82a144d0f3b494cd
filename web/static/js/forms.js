// Renders a form-js schema (the bpmn.io form viewer, from web/static/vendor) and posts what the
// person entered as JSON. The server validates again; its field errors are listed above the
// form, and nothing typed is lost because the page is not reloaded.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function showErrors(summary, message, fields) {
    summary.hidden = false;
    summary.innerHTML = "";
    var heading = document.createElement("p");
    heading.textContent = message;
    summary.appendChild(heading);
    var list = document.createElement("ul");
    Object.keys(fields || {}).forEach(function (name) {
      var item = document.createElement("li");
      var label = document.querySelector('[name="' + name + '"]');
      var described = label && label.id ? document.querySelector('label[for="' + label.id + '"]') : null;
      item.textContent = (described ? described.textContent.replace("*", "").trim() : name) + ": " + fields[name].join(" ");
      list.appendChild(item);
    });
    summary.appendChild(list);
    summary.focus();
  }

  async function mount(host) {
    var schema = JSON.parse(document.getElementById(host.dataset.schema).textContent);
    var data = host.dataset.values ? JSON.parse(document.getElementById(host.dataset.values).textContent) : {};
    var summary = document.getElementById(host.dataset.errors);
    var form = await FormViewer.createForm({ container: host, schema: schema, data: data });
    var idempotencyKey = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now());
    var button = document.getElementById(host.dataset.submit);
    if (button) {
      button.addEventListener("click", function () { form.submit(); });
    }
    form.on("submit", async function (event) {
      if (Object.keys(event.errors || {}).length) {
        return;  // form-js marks the fields itself
      }
      var response = await fetch(host.dataset.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": idempotencyKey },
        body: JSON.stringify({ data: event.data }),
      });
      var body = await response.json().catch(function () { return {}; });
      if (response.ok && body.redirect) {
        window.location.assign(body.redirect);
        return;
      }
      var error = body.error || { message: host.dataset.failed };
      showErrors(summary, error.message, error.fields);
    });
  }

  document.querySelectorAll("[data-form-js]").forEach(function (host) { mount(host); });
})();
