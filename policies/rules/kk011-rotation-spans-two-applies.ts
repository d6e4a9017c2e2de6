import type { PlannedChange } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { BEST_PRACTICES_URL } from "./common";
import { explainReason, isPureCreate, isPureDelete } from "./plan-changes";

/** Practice 4: create new key, update clients, verify, then delete the old key — never all in one apply. */
export const RotationSpansTwoApplies: Rule = {
  id: "KK011",
  name: "RotationSpansTwoApplies",
  severity: "error",
  summary: "A plan does not delete a key and create another for the same owner and scope (a one-apply rotation)",
  rationale:
    "Deleting the old key in the apply that creates the new one leaves no time to move clients: they fail between the apply and their update.",
  fix: "Split the rotation: apply the new key first (`keykit rotate start`), move clients, then delete the old one (`keykit rotate finish`). For a renamed construct, add a `moved` block instead.",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["plan"],
  check(model) {
    // Index creates by owner|scope so a plan with thousands of keys stays linear.
    const creates = new Map<string, PlannedChange>();
    for (const c of model.changes) {
      if (!isPureCreate(c) || !c.after?.owner.key || !c.after.scope.key) continue;
      const k = `${c.after.owner.key}|${c.after.scope.key}`;
      if (!creates.has(k)) creates.set(k, c);
    }
    const out: RuleFinding[] = [];
    for (const deleted of model.changes) {
      if (!isPureDelete(deleted)) continue;
      const owner = deleted.before?.owner.key;
      const scope = deleted.before?.scope.key;
      if (!owner || !scope) continue;
      const partner = creates.get(`${owner}|${scope}`);
      if (!partner) continue;
      const why = explainReason(deleted.actionReason);
      out.push({
        message: `one-apply rotation: ${deleted.address} is deleted${why ? ` (${why})` : ""} and ${partner.address} created for the same owner ${owner} and scope ${scope}`,
        location: deleted.location,
        subject: deleted.address,
      });
    }
    return out;
  },
};
