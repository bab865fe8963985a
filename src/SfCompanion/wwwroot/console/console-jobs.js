// Jobs pages: follow runs in progress, and preview a schedule's next fire times while it is typed.
// Without this file the pages show the state at load, with a refresh link, and the "check" button.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function set(root, name, text) {
    var el = root.querySelector('[data-live="' + name + '"]');
    if (el && text !== undefined && text !== null) {
      el.textContent = text;
    }
    return el;
  }

  function statusClass(status) {
    switch (status) {
      case "Succeeded": return "status status-ok";
      case "Failed": case "Abandoned": return "status status-bad";
      case "Queued": case "Running": return "status status-run";
      case null: case undefined: return "muted";
      default: return "status status-warn";
    }
  }

  function apply(root, view) {
    var state = set(root, "state", view.state);
    if (state) {
      state.className = view.active ? statusClass(view.status) : "muted";
    }
    var box = root.querySelector('[data-live="progress-box"]');
    if (box) {
      box.hidden = !view.active;
    }
    var bar = root.querySelector('[data-live="bar"]');
    if (bar) {
      if (view.total && view.total > 0) {
        bar.max = view.total;
        bar.value = Math.min(view.done, view.total);
      } else {
        bar.removeAttribute("value");
      }
      bar.textContent = view.progress || "";
    }
    set(root, "progress", view.progress || "");
    var last = set(root, "last-run", view.lastRun);
    if (last) {
      last.className = statusClass(view.lastRunStatus);
    }
    set(root, "next-fire", view.nextFire);
    root.setAttribute("data-active", view.active ? "true" : "false");
  }

  function follow(root) {
    var url = root.getAttribute("data-live-url");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (view) {
          if (!view) {
            return;
          }
          apply(root, view);
          if (view.active) {
            window.setTimeout(tick, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(tick, POLL_MS * 4); });
    }
    window.setTimeout(tick, POLL_MS);
  }

  document.querySelectorAll('[data-live-url][data-active="true"]').forEach(follow);

  // Live preview of the next fire times while the schedule is edited (the server computes them, as Quartz will).
  var form = document.getElementById("schedule-form");
  var list = document.getElementById("fire-times");
  var heading = document.getElementById("fire-times-heading");
  if (!form || !list) {
    return;
  }
  var cron = form.querySelector("#cron");
  var zone = form.querySelector("#time-zone");
  if (!cron || !zone) {
    return;
  }
  var timer = null;
  var seq = 0;

  function showErrors(errors) {
    form.querySelectorAll("[data-field-error]").forEach(function (el) {
      var key = el.getAttribute("data-field-error");
      var messages = (errors && errors[key]) || [];
      el.textContent = messages.join(" ");
      var input = key === "cron" ? cron : zone;
      if (messages.length) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  function preview() {
    var mine = ++seq;
    var url = form.getAttribute("data-preview-url") + "?cron=" + encodeURIComponent(cron.value) + "&timeZone=" + encodeURIComponent(zone.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) {
        if (!result || mine !== seq) {
          return;
        }
        showErrors(result.errors);
        list.textContent = "";
        result.fireTimes.forEach(function (t) {
          var li = document.createElement("li");
          var time = document.createElement("time");
          time.setAttribute("datetime", t.at);
          time.textContent = t.text;
          li.appendChild(time);
          list.appendChild(li);
        });
        if (heading) {
          heading.textContent = form.getAttribute(result.fireTimes.length ? "data-preview-title" : "data-invalid-title");
        }
      })
      .catch(function () { /* the check button still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 400);
  }

  cron.addEventListener("input", schedule);
  zone.addEventListener("input", schedule);
})();
