/**
 * GitLab Code Quality reporter (the `codequality` report artifact): a JSON array of issues with description,
 * check_name, fingerprint, severity and location (path, lines.begin). Acknowledged findings are left out: GitLab has
 * no suppressions, and an accepted finding is not a quality issue of the merge request.
 */
import { sha256Hex } from "./common";
import type { Report } from "../report";
import type { Finding, Severity } from "../rule";
import { type ReportOptions, rootedPath } from "./common";

const GITLAB_SEVERITY: Readonly<Record<Severity, "critical" | "major" | "info">> = {
  error: "critical",
  warning: "major",
  info: "info",
};

/** Stable across runs of the same finding, so GitLab tracks it from one pipeline to the next. */
function fingerprint(f: Finding): string {
  return sha256Hex(`${f.ruleId}\u0000${f.subject}\u0000${f.message}`);
}

/** Paths relative to the source root (the repository's top level), where GitLab resolves them. */
export function formatGitlab(report: Report, options: ReportOptions = {}): string {
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
        path: rootedPath(f.location.file, options).path,
        lines: { begin: f.location.line ?? 1 },
      },
    }));
  // Code Quality has no run metadata: a skipped rule is an info issue on the project's configuration file.
  const skipped = (report.skippedRules ?? []).map((r) => ({
    type: "issue",
    description: `${r.id} ${r.name}: not evaluated (skipped by skipRules)`,
    check_name: r.id,
    fingerprint: sha256Hex(`skipRules\u0000${r.id}`),
    severity: "info",
    categories: ["Security"],
    location: { path: "keykit.config.json", lines: { begin: 1 } },
  }));
  return `${JSON.stringify([...issues, ...skipped], null, 2)}\n`;
}
