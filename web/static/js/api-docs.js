// The API reference page: Swagger UI on the site's own OpenAPI document (no inline script, so
// that the page's Content-Security-Policy can forbid them).
(function () {
  "use strict";
  var host = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: host.getAttribute("data-spec"),
    domNode: host,
    deepLinking: true,
    validatorUrl: null, // never ask a public validator: this site talks to no other
    tryItOutEnabled: false,
  });
})();
