/** The one place the audit reaches the policy reporters (shared with `keykit check`). */
import type { Report } from "../../policies/report";
import type { AuditFormat } from "./args";

// TEMPORARY until policies/reporters lands: JSON only.
export function renderAuditReport(report: Report, format: AuditFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return `${JSON.stringify(report, null, 2)}\n`;
}
