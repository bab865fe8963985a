// Routine editor: while the routine's JSON is typed, asks the live preview (debounced POST) for the market size and
// the preview's figures, and lists the problems (the JSON's path and position, or a formula's line and column). The
// textarea stays the labelled control; without this file the page works with its Preview button.
(function () {
  "use strict";

  function live(form) {
    var url = form.getAttribute("data-preview-url"), name = form.getAttribute("data-name") || null, timer = null, sent = 0;
    var textarea = document.getElementById("routine-json");
    var count = document.getElementById("live-market"), note = document.getElementById("live-note");
    var problems = document.getElementById("live-problems"), target = document.getElementById("routine-preview");

    function show(list) {
      problems.innerHTML = "";
      list.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p.part + ": " + p.message + (p.line ? " (" + p.line + ":" + p.column + ")" : "");
        problems.appendChild(li);
      });
      if (list.length) { textarea.setAttribute("aria-invalid", "true"); } else { textarea.removeAttribute("aria-invalid"); }
    }

    function preview() {
      var mine = ++sent;
      if (!window.sfcConsole) { return; }
      form.setAttribute("aria-busy", "true");
      window.sfcConsole.postJson(url, { name: name, routine: textarea.value }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (mine !== sent) { return; }
        form.removeAttribute("aria-busy");
        var body = result.body || {};
        show(body.problems || []);
        if (result.ok && body.html !== undefined) {
          count.textContent = body.inMarketText;
          note.textContent = "";
          target.innerHTML = body.html;
        } else {
          note.textContent = " " + form.getAttribute("data-text-invalid");
        }
      }).catch(function () {
        if (mine === sent) { form.removeAttribute("aria-busy"); note.textContent = " " + form.getAttribute("data-text-failed"); }
      });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(preview, 400);
    });
  }

  var form = document.getElementById("routine-form");
  if (form && form.getAttribute("data-preview-url") && document.getElementById("routine-json")) { live(form); }
})();
