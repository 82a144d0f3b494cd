// Shows a case's BPMN diagram (bpmn-js navigated viewer) with its progress marked:
// done, under way and still to come, each with a legend entry and a text alternative.
(function () {
  "use strict";

  async function mount(host) {
    var response = await fetch(host.dataset.source, { credentials: "same-origin" });
    if (!response.ok) { return; }
    var diagram = await response.json();
    var viewer = new BpmnJS({ container: host });
    await viewer.importXML(diagram.xml);
    var canvas = viewer.get("canvas");
    Object.keys(diagram.states).forEach(function (element) {
      try { canvas.addMarker(element, "mf-" + diagram.states[element]); } catch (missing) { /* not drawn */ }
    });
    canvas.zoom("fit-viewport", "auto");
    host.setAttribute("data-ready", "true");
  }

  document.querySelectorAll("[data-diagram]").forEach(function (host) { mount(host); });
})();
