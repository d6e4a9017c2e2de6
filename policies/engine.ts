/**
 * The engine: a pure function from models, rules and acknowledgements to a report. No I/O, no clock
 * (the evaluation time comes in as an option), so the same inputs always give the same report.
 */
import { type FileAcknowledgement, acknowledgementProblem, globToRegExp, isExpired } from "./acknowledgements";
import type { AcknowledgementRecord } from "./metadata";
import type { KeykitModel } from "./model";
import { type AcknowledgementUse, type Report, REPORT_SCHEMA, REPORT_SCHEMA_VERSION, summarize } from "./report";
import type { Finding, Rule, RuleContext, RuleFinding } from "./rule";
import { severityRank } from "./rule";

export const DEFAULT_MAX_AGE_DAYS = 90;
export const KEYKIT_VERSION = "0.1.0";

export interface EvaluateOptions {
  /** Evaluation time; defaults to the current time. Pass it for reproducible reports. */
  readonly now?: Date | string;
  /** Maximum key / rotation-slot age in days (default 90). */
  readonly maxAgeDays?: number;
}

interface AckCandidate {
  readonly record: AcknowledgementRecord;
  readonly source: "code" | "file";
  readonly target: string;
  readonly declaredIn?: string;
  readonly matches: (subject: string, constructPath: string | undefined) => boolean;
}

function toDate(now: Date | string | undefined): Date {
  if (now === undefined) return new Date();
  const d = typeof now === "string" ? new Date(now) : now;
  if (Number.isNaN(d.getTime())) throw new RangeError(`invalid evaluation time '${String(now)}'`);
  return d;
}

function use(c: AckCandidate, problem?: string): AcknowledgementUse {
  return {
    rule: c.record.rule,
    reason: c.record.reason,
    expires: c.record.expires,
    source: c.source,
    target: c.target,
    ...(c.declaredIn !== undefined ? { declaredIn: c.declaredIn } : {}),
    ...(problem !== undefined ? { problem } : {}),
  };
}

/** Every code acknowledgement in the models, keyed by object identity so each is reported once. */
function codeCandidates(models: readonly KeykitModel[]): AckCandidate[] {
  const out: AckCandidate[] = [];
  for (const model of models) {
    const entities = [
      ...model.apiKeys,
      ...model.serviceAccounts,
      ...model.grants,
      ...model.outputs,
      ...model.providers,
      ...model.secretStores,
      ...model.secretSinks,
    ];
    for (const entity of entities) {
      for (const record of entity.acknowledgements) {
        out.push({
          record,
          source: "code",
          target: entity.location.constructPath ?? entity.address,
          declaredIn: model.source,
          matches: (subject) => subject === entity.address,
        });
      }
    }
  }
  return out;
}

function fileCandidates(acks: readonly FileAcknowledgement[]): AckCandidate[] {
  return acks.map((a) => {
    const re = globToRegExp(a.resource);
    return {
      record: a,
      source: "file" as const,
      target: a.resource,
      declaredIn: a.declaredIn,
      matches: (subject: string, path: string | undefined) => re.test(subject) || (path !== undefined && re.test(path)),
    };
  });
}

/**
 * Evaluates `rules` on one model (or several, e.g. every stack of a cdktf.out directory) and applies
 * acknowledgements from code (in the model) and from the central file.
 */
export function evaluate(
  models: KeykitModel | readonly KeykitModel[],
  rules: readonly Rule[],
  acknowledgements: readonly FileAcknowledgement[] = [],
  options: EvaluateOptions = {},
): Report {
  const list: readonly KeykitModel[] = Array.isArray(models) ? models : [models as KeykitModel];
  const now = toDate(options.now);
  const context: RuleContext = { now, maxAgeDays: options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS };
  const knownRules = new Set(rules.map((r) => r.id));

  const candidates = [...codeCandidates(list), ...fileCandidates(acknowledgements)];
  const problems = new Map<AckCandidate, string | undefined>();
  for (const c of candidates) {
    const problem = acknowledgementProblem(c.record);
    problems.set(c, problem ?? (knownRules.has(c.record.rule) ? undefined : `unknown rule '${c.record.rule}'`));
  }
  const applied = new Set<AckCandidate>();
  const expired = new Set<AckCandidate>();
  const rejected = new Map<AckCandidate, string>();

  const findings: Finding[] = [];
  for (const model of list) {
    for (const rule of rules) {
      const acknowledgeable =
        rule.acknowledgeable === "always" ||
        (rule.acknowledgeable === "outside-production" && model.tier !== "production");
      for (const raw of rule.check(model, context)) {
        findings.push(
          resolveFinding(rule, raw, acknowledgeable, candidates, problems, { applied, expired, rejected }, now),
        );
      }
    }
  }
  // Code-unit order (not localeCompare): stable across machines and fast on tens of thousands of findings.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.subject, b.subject) ||
      cmp(a.location.file ?? "", b.location.file ?? ""),
  );

  for (const [c, problem] of problems) if (problem !== undefined) rejected.set(c, problem);
  const unused = candidates.filter((c) => !applied.has(c) && !expired.has(c) && !rejected.has(c));

  return {
    $schema: REPORT_SCHEMA,
    version: REPORT_SCHEMA_VERSION,
    tool: { name: "keykit", version: KEYKIT_VERSION },
    evaluatedAt: now.toISOString(),
    inputs: list.map((m) => ({ source: m.source, kind: m.kind, notes: [...m.notes] })),
    rules: rules.map((r) => ({ id: r.id, name: r.name, severity: r.severity, summary: r.summary, helpUri: r.helpUri })),
    findings,
    acknowledgements: {
      applied: [...applied].map((c) => use(c)),
      expired: [...expired].map((c) => use(c, `expired on ${c.record.expires}`)),
      unused: unused.map((c) => use(c)),
      rejected: [...rejected].map(([c, p]) => use(c, p)),
    },
    summary: summarize(findings),
  };
}

function resolveFinding(
  rule: Rule,
  raw: RuleFinding,
  acknowledgeable: boolean,
  candidates: readonly AckCandidate[],
  problems: ReadonlyMap<AckCandidate, string | undefined>,
  state: { applied: Set<AckCandidate>; expired: Set<AckCandidate>; rejected: Map<AckCandidate, string> },
  now: Date,
): Finding {
  const notes: string[] = [];
  let suppressed: Finding["suppressed"];
  const codeRecords = candidates.length > 0 ? new Set(raw.codeAcknowledgements ?? []) : undefined;
  for (const c of candidates) {
    if (c.record.rule !== rule.id) continue;
    const matches =
      c.source === "code" ? (codeRecords?.has(c.record) ?? false) : c.matches(raw.subject, raw.location.constructPath);
    if (!matches || problems.get(c) !== undefined) continue;
    if (isExpired(c.record, now)) {
      state.expired.add(c);
      notes.push(
        `acknowledgement expired on ${c.record.expires} (${c.source === "file" ? "file" : "code"}): it no longer applies`,
      );
      continue;
    }
    if (!acknowledgeable) {
      state.rejected.set(c, `${rule.id} cannot be acknowledged here`);
      notes.push(`${rule.id} cannot be acknowledged here; the acknowledgement is ignored`);
      continue;
    }
    state.applied.add(c);
    suppressed ??= { reason: c.record.reason, expires: c.record.expires, source: c.source };
  }
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: raw.severity ?? rule.severity,
    message: raw.message,
    location: raw.location,
    subject: raw.subject,
    helpUri: rule.helpUri,
    acknowledgeable,
    ...(suppressed ? { suppressed } : {}),
    notes,
  };
}
