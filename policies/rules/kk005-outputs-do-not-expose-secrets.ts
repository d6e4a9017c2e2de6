import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 5: a secret lives in a secrets manager, not in a plain output. */
export const OutputsDoNotExposeSecrets: Rule = {
  id: "KK005",
  name: "OutputsDoNotExposeSecrets",
  severity: "error",
  summary: "No output contains an API key secret unless it is marked sensitive",
  rationale: "A non-sensitive output is printed by every plan and apply and ends up in CI logs.",
  fix: "Mark the output `sensitive = true` (TerraformOutput `sensitive: true`), or better publish the key to a secret store and output only its id.",
  helpUri: PRACTICE_URLS.sensitiveOutputs,
  acknowledgeable: "never",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const output of model.outputs) {
      if (output.sensitive || output.secretOf.length === 0) continue;
      out.push(
        findingFor(
          output,
          `output '${output.name}' contains the secret of ${output.secretOf.join(", ")} and is not sensitive`,
        ),
      );
    }
    return out;
  },
};
