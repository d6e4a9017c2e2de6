import { Annotations, type IConstruct, TerraformDataSource, Token, expressionOf } from "./cdktf";
import { StackTier } from "./tier";

/**
 * Who owns a key: a `ServiceAccount` resource, a `DataConfluentServiceAccount`, or a literal `{ id: "sa-…" }`.
 * Users (`DataConfluentUser`, `{ id: "u-…" }`, `kind: "User"`) are accepted by the type so that a development
 * stack can opt in explicitly; everywhere else the kit refuses them. Typed structurally: the kit's bindings and
 * those of the app's own `cdktf get` are both accepted (the kit reads `id`, and `terraformResourceType` when there).
 */
export type PrincipalReference = PrincipalConstruct | { readonly id: string; readonly kind?: string };

/** A service account or user resource or data source of any Confluent binding. */
export interface PrincipalConstruct extends IConstruct {
  readonly id: string;
  readonly terraformResourceType: string;
}

export type PrincipalKind = "ServiceAccount" | "User";

/** The owner block of a key once the kit knows what it is. */
export interface ResolvedOwner {
  readonly kind: PrincipalKind;
  readonly id: string;
  readonly apiVersion: "iam/v2";
  /** How the owner was given, for messages: `sa-123`, `data.confluent_user.alice`… */
  readonly shown: string;
}

/** An explicit, reasoned opt-in for a user-owned key in a development stack. */
export interface UserOwnerOptIn {
  /** Why this key is user-owned (at least 10 characters); recorded in the synthesized JSON. */
  readonly reason: string;
}

const USER_TYPES = new Set(["confluent_user"]);
const SERVICE_ACCOUNT_TYPES = new Set(["confluent_service_account"]);

function terraformTypeOf(ref: PrincipalReference): string | undefined {
  const type = (ref as { terraformResourceType?: unknown }).terraformResourceType;
  return typeof type === "string" ? type : undefined;
}

/** What the reference is, without judging it. Returns undefined when it cannot be told. */
export function classifyPrincipal(scope: IConstruct, ref: PrincipalReference): ResolvedOwner | undefined {
  const type = terraformTypeOf(ref);
  const id = ref.id;
  if (type !== undefined) {
    const mode = ref instanceof TerraformDataSource ? "data." : "";
    const shown = `${mode}${type}.${(ref as IConstruct).node.id}`;
    if (USER_TYPES.has(type)) return { kind: "User", id, apiVersion: "iam/v2", shown };
    if (SERVICE_ACCOUNT_TYPES.has(type)) return { kind: "ServiceAccount", id, apiVersion: "iam/v2", shown };
    return undefined;
  }
  const kind = "kind" in ref ? ref.kind : undefined;
  if (typeof id !== "string" || id.length === 0) return undefined;
  if (Token.isUnresolved(id)) {
    // A reference to another resource's id: look at what it points to.
    const expression = expressionOf(scope, id);
    if (/\bconfluent_user\./.test(expression)) return { kind: "User", id, apiVersion: "iam/v2", shown: expression };
    if (/\bconfluent_service_account\./.test(expression)) {
      return { kind: "ServiceAccount", id, apiVersion: "iam/v2", shown: expression };
    }
    if (kind === "User" || kind === "ServiceAccount") return { kind, id, apiVersion: "iam/v2", shown: expression };
    return undefined;
  }
  if (kind === "User" || id.startsWith("u-")) return { kind: "User", id, apiVersion: "iam/v2", shown: id };
  if (id.startsWith("sa-") && (kind === undefined || kind === "ServiceAccount")) {
    return { kind: "ServiceAccount", id, apiVersion: "iam/v2", shown: id };
  }
  return undefined;
}

/**
 * The owner a kit construct may use, enforcing practice 1: production keys are owned by service accounts.
 * A user owner throws in a production stack, and in a development stack unless `allowUserOwner` gives a reason
 * (then a warning annotation is added). An owner the kit cannot classify throws too: it fails closed.
 */
export function resolveOwner(
  construct: IConstruct,
  constructName: string,
  ref: PrincipalReference,
  allowUserOwner?: UserOwnerOptIn,
): ResolvedOwner {
  const path = construct.node.path;
  const owner = classifyPrincipal(construct, ref);
  if (owner === undefined) {
    const shown = typeof ref?.id === "string" && !Token.isUnresolved(ref.id) ? `'${ref.id}'` : "a reference";
    throw new Error(
      `${constructName} ${path}: cannot tell whether owner ${shown} is a service account; ` +
        `pass a ServiceAccount or DataConfluentServiceAccount construct, or an id starting with 'sa-'`,
    );
  }
  if (owner.kind === "ServiceAccount") return owner;

  const tier = StackTier.of(construct);
  if (tier === "production") {
    throw new Error(
      `${constructName} ${path}: owner ${owner.shown} is a user; production keys must be owned by a service account ` +
        `(a user's keys die when the user leaves). Pass a ServiceAccount (or omit owner to create one)`,
    );
  }
  if (allowUserOwner === undefined) {
    throw new Error(
      `${constructName} ${path}: owner ${owner.shown} is a user; in a development stack a user-owned key needs ` +
        `allowUserOwner: { reason: "…" }, otherwise pass a service account`,
    );
  }
  const reason = allowUserOwner.reason;
  if (typeof reason !== "string" || reason.trim().length < 10) {
    throw new Error(
      `${constructName} ${path}: allowUserOwner.reason '${String(reason)}' is too short; say why in at least 10 characters`,
    );
  }
  Annotations.of(construct).addWarning(
    `user-owned API key (owner ${owner.shown}) allowed in a development stack: ${reason.trim()}. ` +
      `It stops working when the user leaves; never promote it to production.`,
  );
  return owner;
}
