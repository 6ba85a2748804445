// Small behaviours of our own, loaded as a module after GOV.UK Frontend (no inline scripts: CSP).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
