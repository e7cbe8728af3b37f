// The docs page: Swagger UI over this server's /openapi.json. Everything it loads comes from the
// server itself (no CDN); validatorUrl null keeps Swagger UI from sending the document to an
// outside validator.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    showExtensions: false,
    showCommonExtensions: true,
    tryItOutEnabled: false
  });
});
