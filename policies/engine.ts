/**
 * The engine: a pure function from models, rules and acknowledgements to a report. No I/O, no clock
 * (the evaluation time comes in as an option), so the same inputs always give the same report.
 */
import { type FileAcknowledgement, acknowledgementProblem, compileGlob, isExpired } from "./acknowledgements";
import type { AcknowledgementRecord } from "./metadata";
import type { AuditModel } from "./inventory/audit-model";
import type { KeykitModel } from "./model";
import {
  type AcknowledgementUse,
  type OptInUse,
  type Report,
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  summarize,
} from "./report";
import type { Finding, Rule, RuleContext, RuleFinding, RuleMetadata } from "./rule";
import { severityRank } from "./rule";

export const DEFAULT_MAX_AGE_DAYS = 90;
import { KEYKIT_VERSION } from "./version";

export { KEYKIT_VERSION };

export interface EvaluateOptions {
  /** Evaluation time; defaults to the current time. Pass it for reproducible reports. */
  readonly now?: Date | string;
  /** Maximum key / rotation-slot age in days (default 90). */
  readonly maxAgeDays?: number;
  /**
   * Rule IDs an acknowledgement may name besides the evaluated rules: the kit's rules that other commands run (one
   * acknowledgements file serves `keykit check` and `keykit audit`). Such acknowledgements are neither rejected as
   * unknown nor reported as unused, since this evaluation cannot use them. Default: none.
   */
  readonly knownRuleIds?: Iterable<string>;
  /** Rules the caller left out because the project's `skipRules` names them: the report lists them. */
  readonly skippedRules?: readonly { readonly id: string; readonly name: string }[];
}

interface AckCandidate {
  readonly record: AcknowledgementRecord;
  /** Code acknowledgements: every copy of it (one per resource below the construct it was declared on). */
  readonly copies?: ReadonlySet<AcknowledgementRecord>;
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
/** The longest common prefix of construct paths (by segment): where an acknowledgement copied below it was declared. */
function commonPath(paths: readonly string[]): string {
  const split = paths.map((p) => p.split("/"));
  const out: string[] = [];
  for (let i = 0; split.every((p) => i < p.length && p[i] === split[0][i]); i++) out.push(split[0][i]);
  return out.join("/");
}

/**
 * Every code acknowledgement in the models. An acknowledgement declared on a construct is copied onto each resource
 * below it; the copies (same rule, reason and expiry in one input) count as one acknowledgement, used when any copy
 * suppresses a finding, reported once at the common construct path.
 */
function codeCandidates(models: readonly KeykitModel[]): AckCandidate[] {
  const out: AckCandidate[] = [];
  for (const model of models) {
    const groups = new Map<
      string,
      { record: AcknowledgementRecord; copies: Set<AcknowledgementRecord>; targets: string[] }
    >();
    // Each list in turn: concatenating them would copy every entity of a 50,000-key model.
    const lists = [
      model.apiKeys,
      model.serviceAccounts,
      model.grants,
      model.outputs,
      model.providers,
      model.secretStores,
      model.secretSinks,
    ];
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const entity = list[i];
        // Most entities carry none: no iterator over an empty list (thousands of entities per stack at synth).
        if (entity.acknowledgements.length === 0) continue;
        for (const record of entity.acknowledgements) {
          const key = JSON.stringify([record.rule, record.reason, record.expires]);
          const group = groups.get(key) ?? { record, copies: new Set(), targets: [] };
          group.copies.add(record);
          group.targets.push(entity.location.constructPath ?? entity.address);
          groups.set(key, group);
        }
      }
    }
    for (const g of groups.values()) {
      const target = g.targets.length === 1 ? g.targets[0] : commonPath(g.targets) || g.targets[0];
      out.push({
        record: g.record,
        copies: g.copies,
        source: "code",
        target,
        declaredIn: model.source,
        matches: () => false,
      });
    }
  }
  return out;
}

