import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 4: keys are rotated (create new, move clients, delete old). */
export const ApiKeyUnderRotation: Rule = {
  id: "KK003",
  name: "ApiKeyUnderRotation",
  severity: "warning",
  summary: "Every API key is managed as a blue/green rotation slot (BlueGreenApiKey / keykit rotate)",
  rationale:
    "Rotating keys limits what a leaked key can do. A key that is not a rotation slot can only be replaced in one apply, which breaks clients between delete and update.",
  fix: "Manage the key with BlueGreenApiKey (two slots, rotated with `keykit rotate start|finish`), or acknowledge with a reason and a date.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const key of model.apiKeys) {
      if (key.rotation) continue;
      out.push(findingFor(key, `API key ${key.address} is not under rotation (not a blue/green slot)`));
    }
    return out;
  },
};
