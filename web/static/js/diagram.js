// Shows a case's BPMN diagram (bpmn-js navigated viewer) with its progress marked:
// done, under way and still to come, each with a legend entry and a text alternative.
(function () {
  "use strict";

  // The drawing is one image with a text alternative. The role goes on the drawing itself, not
  // on the host: the host also holds the bpmn.io link, which must stay visible (the licence) and
  // reachable, and a link inside role="img" would be hidden from assistive technology.
  function describe(host) {
    var drawing = host.querySelector(".djs-container > svg");
    drawing.setAttribute("role", "img");
    drawing.setAttribute("aria-label", host.dataset.label);
  }

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
    describe(host);
    host.setAttribute("data-ready", "true");
  }

  document.querySelectorAll("[data-diagram]").forEach(function (host) { mount(host); });
})();
