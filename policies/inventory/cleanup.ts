/**
 * The reviewable cleanup script of `keykit audit --emit-cleanup`: one `confluent … delete` line per unmanaged
 * item the audit reports (user-owned, stale, unmanaged, orphaned, a leftover rotation slot, unused), each preceded
 * by comments with the reasons, the owner, the age and the finding IDs. keykit never runs it.
 *
 * Deletes only on evidence: a delete line is live only with positive evidence that the item is unneeded (the owner
 * no longer exists, a retired slot that `keykit verify` verified, no successful authentication over enough
 * audit-log coverage of the key's own resource). Everything else is a commented-out line that says which evidence
 * is missing and how to get it; age, a user owner or being unmanaged are not evidence. A key that authenticated in
 * the audit log (at any time, even in a record whose time is not trusted) is never a live line, nor, given an audit
 * log, is a key whose resource the log does not speak for. A service account needs its own evidence: no key in the
 * key list, no role binding in its role-binding export, nothing running as it in the usage exports given, and no
 * action in an audit log covering --unused-days (see `accountEvidence`).
 *
 * Keys and service accounts the configuration declares are never listed (they are removed through the code),
 * nor are keys that may be an unmatched configured key, nor items whose findings are all acknowledged.
 *
 * Nothing from an export reaches a command unchecked: an id outside Confluent's alphabet (KK105) and a key the
 * exports disagree about (KK106) are never deleted, each command ends its options with `--` before the id (the
 * Confluent CLI is a cobra CLI: `--` ends flags), and comment text is escaped so no input can end a comment line.
 */
import type { Report } from "../report";
import type { Finding } from "../rule";
import { isoTime } from "./describe";
import type { AuditedKey, AuditedServiceAccount, AuditFacts, AuditModel } from "./audit-model";
import { DEFAULT_UNUSED_DAYS, keyCoverage, overallCoverage } from "./audit-model";
import { CONFLUENT_ID, idProblem, visible } from "./ids";

/**
 * Rules whose active finding on an unmanaged key puts it in the script: user-owned (KK001), older than the
 * maximum age (KK004), unmanaged (KK101: it may belong to another team's configuration), orphaned (KK102), a
 * retired rotation slot (KK103), unused or not known to be used (KK107). Whether its line is live is decided
 * by the evidence (see `keyEvidence`).
 */
export const CLEANUP_KEY_RULES: ReadonlySet<string> = new Set(["KK001", "KK004", "KK101", "KK102", "KK103", "KK107"]);
/** Rules whose active finding on an unmanaged service account puts it in the script: unused (KK008). */
export const CLEANUP_ACCOUNT_RULES: ReadonlySet<string> = new Set(["KK008"]);

/**
 * Whether the delete line is live, and why: the positive evidence that the item is unneeded, or (commented out)
 * the evidence that is missing and how to get it.
 */
export interface CleanupDecision {
  readonly live: boolean;
  readonly why: string;
}

export type CleanupItem = (
  | { readonly kind: "api-key"; readonly id: string; readonly key: AuditedKey; readonly findings: readonly Finding[] }
  | {
      readonly kind: "service-account";
      readonly id: string;
      readonly account: AuditedServiceAccount;
      readonly findings: readonly Finding[];
    }
) &
  CleanupDecision;

/** The items the script deletes, keys first, in inventory order. */
export function cleanupItems(model: AuditModel, report: Report): CleanupItem[] {
  const active = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const list = active.get(f.subject);
    if (list) list.push(f);
    else active.set(f.subject, [f]);
  }
  const items: CleanupItem[] = [];
  for (const k of model.audit.keys) {
    if (k.managedBy || k.possiblyManagedBy || refusedKey(k) !== undefined) continue;
    const findings = active.get(k.key.id) ?? [];
    if (findings.some((f) => CLEANUP_KEY_RULES.has(f.ruleId)))
      items.push({ kind: "api-key", id: k.key.id, key: k, findings, ...keyEvidence(k, findings, model.audit) });
  }
  for (const a of model.audit.serviceAccounts) {
    if (a.managedBy || idProblem(a.account.id) !== undefined) continue;
    const findings = active.get(a.account.id) ?? [];
    // KK008 is only judged with the key list: the account holds no key and the configuration grants it nothing.
    if (findings.some((f) => CLEANUP_ACCOUNT_RULES.has(f.ruleId)))
      items.push({
        kind: "service-account",
        id: a.account.id,
        account: a,
        findings,
        ...accountEvidence(a, model.audit),
      });
  }
  return items;
}

/** Why a key may never be in the script (its id or owner id is malformed, or the exports disagree about it). */
export function refusedKey(k: AuditedKey): string | undefined {
  if (idProblem(k.key.id) !== undefined) return "KK105: its id is outside Confluent's id alphabet";
  if (idProblem(k.key.ownerId) !== undefined) return "KK105: its owner id is outside Confluent's id alphabet";
  if (k.key.conflicts !== undefined && k.key.conflicts.length > 0) return "KK106: the exports disagree about it";
  return undefined;
}

