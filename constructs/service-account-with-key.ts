import { ApiKey } from "./bindings";
import { Construct } from "./cdktf";
import { recordKeykitMetadata } from "./keykit-metadata";
import { type KeyOwnerProps, ownerOf } from "./key-owner";
import type { PrincipalReference, UserOwnerOptIn } from "./principal";
import { type RoleBindingSpec, addRoleBindings } from "./role-bindings";
import { KeyScope } from "./scope";
import type { SecretSink } from "./secret-sinks/secret-sink";

export interface ServiceAccountWithKeyProps extends KeyOwnerProps {
  /** The one resource the key is for. A client that uses two or more resources wants a `GlobalApiKey`. */
  readonly scope: KeyScope;
  /**
   * An existing owner for the key (a service account; a user only in a development stack with `allowUserOwner`).
   * @default - a new service account is created
   */
  readonly owner?: PrincipalReference;
  /**
   * The display name of the new service account (unique in the organisation).
   * @default - the construct path with `/` replaced by `-`
   */
  readonly serviceAccountName?: string;
  /**
   * The description of the new service account.
   * @default - "Managed by keykit (<construct path>)"
   */
  readonly serviceAccountDescription?: string;
  /**
   * The API key's display name.
   * @default - "<service account name> key"
   */
  readonly keyDisplayName?: string;
  /**
   * The API key's description.
   * @default - "Managed by keykit (<construct path>)"
   */
  readonly keyDescription?: string;
  /**
   * Roles for the owner on the scoped resource.
   * @default - none
   */
  readonly roleBindings?: readonly RoleBindingSpec[];
  /**
   * Allows a user-owned key in a development stack, with the reason (recorded in the synthesized JSON and
   * shown as a warning). Refused in production stacks whatever the reason.
   * @default - user owners are refused
   */
  readonly allowUserOwner?: UserOwnerOptIn;
  /**
   * Where to publish the key (practice 5): clients read it there and switch keys without code changes.
   * @default - not published; use `apiKeyId` / `apiKeySecret` (sensitive) yourself
   */
  readonly secretSink?: SecretSink;
  /**
   * An endpoint to publish with the credentials (e.g. the cluster's bootstrap endpoint).
   * @default - none
   */
  readonly endpoint?: string;
}

const NAME = "ServiceAccountWithKey";

/**
 * A `confluent_api_key` owned by a service account and scoped to one resource (practice 1): creates the
 * service account, or adds a key to an existing one. Refuses user owners at construction.
 *
 * Construct IDs (public contract, part of the Terraform addresses): `ServiceAccount`, `ApiKey`, `RoleBinding-<role>`,
 * and the sink's (`PublishedSecret` for the Vault and AWS sinks).
 */
export class ServiceAccountWithKey extends Construct {
  /** The API key id (the client's username). */
  readonly apiKeyId: string;
  /** The API key secret: a sensitive value, to publish to a secret store or a sensitive output only. */
  readonly apiKeySecret: string;
  /** The owner's id (`sa-…`). */
  readonly ownerId: string;
  /** The owner's kind: `ServiceAccount` except for an opted-in development key. */
  readonly ownerKind: "ServiceAccount" | "User";
  /** The owner, to pass as `owner` to other kit constructs. */
  readonly owner: PrincipalReference;
  /** The resource the key serves. */
  readonly scope: KeyScope;

  constructor(parent: Construct, id: string, props: ServiceAccountWithKeyProps) {
    super(parent, id);
    const path = this.node.path;
    if (!(props?.scope instanceof KeyScope)) {
      throw new Error(
        `${NAME} ${path}: scope must be a KeyScope (e.g. KeyScope.kafkaCluster({...})), got ${typeof props?.scope}`,
      );
    }
    this.scope = props.scope;
    const defaultName = path.replace(/\//g, "-");
    const managedBy = `Managed by keykit (${path})`;
    const owner = ownerOf(this, NAME, props);

    const key = new ApiKey(this, "ApiKey", {
      displayName: props.keyDisplayName ?? `${props.serviceAccountName ?? defaultName} key`,
      description: props.keyDescription ?? managedBy,
      owner: { id: owner.id, apiVersion: owner.apiVersion, kind: owner.kind },
      managedResource: props.scope.managedResource,
    });
    recordKeykitMetadata(key, {
      construct: NAME,
      userOwner: owner.kind === "User" ? { reason: props.allowUserOwner?.reason.trim() ?? "" } : undefined,
    });

    addRoleBindings(this, NAME, owner.id, owner.kind, props.scope, props.roleBindings ?? []);
    props.secretSink?.publish(this, { keyId: key.id, secret: key.secret, endpoint: props.endpoint });

    this.apiKeyId = key.id;
    this.apiKeySecret = key.secret;
    this.ownerId = owner.id;
    this.ownerKind = owner.kind;
    this.owner = { id: owner.id, kind: owner.kind };
  }
}
