/**
 * What the secret-store sinks (AWS, Azure, GCP, Kubernetes, Vault) share: the checks of their props, one key per
 * sink, and the credentials document they publish, as a plain attribute or a write-only one with its version.
 */
import { type Construct, Token } from "../cdktf";
import {
  type PublishedCredentials,
  type SecretSink,
  claimSink,
  credentialsDocument,
  writeOnlyVersion,
} from "./secret-sink";

/** What a store sink writes: the credentials document and, for a write-only sink, the version that resends it. */
export interface Publication {
  readonly document: string;
  /** The rotation count Terraform compares to resend a write-only value; undefined unless `writeOnly`. */
  readonly writeOnlyVersion?: number;
}

/**
 * Claims `sink` for the key of `parent` and makes its publication. A write-only publication of a key whose
 * rotations are not counted is refused here, before the sink creates any resource.
 */
export function publicationOf(
  sink: SecretSink,
  sinkName: string,
  parent: Construct,
  credentials: PublishedCredentials,
  writeOnly: boolean | undefined,
): Publication {
  claimSink(sink, parent, sinkName);
  const document = credentialsDocument(credentials);
  return writeOnly ? { document, writeOnlyVersion: writeOnlyVersion(sinkName, parent, credentials) } : { document };
}

/** The names of a store resource's value attribute, its write-only twin and the twin's version (or revision). */
export interface ValueAttributeNames<Plain extends string, WriteOnly extends string, Version extends string> {
  readonly plain: Plain;
  readonly writeOnly: WriteOnly;
  readonly version: Version;
}

/**
 * The attributes that carry the document, or `value` (the document wrapped, e.g. under a Kubernetes data key):
 * `{plain}`, or `{writeOnly, version}` for a write-only publication.
 */
export function valueAttributes<Plain extends string, WriteOnly extends string, Version extends string, Value = string>(
  publication: Publication,
  names: ValueAttributeNames<Plain, WriteOnly, Version>,
  value?: Value,
): Partial<Record<Plain | WriteOnly, Value> & Record<Version, number>> {
  const carried = value ?? publication.document;
  const version = publication.writeOnlyVersion;
  // Computed keys widen to `string`: the two shapes are the declared ones by construction.
  return (
    version === undefined ? { [names.plain]: carried } : { [names.writeOnly]: carried, [names.version]: version }
  ) as Partial<Record<Plain | WriteOnly, Value> & Record<Version, number>>;
}

/**
 * Refuses a prop that is not a string, or a literal one `pattern` does not match (a token is left to the provider):
 * `<sink>: <field> '<value>' <complaint>`.
 */
export function requireMatch(
  sinkName: string,
  field: string,
  value: unknown,
  pattern: RegExp,
  complaint: string,
): void {
  if (typeof value !== "string" || (!Token.isUnresolved(value) && !pattern.test(value))) {
    throw new Error(`${sinkName}: ${field} '${String(value)}' ${complaint}`);
  }
}

/** The same check for an optional prop: absent is fine. */
export function requireMatchIfGiven(
  sinkName: string,
  field: string,
  value: string | undefined,
  pattern: RegExp,
  complaint: string,
): void {
  if (value !== undefined && !Token.isUnresolved(value) && !pattern.test(value)) {
    throw new Error(`${sinkName}: ${field} '${value}' ${complaint}`);
  }
}

/** A sink that creates its secret or publishes to an existing one takes exactly one of the two props. */
export function requireCreatedOrExisting(
  sinkName: string,
  created: readonly [name: string, value: unknown],
  existing: readonly [name: string, value: unknown],
): void {
  const given = [created[1], existing[1]].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new Error(
      `${sinkName}: pass exactly one of ${created[0]} (to create a secret) and ${existing[0]} (an existing one); got ${given}`,
    );
  }
}
