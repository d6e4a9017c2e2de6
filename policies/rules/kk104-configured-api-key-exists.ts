import type { MissingKey } from "../inventory/audit-model";
import type { Rule, RuleFinding } from "../rule";
import { API_KEYS_URL } from "./common";

/** Drift (audit): every key the configuration declares exists in Confluent Cloud. */
export const ConfiguredApiKeyExists: Rule = {
  id: "KK104",
  name: "ConfiguredApiKeyExists",
  severity: "warning",
  summary: "Every API key the given configuration declares exists in Confluent Cloud",
  rationale:
    "A key in the state that Confluent no longer has was deleted outside the configuration: its clients fail, and the next apply recreates it with a new secret.",
  fix: "Find out who deleted it; then plan, `keykit check` the plan and apply the reviewed plan to recreate it and publish the new secret, or remove it from the configuration.",
  helpUri: API_KEYS_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    return (context.audit?.missing ?? []).map(missingKeyFinding);
  },
};

function missingKeyFinding(m: MissingKey): RuleFinding {
  const c = m.configured;
  const location = {
    file: c.source,
    address: c.address,
    ...(c.constructPath !== undefined ? { constructPath: c.constructPath } : {}),
  };
  const base = { subject: c.address, location, codeAcknowledgements: c.acknowledgements };
  if (m.byId) {
    return {
      ...base,
      message: `${c.address} (key ${c.id}) is in ${c.source} but not in Confluent Cloud (deleted outside the configuration?)`,
    };
  }
  // Without an id (cdk.tf.json only) the key may simply not be deployed yet: a hint, not a warning.
  const by = c.description
    ? `description "${c.description}"`
    : c.displayName
      ? `display name "${c.displayName}"`
      : "description";
  return {
    ...base,
    severity: "info",
    message: `${c.address}: no key in Confluent Cloud has its ${by} (not deployed yet? pass the state JSON to match by id)`,
  };
}
