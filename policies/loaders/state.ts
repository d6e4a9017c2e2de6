/**
 * Loader for state JSON (`terraform show -json` on a state). State holds secrets in plain text (key secrets,
 * secret-store contents); they are read only transiently to detect where a key's secret ended up, never copied.
 */
import type { Tier } from "../metadata";
import type { ApiKey, KeykitModel, SourceLocation } from "../model";
import { checkFormatVersion, configAddress, forEachStateResource } from "./plan";
import { type AddressMetadata, acknowledgementsOf, metadataIndex, viewMetadataIndex } from "./enrich";
import type { SourcePosition } from "./configuration";
import type { KeyMention } from "./secret-flow";
import { type OutputView, buildModel } from "./model-builder";
import { NO_METADATA, type ReferenceSource, type ResourceView, type ViewMetadata } from "./resource-view";
import { InputError, type JsonObject, asObject, entries, forEachStringAt, isObject, occurrences } from "./util";

export interface StateLoadOptions {
  readonly source: string;
  readonly file?: string;
  readonly tier?: Tier;
  readonly metadata?: KeykitModel;
  /** Where each resource address appears in the file (json-positions.ts), for report locations. */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
}

/** Secrets shorter than this are not searched for (too many false matches); real key secrets are 64 characters. */
const MIN_SECRET_LENGTH = 16;

/** What every view of one state shares: the stack's metadata and locations. */
interface StateContext {
  readonly source: string;
  readonly metadata: KeykitModel | undefined;
  readonly metaIndex: ReadonlyMap<string, AddressMetadata>;
  readonly viewMeta: ReadonlyMap<string, ViewMetadata>;
  readonly location: (address: string, config: string) => SourceLocation;
}

function stateContext(options: StateLoadOptions): StateContext {
  const file = options.file ?? options.source;
  const metadata = options.metadata;
  // Indexed once (address → metadata), so a state next to a big cdk.tf.json stays linear.
  const metaIndex = metadataIndex(metadata);
  const viewMeta = viewMetadataIndex(metadata);
  const paths = new Map<string, string>();
  for (const [address, meta] of metaIndex) if (meta.constructPath) paths.set(address, meta.constructPath);
  const positions = options.positions;
  // Locations of one shape (constructPath/line undefined when unknown): at 50,000 keys, spreading optional fields
  // into fresh objects costs more than reading the state.
  const location = (address: string, config: string): SourceLocation => {
    const at = positions?.get(address);
    return {
      file,
      address,
      constructPath: paths.size > 0 ? paths.get(config) : undefined,
      line: at?.line,
      column: at?.column,
    };
  };
  return { source: options.source, metadata, metaIndex, viewMeta, location };
}

const NO_REFERENCE_SOURCE: ReferenceSource = { kind: "none" };

/** One state resource as a neutral view: values as stored, the sensitivity mask, the stack's metadata joined. */
function stateView(
  r: { address: string; type: string; mode: string; values: JsonObject; sensitive: unknown },
  ctx: StateContext,
): ResourceView {
  const config = ctx.metadata ? configAddress(r.address) : r.address;
  return {
    address: r.address,
    type: r.type,
    mode: r.mode === "data" ? "data" : "managed",
    present: true,
    values: r.values,
    sensitive: r.sensitive,
    references: NO_REFERENCE_SOURCE,
    metadata: ctx.viewMeta.size > 0 ? (ctx.viewMeta.get(config) ?? NO_METADATA) : NO_METADATA,
    location: ctx.location(r.address, config),
  };
}

/** Where (paths) a value holds a known key secret: the mentions the shared secret-destination classifier sorts. */
function secretMentions(secrets: ReadonlyMap<string, string>, source: string): (value: unknown) => KeyMention[] {
  const secretSet = new Set(secrets.keys());
  return (value) => {
    if (secrets.size === 0) return [];
    const out: KeyMention[] = [];
    forEachStringAt(
      value,
      (text, path) => {
        if (text.length < MIN_SECRET_LENGTH) return;
        const found = new Set<string>();
        occurrences(text, secretSet, found);
        for (const secret of found) out.push({ path, keyAddress: secrets.get(secret) ?? "", secret: true });
      },
      source,
    );
    return out;
  };
}

function stateOutputs(values: JsonObject | undefined, mentionsOf: (v: unknown) => KeyMention[], ctx: StateContext) {
  return entries(values?.outputs).map(([name, raw]): OutputView => {
    const o = asObject(raw) ?? {};
    const sensitive = o.sensitive === true;
    const address = `output.${name}`;
    const secretOf = sensitive ? [] : [...new Set(mentionsOf(o.value).map((m) => m.keyAddress))];
    return {
      name,
      location: ctx.location(address, address),
      acknowledgements: acknowledgementsOf(ctx.metaIndex, address),
      sensitive,
      secretOf,
    };
  });
}

/** The ids of the state's keys: what its secret stores' contents are searched for. */
function keyIdsOf(apiKeys: readonly ApiKey[]): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const k of apiKeys) if (k.id !== undefined) ids.add(k.id);
  return ids;
}

export function loadState(json: unknown, options: StateLoadOptions): KeykitModel {
  const source = options.source;
  if (!isObject(json)) throw new InputError(`${source}: a state must be a JSON object`);
  checkFormatVersion(json.format_version, source);
  const values = asObject(json.values);
  if (json.values !== undefined && !values) throw new InputError(`${source}: values must be an object`);
  const ctx = stateContext(options);
  /** secret → key address; transient, never leaves the loader. */
  const secrets = new Map<string, string>();
  const views: ResourceView[] = [];
  // The visitor's resource object is reused: its fields are copied into the view, never kept.
  forEachStateResource(values, (r) => {
    const secret = r.values.secret;
    if (r.type === "confluent_api_key" && typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH)
      secrets.set(secret, r.address);
    views.push(stateView(r, ctx));
  });
  const mentionsOf = secretMentions(secrets, source);
  return buildModel({
    kind: "state",
    source,
    tier: options.tier ?? ctx.metadata?.tier ?? "production",
    views,
    outputs: stateOutputs(values, mentionsOf, ctx),
    providers: [],
    mentionsOf: (view) => mentionsOf(view.values),
    knownKeyIds: keyIdsOf,
    rotation: ctx.metadata?.rotation ?? [],
  });
}
