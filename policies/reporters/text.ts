/** Text reporter: findings grouped by rule, readable in a terminal (no colour codes, so logs stay clean). */
import type { Report } from "../report";
import type { RuleMetadata } from "../rule";
import { type ReportOptions, describeLocation, groupByRule, reportTitle, summaryLine } from "./common";

export function formatText(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const lines: string[] = [];
  const inputs = report.inputs.map((i) => `${i.source} (${i.kind})`).join(", ");
  lines.push(`${reportTitle(options)}: ${summaryLine(report)} — ${inputs || "no inputs"}`);
  for (const input of report.inputs) for (const note of input.notes) lines.push(`  note: ${input.source}: ${note}`);
  for (const [ruleId, findings] of groupByRule(report.findings)) {
    const rule = rules.find((r) => r.id === ruleId);
    const f0 = findings[0];
    lines.push(
      "",
      `${ruleId} ${f0.ruleName} [${f0.severity}] — ${findings.length} finding${findings.length === 1 ? "" : "s"}`,
    );
    for (const f of findings) {
      const tag = f.suppressed
        ? ` [acknowledged until ${f.suppressed.expires}: ${f.suppressed.reason}]`
        : f.severity !== f0.severity
          ? ` [${f.severity}]`
          : "";
      lines.push(`  ✗ ${describeLocation(f)}${tag}`, `      ${f.message}`);
      for (const note of f.notes) lines.push(`      note: ${note}`);
    }
    if (rule) lines.push(`  fix: ${rule.fix}`);
    lines.push(`  see: ${f0.helpUri}`);
  }
  const a = report.acknowledgements;
  const ackLines: string[] = [];
  for (const x of a.expired)
    ackLines.push(`  expired  ${x.rule} ${x.target} (expired ${x.expires}): no longer applies`);
  for (const x of a.unused)
    ackLines.push(
      `  unused   ${x.rule} ${x.target}${x.declaredIn ? ` (${x.declaredIn})` : ""}: matches no finding, remove it`,
    );
  for (const x of a.rejected) ackLines.push(`  rejected ${x.rule} ${x.target}: ${x.problem ?? "invalid"}`);
  if (ackLines.length > 0) lines.push("", "acknowledgements:", ...ackLines);
  const optIns = report.optIns ?? [];
  if (optIns.length > 0) lines.push("", "accepted opt-ins (reviewers: who holds these and why):");
  for (const o of optIns)
    lines.push(`  ${o.rule} ${o.subject}: owner ${o.owner} (${o.tier}, ${o.source}): ${oneLine(o.reason)}`);
  if (report.findings.length === 0) lines.push("", "no findings");
  return `${lines.join("\n")}\n`;
}

/** Reasons come from configuration text: keep each on its line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ");
}
