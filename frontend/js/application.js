// Start GOV.UK Frontend and MOJ Frontend components, then our own behaviours.
(function () {
  "use strict";
  if (window.GOVUKFrontend && window.GOVUKFrontend.initAll) {
    window.GOVUKFrontend.initAll();
  }
  if (window.MOJFrontend && window.MOJFrontend.initAll) {
    window.MOJFrontend.initAll();
  }

  // Buttons that print the page (recovery codes); no inline handlers under our CSP.
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
