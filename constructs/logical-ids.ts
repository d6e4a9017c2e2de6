/**
 * The logical IDs of a KeykitStack: exactly the ones cdktf's and cdktn's default (hashed) addressing scheme gives,
 * computed with less work.
 *
 * Why: the kit's constructs nest their resources (`App/ServiceAccount`, `App/Blue`), and a nested construct path
 * makes the framework hash the path for the logical ID (`App_Blue_1A2B3C4D`). The framework does that with a new
 * `crypto.createHash` object per element, after building the element's whole scope list; profiled on 1,000 apps
 * (3,000 resources and 1,000 outputs) that was the largest single cost of the nesting (~35 ms of ~1 s of synth),
 * paid by no flat stack. The one-shot `crypto.hash` gives the same digest at about half the cost.
 *
 * The IDs are the Terraform addresses (public contract: a different ID is a destroy and a create), so this is the
 * framework's scheme step by step (the `makeUniqueId` of both frameworks' lib/private/unique.js, which cdktf
 * inherited from the AWS CDK and cannot change without renaming every nested resource of every app), and
 * __tests__/constructs/logical-ids.test.ts compares it with the framework's own on both frameworks. Anything the
 * fast path is not sure of goes to the framework (see KeykitStack.allocateLogicalId).
 */
import * as crypto from "node:crypto";

/** Removed from the path entirely (the AWS CDK's default child). */
const HIDDEN_ID = "Default";
/** Kept in the hash, left out of the human-readable part. */
const HIDDEN_FROM_HUMAN_ID = "Resource";
const MAX_HUMAN_LEN = 240;
const MAX_ID_LEN = 255;
const DISALLOWED = /[^A-Za-z0-9_-]/g;

/** One-shot hashing where Node has it (≥ 20.12, 21.7; the kit supports Node ≥ 20), else the frameworks' hash object. */
const md5Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("md5", text)
    : (text) => crypto.createHash("md5").update(text).digest("hex");

/**
 * The logical ID of the construct path `components` (the IDs below the stack, outermost first), or undefined where
 * the framework's own answer is needed (no component left after removing `Default`: the framework throws).
 */
export function hashedLogicalId(components: readonly string[]): string | undefined {
  const kept = components.filter((id) => id !== HIDDEN_ID);
  if (kept.length === 0) return undefined;
  if (kept.length === 1) {
    const candidate = kept[0].replace(DISALLOWED, "");
    if (candidate.length <= MAX_ID_LEN) return candidate;
  }
  const hash = md5Hex(kept.join("/")).slice(0, 8).toUpperCase();
  const human: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < kept.length; i++) {
    const id = kept[i];
    // A component the previous one ends with is a duplicate ("Bucket/BucketResource" style names).
    if (previous !== undefined && previous.endsWith(id)) continue;
    previous = id;
    if (id !== HIDDEN_FROM_HUMAN_ID) human.push(id.replace(DISALLOWED, ""));
  }
  return `${human.join("_").slice(0, MAX_HUMAN_LEN)}_${hash}`;
}
