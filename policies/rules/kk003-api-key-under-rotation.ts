import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 4: keys are rotated (create new, move clients, delete old). */
export const ApiKeyUnderRotation: Rule = {
  id: "KK003",
  name: "ApiKeyUnderRotation",
  severity: "warning",
  summary: "Every API key is managed as a blue/green rotation slot (BlueGreenApiKey / keykit rotate)",
  rationale:
    "Rotating keys limits what a leaked key can do. A key that is not a rotation slot can only be replaced in one apply, which breaks clients between delete and update. Rotation is: a BlueGreenApiKey slot (keykit metadata or the rotation-state file), or an N-slot rotation module in plain Terraform: keys made with count or for_each over slots, each replaced through lifecycle.replace_triggered_by by its own instance of a time_rotating / time_static (directly or through a terraform_data / null_resource), so one slot changes per period while the others stay valid. A key replaced by one time resource shared by all its instances (or a single key replaced by time) is its own finding: every instance changes in one apply and clients can be left with no valid key.",
  fix: "Manage the key with BlueGreenApiKey (two slots, rotated with `keykit rotate start|finish`), or acknowledge with a reason and a date.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const key of model.apiKeys) {
      if (key.rotation) continue;
      if (key.timeRotation?.slotted) continue;
      if (key.timeRotation) {
        out.push(
          findingFor(
            key,
            `API key ${key.address} is replaced by time (${key.timeRotation.trigger}) with every instance in the same apply: the rotation can leave clients with no valid key`,
          ),
        );
        continue;
      }
      out.push(findingFor(key, `API key ${key.address} is not under rotation (not a blue/green slot)`));
    }
    return out;
  },
};
