// Starts Swagger UI on the OpenAPI document (an external script: the CSP allows no inline ones).
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  SwaggerUIBundle({ url: root.dataset.spec, dom_id: "#swagger-ui", deepLinking: true });
});
