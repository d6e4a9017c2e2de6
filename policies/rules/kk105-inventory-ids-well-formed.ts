import { CONFLUENT_ID, idProblem, nameProblem, visible } from "../inventory/ids";
import type { AuditedKey, AuditedServiceAccount } from "../inventory/audit-model";
import type { Rule, RuleFinding } from "../rule";
import { API_KEYS_URL, findingsPerAuditedKey } from "./common";

/** Audit: every id in the inventory is a Confluent id, and no name hides control characters. */
export const InventoryIdsWellFormed: Rule = {
  id: "KK105",
  name: "InventoryIdsWellFormed",
  severity: "error",
  summary: "Every key, owner and service-account id in the inventory uses Confluent's id alphabet",
  rationale:
    "Confluent ids are letters, digits, '-' and '_'. An id with a NUL byte, a control character, whitespace or a leading '-' did not come from Confluent unaltered: in a shell command it could delete another key or be taken for an option.",
  fix: "Re-export the inventory from Confluent (`confluent api-key list -o json`, or --live) and find out who edited the file; the item is left out of the cleanup script.",
  helpUri: API_KEYS_URL,
  acknowledgeable: "never",
  appliesTo: ["inventory"],
  check(_model, context) {
    const accounts = context.audit?.serviceAccounts ?? [];
    const accountFindings = accounts.map(accountIdsFinding).filter((f): f is RuleFinding => f !== undefined);
    return [...findingsPerAuditedKey(context, keyIdsFinding), ...accountFindings];
  },
};

function keyIdsFinding(k: AuditedKey): RuleFinding | undefined {
  if (wellFormed(k.key.id, k.key.ownerId, k.key.displayName, k.key.description)) return undefined; // the common case
  const problems = [
    fieldProblem("id", idProblem(k.key.id)),
    fieldProblem("owner id", idProblem(k.key.ownerId)),
    fieldProblem("display name", k.key.displayName !== undefined ? nameProblem(k.key.displayName) : undefined),
    fieldProblem("description", k.key.description !== undefined ? nameProblem(k.key.description) : undefined),
  ];
  const location = { ...k.location, address: visible(k.key.id) };
  const refused = problems[0] !== undefined || problems[1] !== undefined;
  return findingOf(`API key ${visible(k.key.id)}`, problems, location, refused);
}

function accountIdsFinding({ account: s }: AuditedServiceAccount): RuleFinding | undefined {
  if (wellFormed(s.id, undefined, s.displayName, s.description)) return undefined;
  const problems = [
    fieldProblem("id", idProblem(s.id)),
    fieldProblem("display name", s.displayName !== undefined ? nameProblem(s.displayName) : undefined),
    fieldProblem("description", s.description !== undefined ? nameProblem(s.description) : undefined),
  ];
  const location = { file: s.sources[0], address: visible(s.id) };
  return findingOf(`service account ${visible(s.id)}`, problems, location, problems[0] !== undefined);
}

/** One cheap test per field for the common case; the detailed problems are worked out only when one fails. */
function wellFormed(id: string, ownerId: string | undefined, ...names: (string | undefined)[]): boolean {
  if (!CONFLUENT_ID.test(id) || (ownerId !== undefined && !CONFLUENT_ID.test(ownerId))) return false;
  return names.every((name) => name === undefined || nameProblem(name) === undefined);
}

function fieldProblem(field: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `its ${field} ${problem}`;
}

function findingOf(
  what: string,
  problems: readonly (string | undefined)[],
  location: RuleFinding["location"] & { readonly address: string },
  refused: boolean,
): RuleFinding | undefined {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length === 0) return undefined;
  // A malformed name only reaches comments (escaped there); a malformed id or owner id never reaches the script.
  const consequence = refused ? "it is left out of the cleanup script" : "it is shown escaped";
  return {
    subject: location.address,
    location,
    message: `${what}: ${found.join("; ")}; ${consequence} (re-export the inventory)`,
  };
}
