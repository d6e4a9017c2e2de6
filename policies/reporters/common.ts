import { isAbsolute, relative, resolve, sep } from "node:path";
import { INTERNAL_RULE_ERROR } from "../engine";
import type { Finding, RuleMetadata } from "../rule";
import type { FailOn, Report, RuleSummary } from "../report";
import type { KeyGraph } from "./key-graph";

/**
 * SHA-256 of `text`, hex. node:crypto is required on the first hash: loading it costs every `keykit check` a few
 * milliseconds of start-up, and only the SARIF and GitLab reports hash.
 */
export function sha256Hex(text: string): string {
  return sha256Digest(text, "hex");
}

/** SHA-256 of `text` (UTF-8) in `encoding`: hex for fingerprints, base64 for a Content-Security-Policy hash. */
export function sha256Digest(text: string, encoding: "hex" | "base64"): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(text, "utf8").digest(encoding);
}

/** How a report presents itself. */
export interface ReportOptions {
  /**
   * The keykit command that produced the report (`check`, `audit`, …): reports say `keykit <command>` in their
   * header (text, Markdown), suite name (JUnit), `tool.command` (JSON) and automation category (SARIF).
   * Default `check`.
   */
  readonly command?: string;
  /** The run's `--fail-on` (default error): JUnit marks only findings at or above it as failures. */
  readonly failOn?: FailOn;
  /** Text: ANSI colours (the CLI sets it on a terminal only, honouring NO_COLOR / FORCE_COLOR). */
  readonly color?: boolean;
  /** Text: only the summary line and the blocking findings. */
  readonly quiet?: boolean;
  /** Markdown and HTML: the key graph to draw (owners, keys, resources, findings on the nodes). */
  readonly graph?: KeyGraph;
  /**
   * SARIF, GitLab: the directory locations are relative to (the repository root, where code scanning and GitLab
   * resolve paths). Without it, paths are as the inputs were given (relative to the working directory).
   */
  readonly sourceRoot?: string;
  /** The directory relative input paths are relative to (default: the process's). */
  readonly cwd?: string;
}

/** Where a location's file is for SARIF and GitLab: under the source root (relative, `/`-separated) or not. */
export type RootedPath =
  { readonly inRoot: true; readonly path: string } | { readonly inRoot: false; readonly path: string };

export function rootedPath(file: string | undefined, options: ReportOptions = {}): RootedPath {
  const given = file ?? "unknown";
  if (options.sourceRoot === undefined) {
    const f = given.replace(/\\/g, "/").replace(/^\.\//, "");
    return f.startsWith("/") ? { inRoot: false, path: f } : { inRoot: true, path: f };
  }
  const absolute = isAbsolute(given) ? given : resolve(options.cwd ?? process.cwd(), given);
  const rel = relative(options.sourceRoot, absolute);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel))
    return { inRoot: false, path: absolute.split(sep).join("/") };
  return { inRoot: true, path: rel.split(sep).join("/") };
}

/** "keykit check", "keykit audit". */
export function reportTitle(options: ReportOptions = {}): string {
  return `keykit ${commandOf(options)}`;
}

export function commandOf(options: ReportOptions = {}): string {
  return options.command ?? "check";
}

/** "2 errors, 1 warning, 1 suppressed" */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const part = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const parts = [part(s.errors, "error"), part(s.warnings, "warning")];
  if (s.infos > 0) parts.push(part(s.infos, "info"));
  if (s.suppressed > 0) parts.push(`${s.suppressed} acknowledged`);
  return parts.join(", ");
}

/** "KK008 ServiceAccountInUse, KK009 …": the rules `skipRules` switched off, or undefined when none. */
export function skippedRulesLine(report: Report): string | undefined {
  const skipped = report.skippedRules ?? [];
  if (skipped.length === 0) return undefined;
  return `skipped by skipRules (not evaluated): ${skipped.map((r) => `${r.id} ${r.name}`).join(", ")}`;
}

/** Where a finding is, for people: `file: address (construct path)`. */
export function describeLocation(f: Finding): string {
  const parts: string[] = [];
  if (f.location.file) parts.push(`${f.location.file}${f.location.line ? `:${f.location.line}` : ""}`);
  const what = f.location.address ?? f.subject;
  parts.push(
    f.location.constructPath && f.location.constructPath !== what ? `${what} (${f.location.constructPath})` : what,
  );
  return parts.join(": ");
}

export function groupByRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.ruleId) ?? [];
    list.push(f);
    groups.set(f.ruleId, list);
  }
  return groups;
}

/**
 * The rules a report speaks of: the given ones (with rationale and fix), then any the engine added (KK000, an
 * internal rule error), so no finding is left without its rule.
 */
export function reportRules(report: Report, rules: readonly RuleMetadata[]): readonly (RuleMetadata | RuleSummary)[] {
  if (rules.length === 0) return report.rules;
  const known = new Set(rules.map((r) => r.id));
  const added = report.rules.filter((r) => !known.has(r.id));
  return [...rules, ...added.map((r) => (r.id === INTERNAL_RULE_ERROR.id ? INTERNAL_RULE_ERROR : r))];
}

/** The given rules and KK000, so a report that shows fixes has one for an internal rule error too. */
export function withInternalRule(rules: readonly RuleMetadata[]): readonly RuleMetadata[] {
  return rules.some((r) => r.id === INTERNAL_RULE_ERROR.id) ? rules : [...rules, INTERNAL_RULE_ERROR];
}
