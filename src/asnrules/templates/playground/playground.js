"use strict";
(function () {
  var app = document.getElementById("app");
  var lang = app.getAttribute("data-lang");
  var atText = app.getAttribute("data-at");
  var noneText = app.getAttribute("data-none");
  var rule = document.getElementById("rule");
  var timer = null;
  var seq = 0;
  function val(id) { return document.getElementById(id).value; }
  function offsetOf(text, line, column) {
    var lines = text.split("\n"), pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { pos += lines[i].length + 1; }
    return Math.min(text.length, pos + Math.max(0, column - 1));
  }
  function body() {
    var counts = {}, staff = {};
    document.querySelectorAll("input.count").forEach(function (el) {
      var n = parseInt(el.value, 10);
      if (n > 0) { var c = el.getAttribute("data-cat"); counts[c] = counts[c] || {}; counts[c][el.getAttribute("data-mode")] = n; }
    });
    document.querySelectorAll("input.staff").forEach(function (el) {
      var n = parseInt(el.value, 10);
      if (n > 0) { staff[el.getAttribute("data-cat")] = n; }
    });
    var b = { text: rule.value, lang: lang, date: val("date"), region: val("region"), counts: counts };
    if (val("level")) { b.level = val("level"); }
    if (val("agency")) { b.agency = val("agency"); }
    if (Object.keys(staff).length) { b.staff = staff; }
    return b;
  }
  function show(data) {
    var list = document.getElementById("diagnostics");
    list.replaceChildren();
    var diags = data.diagnostics || [];
    if (!diags.length) {
      var li = document.createElement("li"); li.className = "ok"; li.textContent = noneText; list.appendChild(li);
    }
    diags.forEach(function (d) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button"; b.className = d.severity || "error";
      var at = document.createElement("span"); at.className = "at";
      at.textContent = atText.replace("{line}", d.line).replace("{column}", d.column) + ": ";
      var code = document.createElement("span"); code.className = "code"; code.textContent = d.code + " ";
      var m = document.createElement("span"); m.textContent = d.message;
      b.appendChild(at); b.appendChild(code); b.appendChild(m);
      if (d.suggestion) { var s = document.createElement("span"); s.textContent = " (" + d.suggestion + ")"; b.appendChild(s); }
      b.addEventListener("click", function () {
        var p = offsetOf(rule.value, d.line, d.column); rule.focus(); rule.setSelectionRange(p, p);
      });
      li.appendChild(b); list.appendChild(li);
    });
    document.getElementById("provision").textContent = data.provision || "";
    var v = document.getElementById("verdict"), ex = document.getElementById("explanation");
    v.className = "verdict"; v.textContent = ""; ex.textContent = "";
    if (data.error) { v.className = "verdict error"; v.textContent = data.error.code + ": " + data.error.message; }
    else if (data.verdict) { v.className = "verdict " + data.verdict.outcome; v.textContent = data.verdict.word; ex.textContent = data.verdict.explanation; }
    document.getElementById("capacity").textContent = data.capacity ? data.capacity.text : "";
  }
  function update() {
    var mine = ++seq;
    fetch("/v1/playground", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body()) })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) { show(data); } })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
  rule.addEventListener("input", later);
  document.querySelectorAll("input,select").forEach(function (el) { el.addEventListener("input", later); el.addEventListener("change", later); });
  update();
})();
