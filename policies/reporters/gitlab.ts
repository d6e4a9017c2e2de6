/**
 * GitLab Code Quality reporter (the `codequality` report artifact): a JSON array of issues with description,
 * check_name, fingerprint, severity and location (path, lines.begin). Acknowledged findings are left out: GitLab has
 * no suppressions, and an accepted finding is not a quality issue of the merge request.
 */
import { sha256Hex } from "./common";
import type { Report } from "../report";
import type { Finding, Severity } from "../rule";

const GITLAB_SEVERITY: Readonly<Record<Severity, "critical" | "major" | "info">> = {
  error: "critical",
  warning: "major",
  info: "info",
};

/** Stable across runs of the same finding, so GitLab tracks it from one pipeline to the next. */
function fingerprint(f: Finding): string {
  return sha256Hex(`${f.ruleId}\u0000${f.subject}\u0000${f.message}`);
}

export function formatGitlab(report: Report): string {
  const issues = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      type: "issue",
      description: `${f.ruleId} ${f.ruleName}: ${f.message}`,
      check_name: f.ruleId,
      fingerprint: fingerprint(f),
      severity: GITLAB_SEVERITY[f.severity],
      categories: ["Security"],
      location: {
        path: (f.location.file ?? "unknown").replace(/\\/g, "/").replace(/^\.\//, ""),
        lines: { begin: f.location.line ?? 1 },
      },
    }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
