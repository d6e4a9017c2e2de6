import { RoleBinding } from "./bindings";
import { Construct, Token } from "./cdktf";
import type { KeyScope } from "./scope";

/** A role the owning service account gets on a resource. */
export interface RoleBindingSpec {
  /** The Confluent role, e.g. `DeveloperWrite`, `CloudClusterAdmin`, `ResourceOwner`. */
  readonly role: string;
  /**
   * The CRN pattern the role applies to, e.g. `${cluster.rbacCrn}/kafka=${cluster.id}/topic=orders` for one topic.
   * @default - the scope's own CRN (known when the scope was built from a resource or data source)
   */
  readonly crnPattern?: string;
  /**
   * The binding's construct ID (part of its Terraform address: changing it replaces the binding).
   * @default - `RoleBinding-<role>`
   */
  readonly id?: string;
}

/** Creates one `confluent_role_binding` per spec for `principalId` under `parent`. */
export function addRoleBindings(
  parent: Construct,
  constructName: string,
  principalId: string,
  principalKind: "ServiceAccount" | "User",
  scope: KeyScope,
  specs: readonly RoleBindingSpec[],
): RoleBinding[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const role = spec?.role;
    if (typeof role !== "string" || role.trim() === "" || (!Token.isUnresolved(role) && /\s/.test(role))) {
      throw new Error(
        `${constructName} ${parent.node.path}: role binding role '${String(role)}' must be a role name such as 'DeveloperWrite'`,
      );
    }
    const crnPattern = spec.crnPattern ?? scope.crnPattern;
    if (crnPattern === undefined) {
      throw new Error(
        `${constructName} ${parent.node.path}: role binding '${role}' needs a crnPattern: the scope was built from a literal id, ` +
          `so its CRN is unknown; pass crnPattern or build the scope from the resource or data source`,
      );
    }
    const id = spec.id ?? `RoleBinding-${role}`;
    if (seen.has(id)) {
      throw new Error(
        `${constructName} ${parent.node.path}: two role bindings have the id '${id}'; give each an explicit id`,
      );
    }
    seen.add(id);
    // Confluent RBAC names service accounts with the `User:` prefix too (it is the principal type, not the owner kind).
    const principal =
      principalKind === "ServiceAccount" || principalKind === "User" ? `User:${principalId}` : principalId;
    return new RoleBinding(parent, id, { principal, roleName: role, crnPattern });
  });
}
