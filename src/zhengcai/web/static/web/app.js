// zhengcai — progressive enhancement only; every page works without it.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("messages");
  if (box && event.detail.xhr && event.detail.xhr.status >= 500) {
    box.innerHTML = '<div class="alert alert-danger" role="alert">' + (box.dataset.serverError || "Server error") + "</div>";
  }
});
