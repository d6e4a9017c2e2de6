import { resolve } from "node:path";
import type { ScopeDescriptor } from "../policies/metadata";
import { ApiKey } from "./bindings";
import { Construct, type IConstruct } from "./cdktf";
import {
  GLOBAL_MANAGED_RESOURCE,
  type GlobalKeyResource,
  addGlobalRoleBindings,
  distinctGlobalResources,
} from "./global-api-key";
import { type KeyOwnerProps, ownerOf } from "./key-owner";
import { recordKeykitMetadata } from "./keykit-metadata";
import type { PrincipalReference, UserOwnerOptIn } from "./principal";
import { type RoleBindingSpec, addRoleBindings } from "./role-bindings";
import {
  DEFAULT_ROTATION_STATE_FILE,
  type KeyRotationEntry,
  type RotationState,
  RotationStateError,
  SLOT_NAMES,
  type SlotName,
  entryFor,
  existingSlots,
  readRotationStateFileCached,
  validateKeyName,
} from "../policies/rotation-state";
import { KeyScope, type ManagedResourceBlock } from "./scope";
import { SensitiveOutputSink } from "./secret-sinks/sensitive-output-sink";
import type { SecretSink } from "./secret-sinks/secret-sink";

export interface BlueGreenApiKeyProps extends KeyOwnerProps {
  /**
   * The key's stable name in the rotation-state file and on the command line (`keykit rotate start <name>`).
   * Unique in the app. Lower-case letters, digits, `.`, `_`, `-`.
   */
  readonly rotationName: string;
  /**
   * The one resource both slots are scoped to. Exactly one of `scope` and `globalResources`.
   * @default - none
   */
  readonly scope?: KeyScope;
  /**
   * Makes both slots global keys serving these two or more distinct resources (same rules as `GlobalApiKey`).
   * Exactly one of `scope` and `globalResources`.
   * @default - none
   */
  readonly globalResources?: readonly (KeyScope | GlobalKeyResource)[];
  /**
   * An existing owner for both slots (a service account; a user only in a development stack with `allowUserOwner`).
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
   * Roles for the owner on `scope` (with `globalResources`, give them per resource there).
   * @default - none
   */
  readonly roleBindings?: readonly RoleBindingSpec[];
  /**
   * The slots' display name; ` (blue)` / ` (green)` is appended. It never mentions which slot is active, so a
   * rotation changes nothing on a slot that stays.
   * @default - the rotation name
   */
  readonly keyDisplayName?: string;
  /**
   * The slots' description.
   * @default - "Managed by keykit (<construct path>), rotation <name>"
   */
  readonly keyDescription?: string;
  /**
   * Where the active slot's credentials are published (`{key_id, secret, slot, endpoint?}` JSON document).
   * @default - a `SensitiveOutputSink`: one sensitive Terraform output (construct ID `Credentials`)
   */
  readonly secretSink?: SecretSink;
  /**
   * An endpoint to publish with the credentials (e.g. the cluster's bootstrap server).
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * The rotation state to use instead of reading the file (tests, or apps that load it themselves).
   * @default - read from `rotationStateFile`
   */
  readonly rotationState?: RotationState;
  /**
   * The rotation-state file, relative to the working directory of the synth (the project root).
   * @default "keykit.rotation.json"
   */
  readonly rotationStateFile?: string;
}

const NAME = "BlueGreenApiKey";
/** Construct IDs of the slots: public contract, never derived from state, so no rotation renames (replaces) a key. */
export const SLOT_CONSTRUCT_IDS: Readonly<Record<SlotName, string>> = { blue: "Blue", green: "Green" };

const namesByApp = new WeakMap<IConstruct, Map<string, string>>();

/**
 * An API key rotated by a reviewed two-apply rollover: two slots, blue and green, each a `confluent_api_key` with the
 * same owner and scope. Which slots exist and which one is published comes from the committed rotation-state file
 * (`keykit rotate start|finish`), read at synth: nothing depends on the clock.
 *
 * - stable (one slot): that slot exists and is published;
 * - after `keykit rotate start`: the other slot is created and published; the previous one stays valid;
 * - after `keykit rotate finish`: the previous slot is deleted; nothing else changes.
 * A key with no entry in the file is in the initial state: blue active, green absent.
 *
 * Construct IDs (public contract): `ServiceAccount`, `Blue`, `Green`, `RoleBinding-<role>` (or
 * `Resource-<kind>-<id>/RoleBinding-<role>` with `globalResources`), and the sink's (`Credentials` by default).
 */
export class BlueGreenApiKey extends Construct {
  readonly rotationName: string;
  /** The published slot. */
  readonly activeSlot: SlotName;
  /** The slots that exist in this state (keys by slot). */
  readonly slots: Readonly<Partial<Record<SlotName, ApiKey>>>;
  /** The rotation entry this synth used. */
  readonly rotation: KeyRotationEntry;
  /** The active slot's key id. */
  readonly apiKeyId: string;
  /** The active slot's secret (sensitive). */
  readonly apiKeySecret: string;
  readonly ownerId: string;
  readonly ownerKind: "ServiceAccount" | "User";
  readonly owner: PrincipalReference;

