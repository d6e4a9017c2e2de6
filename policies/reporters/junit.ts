/**
 * JUnit XML reporter: one test suite per rule, one test case per finding (a rule without findings passes once).
 * A finding is a `<failure>` only at or above the run's --fail-on, so the CI test view agrees with the exit code;
 * below it, the test case passes and carries the finding in its `<system-out>`.
 */
import { blocks, type Report } from "../report";
import type { RuleMetadata } from "../rule";
import { type ReportOptions, describeLocation, reportRules, reportTitle } from "./common";

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function formatJunit(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const used = reportRules(report, rules);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const rule of used) {
    const findings = report.findings.filter((f) => f.ruleId === rule.id);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    if (findings.length === 0)
      cases.push(`    <testcase classname="${escapeXml(rule.id)}" name="${escapeXml(`${rule.name}: no findings`)}"/>`);
    for (const f of findings) {
      const name = escapeXml(describeLocation(f));
      if (f.suppressed) {
        suiteSkipped++;
        cases.push(
          `    <testcase classname="${escapeXml(rule.id)}" name="${name}">\n      <skipped message="${escapeXml(`acknowledged until ${f.suppressed.expires}: ${f.suppressed.reason}`)}"/>\n    </testcase>`,
        );
      } else if (!blocks(f.severity, options.failOn ?? "error")) {
        const body = [`${f.severity}: ${f.message}`, ...f.notes.map((n) => `note: ${n}`), `see: ${f.helpUri}`];
        cases.push(
          `    <testcase classname="${escapeXml(rule.id)}" name="${name}">\n      <system-out>${escapeXml(body.join("\n"))}</system-out>\n    </testcase>`,
        );
      } else {
        suiteFailures++;
        const body = [f.message, ...f.notes.map((n) => `note: ${n}`), `see: ${f.helpUri}`].join("\n");
        cases.push(
          `    <testcase classname="${escapeXml(rule.id)}" name="${name}">\n      <failure type="${f.severity}" message="${escapeXml(f.message)}">${escapeXml(body)}</failure>\n    </testcase>`,
        );
      }
    }
    const count = Math.max(findings.length, 1);
    tests += count;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${escapeXml(`${rule.id} ${rule.name}`)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  for (const rule of report.skippedRules ?? []) {
    tests += 1;
    skipped += 1;
    suites.push(
      `  <testsuite name="${escapeXml(`${rule.id} ${rule.name}`)}" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="${escapeXml(rule.id)}" name="${escapeXml(`${rule.name}: not evaluated`)}">\n      <skipped message="skipped by skipRules (keykit.config.json or KEYKIT_SKIP_RULES)"/>\n    </testcase>\n  </testsuite>`,
    );
  }
  // Input notes (modules not followed …) as the report's system-out, which CI test views display.
  const notes = report.inputs.flatMap((i) => i.notes.map((n) => `note: ${i.source}: ${n}`));
  const out = notes.length > 0 ? `\n  <system-out>${escapeXml(notes.join("\n"))}</system-out>` : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(reportTitle(options))}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${escapeXml(report.evaluatedAt)}">\n${suites.join("\n")}${out}\n</testsuites>\n`;
}
