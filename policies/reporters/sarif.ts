/**
 * SARIF 2.1.0 reporter, uploadable to GitHub code scanning: one run, the rules as `tool.driver.rules` (ruleId = the
 * rule's ID, helpUri), locations as the input file plus logical locations (Terraform address, construct path).
 * Acknowledged findings are kept with a `suppressions` entry, as SARIF intends.
 */
import type { SourceLocation } from "../model";
import type { Report } from "../report";
import type { RuleMetadata, Severity } from "../rule";
import { pathToFileURL } from "node:url";
import { type ReportOptions, commandOf, reportRules, rootedPath, sha256Hex } from "./common";

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/**
 * GitHub code scanning's severity score (CVSS-like, 0–10): error rules 7.0 and above (9.0 when the rule's finding
 * can never be acknowledged, e.g. an exposed secret), warnings 4.0–6.9, infos below.
 */
export function securitySeverity(rule: Pick<RuleMetadata, "severity"> & { acknowledgeable?: unknown }): string {
  if (rule.severity === "error") return rule.acknowledgeable === "never" ? "9.0" : "7.5";
  return rule.severity === "warning" ? "5.0" : "2.0";
}

export const KEYKIT_INFORMATION_URI = "https://www.npmjs.com/package/keykit";

/**
 * A file under the source root becomes a URI relative to it (`uriBaseId` %SRCROOT%, as GitHub code scanning
 * expects); any other an absolute `file:` URI.
 */
function artifactLocation(file: string | undefined, options: ReportOptions): { uri: string; uriBaseId?: string } {
  const rooted = rootedPath(file, options);
  const uri = rooted.path.split("/").map(encodeURIComponent).join("/");
  return rooted.inRoot ? { uri, uriBaseId: "%SRCROOT%" } : { uri: `file://${uri}` };
}

/** Where %SRCROOT% is, when the report knows it (a directory URI ends in `/`). */
function originalUriBaseIds(options: ReportOptions): { "%SRCROOT%": { uri: string } } | undefined {
  if (options.sourceRoot === undefined) return undefined;
  const uri = pathToFileURL(options.sourceRoot).href;
  return { "%SRCROOT%": { uri: uri.endsWith("/") ? uri : `${uri}/` } };
}

/** The synthesized file a finding was read from, when its location is the source that created the construct. */
function relatedLocations(location: SourceLocation, options: ReportOptions) {
  if (location.generated === undefined) return undefined;
  return [
    {
      id: 1,
      physicalLocation: {
        artifactLocation: artifactLocation(location.generated.file, options),
        region: { startLine: location.generated.line ?? 1 },
      },
      message: { text: "the synthesized configuration this finding was read from" },
    },
  ];
}

/**
 * The run's category: code scanning replaces an analysis by category, so `keykit audit` uploads must not replace
 * `keykit check` ones (`keykit/…` as before for check, `keykit-audit/…` for the audit).
 */
function category(command: string): string {
  return command === "check" ? "keykit" : `keykit-${command}`;
}

/** The finding's lines (1 when the input kind gives none): HCL blocks span startLine..endLine. */
function region(location: SourceLocation): { startLine: number; endLine?: number; startColumn?: number } {
  const startLine = location.line ?? 1;
  return {
    startLine,
    ...(location.endLine !== undefined && location.endLine >= startLine ? { endLine: location.endLine } : {}),
    ...(location.column !== undefined ? { startColumn: location.column } : {}),
  };
}

/** Input notes (modules not followed, unreadable module files) as notifications, so SARIF viewers show them. */
function inputNotifications(report: Report): { level: "note"; message: { text: string } }[] {
  return report.inputs.flatMap((i) =>
    i.notes.map((n) => ({ level: "note" as const, message: { text: `${i.source}: ${n}` } })),
  );
}

export function formatSarif(report: Report, rules: readonly RuleMetadata[], options: ReportOptions = {}): string {
  const used = reportRules(report, rules);
  const index = new Map(used.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "keykit",
            version: report.tool.version,
            informationUri: KEYKIT_INFORMATION_URI,
            rules: used.map((r) => {
              const meta = r as Partial<RuleMetadata> & {
                id: string;
                name: string;
                summary: string;
                helpUri: string;
                severity: Severity;
              };
              return {
                id: meta.id,
                name: meta.name,
                shortDescription: { text: meta.summary },
                fullDescription: { text: meta.rationale ?? meta.summary },
                help: {
                  text: meta.fix ?? meta.summary,
                  markdown: `${meta.fix ?? meta.summary}\n\n[Practice](${meta.helpUri})`,
                },
                helpUri: meta.helpUri,
                defaultConfiguration: { level: LEVEL[meta.severity] },
                properties: {
                  tags: ["security", "confluent", "api-keys"],
                  "security-severity": securitySeverity(meta),
                },
              };
            }),
          },
        },
        ...(originalUriBaseIds(options) ? { originalUriBaseIds: originalUriBaseIds(options) } : {}),
        automationDetails: { id: `${category(commandOf(options))}/${report.evaluatedAt}` },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: inputNotifications(report),
            // SARIF's own way to say a rule was switched off for this run.
            ...(report.skippedRules && report.skippedRules.length > 0
              ? {
                  ruleConfigurationOverrides: report.skippedRules.map((r) => ({
                    descriptor: { id: r.id },
                    configuration: { enabled: false },
                  })),
                }
              : {}),
          },
        ],
        results: report.findings.map((f) => {
          const logical = [
            ...(f.location.address ? [{ fullyQualifiedName: f.location.address, kind: "resource" }] : []),
            ...(f.location.constructPath ? [{ fullyQualifiedName: f.location.constructPath, kind: "module" }] : []),
          ];
          return {
            ruleId: f.ruleId,
            ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
            level: LEVEL[f.severity],
            message: { text: f.notes.length > 0 ? `${f.message} (${f.notes.join("; ")})` : f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactLocation(f.location.file, options),
                  region: region(f.location),
                },
                ...(logical.length > 0 ? { logicalLocations: logical } : {}),
              },
            ],
            ...(f.location.generated ? { relatedLocations: relatedLocations(f.location, options) } : {}),
            partialFingerprints: {
              keykitFinding: sha256Hex(`${f.ruleId}\u0000${f.subject}\u0000${f.message}`).slice(0, 32),
            },
            ...(f.suppressed
              ? {
                  suppressions: [
                    {
                      kind: f.suppressed.source === "code" ? "inSource" : "external",
                      justification: `${f.suppressed.reason} (until ${f.suppressed.expires})`,
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