  constructor(parent: Construct, id: string, props: BlueGreenApiKeyProps) {
    super(parent, id);
    const path = this.node.path;
    const name = props?.rotationName;
    const nameProblem = typeof name === "string" ? validateKeyName(name) : "must be a string";
    if (nameProblem) throw new Error(`${NAME} ${path}: rotationName '${String(name)}' ${nameProblem}`);
    this.rotationName = name;

    if ((props.scope === undefined) === (props.globalResources === undefined)) {
      throw new Error(`${NAME} ${path}: pass exactly one of scope (a scoped key) and globalResources (a global key)`);
    }
    let managedResource: ManagedResourceBlock | undefined;
    // A scoped slot's managed_resource already says what it serves; a global slot records its resources.
    let serves: ScopeDescriptor[] | undefined;
    let globalResources: GlobalKeyResource[] = [];
    if (props.scope !== undefined) {
      if (!(props.scope instanceof KeyScope)) {
        throw new Error(
          `${NAME} ${path}: scope must be a KeyScope (e.g. KeyScope.kafkaCluster({...})), got ${typeof props.scope}`,
        );
      }
      managedResource = props.scope.managedResource;
    } else {
      if (props.roleBindings !== undefined) {
        throw new Error(
          `${NAME} ${path}: with globalResources, give roleBindings per resource ({ scope, roleBindings })`,
        );
      }
      globalResources = distinctGlobalResources(this, NAME, props.globalResources ?? []);
      managedResource = GLOBAL_MANAGED_RESOURCE;
      serves = globalResources.map((r) => r.scope.toDescriptor());
    }

    const rotation = entryFor(loadState(this, props), name);
    claimRotationName(this, name);
    const owner = ownerOf(this, NAME, props);
    const displayName = props.keyDisplayName ?? name;
    const description = props.keyDescription ?? `Managed by keykit (${path}), rotation ${name}`;
    const existing = new Set(existingSlots(rotation));

    const slots: Partial<Record<SlotName, ApiKey>> = {};
    for (const slot of SLOT_NAMES) {
      if (!existing.has(slot)) continue;
      const active = slot === rotation.active;
      const key = new ApiKey(this, SLOT_CONSTRUCT_IDS[slot], {
        displayName: `${displayName} (${slot})`,
        description,
        owner: { id: owner.id, apiVersion: owner.apiVersion, kind: owner.kind },
        managedResource,
        // No apply may replace or destroy a slot that exists: the published one serves clients, the retained one
        // serves those not yet moved. `finish` removes the retained slot from the configuration, which Terraform
        // deletes regardless of prevent_destroy; a replacement (a new owner or scope) fails at plan instead.
        lifecycle: { preventDestroy: true },
      });
      recordKeykitMetadata(key, {
        construct: NAME,
        serves,
        rotation: { name, slot, active },
        userOwner: owner.kind === "User" ? { reason: props.allowUserOwner?.reason.trim() ?? "" } : undefined,
      });
      slots[slot] = key;
    }

    if (props.scope !== undefined) {
      addRoleBindings(this, NAME, owner.id, owner.kind, props.scope, props.roleBindings ?? []);
    } else {
      addGlobalRoleBindings(this, NAME, owner.id, owner.kind, globalResources);
    }

    const activeKey = slots[rotation.active] as ApiKey;
    // Each attribute read creates a token (and cdktf captures a stack trace for it): read each once.
    const keyId = activeKey.id;
    const secret = activeKey.secret;
    (props.secretSink ?? new SensitiveOutputSink()).publish(this, {
      keyId,
      secret,
      slot: rotation.active,
      endpoint: props.endpoint,
      // Grows on every `start`, the one step that changes what is published (write-only sinks version by it).
      revision: rotation.rotations + 1,
    });

    this.activeSlot = rotation.active;
    this.slots = slots;
    this.rotation = rotation;
    this.apiKeyId = keyId;
    this.apiKeySecret = secret;
    this.ownerId = owner.id;
    this.ownerKind = owner.kind;
    this.owner = { id: owner.id, kind: owner.kind };
  }
}

const statesByApp = new WeakMap<IConstruct, Map<string, RotationState>>();

/** The state file as this app first read it: every key of one synth sees the same snapshot of the file. */
function loadState(construct: Construct, props: BlueGreenApiKeyProps): RotationState {
  if (props.rotationState !== undefined) return props.rotationState;
  const given = props.rotationStateFile ?? DEFAULT_ROTATION_STATE_FILE;
  const file = resolve(process.cwd(), given);
  const root = construct.node.root;
  const states = statesByApp.get(root) ?? new Map<string, RotationState>();
  statesByApp.set(root, states);
  const known = states.get(file);
  if (known !== undefined) return known;
  try {
    const state = readRotationStateFileCached(file, given);
    states.set(file, state);
    return state;
  } catch (error) {
    if (error instanceof RotationStateError) throw new Error(`${NAME} ${construct.node.path}: ${error.message}`);
    throw error;
  }
}

/** Two keys with one rotation name would share one state entry: refuse it. */
function claimRotationName(construct: Construct, name: string): void {
  const root = construct.node.root;
  const names = namesByApp.get(root) ?? new Map<string, string>();
  namesByApp.set(root, names);
  const other = names.get(name);
  if (other !== undefined) {
    throw new Error(
      `${NAME} ${construct.node.path}: rotationName '${name}' is already used by ${other}; each key needs its own name`,
    );
  }
  names.set(name, construct.node.path);
}
