// Start Swagger UI on the API docs page, reading the schema URL from the page.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: false,
    supportedSubmitMethods: ["get"],
  });
})();
