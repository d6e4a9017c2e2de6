import type { ScopeDescriptor } from "../policies/metadata";
import { ApiKey } from "./bindings";
import { Construct, expressionOf } from "./cdktf";
import { type KeyOwnerProps, ownerOf } from "./key-owner";
import { recordKeykitMetadata } from "./keykit-metadata";
import type { PrincipalReference, UserOwnerOptIn } from "./principal";
import { type RoleBindingSpec, addRoleBindings } from "./role-bindings";
import { KeyScope, type ManagedResourceBlock } from "./scope";
import { SensitiveOutputSink } from "./secret-sinks/sensitive-output-sink";
import type { SecretSink } from "./secret-sinks/secret-sink";

/** The `managed_resource` of a global key (Confluent provider ≥ 2.73): no environment, it spans the organisation. */
export const GLOBAL_MANAGED_RESOURCE: ManagedResourceBlock = { id: "global", apiVersion: "global/v1", kind: "Global" };

/** One resource a global key serves, with optional roles for the owning service account on it. */
export interface GlobalKeyResource {
  readonly scope: KeyScope;
  /**
   * Roles for the key's owner on this resource.
   * @default - none
   */
  readonly roleBindings?: readonly RoleBindingSpec[];
  /**
   * The construct ID of the group that holds this resource's role bindings (part of their Terraform addresses).
   * @default - `Resource-<kind>-<resource id>`, derived from the scope
   */
  readonly id?: string;
}

export interface GlobalApiKeyProps extends KeyOwnerProps {
  /**
   * The resources the key serves: two or more distinct ones (the same resource named twice counts once).
   * Each must be a kind global keys serve: Cloud Management API, Kafka enterprise/freight/dedicated clusters,
   * privately networked Schema Registry, Tableflow, Flink, ksqlDB.
   */
  readonly resources: readonly (KeyScope | GlobalKeyResource)[];
  /**
   * An existing owner (a service account; a user only in a development stack with `allowUserOwner`).
   * @default - a new service account is created (construct ID `ServiceAccount`)
   */
  readonly owner?: PrincipalReference;
  /**
   * The display name of the new service account.
   * @default - the construct path with `/` replaced by `-`
   */
  readonly serviceAccountName?: string;
  /**
   * The description of the new service account.
   * @default - "Managed by keykit (<construct path>)"
   */
  readonly serviceAccountDescription?: string;
  /**
   * Allows a user-owned key in a development stack, with the reason. Refused in production whatever the reason.
   * @default - user owners are refused
   */
  readonly allowUserOwner?: UserOwnerOptIn;
  /**
   * The API key's display name.
   * @default - "<service account name or construct path> global key"
   */
  readonly keyDisplayName?: string;
  /**
   * The API key's description.
   * @default - "Managed by keykit (<construct path>)"
   */
  readonly keyDescription?: string;
  /**
   * Where the key's credentials are published (`{key_id, secret}` JSON document).
   * @default - a `SensitiveOutputSink`: one sensitive Terraform output (construct ID `Credentials`)
   */
  readonly secretSink?: SecretSink;
  /**
   * An endpoint to publish with the credentials.
   * @default - none
   */
  readonly endpoint?: string;
}

const NAME = "GlobalApiKey";

/**
 * Why a global key cannot serve `scope`, or undefined when it can. Global keys serve the Cloud Management API,
 * Kafka enterprise, freight and dedicated clusters, Schema Registry over private networking, Tableflow, Flink and
 * ksqlDB; not basic or standard clusters, nor a Schema Registry reached over the public internet.
 */
export function globalKeyIneligibility(scope: KeyScope): string | undefined {
  if (scope.kind === "kafka" && (scope.clusterType === "basic" || scope.clusterType === "standard")) {
    return `global keys do not serve ${scope.clusterType} clusters (only enterprise, freight and dedicated); give this client a scoped key (ServiceAccountWithKey)`;
  }
  if (scope.kind === "schema-registry" && scope.networking !== "private") {
    return 'global keys serve Schema Registry only over private networking; pass networking: "private" if it is, or use a scoped key';
  }
  return undefined;
}

/**
 * The distinct resources of `resources` (by identity, so the same cluster named twice, even through two different
 * references to it, counts once), with their role bindings merged. Throws when one is not served by global keys or
 * when fewer than two remain: practice 2, a single-resource client never gets a global key.
 */
