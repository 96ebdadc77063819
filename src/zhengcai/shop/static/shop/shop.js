// Storefront enhancements; every page works without them (the noscript buttons submit).
(function () {
  "use strict";
  // A select marked data-autosubmit (the sort order) submits its form when changed.
  document.addEventListener("change", (event) => {
    const field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit();
  });
})();
