// Renders a form-js schema (the bpmn.io form viewer, from web/static/vendor) and posts what the
// person entered as JSON. The server validates again; its field errors are shown on the fields
// themselves and listed by label above the form, and nothing typed is lost because the page is
// not reloaded.
(function () {
  "use strict";

  // form-js writes "Select" in an empty dropdown whatever the language; site.css draws the
  // page's word from --mf-choose instead, set here (the CSP allows no style attribute in HTML).
  var choose = document.documentElement.dataset.choose;
  if (choose) { document.documentElement.style.setProperty("--mf-choose", JSON.stringify(choose)); }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every component that carries a key, by key, groups and lists included. The server names
  // fields by key; form-js shows errors by component id, and people know fields by their label.
  function componentsByKey(components, found) {
    (components || []).forEach(function (component) {
      if (component.key) { found[component.key] = component; }
      componentsByKey(component.components, found);
    });
    return found;
  }

  // The server's errors in form-js's own shape, so each field draws its message and
  // aria-invalid as for its own checks. form-js 1.23 has no public setter: validate() and its
  // validation commands all go through the form's state like this.
  function markFields(form, components, fields) {
    var errors = {};
    Object.keys(fields).forEach(function (key) {
      if (components[key]) { errors[components[key].id] = fields[key]; }
    });
    form._setState({ errors: errors });
  }

  function summaryItem(component, messages) {
    var item = document.createElement("li");
    var text = messages.join(" ");
    item.textContent = component ? (component.label || component.key) + ": " + text : text;
    return item;
  }

  // A message, then one line per problem: a field's label and what is wrong with it, or just
  // what is wrong where the problem belongs to the whole form. Focus moves here so a keyboard
  // or screen-reader user hears it at once.
  function showSummary(summary, message, components, fields) {
    summary.innerHTML = "";
    var heading = document.createElement("p");
    heading.textContent = message;
    summary.appendChild(heading);
    var list = document.createElement("ul");
    Object.keys(fields).forEach(function (key) {
      list.appendChild(summaryItem(components[key], fields[key]));
    });
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
  }

  async function send(host, idempotencyKey, data) {
    var response = await fetch(host.dataset.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": idempotencyKey },
      body: JSON.stringify({ data: data }),
    });
    var body = await response.json().catch(function () { return {}; });
    return { ok: response.ok, body: body };
  }

  // The files chosen with an application go to the case it made, in one request; the case
  // page says so when they were refused (the application itself stands either way).
  async function sendMaterials(host, address) {
    var input = host.dataset.materials && document.getElementById(host.dataset.materials);
    if (!input || !address || !input.files.length) { return true; }
    var body = new FormData();
    Array.prototype.forEach.call(input.files, function (file) { body.append("file", file); });
    body.append("csrf_token", csrfToken());
    var response = await fetch(address, { method: "POST", credentials: "same-origin", body: body });
    return response.ok;
  }

  // Enter in a one-line field sends the form, as in any form with a submit button (form-js draws
  // its form without one, so the browser does not). The field's own Enter handler has already
  // counted what was just typed (form-js otherwise waits 300 ms), so nothing typed is lost. Not
  // while an input method is composing (a pinyin candidate is being chosen), nor in fields that
  // use Enter themselves (lists, dates, a textarea's new line).
  function sendsOnEnter(event) {
    return event.key === "Enter" && !event.isComposing && !event.defaultPrevented &&
      event.target.closest(".fjs-form-field-textfield, .fjs-form-field-number") !== null;
  }

  async function mount(host) {
    var schema = JSON.parse(document.getElementById(host.dataset.schema).textContent);
    var data = host.dataset.values ? JSON.parse(document.getElementById(host.dataset.values).textContent) : {};
    var summary = document.getElementById(host.dataset.errors);
    var form = await FormViewer.createForm({ container: host, schema: schema, data: data });
    // The imported schema: form-js gives components without an id one, and errors go by id.
    var components = componentsByKey(form._getState().schema.components, {});
    var idempotencyKey = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now());
    var button = document.getElementById(host.dataset.submit);
    if (button) {
      button.addEventListener("click", function () { form.submit(); });
    }
    host.addEventListener("keydown", function (event) {
      if (sendsOnEnter(event)) {
        event.preventDefault();
        form.submit();
      }
    });
    form.on("submit", async function (event) {
      summary.hidden = true;
      if (Object.keys(event.errors || {}).length) {
        return;  // form-js marks the fields itself
      }
      var answer = await send(host, idempotencyKey, event.data);
      if (answer.ok && answer.body.redirect) {
        var sent = await sendMaterials(host, answer.body.materials);
        window.location.assign(answer.body.redirect + (sent ? "" : "?materials=refused"));
        return;
      }
      var error = answer.body.error || { message: host.dataset.failed };
      var fields = error.fields || {};
      markFields(form, components, fields);
      showSummary(summary, error.message, components, fields);
    });
  }

  document.querySelectorAll("[data-form-js]").forEach(function (host) { mount(host); });
})();
