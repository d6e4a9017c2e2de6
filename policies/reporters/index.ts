/** The report formats. None prints a value from the inputs: the model never carries secret values. */
import type { Report } from "../report";
import type { RuleMetadata } from "../rule";
import type { ReportOptions } from "./common";
import { formatGitlab } from "./gitlab";
import { formatJson } from "./json";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import { formatSarif } from "./sarif";
import { formatText } from "./text";

export type ReportFormat = "text" | "json" | "sarif" | "junit" | "markdown" | "gitlab";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "junit", "markdown", "gitlab"];

/** Renders `report`; `options.command` names the command in the output (default `check`). */
export function formatReport(
  report: Report,
  format: ReportFormat,
  rules: readonly RuleMetadata[],
  options: ReportOptions = {},
): string {
  switch (format) {
    case "text":
      return formatText(report, rules, options);
    case "json":
      return formatJson(report, options);
    case "sarif":
      return formatSarif(report, rules, options);
    case "junit":
      return formatJunit(report, rules, options);
    case "markdown":
      return formatMarkdown(report, rules, options);
    case "gitlab":
      return formatGitlab(report);
  }
}

export type { ReportOptions };
export { formatGitlab, formatJson, formatJunit, formatMarkdown, formatSarif, formatText };
