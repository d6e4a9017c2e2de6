/**
 * The HTML report's inline style and script. Kept as constants (not files) so the page is one string and its
 * Content-Security-Policy can allow exactly these by hash. The script only ever writes text (`textContent`): a name
 * from the data can never become markup.
 */

export const HTML_REPORT_STYLE = `
:root { color-scheme: light; --border: #d0d7de; --muted: #57606a; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { background: #24292f; color: #fff; padding: 12px 24px; }
header h1 { font-size: 18px; margin: 0; }
main { padding: 8px 24px 32px; }
h2 { font-size: 16px; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 8px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.filters input, .filters select { font: inherit; padding: 3px 6px; min-width: 160px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid var(--border); padding: 4px 6px; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
tr.error td:nth-child(10) { background: #ffd7d5; }
tr.warning td:nth-child(10) { background: #fff1c2; }
tr.info td:nth-child(10) { background: #ddf4ff; }
td.evidence { max-width: 420px; }
.pager { margin-top: 8px; }
pre { background: #f6f8fa; border: 1px solid var(--border); padding: 8px; overflow: auto; max-height: 480px; font-size: 12px; }
.graph { overflow: auto; border: 1px solid var(--border); }
.graph .edge { fill: none; stroke: #8c959f; stroke-width: 1.2; }
.graph .count { font-size: 11px; fill: var(--muted); }
.graph rect { fill: #f6f8fa; stroke: #57606a; }
.graph .owner rect { fill: #eef1f4; }
.graph .error rect { fill: #ffd7d5; stroke: #cf222e; stroke-width: 2; }
.graph .warning rect { fill: #fff1c2; stroke: #9a6700; stroke-width: 2; }
.graph .created rect { stroke: #1a7f37; stroke-width: 3; }
.graph .deleted rect, .graph .retired rect { stroke-dasharray: 5 3; }
.graph text { font-size: 12px; fill: #1f2328; }
.graph text.facts { font-size: 11px; fill: var(--muted); }
`;

export const HTML_REPORT_SCRIPT = `
"use strict";
(function () {
  var PAGE = 100;
  var data = JSON.parse(document.getElementById("keykit-data").textContent);
  var rows = data.rows;
  var state = { sort: -1, dir: 1, page: 0, view: rows };
  var $ = function (id) { return document.getElementById(id); };
  var OWNER = 2, FINDINGS = 8, SEVERITY = 9, CLEANUP = 10;
  function fillChoices(select, values) {
    values.sort().forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v; select.appendChild(o);
    });
  }
  var owners = {}, findings = {};
  rows.forEach(function (r) {
    if (r[OWNER]) owners[r[OWNER]] = true;
    ruleIdsOf(r).forEach(function (id) { if (id) findings[id] = true; });
  });
  fillChoices($("filter-owner"), Object.keys(owners));
  fillChoices($("filter-finding"), Object.keys(findings));
  function ruleIdsOf(r) {
    return String(r[FINDINGS]).split(", ").map(function (f) { return f.split(" ")[0]; });
  }
  function matches(r, f) {
    if (f.owner && r[OWNER] !== f.owner) return false;
    if (f.finding && ruleIdsOf(r).indexOf(f.finding) < 0) return false;
    if (f.severity === "none" ? r[SEVERITY] !== "" : f.severity && r[SEVERITY] !== f.severity) return false;
    if (f.cleanup && r[CLEANUP] !== f.cleanup) return false;
    if (f.text) {
      var hay = r.join(" ").toLowerCase();
      if (hay.indexOf(f.text) < 0) return false;
    }
    return true;
  }
  function compare(a, b) {
    var x = a[state.sort], y = b[state.sort];
    if (x === y) return 0;
    if (x === null || x === "") return 1;
    if (y === null || y === "") return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * state.dir;
    return String(x).localeCompare(String(y)) * state.dir;
  }
  function apply() {
    var f = {
      text: $("filter-text").value.trim().toLowerCase(),
      owner: $("filter-owner").value,
      finding: $("filter-finding").value,
      severity: $("filter-severity").value,
      cleanup: $("filter-cleanup").value
    };
    state.view = rows.filter(function (r) { return matches(r, f); });
    if (state.sort >= 0) state.view.sort(compare);
    state.page = 0;
    draw();
  }
  function draw() {
    var body = document.querySelector("#table tbody");
    var pages = Math.max(1, Math.ceil(state.view.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * PAGE;
    var fragment = document.createDocumentFragment();
    state.view.slice(start, start + PAGE).forEach(function (r) {
      var tr = document.createElement("tr");
      if (r[SEVERITY]) tr.className = r[SEVERITY];
      r.forEach(function (cell, i) {
        var td = document.createElement("td");
        td.textContent = cell === null ? "" : String(cell);
        if (i === data.columns.length - 1) td.className = "evidence";
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    $("count").textContent = state.view.length + " of " + rows.length + " shown";
    $("page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }
  document.querySelectorAll("#table th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var column = Number(button.getAttribute("data-column"));
      state.dir = state.sort === column ? -state.dir : 1;
      state.sort = column;
      document.querySelectorAll("#table th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      button.parentNode.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
      state.view.sort(compare);
      state.page = 0;
      draw();
    });
  });
  ["filter-text", "filter-owner", "filter-finding", "filter-severity", "filter-cleanup"].forEach(function (id) {
    $(id).addEventListener(id === "filter-text" ? "input" : "change", apply);
  });
  $("prev").addEventListener("click", function () { state.page -= 1; draw(); });
  $("next").addEventListener("click", function () { state.page += 1; draw(); });
  draw();
})();
`;
