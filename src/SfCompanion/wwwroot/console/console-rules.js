// Rule editor: highlights formulas (functions, fields, strings, numbers, operators) in a layer behind each
// transparent textarea, marks errors at their line and column, and counts matches while typing (debounced POST to
// the live preview). The textarea stays the labelled control; without this file the page works with its buttons.
(function () {
  "use strict";
  var TOKENS = /(\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(&&|\|\||<>|!=|<=|>=|==|[-+*\/^&=<>!(),])/g;
  var KEYWORDS = { TRUE: 1, FALSE: 1, NULL: 1 };

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // [start, end) of each error: from its 1-based line and column to the end of the token found there.
  function errorRanges(text, errors) {
    return errors.map(function (e) {
      var lines = text.split("\n"), offset = 0;
      for (var i = 0; i < Math.min(e.line - 1, lines.length - 1); i++) { offset += lines[i].length + 1; }
      var start = Math.min(offset + Math.max(0, e.column - 1), text.length);
      var word = /^(?:[A-Za-z0-9_.]+|"[^"]*"?|'[^']*'?|\S)/.exec(text.slice(start));
      return { start: start, end: start + (word ? word[0].length : 0), message: e.message };
    });
  }

  function piece(text, cls, start, ranges) {
    var cuts = [0, text.length];
    ranges.forEach(function (r) {
      [r.start - start, r.end - start].forEach(function (c) { if (c > 0 && c < text.length) { cuts.push(c); } });
    });
    cuts = cuts.filter(function (c, i, all) { return all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var html = "";
    for (var i = 0; i < cuts.length - 1; i++) {
      var a = start + cuts[i], part = escape(text.slice(cuts[i], cuts[i + 1]));
      var marked = ranges.some(function (r) { return a >= r.start && a < r.end; });
      html += marked ? '<mark class="formula-error">' + part + "</mark>" : part;
    }
    return cls ? '<span class="' + cls + '">' + html + "</span>" : html;
  }

  function highlight(text, errors) {
    var ranges = errorRanges(text, errors || []), html = "", last = 0, m;
    TOKENS.lastIndex = 0;
    while ((m = TOKENS.exec(text)) !== null) {
      if (m.index > last) { html += piece(text.slice(last, m.index), "", last, ranges); }
      var cls = m[1] ? "t-comment" : m[2] ? "t-string" : m[3] ? "t-number" : m[5] ? "t-op"
        : KEYWORDS[m[4].toUpperCase()] ? "t-number" : /^\s*\(/.test(text.slice(TOKENS.lastIndex)) ? "t-function" : "t-field";
      html += piece(m[0], cls, m.index, ranges);
      last = TOKENS.lastIndex;
    }
    html += piece(text.slice(last), "", last, ranges);
    // An empty place for an error at the very end (e.g. a missing parenthesis).
    if (ranges.some(function (r) { return r.start >= text.length; })) { html += '<mark class="formula-error"> </mark>'; }
    return html + "\n";
  }

  function errorsOf(textarea) {
    var list = document.getElementById(textarea.id + "-errors");
    return list ? Array.prototype.map.call(list.querySelectorAll("li[data-line]"), function (li) {
      return { line: +li.getAttribute("data-line"), column: +li.getAttribute("data-column"), message: li.textContent };
    }) : [];
  }

  function render(textarea) {
    var layer = textarea.previousElementSibling;
    layer.firstChild.innerHTML = highlight(textarea.value, errorsOf(textarea));
    layer.scrollTop = textarea.scrollTop;
    layer.scrollLeft = textarea.scrollLeft;
  }

  function enhance(textarea) {
    var layer = document.createElement("pre");
    layer.className = "formula-layer";
    layer.setAttribute("aria-hidden", "true");
    layer.appendChild(document.createElement("code"));
    textarea.parentNode.insertBefore(layer, textarea);
    textarea.parentNode.classList.add("highlighted");
    textarea.addEventListener("input", function () { render(textarea); });
    textarea.addEventListener("scroll", function () { layer.scrollTop = textarea.scrollTop; layer.scrollLeft = textarea.scrollLeft; });
    render(textarea);
  }

  function partOf(textarea) {
    var nameInput = textarea.getAttribute("data-name-input");
    return nameInput ? "criterion " + document.getElementById(nameInput).value.trim() : textarea.getAttribute("data-part");
  }

  // The editor's fields as JSON, in the shape of the posted form (Form.Criteria[0].Formula → criteria[0].formula).
  function draft(form) {
    var body = { criteria: [] };
    Array.prototype.forEach.call(form.elements, function (el) {
      var m = /^Form\.(?:Criteria\[(\d+)\]\.)?(\w+)$/.exec(el.name || "");
      if (!m || m[2] === "Action") { return; }
      var key = m[2].charAt(0).toLowerCase() + m[2].slice(1);
      var value = el.type === "checkbox" ? el.checked : el.value;
      if (m[1] !== undefined) {
        body.criteria[+m[1]] = body.criteria[+m[1]] || {};
        body.criteria[+m[1]][key] = value;
      } else {
        body[key] = value;
      }
    });
    body.criteria = body.criteria.filter(Boolean);
    return body;
  }

  function showProblems(form, problems) {
    var textareas = form.querySelectorAll(".formula-editor textarea");
    var placed = {};
    Array.prototype.forEach.call(textareas, function (textarea) {
      var part = partOf(textarea), list = document.getElementById(textarea.id + "-errors");
      list.innerHTML = "";
      var mine = problems.filter(function (p) { return p.part === part; });
      mine.forEach(function (p) {
        placed[problems.indexOf(p)] = true;
        var li = document.createElement("li");
        if (p.line) {
          li.setAttribute("data-line", p.line);
          li.setAttribute("data-column", p.column);
          li.textContent = form.getAttribute("data-text-position").replace("{line}", p.line).replace("{column}", p.column) + " " + p.message;
        } else {
          li.textContent = p.message;
        }
        list.appendChild(li);
      });
      if (mine.length) { textarea.setAttribute("aria-invalid", "true"); } else { textarea.removeAttribute("aria-invalid"); }
      render(textarea);
    });
    var other = document.getElementById("live-problems");
    other.innerHTML = "";
    problems.forEach(function (p, i) {
      if (placed[i]) { return; }
      var li = document.createElement("li");
      li.textContent = p.part + ": " + p.message;
      other.appendChild(li);
    });
  }

  function live(form) {
    var url = form.getAttribute("data-preview-url"), timer = null, sent = 0;
    var count = document.getElementById("live-matches"), note = document.getElementById("live-note");
    function preview() {
      var mine = ++sent;
      form.setAttribute("aria-busy", "true");
      if (!window.sfcConsole) { return; }
      window.sfcConsole.postJson(url, draft(form)).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (mine !== sent) { return; }
        form.removeAttribute("aria-busy");
        var body = result.body || {};
        var problems = body.problems || [];
        showProblems(form, problems);
        if (body.html !== undefined && problems.length === 0 && result.ok) {
          count.textContent = body.matchesText;
          note.textContent = "";
          document.getElementById("rule-preview").innerHTML = body.html;
        } else {
          note.textContent = " " + form.getAttribute("data-text-invalid");
        }
      }).catch(function () {
        if (mine === sent) { form.removeAttribute("aria-busy"); note.textContent = " " + form.getAttribute("data-text-failed"); }
      });
    }
    function schedule(e) {
      if (e.target && e.target.name === "Form.Name") { return; }
      clearTimeout(timer);
      timer = setTimeout(preview, 300);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  function init() {
    document.querySelectorAll(".formula-editor textarea").forEach(enhance);
    var form = document.getElementById("rule-form");
    if (form && form.getAttribute("data-preview-url")) { live(form); }
  }
  // console.js (sfcConsole, used when previewing) is deferred too and comes later in the page.
  init();
})();
