import type { PlannedChange } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS } from "./common";
import { explainReason, isPureCreate, isPureDelete } from "./plan-changes";

/** Practice 4: create new key, update clients, verify, then delete the old key — never all in one apply. */
export const RotationSpansTwoApplies: Rule = {
  id: "KK011",
  name: "RotationSpansTwoApplies",
  severity: "error",
  summary: "A plan does not delete a key and create another for the same owner and scope (a one-apply rotation)",
  rationale:
    "Deleting the old key in the apply that creates the new one leaves no time to move clients: they fail between the apply and their update.",
  fix: "Split the rotation into two reviewed pipelines: `keykit rotate start`, plan, `keykit check` the plan, apply it; move clients (`keykit verify`); then `keykit rotate finish`, plan, check and apply again. For a renamed construct, add a `moved` block instead.",
  helpUri: PRACTICE_URLS.rotate,
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
      out.push({
        message: oneApplyMessage(deleted, partner, `owner ${owner} and scope ${scope}`),
        location: deleted.location,
        subject: deleted.address,
      });
    }
    return out;
  },
};

/**
 * Says which sides of the rotation the plan holds. For blue/green slots both steps landed in one plan (a `rotate
 * finish` with no apply after its `start`), so Terraform's removal reason (e.g. "a changed construct ID") would
 * blame the wrong cause and is left out.
 */
function oneApplyMessage(deleted: PlannedChange, created: PlannedChange, sameFor: string): string {
  const rotation = deleted.rotation ?? created.rotation;
  if (rotation) {
    const slot = (c: PlannedChange, partner: PlannedChange) => {
      const name = slotOf(c, partner);
      return name ? ` (slot ${name})` : "";
    };
    return `one-apply rotation of '${rotation.name}': the plan holds both sides, the start (creates ${created.address}${slot(created, deleted)}) and the finish (deletes ${deleted.address}${slot(deleted, created)}) for the same ${sameFor}; apply the start, move clients, then plan the finish`;
  }
  const why = explainReason(deleted.actionReason);
  return `one-apply rotation: the plan holds both sides, the new key (creates ${created.address}) and the removal of the old one (deletes ${deleted.address}${why ? `, ${why}` : ""}) for the same ${sameFor}`;
}

/** cdktf's name for a slot's resource: the key's construct path, the slot's construct ID (Blue/Green), a hash. */
const SLOT_ADDRESS = /^(.*)_(Blue|Green)_[0-9A-F]{8}$/;

/**
 * A change's slot: from its keykit metadata, else from its address when it is the other slot of its partner's key.
 * The slot a `finish` deletes is gone from the cdk.tf.json the plan was made from, so it has no metadata; its
 * address still names it, as the kit's slot construct IDs are fixed (`Blue`, `Green`) and share the key's path.
 */
function slotOf(c: PlannedChange, partner: PlannedChange): string | undefined {
  if (c.rotation) return c.rotation.slot;
  const own = SLOT_ADDRESS.exec(c.address);
  const other = SLOT_ADDRESS.exec(partner.address);
  if (!own || !other || !partner.rotation || own[1] !== other[1] || own[2] === other[2]) return undefined;
  return own[2].toLowerCase();
}
