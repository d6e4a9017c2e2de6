/** The five report formats. None prints a value from the inputs: the model never carries secret values. */
import type { Report } from "../report";
import type { RuleMetadata } from "../rule";
import { formatJson } from "./json";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import { formatSarif } from "./sarif";
import { formatText } from "./text";

export type ReportFormat = "text" | "json" | "sarif" | "junit" | "markdown";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "junit", "markdown"];

export function formatReport(report: Report, format: ReportFormat, rules: readonly RuleMetadata[]): string {
  switch (format) {
    case "text":
      return formatText(report, rules);
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report, rules);
    case "junit":
      return formatJunit(report, rules);
    case "markdown":
      return formatMarkdown(report, rules);
  }
}

export { formatJson, formatJunit, formatMarkdown, formatSarif, formatText };