export function distinctGlobalResources(
  parent: Construct,
  constructName: string,
  resources: readonly (KeyScope | GlobalKeyResource)[],
): GlobalKeyResource[] {
  const path = parent.node.path;
  if (!Array.isArray(resources)) {
    throw new Error(
      `${constructName} ${path}: resources must be an array of KeyScope (or { scope, roleBindings }), got ${typeof resources}`,
    );
  }
  const byIdentity = new Map<string, GlobalKeyResource>();
  resources.forEach((item, index) => {
    const resource: GlobalKeyResource = item instanceof KeyScope ? { scope: item } : item;
    if (!(resource?.scope instanceof KeyScope)) {
      throw new Error(
        `${constructName} ${path}: resources[${index}] must be a KeyScope or { scope: KeyScope, roleBindings? }`,
      );
    }
    const problem = globalKeyIneligibility(resource.scope);
    if (problem)
      throw new Error(`${constructName} ${path}: resources[${index}] ${resource.scope.describeIn(parent)}: ${problem}`);
    const identity = resource.scope.identityIn(parent);
    const seen = byIdentity.get(identity);
    byIdentity.set(
      identity,
      seen === undefined
        ? resource
        : { ...seen, roleBindings: [...(seen.roleBindings ?? []), ...(resource.roleBindings ?? [])] },
    );
  });
  const distinct = [...byIdentity.values()];
  if (distinct.length < 2) {
    const named = distinct.map((r) => r.scope.describeIn(parent)).join(", ") || "none";
    // The same resource listed twice is one resource: say so, rather than a bare count the user cannot match.
    const got =
      resources.length > distinct.length
        ? `got ${resources.length} entries but only ${distinct.length} distinct resource (${named}): the same resource is listed more than once`
        : `got ${distinct.length} (${named})`;
    throw new Error(
      `${constructName} ${path}: a global key is for clients of two or more distinct resources; ${got}. ` +
        `A single-resource client gets a scoped key: use ServiceAccountWithKey`,
    );
  }
  return distinct;
}

/** A construct ID for a resource's role-binding group that stays the same as long as the resource does. */
function groupIdOf(parent: Construct, resource: GlobalKeyResource): string {
  if (resource.id !== undefined) return resource.id;
  const raw = expressionOf(parent, resource.scope.id);
  const slug = raw
    .replace(/^\$\{|\}$/g, "")
    .replace(/\.id$/, "")
    .replace(/[^A-Za-z0-9_.-]+/g, "_");
  return `Resource-${resource.scope.kind}-${slug}`;
}

/** Role bindings for each resource, grouped under a construct per resource (construct ID from `groupIdOf`). */
export function addGlobalRoleBindings(
  parent: Construct,
  constructName: string,
  ownerId: string,
  ownerKind: "ServiceAccount" | "User",
  resources: readonly GlobalKeyResource[],
): void {
  const groups = new Set<string>();
  for (const resource of resources) {
    if (!resource.roleBindings || resource.roleBindings.length === 0) continue;
    const id = groupIdOf(parent, resource);
    if (groups.has(id))
      throw new Error(
        `${constructName} ${parent.node.path}: two resources have the role-binding group id '${id}'; pass an explicit id`,
      );
    groups.add(id);
    addRoleBindings(
      new Construct(parent, id),
      constructName,
      ownerId,
      ownerKind,
      resource.scope,
      resource.roleBindings,
    );
  }
}

/**
 * One API key for a client that uses two or more resources (practice 2): a `confluent_api_key` with the Global
 * managed resource, owned by a service account. The resources it serves are recorded in the synthesized JSON
 * (`"//".keykit.serves`) so the policies re-check the two-or-more rule without the construct tree.
 *
 * An existing scoped key is never converted (that would replace it): create a GlobalApiKey, move the client to it,
 * then delete the scoped keys (see the README).
 *
 * Construct IDs (public contract): `ServiceAccount`, `ApiKey`, `Resource-<kind>-<id>/RoleBinding-<role>`,
 * and the sink's (`Credentials` by default).
 */
export class GlobalApiKey extends Construct {
  /** The API key id (the client's username). */
  readonly apiKeyId: string;
  /** The API key secret (sensitive). */
  readonly apiKeySecret: string;
  readonly ownerId: string;
  readonly ownerKind: "ServiceAccount" | "User";
  /** The owner, to pass as `owner` to other kit constructs. */
  readonly owner: PrincipalReference;
  /** The distinct resources the key serves. */
  readonly serves: readonly KeyScope[];
  readonly apiKey: ApiKey;

  constructor(parent: Construct, id: string, props: GlobalApiKeyProps) {
    super(parent, id);
    const path = this.node.path;
    const resources = distinctGlobalResources(this, NAME, props?.resources);
    const owner = ownerOf(this, NAME, props);
    const managedBy = `Managed by keykit (${path})`;

    this.apiKey = new ApiKey(this, "ApiKey", {
      displayName: props.keyDisplayName ?? `${props.serviceAccountName ?? path.replace(/\//g, "-")} global key`,
      description: props.keyDescription ?? managedBy,
      owner: { id: owner.id, apiVersion: owner.apiVersion, kind: owner.kind },
      managedResource: GLOBAL_MANAGED_RESOURCE,
    });
    const serves: ScopeDescriptor[] = resources.map((r) => r.scope.toDescriptor());
    recordKeykitMetadata(this.apiKey, {
      construct: NAME,
      serves,
      userOwner: owner.kind === "User" ? { reason: props.allowUserOwner?.reason.trim() ?? "" } : undefined,
    });
    addGlobalRoleBindings(this, NAME, owner.id, owner.kind, resources);

    // Each attribute read creates a token (and cdktf captures a stack trace for it): read each once.
    this.apiKeyId = this.apiKey.id;
    this.apiKeySecret = this.apiKey.secret;
    (props.secretSink ?? new SensitiveOutputSink()).publish(this, {
      keyId: this.apiKeyId,
      secret: this.apiKeySecret,
      endpoint: props.endpoint,
    });

    this.ownerId = owner.id;
    this.ownerKind = owner.kind;
    this.owner = { id: owner.id, kind: owner.kind };
    this.serves = resources.map((r) => r.scope);
  }
}
