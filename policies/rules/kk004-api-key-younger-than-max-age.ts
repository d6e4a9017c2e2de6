import { DAY_MS, FUTURE_TOLERANCE_MS, parseDateOrTimestamp } from "../dates";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 4: rotate every 90 days (configurable with --max-age-days). */
export const ApiKeyYoungerThanMaxAge: Rule = {
  id: "KK004",
  name: "ApiKeyYoungerThanMaxAge",
  severity: "warning",
  summary: "API keys and rotation slots are younger than the maximum age (default 90 days)",
  rationale:
    "Confluent recommends rotating API keys every 90 days; an old key has had more time to leak. A creation time " +
    "after the evaluation time (a wrong clock or an edited export) proves nothing about the key's age, so it is a " +
    "finding too rather than counting as fresh.",
  fix: "Rotate the key (`keykit rotate start <name>`, update clients, `keykit rotate finish <name>`).",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "inventory"],
  check(model, context) {
    const out: RuleFinding[] = [];
    for (const key of model.apiKeys) {
      if (!key.createdAt) continue;
      const created = parseDateOrTimestamp(key.createdAt)?.getTime();
      if (created === undefined) continue;
      const what = key.rotation ? `rotation slot ${key.rotation.name}/${key.rotation.slot}` : "API key";
      if (created > context.now.getTime() + FUTURE_TOLERANCE_MS) {
        out.push(
          findingFor(
            key,
            `${what} ${key.address} was created ${key.createdAt.slice(0, 10)}, after the evaluation time ${context.now.toISOString().slice(0, 10)}: a creation time in the future cannot show the key is younger than ${context.maxAgeDays} days (check the clock or the record)`,
          ),
        );
        continue;
      }
      const ageDays = Math.floor((context.now.getTime() - created) / DAY_MS);
      if (ageDays > context.maxAgeDays) {
        out.push(
          findingFor(
            key,
            `${what} ${key.address} was created ${key.createdAt.slice(0, 10)}, ${ageDays} days ago (maximum ${context.maxAgeDays})`,
          ),
        );
      }
    }
    return out;
  },
};
