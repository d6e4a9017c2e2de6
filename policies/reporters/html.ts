/**
 * `keykit audit --format html`: one self-contained page a security team can browse. Styles, script and data are
 * inline and a Content-Security-Policy allows nothing else (no network, no CDN, no other script): the page works
 * offline and from a CI artifact. The table of keys and service accounts is drawn by the page's script from a JSON
 * block, a page at a time, so 50,000 keys stay usable.
 *
 * Nothing from the input is ever HTML: the server-side parts escape every character that could open markup, the
 * data block escapes `<`, and the script writes cells with `textContent` only. The model carries no secret value.
 */
import type { AuditModel, AuditedKey } from "../inventory/audit-model";
import { keyCoverage } from "../inventory/audit-model";
import { type CleanupItem, cleanupItems, renderCleanupScript } from "../inventory/cleanup";
import { isoTime } from "../inventory/describe";
import type { Report } from "../report";
import type { Finding, RuleMetadata, Severity } from "../rule";
import { type ReportOptions, reportTitle, sha256Digest, summaryLine } from "./common";
import { type KeyGraph, groupKeyGraph } from "./key-graph";
import { renderSvgGraph } from "./svg-graph";
import { HTML_REPORT_SCRIPT, HTML_REPORT_STYLE } from "./html-assets";

/** What the HTML report needs beyond the report: the audit's join, and what the cleanup script was told it read. */
export interface HtmlAuditInput {
  readonly model: AuditModel;
  readonly inputs: readonly string[];
}

/** The table's columns, in order: the page's script reads rows as arrays in this order. */
export const HTML_COLUMNS = [
  "type",
  "id",
  "owner",
  "resource",
  "tier",
  "age (days)",
  "last use",
  "coverage (days)",
  "findings",
  "severity",
  "cleanup",
  "evidence",
] as const;

type Row = (string | number | null)[];

/** Text as HTML character data or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`\u2028\u2029]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a `<script type="application/json">` element: no `</script>`, no comment or CDATA opener. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function worst(findings: readonly Finding[]): Severity | "" {
  if (findings.some((f) => f.severity === "error")) return "error";
  if (findings.some((f) => f.severity === "warning")) return "warning";
  return findings.length > 0 ? "info" : "";
}

function cleanupCell(item: CleanupItem | undefined): [string, string] {
  if (!item) return ["", ""];
  return [item.live ? "delete (live)" : "commented out", item.why];
}

function keyRow(k: AuditedKey, model: AuditModel, findings: readonly Finding[], item?: CleanupItem): Row {
  const resource = k.key.resources.map((r) => (r.id ? `${r.kind} ${r.id}` : r.kind)).join(", ");
  const usage = k.usage;
  const lastUse =
    usage?.lastSuccess !== undefined ? isoTime(usage.lastSuccess) : model.audit.auditLog ? "none seen" : "";
  const coverage = coverageCell(k, model);
  return [
    "API key",
    k.key.id,
    `${k.key.ownerId} (${k.key.ownerKind})`,
    resource,
    k.tier,
    k.ageDays ?? null,
    lastUse,
    coverage,
    findings.map((f) => `${f.ruleId} ${f.ruleName}`).join(", "),
    worst(findings),
    ...cleanupCell(item),
  ];
}

/**
 * A key's audit-log coverage: the days of its least-covered resource, or what makes it no evidence (a resource the
 * log never speaks for, a stretch that ends long before now); empty without an audit log.
 */
function coverageCell(k: AuditedKey, model: AuditModel): string | number | null {
  const coverage = keyCoverage(k, model.audit.auditLog);
  if (!coverage) return null;
  const missing = coverage.resources.filter((r) => r.problem !== undefined);
  if (missing.length === 0) return coverage.days;
  return missing.map((r) => `${r.problem === "stale" ? "stale" : "uncovered"}: ${r.resource}`).join("; ");
}

/** The rows of the table: every key, then every service account, with their findings and cleanup evidence. */
export function htmlRows(model: AuditModel, report: Report, items: readonly CleanupItem[]): Row[] {
  const bySubject = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.suppressed) continue;
    bySubject.set(f.subject, [...(bySubject.get(f.subject) ?? []), f]);
  }
  const cleanup = new Map(items.map((i) => [`${i.kind}\u0000${i.id}`, i]));
  const rows: Row[] = [];
  for (const k of model.audit.keys)
    rows.push(keyRow(k, model, bySubject.get(k.key.id) ?? [], cleanup.get(`api-key\u0000${k.key.id}`)));
  for (const a of model.audit.serviceAccounts) {
    const findings = bySubject.get(a.account.id) ?? [];
    const name = a.account.displayName ? `${a.account.displayName}` : "";
    rows.push([
      "service account",
      a.account.id,
      name,
      "",
      "",
      null,
      "",
      null,
      findings.map((f) => `${f.ruleId} ${f.ruleName}`).join(", "),
      worst(findings),
      ...cleanupCell(cleanup.get(`service-account\u0000${a.account.id}`)),
    ]);
  }
  return rows;
}

