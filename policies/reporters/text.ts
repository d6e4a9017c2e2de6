/**
 * Text reporter: findings grouped by rule, one symbol (and, on a terminal, one colour) per severity. Every string
 * that comes from the inputs is shown with its control characters escaped, so a hostile file cannot steer the
 * terminal or forge lines.
 */
import { blocks, type Report } from "../report";
import type { Finding, RuleMetadata } from "../rule";
import { escapeControlCharacters } from "../text-safety";
import {
  type ReportOptions,
  describeLocation,
  groupByRule,
  reportTitle,
  skippedRulesLine,
  summaryLine,
  withInternalRule,
} from "./common";

type Mark = Finding["severity"] | "acknowledged";
const SYMBOLS: Readonly<Record<Mark, string>> = { error: "✗", warning: "⚠", info: "ℹ", acknowledged: "✓" };
const COLOURS: Readonly<Record<Mark, string>> = { error: "31", warning: "33", info: "36", acknowledged: "32" };

function markOf(f: Finding): Mark {
  return f.suppressed ? "acknowledged" : f.severity;
}

function paint(text: string, mark: Mark, options: ReportOptions): string {
  return options.color ? `\u001b[${COLOURS[mark]}m${text}\u001b[0m` : text;
}

const safe = escapeControlCharacters;

export function formatText(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const lines: string[] = [];
  const inputs = report.inputs.map((i) => `${safe(i.source)} (${i.kind})`).join(", ");
  lines.push(`${reportTitle(options)}: ${summaryLine(report)} — ${inputs || "no inputs"}`);
  const skipped = skippedRulesLine(report);
  if (skipped !== undefined) lines.push(`  ${skipped}`);
  const shown = options.quiet
    ? report.findings.filter((f) => !f.suppressed && blocks(f.severity, options.failOn ?? "error"))
    : report.findings;
  if (!options.quiet)
    for (const input of report.inputs)
      for (const note of input.notes) lines.push(`  note: ${safe(input.source)}: ${safe(note)}`);
  const known = withInternalRule(rules);
  for (const [ruleId, findings] of groupByRule(shown)) lines.push(...ruleLines(ruleId, findings, known, options));
  if (options.quiet) return `${lines.join("\n")}\n`;
  lines.push(...acknowledgementLines(report), ...optInLines(report));
  if (report.findings.length === 0) lines.push("", "no findings");
  return `${lines.join("\n")}\n`;
}

function ruleLines(
  ruleId: string,
  findings: readonly Finding[],
  rules: readonly RuleMetadata[],
  options: ReportOptions,
): string[] {
  const rule = rules.find((r) => r.id === ruleId);
  const f0 = findings[0];
  const count = `${findings.length} finding${findings.length === 1 ? "" : "s"}`;
  const lines = ["", paint(`${ruleId} ${safe(f0.ruleName)} [${f0.severity}] — ${count}`, f0.severity, options)];
  for (const f of findings) {
    const tag = f.suppressed
      ? ` [acknowledged until ${f.suppressed.expires}: ${safe(f.suppressed.reason)}]`
      : f.severity !== f0.severity
        ? ` [${f.severity}]`
        : "";
    const mark = markOf(f);
    lines.push(
      `  ${paint(SYMBOLS[mark], mark, options)} ${safe(describeLocation(f))}${tag}`,
      `      ${safe(f.message)}`,
    );
    for (const note of f.notes) lines.push(`      note: ${safe(note)}`);
  }
  if (rule) lines.push(`  fix: ${rule.fix}`);
  // One rule can link per finding (KK007 on the AWS provider links to that provider's docs, on Confluent's to its).
  for (const uri of new Set(findings.map((f) => f.helpUri))) lines.push(`  see: ${uri}`);
  return lines;
}

function acknowledgementLines(report: Report): string[] {
  const a = report.acknowledgements;
  const lines: string[] = [];
  for (const x of a.expired)
    lines.push(`  expired  ${safe(x.rule)} ${safe(x.target)} (expired ${safe(x.expires)}): no longer applies`);
  for (const x of a.unused)
    lines.push(
      `  unused   ${safe(x.rule)} ${safe(x.target)}${x.declaredIn ? ` (${safe(x.declaredIn)})` : ""}: matches no finding, remove it`,
    );
  for (const x of a.rejected)
    lines.push(`  rejected ${safe(x.rule)} ${safe(x.target)}: ${safe(x.problem ?? "invalid")}`);
  return lines.length > 0 ? ["", "acknowledgements:", ...lines] : [];
}

function optInLines(report: Report): string[] {
  const optIns = report.optIns ?? [];
  if (optIns.length === 0) return [];
  return [
    "",
    "accepted opt-ins (reviewers: who holds these and why):",
    ...optIns.map(
      (o) =>
        `  ${safe(o.rule)} ${safe(o.subject)}: owner ${safe(o.owner)} (${o.tier}, ${safe(o.source)}): ${safe(o.reason)}`,
    ),
  ];
}
