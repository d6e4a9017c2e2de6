/** Message and location helpers shared by the audit rules (KK101–KK104). Ids only, never a secret. */
import type { RuleFinding, Severity } from "../rule";
import type { KeyUsage } from "./audit-log";
import type { AuditedKey } from "./audit-model";

/** A finding about a key in Confluent: the subject is the key id, so acknowledgements name it (or a glob). */
export function keyFinding(k: AuditedKey, message: string, severity?: Severity): RuleFinding {
  return {
    subject: k.key.id,
    location: k.location,
    message,
    codeAcknowledgements: k.acknowledgements,
    ...(severity ? { severity } : {}),
  };
}

/** "API key ABC (owner sa-1, kafka lkc-1)". */
export function describeKey(k: AuditedKey): string {
  const resources = k.key.resources.map((r) => (r.id && r.id !== r.kind ? `${r.kind} ${r.id}` : r.kind)).join(", ");
  return `API key ${k.key.id} (owner ${k.key.ownerId}${resources ? `, ${resources}` : ""})`;
}

export function ageText(k: AuditedKey): string {
  return k.ageDays === undefined ? "age unknown" : `${k.ageDays} days old`;
}

/** An epoch-ms audit-log time as ISO (second precision is enough in messages). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "last successful authentication 2026-05-30T10:00:00Z (lkc-1)". */
export function lastSuccessText(usage: KeyUsage): string {
  if (usage.lastSuccess === undefined) return "no successful authentication";
  const where = usage.lastSuccessResource ? ` (${usage.lastSuccessResource})` : "";
  return `last successful authentication ${isoTime(usage.lastSuccess)}${where}`;
}
