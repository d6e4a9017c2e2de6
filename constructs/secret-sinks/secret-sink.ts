import { type Construct, Fn } from "../cdktf";

/**
 * The credentials of the key clients should use, as tokens of the synthesized resources. Published as one JSON
 * document so a client reads key id, secret and slot atomically (never a secret from one key and an id from another).
 */
export interface PublishedCredentials {
  /** The API key id (the client's username). */
  readonly keyId: string;
  /** The API key secret (sensitive). */
  readonly secret: string;
  /** The blue/green slot the credentials belong to; absent for a key that does not rotate by slots. */
  readonly slot?: string;
  /** Where clients connect (e.g. a bootstrap server or REST endpoint), when known. */
  readonly endpoint?: string;
  /**
   * Which publication this is: 1 + the number of rotations recorded for a `BlueGreenApiKey`, so it grows on every
   * `keykit rotate start` (the step that changes what is published). Write-only sinks use it as the `*_wo_version`
   * (or revision) that makes Terraform send the new value. Absent for a key that does not rotate by slots.
   */
  readonly revision?: number;
}

/** The option every sink whose store has a write-only attribute takes. */
export interface WriteOnlyOption {
  /**
   * Publishes through the store resource's write-only attribute (Terraform >= 1.11): the document never enters that
   * resource's state or plan, and the `*_wo_version` / revision, tied to the rotation count, makes every rotation
   * republish. Only for a `BlueGreenApiKey`, whose rotations are counted: Terraform cannot see a change of a
   * write-only value, so a replaced key of another construct would never reach the store.
   * @default false
   */
  readonly writeOnly?: boolean;
}

/** The write-only version to publish with, or an error when the key's publications are not counted. */
export function writeOnlyVersion(what: string, parent: Construct, credentials: PublishedCredentials): number {
  const revision = credentials.revision;
  if (revision === undefined || !Number.isInteger(revision) || revision < 1) {
    throw new Error(
      `${what} ${parent.node.path}: writeOnly needs a key whose rotations are counted (BlueGreenApiKey); ` +
        `Terraform cannot tell when a write-only value changes, so another key's new secret would never be published`,
    );
  }
  return revision;
}

/**
 * Where a kit construct publishes the credentials of its active key, so clients switch keys without code changes
 * (practice 5). Implementations create their resources under `parent` with stable construct IDs: those IDs are part
 * of the Terraform addresses, and changing them would replace the published secret.
 */
export interface SecretSink {
  /** Creates the resources that publish `credentials`. Called once, by the construct the sink was given to. */
  publish(parent: Construct, credentials: PublishedCredentials): void;
}

/**
 * The published value: `{"key_id": …, "secret": …, "slot": …, "endpoint": …}` as a Terraform `jsonencode(...)`
 * expression, so the secret never appears in cdk.tf.json, only a reference to the key's `secret` attribute.
 */
export function credentialsDocument(credentials: PublishedCredentials): string {
  return Fn.jsonencode({
    key_id: credentials.keyId,
    secret: credentials.secret,
    ...(credentials.slot !== undefined ? { slot: credentials.slot } : {}),
    ...(credentials.endpoint !== undefined ? { endpoint: credentials.endpoint } : {}),
  });
}

/** Sinks are bound to one secret location: publishing two keys to it would make them overwrite each other. */
export function claimSink(sink: object, parent: Construct, what: string): void {
  const owner = claimed.get(sink);
  if (owner !== undefined) {
    throw new Error(
      `${what} ${parent.node.path}: this secret sink already publishes the key of ${owner}; create one sink per key`,
    );
  }
  claimed.set(sink, parent.node.path);
}
const claimed = new WeakMap<object, string>();
