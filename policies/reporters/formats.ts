/**
 * The report formats, and each one's formatter loaded on its own: the CLI prints one format per run, so it loads
 * that reporter only (the SARIF and GitLab reporters pull in node:crypto, a few milliseconds of every start).
 */
import type { Report } from "../report";
import type { RuleMetadata } from "../rule";
import type { ReportOptions } from "./common";

export type ReportFormat = "text" | "json" | "sarif" | "junit" | "markdown" | "gitlab";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "junit", "markdown", "gitlab"];

export type Formatter = (report: Report, rules: readonly RuleMetadata[], options: ReportOptions) => string;

/** The formatter of `format`, the same function `formatReport` calls for it. */
export async function loadFormatter(format: ReportFormat): Promise<Formatter> {
  switch (format) {
    case "text":
      return (await import("./text")).formatText;
    case "json": {
      const { formatJson } = await import("./json");
      return (report, _rules, options) => formatJson(report, options);
    }
    case "sarif":
      return (await import("./sarif")).formatSarif;
    case "junit":
      return (await import("./junit")).formatJunit;
    case "markdown":
      return (await import("./markdown")).formatMarkdown;
    case "gitlab": {
      const { formatGitlab } = await import("./gitlab");
      return (report) => formatGitlab(report);
    }
  }
}