/** The items the script refuses to name in a command, as comment lines (escaped ids: they are not commands). */
function refusedLines(model: AuditModel): string[] {
  const lines: string[] = [];
  for (const k of model.audit.keys) {
    const why = k.managedBy || k.possiblyManagedBy ? undefined : refusedKey(k);
    if (why !== undefined) lines.push(`# not listed: API key ${visible(k.key.id, 40)} (${why})`);
  }
  for (const a of model.audit.serviceAccounts) {
    if (!a.managedBy && idProblem(a.account.id) !== undefined)
      lines.push(
        `# not listed: service account ${visible(a.account.id, 40)} (KK105: its id is outside Confluent's id alphabet)`,
      );
  }
  return lines.length > 0 ? [...lines, ""] : [];
}

/**
 * The evidence for deleting an unmanaged key. Any successful authentication in the audit log rules a live line out,
 * and so, given an audit log, does a resource of the key that the log does not speak for; then the owner being gone,
 * a verified retired slot, or no successful authentication over enough coverage of its resources rule it in.
 */
export function keyEvidence(k: AuditedKey, findings: readonly Finding[], audit: AuditFacts): CleanupDecision {
  const usage = k.usage;
  if (usage?.lastSuccess !== undefined)
    return { live: false, why: `in use: authenticated successfully at ${isoTime(usage.lastSuccess)} (audit log)` };
  if (usage !== undefined && usage.successes > 0)
    return {
      live: false,
      why: `in use: authenticated successfully ${usage.successes} time(s) in audit-log records whose time is not trusted`,
    };
  const coverage = keyCoverage(k, audit.auditLog);
  if (coverage !== undefined && coverage.uncovered.length > 0)
    return {
      live: false,
      why: `no audit-log coverage for ${coverage.uncovered.join(", ")}: the log cannot show the key is unused; export that resource's audit log too`,
    };
  const active = (ruleId: string) => findings.some((f) => f.ruleId === ruleId);
  if (active("KK102")) return { live: true, why: `its owner ${k.key.ownerId} no longer exists (KK102)` };
  const slot = k.retiredSlot;
  // A proof stands only for the key it names: a gone check of another id says nothing about this key.
  if (
    slot?.verifiedAt !== undefined &&
    slot.verifiedKeyId === k.key.id &&
    (slot.retiredAt === undefined || slot.verifiedAt >= slot.retiredAt)
  )
    return { live: true, why: `retired ${slot.slot} slot of '${slot.name}', verified on ${slot.verifiedAt}` };
  const needed = audit.auditLog?.unusedDays ?? DEFAULT_UNUSED_DAYS;
  if (
    coverage !== undefined &&
    coverage.days >= needed &&
    findings.some((f) => f.ruleId === "KK107" && f.severity === "warning")
  )
    return {
      live: true,
      why: `no successful authentication over ${coverage.days} days of audit log of ${coverage.resources.map((r) => r.resource).join(", ")} (KK107)`,
    };
  return { live: false, why: missingEvidence(k, audit, coverage?.days) };
}

/** Which evidence would make the line live, and how to get it. */
function missingEvidence(k: AuditedKey, audit: AuditFacts, days: number | undefined): string {
  const needed = audit.auditLog?.unusedDays ?? DEFAULT_UNUSED_DAYS;
  const ways: string[] = [];
  ways.push(
    days === undefined
      ? `no successful authentication over ${needed} days of audit log (pass --audit-log)`
      : `no successful authentication over ${needed} days of audit log (the log covers ${days} days of this key's resources)`,
  );
  if (k.retiredSlot) ways.push(`'keykit verify ${k.retiredSlot.name}' after the apply that retires the slot`);
  if (k.key.ownerKind === "service-account" && !audit.inventory.listedServiceAccounts)
    ways.push("the service-account list (--inventory), to show the owner no longer exists");
  return `no evidence it is unneeded (age, a user owner or being unmanaged are not evidence); needs ${ways.join(", or ")}`;
}

/**
 * The evidence for deleting a service account that KK008 found without a key or a configured grant: its own
 * role-binding export showing none, nothing running as it in the usage exports given (connectors, Flink
 * statements, ksqlDB clusters), and no action by it in an audit log covering --unused-days. Each missing export
 * keeps the line commented out, naming the export.
 */
