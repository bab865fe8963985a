// SfCompanion console, tracking and consent pages: "Copy" buttons next to read-only fields (the Clipboard API).
// Without this script the buttons stay hidden and the text is selected by hand in its labelled read-only field.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) {
        return;
      }
      navigator.clipboard.writeText(field.value).then(function () {
        button.setAttribute("data-copied", "true");
        if (status) {
          status.textContent = (document.documentElement.lang === "fr" ? "Copié : " : "Copied: ") + (field.labels && field.labels[0] ? field.labels[0].textContent : "");
        }
      }, function () {
        field.focus();
        field.select();
      });
    });
  });
})();
