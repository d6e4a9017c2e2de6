/**
 * Markdown reporter: a pull-request comment (GitHub-flavoured table, details for acknowledgements), marked with a
 * hidden `<!-- keykit:<command> -->` line; past GROUP_AFTER findings, one collapsed table per rule.
 */
import type { Report } from "../report";
import type { Finding, RuleMetadata } from "../rule";
import {
  type ReportOptions,
  commandOf,
  groupByRule,
  reportTitle,
  skippedRulesLine,
  summaryLine,
  withInternalRule,
} from "./common";
import { DEFAULT_NODE_BUDGET, type KeyGraph, groupKeyGraph } from "./key-graph";
import { GRAPH_LEGEND, renderMermaid } from "./mermaid";

/** Control characters and line separators: a line break would end the table row (or the list item). */
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Escapes input for Markdown text (a table cell, a list item, a note): it can neither break the table nor open
 * markup. Every character that starts inline syntax is backslash-escaped (links, images, emphasis, code spans,
 * pipes), `<`, `>` and `&` become entities (no HTML), and the starts of GitHub's autolinks are broken: `://` and
 * `www.` by an entity (parse-time autolinks), `@` and `#` by a one-character code span (mentions, e-mail and issue
 * links are found later, in text nodes, where an entity would already be decoded).
 */
