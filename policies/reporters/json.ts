/** JSON reporter: the Report itself (versioned by `$schema` / `version`), with the command that produced it. */
import type { Report } from "../report";
import { type ReportOptions, commandOf } from "./common";

export function formatJson(report: Report, options: ReportOptions = {}): string {
  const named: Report = { ...report, tool: { ...report.tool, command: commandOf(options) } };
  return `${JSON.stringify(named, null, 2)}\n`;
}