export function accountEvidence(a: AuditedServiceAccount, audit: AuditFacts): CleanupDecision {
  const id = a.account.id;
  const bindings = audit.accounts.roleBindings.get(id);
  if (bindings !== undefined && bindings > 0)
    return { live: false, why: `holds ${bindings} role binding(s) (role-binding export)` };
  for (const use of audit.accounts.uses)
    if (use.accounts.has(id)) return { live: false, why: `a ${use.what} runs as it (${use.files.join(", ")})` };
  const log = audit.auditLog;
  if (log?.usage.principals.has(id)) return { live: false, why: "in use: it acts or authenticates in the audit log" };
  const needed = log?.unusedDays ?? DEFAULT_UNUSED_DAYS;
  const missing: string[] = [];
  if (bindings === undefined)
    missing.push(
      `the role-binding export is missing: 'confluent iam rbac role-binding list --principal User:${id} --inclusive -o json > role-bindings.${id}.json', then --role-bindings role-bindings.${id}.json`,
    );
  const coverage = log ? overallCoverage(log, a.account.createdAt) : undefined;
  if (coverage === undefined) missing.push(`an audit log covering ${needed} days (--audit-log) is missing`);
  else if (coverage.days < needed)
    missing.push(`an audit log covering ${needed} days (the one given covers ${coverage.days} up to now)`);
  if (missing.length > 0) return { live: false, why: `no evidence it is unneeded: ${missing.join("; ")}` };
  const exports = audit.accounts.uses.map((u) => `no ${u.what} (${u.files.join(", ")})`);
  return {
    live: true,
    why: [
      "no API key (key list)",
      "no role binding (role-binding export) nor in the configuration",
      ...exports,
      `no action in ${coverage?.days} days of audit log (KK008)`,
    ].join(", "),
  };
}

/** The script text (bash). `inputs` names what the audit read, for the header. */
export function renderCleanupScript(
  model: AuditModel,
  report: Report,
  inputs: readonly string[],
  items: readonly CleanupItem[] = cleanupItems(model, report),
): string {
  const lines: string[] = [
    "#!/usr/bin/env bash",
    `# keykit audit cleanup script, generated ${report.evaluatedAt} by keykit ${report.tool.version}.`,
    "# REVIEW EVERY LINE BEFORE RUNNING IT: keykit never runs this script. Delete the lines you want to keep.",
    "# Keys and service accounts declared by the configuration are never listed here: remove those in code.",
    ...inputs.map((input) => `# input: ${comment(input)}`),
    "set -euo pipefail",
    "",
    ...refusedLines(model),
  ];
  if (items.length === 0) lines.push("# Nothing to delete.");
  for (const item of items) {
    if (item.kind === "api-key") {
      const k = item.key;
      const created = k.key.createdAt ? ` (created ${k.key.createdAt})` : "";
      const age = k.ageDays !== undefined ? `${k.ageDays} days${created}` : "unknown";
      lines.push(
        `# API key ${comment(item.id)}: owner ${comment(k.key.ownerId)} (${k.key.ownerKind}), age ${comment(age)}`,
      );
    } else {
      const a = item.account;
      const name = a.account.displayName ? ` (${comment(a.account.displayName)})` : "";
      lines.push(
        `# service account ${comment(item.id)}${name}: owner n/a, age ${comment(accountAge(a.account.createdAt, report.evaluatedAt))}`,
      );
    }
    for (const f of item.findings) lines.push(`# ${f.ruleId} ${f.ruleName} (${f.severity}): ${comment(f.message)}`);
    const command =
      item.kind === "api-key"
        ? `confluent api-key delete --force -- ${shellWord(item.id)}`
        : `confluent iam service-account delete --force -- ${shellWord(item.id)}`;
    // Without positive evidence the line stays commented out: uncommenting it is a reviewer's decision.
    lines.push(item.live ? `# evidence: ${comment(item.why)}` : `# NOT DELETED: ${comment(item.why)}`);
    lines.push(item.live ? command : `# ${command}`, "");
  }
  const live = items.filter((i) => i.live);
  lines.push(
    `# ${live.filter((i) => i.kind === "api-key").length} API key(s), ${live.filter((i) => i.kind === "service-account").length} service account(s) deleted on evidence; ${items.length - live.length} line(s) commented out for lack of evidence.`,
  );
  return `${lines.join("\n")}\n`;
}

function accountAge(createdAt: string | undefined, now: string): string {
  const created = createdAt !== undefined ? Date.parse(createdAt) : NaN;
  if (Number.isNaN(created)) return "unknown (the CLI list has no creation date)";
  return `${Math.floor((Date.parse(now) - created) / 86_400_000)} days (created ${createdAt})`;
}

/**
 * Comment text stays on its line: an export could put a newline (and a command) into a description. Control,
 * invisible and separator characters are written as `\uXXXX` (bash ends a comment at a newline only, but a
 * terminal or a review tool may also break or reorder the line at the others).
 */
function comment(text: string): string {
  return visible(text, 500);
}

/** An id in a command: cleanupItems only lets Confluent ids through; anything else is a bug, never a command. */
function shellWord(text: string): string {
  if (!CONFLUENT_ID.test(text)) throw new Error("cleanup script: an id outside Confluent's alphabet reached a command");
  return text;
}