/** The page's policy: only its own inline style and script (by hash), images only as inline data. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256Digest(HTML_REPORT_SCRIPT, "base64")}'`,
    `style-src 'sha256-${sha256Digest(HTML_REPORT_STYLE, "base64")}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

function summarySection(report: Report, model: AuditModel): string {
  const keys = model.audit.keys.length;
  const accounts = model.audit.serviceAccounts.length;
  const items = [
    `${keys} API key${keys === 1 ? "" : "s"}, ${accounts} service account${accounts === 1 ? "" : "s"}`,
    summaryLine(report),
    `evaluated at ${report.evaluatedAt}`,
  ];
  const notes = [...new Set([...model.notes, ...report.inputs.flatMap((i) => i.notes)])];
  return [
    `<section id="summary"><h2>Summary</h2><ul>`,
    ...items.map((t) => `<li>${escapeHtml(t)}</li>`),
    `</ul>`,
    notes.length > 0 ? `<h3>Notes</h3><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "",
    `<h3>Inputs</h3><ul>${report.inputs.map((i) => `<li><code>${escapeHtml(i.source)}</code> (${escapeHtml(i.kind)})</li>`).join("")}</ul>`,
    `</section>`,
  ].join("\n");
}

function tableSection(): string {
  const headers = HTML_COLUMNS.map(
    (c, i) => `<th scope="col"><button type="button" data-column="${i}">${escapeHtml(c)}</button></th>`,
  ).join("");
  return [
    `<section id="items"><h2>Keys and service accounts</h2>`,
    `<div class="filters">`,
    `<label>Search <input id="filter-text" type="search" placeholder="id, owner, resource, evidence"></label>`,
    `<label>Finding <select id="filter-finding"><option value="">any</option></select></label>`,
    `<label>Owner <select id="filter-owner"><option value="">any</option></select></label>`,
    `<label>Severity <select id="filter-severity"><option value="">any</option><option>error</option><option>warning</option><option>info</option><option value="none">no finding</option></select></label>`,
    `<label>Cleanup <select id="filter-cleanup"><option value="">any</option><option>delete (live)</option><option>commented out</option></select></label>`,
    `</div>`,
    `<p id="count" aria-live="polite"></p>`,
    `<table id="table"><thead><tr>${headers}</tr></thead><tbody></tbody></table>`,
    `<div class="pager"><button type="button" id="prev">previous</button> <span id="page"></span> <button type="button" id="next">next</button></div>`,
    `</section>`,
  ].join("\n");
}

function graphSection(graph: KeyGraph | undefined): string {
  if (!graph || graph.nodes.length === 0) return "";
  const fitted = groupKeyGraph(graph, 60);
  const grouped = fitted.grouped.length > 0 ? `<p>Grouped to fit: ${escapeHtml(fitted.grouped.join("; "))}.</p>` : "";
  return `<section id="graph"><h2>Key graph</h2>${grouped}<div class="graph">${renderSvgGraph(fitted)}</div></section>`;
}

/**
 * The cleanup script as `--emit-cleanup` writes it, collapsed: the browser lays out a closed `<details>` only when it
 * is opened, so a script of 50,000 items does not slow the page down. The table carries each item's decision too.
 */
function cleanupSection(script: string): string {
  const lines = script.split("\n").length;
  return [
    `<section id="cleanup"><h2>Cleanup script</h2>`,
    `<p>What <code>--emit-cleanup</code> writes: a line is live only with positive evidence for that very item; the others are commented out saying what is missing. Each item's decision and evidence are also in the table (columns cleanup and evidence).</p>`,
    `<details><summary>The script (${lines} lines)</summary><pre>${escapeHtml(script)}</pre></details>`,
    `</section>`,
  ].join("\n");
}

/** The audit as one HTML page. */
export function formatAuditHtml(
  report: Report,
  _rules: readonly RuleMetadata[],
  audit: HtmlAuditInput,
  options: ReportOptions = {},
): string {
  // One decision per item, for the table and the script alike.
  const items = cleanupItems(audit.model, report);
  const data = { columns: HTML_COLUMNS, rows: htmlRows(audit.model, report, items) };
  const script = renderCleanupScript(audit.model, report, audit.inputs, items);
  const title = `${reportTitle(options)}: ${summaryLine(report)}`;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy())}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="referrer" content="no-referrer">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_REPORT_STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(title)}</h1></header><main>`,
    summarySection(report, audit.model),
    tableSection(),
    graphSection(options.graph),
    cleanupSection(script),
    `</main>`,
    `<script type="application/json" id="keykit-data">${jsonForScript(data)}</script>`,
    `<script>${HTML_REPORT_SCRIPT}</script>`,
    `</body></html>`,
    "",
  ].join("\n");
}
