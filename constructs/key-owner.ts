import { ServiceAccount } from "./bindings";
import type { Construct } from "./cdktf";
import { type PrincipalReference, type ResolvedOwner, type UserOwnerOptIn, resolveOwner } from "./principal";

/** The owner-related props the kit's key constructs share (same meaning as in `ServiceAccountWithKey`). */
export interface KeyOwnerProps {
  readonly owner?: PrincipalReference;
  readonly serviceAccountName?: string;
  readonly serviceAccountDescription?: string;
  readonly allowUserOwner?: UserOwnerOptIn;
}

/**
 * The owner of a construct's keys: `props.owner` checked by `resolveOwner` (users refused in production), or a new
 * service account under `parent` with construct ID `ServiceAccount`.
 */
export function ownerOf(parent: Construct, constructName: string, props: KeyOwnerProps): ResolvedOwner {
  const path = parent.node.path;
  if (props.owner !== undefined) {
    if (props.serviceAccountName !== undefined || props.serviceAccountDescription !== undefined) {
      throw new Error(
        `${constructName} ${path}: serviceAccountName/serviceAccountDescription apply only when no owner is passed`,
      );
    }
    return resolveOwner(parent, constructName, props.owner, props.allowUserOwner);
  }
  const account = new ServiceAccount(parent, "ServiceAccount", {
    displayName: props.serviceAccountName ?? path.replace(/\//g, "-"),
    description: props.serviceAccountDescription ?? `Managed by keykit (${path})`,
  });
  return resolveOwner(parent, constructName, account);
}
