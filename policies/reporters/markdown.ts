/** Markdown reporter: a pull-request comment (GitHub-flavoured table, details for acknowledgements). */
import type { Report } from "../report";
import type { RuleMetadata } from "../rule";
import { type ReportOptions, reportTitle, summaryLine } from "./common";

/** Escapes text for a table cell: pipes, backticks, HTML and line breaks cannot break the table or inject markup. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, " ");
}

export function formatMarkdown(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const s = report.summary;
  const icon = s.errors > 0 ? "❌" : s.warnings > 0 ? "⚠️" : "✅";
  const lines: string[] = [`### ${icon} ${reportTitle(options)}: ${summaryLine(report)}`, ""];
  lines.push(`Inputs: ${report.inputs.map((i) => `\`${escapeCell(i.source)}\` (${i.kind})`).join(", ") || "none"}`, "");
  for (const input of report.inputs)
    for (const note of input.notes) lines.push(`> **Note** ${escapeCell(input.source)}: ${escapeCell(note)}`, "");
  const active = report.findings.filter((f) => !f.suppressed);
  if (active.length > 0) {
    lines.push("| Severity | Rule | Resource | Finding |", "|---|---|---|---|");
    for (const f of active) {
      const line = f.location.file && f.location.line ? `${f.location.file}:${f.location.line}` : undefined;
      const where = [f.location.address ?? f.subject, f.location.constructPath, line]
        .filter((x): x is string => Boolean(x))
        .map(escapeCell)
        .join("<br>");
      const notes = f.notes.length > 0 ? `<br>_${escapeCell(f.notes.join("; "))}_` : "";
      lines.push(
        `| ${f.severity} | [${f.ruleId}](${f.helpUri}) ${escapeCell(f.ruleName)} | ${where} | ${escapeCell(f.message)}${notes} |`,
      );
    }
    lines.push("");
    const fixes = [...new Set(active.map((f) => f.ruleId))]
      .map((id) => rules.find((r) => r.id === id))
      .filter((r) => r !== undefined);
    if (fixes.length > 0) {
      lines.push("**How to fix**", "");
      for (const r of fixes) lines.push(`- **${r.id} ${r.name}**: ${escapeCell(r.fix)}`);
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
        `- acknowledged ${f.ruleId} on \`${escapeCell(f.subject)}\` until ${f.suppressed?.expires}: ${escapeCell(f.suppressed?.reason ?? "")}`,
      );
    for (const x of a.expired)
      lines.push(`- **expired** ${x.rule} on \`${escapeCell(x.target)}\` (${x.expires}): no longer applies`);
    for (const x of a.unused)
      lines.push(`- **unused** ${x.rule} on \`${escapeCell(x.target)}\`: matches no finding, remove it`);
    for (const x of a.rejected)
      lines.push(`- **rejected** ${x.rule} on \`${escapeCell(x.target)}\`: ${escapeCell(x.problem ?? "invalid")}`);
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n")}`;
}