export function escapeCell(text: string): string {
  return text
    .replace(LINE_BREAKING, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]()!|~]/g, "\\$&")
    .replace(/[@#]/g, "`$&`")
    .replace(/:\/\//g, "&#58;//")
    .replace(/(w{3})\./gi, "$1&#46;");
}

/**
 * Input as a code span: nothing inside renders as markup. The fence is one backtick longer than the longest run in
 * the text, so a backtick cannot close it; in a table a pipe is still escaped (GFM splits cells first).
 */
export function codeSpan(text: string, inTable = false): string {
  let content = text.replace(LINE_BREAKING, " ");
  if (inTable) content = content.replace(/\|/g, "\\|");
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  if (content === "") return "` `";
  // A space on both sides is stripped by the renderer (unless the text is all spaces); it keeps a leading or
  // trailing backtick off the fence.
  const padded = /^[` ]|[` ]$/.test(content) && content.trim() !== "" ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

export function formatMarkdown(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const s = report.summary;
  const icon = s.errors > 0 ? "❌" : s.warnings > 0 ? "⚠️" : "✅";
  // The hidden marker lets a CI job find and update its one comment instead of adding one per push.
  const lines: string[] = [
    `<!-- keykit:${commandOf(options)} -->`,
    `### ${icon} ${reportTitle(options)}: ${summaryLine(report)}`,
    "",
  ];
  lines.push(`Inputs: ${report.inputs.map((i) => `${codeSpan(i.source)} (${i.kind})`).join(", ") || "none"}`, "");
  const skipped = skippedRulesLine(report);
  // The kit's own rule IDs and names, never input: shown as written.
  if (skipped !== undefined) lines.push(`> **Skipped** ${skipped}`, "");
  for (const input of report.inputs)
    for (const note of input.notes) lines.push(`> **Note** ${escapeCell(input.source)}: ${escapeCell(note)}`, "");
  const active = report.findings.filter((f) => !f.suppressed);
  if (active.length > 0) {
    lines.push(...findingTables(active));
    const fixes = [...new Set(active.map((f) => f.ruleId))]
      .map((id) => withInternalRule(rules).find((r) => r.id === id))
      .filter((r) => r !== undefined);
    if (fixes.length > 0) {
      // Fixes are the kit's own Markdown (code spans included), never input: shown as written, one line each.
      lines.push("**How to fix**", "");
      for (const r of fixes) lines.push(`- **${r.id} ${r.name}**: ${r.fix.replace(LINE_BREAKING, " ")}`);
      lines.push("");
    }
  } else {
    lines.push("No findings at any severity.", "");
  }
  const a = report.acknowledgements;
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length + a.expired.length + a.unused.length + a.rejected.length > 0) {
    lines.push("<details><summary>Acknowledgements</summary>", "");
    for (const f of suppressed)
      lines.push(
        `- acknowledged ${f.ruleId} on ${codeSpan(f.subject)} until ${escapeCell(f.suppressed?.expires ?? "")}: ${escapeCell(f.suppressed?.reason ?? "")}`,
      );
    for (const x of a.expired)
      lines.push(
        `- **expired** ${escapeCell(x.rule)} on ${codeSpan(x.target)} (${escapeCell(x.expires)}): no longer applies`,
      );
    for (const x of a.unused)
      lines.push(`- **unused** ${escapeCell(x.rule)} on ${codeSpan(x.target)}: matches no finding, remove it`);
    for (const x of a.rejected)
      lines.push(
        `- **rejected** ${escapeCell(x.rule)} on ${codeSpan(x.target)}: ${escapeCell(x.problem ?? "invalid")}`,
      );
    lines.push("", "</details>", "");
  }
  if (options.graph) lines.push(...keyGraphSection(options.graph));
  const optIns = report.optIns ?? [];
  if (optIns.length > 0) {
    lines.push("<details><summary>Accepted opt-ins</summary>", "");
    for (const o of optIns)
      lines.push(
        // Code spans, not escaped text in backticks: inside a code span a backslash is shown as it is.
        `- ${o.rule} ${codeSpan(o.subject)}: owner ${codeSpan(o.owner)} (${escapeCell(o.tier)}): ${escapeCell(o.reason)}`,
      );
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n")}`;
}

/** More findings than this and the comment groups them per rule in collapsed `<details>`. */
export const GROUP_AFTER = 10;

const TABLE_HEADER = ["| Severity | Rule | Resource | Finding |", "|---|---|---|---|"];

function findingRow(f: Finding): string {
  const line = f.location.file && f.location.line ? `${f.location.file}:${f.location.line}` : undefined;
  const where = [f.location.address ?? f.subject, f.location.constructPath, line]
    .filter((x): x is string => Boolean(x))
    .map(escapeCell)
    .join("<br>");
  const notes = f.notes.length > 0 ? `<br>_${escapeCell(f.notes.join("; "))}_` : "";
  return `| ${f.severity} | [${f.ruleId}](${f.helpUri}) ${escapeCell(f.ruleName)} | ${where} | ${escapeCell(f.message)}${notes} |`;
}

function findingTables(active: readonly Finding[]): string[] {
  if (active.length <= GROUP_AFTER) return [...TABLE_HEADER, ...active.map(findingRow), ""];
  const lines: string[] = [];
  for (const [ruleId, findings] of groupByRule(active)) {
    const count = `${findings.length} finding${findings.length === 1 ? "" : "s"}`;
    lines.push(
      `<details><summary>${ruleId} ${escapeCell(findings[0].ruleName)} (${findings[0].severity}): ${count}</summary>`,
      "",
      ...TABLE_HEADER,
      ...findings.map(findingRow),
      "",
      "</details>",
      "",
    );
  }
  return lines;
}

/**
 * Most characters the diagram may take: GitHub refuses a comment over 65,536 characters, and the findings' tables
 * need their share of it.
 */
export const GRAPH_CHARACTER_BUDGET = 24_000;

/** The key graph as a collapsed-open Mermaid block, grouped until it fits the node and character budgets. */
export function keyGraphSection(graph: KeyGraph): string[] {
  if (graph.nodes.length === 0) return [];
  let budget = DEFAULT_NODE_BUDGET;
  let fitted = groupKeyGraph(graph, budget);
  let text = renderMermaid(fitted);
  while (text.length > GRAPH_CHARACTER_BUDGET && budget > 6) {
    budget = Math.floor(budget / 2);
    fitted = groupKeyGraph(graph, budget);
    text = renderMermaid(fitted);
  }
  const keys = graph.nodes.filter((n) => n.kind === "key").length;
  const owners = graph.nodes.filter((n) => n.kind === "owner").length;
  const counts = `${keys} key${keys === 1 ? "" : "s"}, ${owners} owner${owners === 1 ? "" : "s"}`;
  const lines = [`<details open><summary>Key graph (${counts})</summary>`, "", "```mermaid", text, "```", ""];
  lines.push(GRAPH_LEGEND, "");
  if (fitted.grouped.length > 0) lines.push(`Grouped to fit: ${fitted.grouped.join("; ")}.`, "");
  lines.push("</details>", "");
  return lines;
}
