// The print view's "Drucken" button: hidden in the markup, shown only where this script
// runs (a file of our own, as the Content-Security-Policy allows; no inline script).
document.querySelectorAll("[data-print-button]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