function fileCandidates(acks: readonly FileAcknowledgement[]): AckCandidate[] {
  return acks.map((a) => {
    const matches = compileGlob(a.resource);
    return {
      record: a,
      source: "file" as const,
      target: a.resource,
      declaredIn: a.declaredIn,
      matches: (subject: string, path: string | undefined) => matches(subject) || (path !== undefined && matches(path)),
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
  const evaluated = new Set(rules.map((r) => r.id));
  const otherRules = new Set(options.knownRuleIds ?? []);

  const all = [...codeCandidates(list), ...fileCandidates(acknowledgements)];
  const problems = new Map<AckCandidate, string | undefined>();
  const candidates: AckCandidate[] = [];
  for (const c of all) {
    const problem = acknowledgementProblem(c.record);
    // A well-formed acknowledgement of a rule another command runs is not this evaluation's business.
    if (problem === undefined && !evaluated.has(c.record.rule) && otherRules.has(c.record.rule)) continue;
    candidates.push(c);
    problems.set(c, problem ?? (evaluated.has(c.record.rule) ? undefined : `unknown rule '${c.record.rule}'`));
  }
  const applied = new Set<AckCandidate>();
  const expired = new Set<AckCandidate>();
  const rejected = new Map<AckCandidate, string>();
  // Indexes, so a finding only looks at acknowledgements that can concern it (code: its own copies; file: its rule).
  const codeByCopy = new Map<AcknowledgementRecord, AckCandidate>();
  const fileByRule = new Map<string, AckCandidate[]>();
  for (const c of candidates) {
    if (c.copies) for (const r of c.copies) codeByCopy.set(r, c);
    else fileByRule.set(c.record.rule, [...(fileByRule.get(c.record.rule) ?? []), c]);
  }
  const candidatesFor = (ruleId: string, raw: RuleFinding): AckCandidate[] => {
    const out: AckCandidate[] = [];
    for (const r of raw.codeAcknowledgements ?? []) {
      const c = codeByCopy.get(r);
      if (c && c.record.rule === ruleId && !out.includes(c)) out.push(c);
    }
    return [...out, ...(fileByRule.get(ruleId) ?? [])];
  };

  const findings: Finding[] = [];
  for (const model of list) {
    // The audit's join is a typed part of the context for the model that carries it, not a cast in the rules.
    const modelContext: RuleContext = isAuditModel(model) ? { ...context, audit: model.audit } : context;
    for (const rule of rules) {
      const outcome = checkGuarded(rule, model, modelContext);
      if ("internalError" in outcome) {
        findings.push(outcome.internalError);
        continue;
      }
      for (const raw of outcome.raw) {
        const acknowledgeable =
          rule.acknowledgeable === "always" ||
          (rule.acknowledgeable === "outside-production" && (raw.tier ?? model.tier) !== "production");
        findings.push(
          resolveFinding(
            rule,
            raw,
            acknowledgeable,
            candidatesFor(rule.id, raw),
            problems,
            { applied, expired, rejected },
            now,
          ),
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
  const optIns = evaluated.has(USER_OWNER_RULE) ? acceptedOptIns(list) : [];

  return {
    $schema: REPORT_SCHEMA,
    version: REPORT_SCHEMA_VERSION,
    tool: { name: "keykit", version: KEYKIT_VERSION },
    evaluatedAt: now.toISOString(),
    inputs: list.map((m) => ({ source: m.source, kind: m.kind, notes: [...m.notes] })),
    rules: [...rules, ...(findings.some((f) => f.ruleId === INTERNAL_RULE_ERROR.id) ? [INTERNAL_RULE_ERROR] : [])].map(
      (r) => ({ id: r.id, name: r.name, severity: r.severity, summary: r.summary, helpUri: r.helpUri }),
    ),
    findings,
    acknowledgements: {
      applied: [...applied].map((c) => use(c)),
      expired: [...expired].map((c) => use(c, `expired on ${c.record.expires}`)),
      unused: unused.map((c) => use(c)),
      rejected: [...rejected].map(([c, p]) => use(c, p)),
    },
    ...(options.skippedRules && options.skippedRules.length > 0
      ? { skippedRules: options.skippedRules.map((r) => ({ id: r.id, name: r.name })) }
      : {}),
    ...(optIns.length > 0 ? { optIns } : {}),
    summary: summarize(findings),
  };
}

/**
 * KK000: a rule that throws is a bug in that rule, not a reason to lose the other rules' findings (cdk-nag does the
 * same). The run reports it as an error finding naming the rule, so the run fails and nobody reads "clean" into it.
 */
export const INTERNAL_RULE_ERROR: RuleMetadata = {
  id: "KK000",
  name: "RuleEvaluatedWithoutError",
  severity: "error",
  summary: "internal rule error: a rule failed on this input, so what it checks is unknown",
  rationale: "A rule that cannot run leaves its practice unchecked; a clean report would be a false reassurance.",
  fix: "Report the bug to keykit with the rule ID (KEYKIT_DEBUG=1 shows the error class); do not apply until the input is checked.",
  helpUri: "https://www.npmjs.com/package/keykit",
  acknowledgeable: "never",
  appliesTo: ["plan", "state", "synth", "hcl"],
};

/** The rule's findings, or the KK000 finding that replaces them when the rule throws. */
function checkGuarded(
  rule: Rule,
  model: KeykitModel,
  context: RuleContext,
): { readonly raw: readonly RuleFinding[] } | { readonly internalError: Finding } {
  try {
    return { raw: rule.check(model, context) };
  } catch (error) {
    // Only the error's class: its message may quote input.
    const kind = error instanceof Error ? error.name : typeof error;
    const internalError: Finding = {
      ruleId: INTERNAL_RULE_ERROR.id,
      ruleName: INTERNAL_RULE_ERROR.name,
      severity: "error",
      message: `internal rule error: ${rule.id} ${rule.name} failed (${kind}); its practice was not checked on this input`,
      location: { file: model.source },
      subject: rule.id,
      helpUri: INTERNAL_RULE_ERROR.helpUri,
      acknowledgeable: false,
      notes: [],
    };
    return { internalError };
  }
}

/** An inventory model carrying the audit's join (written here, not imported: the audit's model module is not needed at synth). */
function isAuditModel(model: KeykitModel): model is AuditModel {
  return model.kind === "inventory" && (model as Partial<AuditModel>).audit !== undefined;
}

/** The rule a development opt-in (`userOwnerAllowed`) answers: KK001, user-owned keys. */
const USER_OWNER_RULE = "KK001";

/** User-owned keys whose development opt-in was accepted (judged outside production), for reviewers. */
function acceptedOptIns(models: readonly KeykitModel[]): OptInUse[] {
  const out: OptInUse[] = [];
  for (const model of models) {
    for (const key of model.apiKeys) {
      const tier = key.tier ?? model.tier;
      if (key.owner.kind !== "user" || !key.userOwnerAllowed || tier === "production") continue;
      out.push({
        rule: USER_OWNER_RULE,
        subject: key.address,
        owner: key.owner.id ?? key.owner.reference?.address ?? "unknown",
        reason: key.userOwnerAllowed.reason,
        tier,
        source: key.userOwnerAllowed.declaredIn ?? model.source,
      });
    }
  }
  return out;
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
  for (const c of candidates) {
    // Code candidates were selected by the finding's own copies; file ones match by glob.
    const matches = c.source === "code" || c.matches(raw.subject, raw.location.constructPath);
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
    helpUri: raw.helpUri ?? rule.helpUri,
    acknowledgeable,
    ...(suppressed ? { suppressed } : {}),
    notes,
  };
}
