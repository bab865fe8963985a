// SfCompanion console: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // The anti-forgery token for the console's JSON endpoints (sent as a header).
  window.sfcConsole = {
    token: function () {
      var meta = document.querySelector('meta[name="sfc-antiforgery"]');
      return meta ? meta.getAttribute("content") : "";
    },
    postJson: function (url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Sfc-Antiforgery": window.sfcConsole.token() },
        body: JSON.stringify(body)
      });
    }
  };
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      e.preventDefault();
    }
  });
})();
