// zhengcai — progressive enhancement only; every page works without it.
// Strict CSP: no inline scripts anywhere, so behaviour lives here.
(function () {
  "use strict";

  // A failed htmx request (server error or no connection) says so in the messages area
  // instead of failing silently.
  function showServerError() {
    const box = document.getElementById("messages");
    if (!box) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = box.dataset.serverError || "Server error";
    box.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr && event.detail.xhr.status >= 500) showServerError();
  });
  document.addEventListener("htmx:sendError", showServerError);

  // The "skip to content" link moves keyboard focus, not just the scroll position.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) return;
    const main = document.getElementById("main");
    if (main) {
      event.preventDefault();
      main.focus();
    }
  });
})();
