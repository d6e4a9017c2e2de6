/**
 * Loader for Terraform JSON configuration: synthesized `cdk.tf.json` (with the kit's `"//".keykit` metadata and
 * cdktf's `"//".metadata.path`), the same object during `cdktf synth`, and HCL converted by hcl2json (where every
 * block is a list). References such as `${confluent_service_account.x.id}` are resolved to their type.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import type { AcknowledgementRecord, KeykitResourceMetadata, Tier } from "../metadata";
import { TIERS } from "../metadata";
import type { KeyMention } from "./secret-flow";
import type { ApiKey, InputKind, KeykitModel, ProviderCredential, SourceLocation } from "../model";
import { referencesIn } from "../references";
import { type OutputView, type ProviderView, buildModel } from "./model-builder";
import {
  NO_ACKNOWLEDGEMENTS,
  NO_METADATA,
  type ReferenceSource,
  type ResourceView,
  type ViewMetadata,
} from "./resource-view";
import { withLookups, withTimeRotation } from "./configuration-facts";
import { classifyCredential, credentialAttributes, soleVariable, throughDefault } from "./provider-credentials";
import {
  InputError,
  type JsonObject,
  asArray,
  asObject,
  asString,
  entries,
  firstBlock,
  forEachStringAt,
  isObject,
} from "./util";

export interface ConfigurationLoadOptions {
  readonly kind?: InputKind;
  /** Label of the input (file path or stack name). */
  readonly source: string;
  /** File to name in locations; defaults to `source`. */
  readonly file?: string;
  /** Overrides the tier (otherwise the stack's `"//".keykit.tier`, else production). */
  readonly tier?: Tier;
  /** For HCL: the file each resource address came from. */
  readonly fileOf?: ReadonlyMap<string, string>;
  /** Where each address is declared (HCL block headers, the key's line in a cdk.tf.json). */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
  /** HCL: the followed local modules, their resource/data/provider blocks read with addresses under `prefix`. */
  readonly modules?: readonly ConfigurationModule[];
  /** Facts for the report (module sources not followed, unreadable module files). */
  readonly notes?: readonly string[];
}

/** A line range in a file (1-based). */
export interface SourcePosition {
  readonly file?: string;
  readonly line: number;
  readonly endLine?: number;
  readonly column?: number;
}

/** One local module's configuration inside an HCL input: `prefix` is `module.<name>.` (nested: repeated). */
export interface ConfigurationModule {
  readonly prefix: string;
  readonly json: JsonObject;
}

/** Secret references: `confluent_api_key.x.secret` or the whole object `confluent_api_key.x` (which holds the secret). */
export function secretReferencesIn(text: string): string[] {
  // A text that never names the type holds no such reference: the reference parser is not run on it.
  if (!text.includes("confluent_api_key.")) return [];
  const out = new Set<string>();
  for (const r of referencesIn(text)) {
    if (
      r.type === "confluent_api_key" &&
      r.mode === "managed" &&
      (r.attribute === "secret" || r.attribute === undefined)
    ) {
      out.add(r.address);
    }
  }
  return [...out];
}

/** The string leaves of a value joined (what references can be found in), never recursing. */
function stringify(value: unknown, what = "configuration"): string {
  if (typeof value === "string") return value;
  const parts: string[] = [];
  forEachStringAt(value, (text) => parts.push(text), what);
  return parts.join("\n");
}

function readAcknowledgements(value: unknown): readonly AcknowledgementRecord[] {
  // Most resources carry none: the shared empty list, no filter/map arrays (thousands per stack at synth).
  if (!Array.isArray(value)) return NO_ACKNOWLEDGEMENTS;
  return asArray(value)
    .filter(isObject)
    .map((a) => ({ rule: String(a.rule ?? ""), reason: String(a.reason ?? ""), expires: String(a.expires ?? "") }));
}

function readKeykit(body: JsonObject): KeykitResourceMetadata | undefined {
  const meta = asObject(asObject(body["//"])?.keykit);
  return meta as KeykitResourceMetadata | undefined;
}

function readLifecycle(body: JsonObject): ApiKey["lifecycle"] {
  const l = firstBlock(body.lifecycle);
  if (!l) return undefined;
  // Assigned, not spread: every kit key has a lifecycle block, and spreads of optional fields are slow in cold code.
  const lifecycle: { preventDestroy?: boolean; createBeforeDestroy?: boolean } = {};
  if (typeof l.prevent_destroy === "boolean") lifecycle.preventDestroy = l.prevent_destroy;
  if (typeof l.create_before_destroy === "boolean") lifecycle.createBeforeDestroy = l.create_before_destroy;
  return lifecycle;
}

const SECTIONS = [
  ["resource", "managed", ""],
  ["data", "data", "data."],
] as const;

/**
 * The views of the resource and data blocks of one configuration (a module's, with its address prefix), built in
 * the one walk over the blocks. Entries are indexed, not destructured: destructuring runs the iterator protocol,
 * which shows in cold code on every resource of a stack at synth.
 */
function collectViews(json: JsonObject, prefix: string, locate: Locate, into: ResourceView[]): void {
  for (const [section, mode, addressPrefix] of SECTIONS) {
    for (const typeEntry of entries(json[section])) {
      const type = typeEntry[0];
      for (const nameEntry of entries(typeEntry[1])) {
        const raw = nameEntry[1];
        // count/for_each: one declaration is one entity (Terraform would expand it; the rules judge the declaration).
        const body = asObject(Array.isArray(raw) ? raw[0] : raw);
        if (!body) continue;
        into.push(configurationView(`${prefix}${addressPrefix}${type}.${nameEntry[0]}`, type, mode, body, locate));
      }
    }
  }
}

function readTier(json: JsonObject, options: ConfigurationLoadOptions): Tier {
  const declaredTier = asObject(asObject(json["//"])?.keykit)?.tier;
  if (declaredTier !== undefined && !TIERS.includes(declaredTier as Tier)) {
    throw new InputError(`${options.source}: "//".keykit.tier must be one of ${TIERS.join(", ")}`);
  }
  return options.tier ?? (declaredTier as Tier | undefined) ?? "production";
}

type Locate = (address: string, body?: JsonObject, keykit?: KeykitResourceMetadata) => SourceLocation;

/** `at new Stack (/app/main.ts:12:5)` or `at /app/main.ts:12:5` → the file and line. */
const FRAME = /\(?((?:[A-Za-z]:)?[^\s()]+?\.[cm]?[jt]sx?):(\d+):\d+\)?\s*$/;

/**
 * Where a construct was created, from cdktf's `"//".metadata.stackTrace` (written when the app is synthesized with
 * stack traces): the `main.*` frame, else the first frame outside node_modules. Paths are made relative to the
 * working directory, as reports show files.
 */
export function originOf(stackTrace: unknown): SourcePosition | undefined {
  if (!Array.isArray(stackTrace)) return undefined;
  const frames: SourcePosition[] = [];
  for (const frame of stackTrace.slice(0, 64)) {
    const m = typeof frame === "string" ? FRAME.exec(frame) : null;
    if (m && !m[1].includes("node_modules") && !m[1].startsWith("node:"))
      frames.push({ file: m[1], line: Number(m[2]) });
  }
  const chosen = frames.find((f) => /(^|[/\\])main\.[cm]?[jt]sx?$/.test(f.file ?? "")) ?? frames[0];
  if (!chosen?.file) return undefined;
  const rel = relative(process.cwd(), chosen.file);
  return { file: rel && !rel.startsWith("..") ? rel : chosen.file, line: chosen.line };
}

/** A kit construct's recorded creation site: a relative source path without `..`, and a line. */
const ORIGIN_FILE = /^(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_@+.,=-][A-Za-z0-9_@+.,=/ -]{0,300}\.[cm]?[jt]sx?$/;

/**
 * `"//".keykit.origin` (constructs/creation-site.ts): relative to the app's directory, which is the one holding
 * `cdktf.out` for a synthesized file (else the working directory, as during synth). Shown relative to the working
 * directory, as reports show files. Anything else in a (hostile) file is ignored.
 */
function constructOrigin(keykit: KeykitResourceMetadata | undefined, source: string): SourcePosition | undefined {
  const origin = keykit?.origin as { file?: unknown; line?: unknown } | undefined;
  if (origin === undefined || typeof origin.file !== "string" || !ORIGIN_FILE.test(origin.file)) return undefined;
  const line = origin.line;
  if (typeof line !== "number" || !Number.isInteger(line) || line < 1 || line > 10_000_000) return undefined;
  const parts = source.split(/[\\/]/);
  const out = parts.lastIndexOf("cdktf.out");
  const appDir = out > 0 ? parts.slice(0, out).join(sep) : out === 0 ? "." : undefined;
  const file = appDir === undefined ? origin.file : join(appDir, origin.file);
  return { file: isAbsolute(file) ? file : file.split(sep).join("/"), line };
}

/**
 * Locations: the file (HCL: the declaring file; synthesized stacks: the source that created the kit construct, from
 * its recorded origin or cdktf stack traces, with the synthesized file as `generated`), the line when known, the
 * construct path from cdktf metadata.
 */
function locator(options: ConfigurationLoadOptions): Locate {
  return (address, body, keykit = body && readKeykit(body)) => {
    const meta = asObject(asObject(body?.["//"])?.metadata);
    const constructPath = asString(meta?.path) ?? asString(keykit?.path);
    const inFile = options.positions?.get(address);
    const fileName = options.fileOf?.get(address) ?? options.file ?? options.source;
    const created = constructOrigin(keykit, fileName) ?? originOf(meta?.stackTrace);
    const at = created ?? inFile;
    const file = at?.file ?? fileName;
    // Assigned in the order the fields are listed (reports keep it), without the spreads of optional fields.
    const location: {
      file: string;
      address: string;
      constructPath?: string;
      line?: number;
      endLine?: number;
      generated?: { file: string; line?: number };
    } = { file, address };
    if (constructPath) location.constructPath = constructPath;
    if (at) location.line = at.line;
    if (at?.endLine !== undefined) location.endLine = at.endLine;
    if (created && options.kind !== "synth")
      location.generated = inFile?.line !== undefined ? { file: fileName, line: inFile.line } : { file: fileName };
    return location;
  };
}

/**
 * Every mention of an API key in a resource's arguments, with its path. A string that does not name
 * `confluent_api_key` is skipped before the reference parser runs (most strings of a configuration).
 */
export function keyMentionsIn(body: JsonObject, what: string): KeyMention[] {
  const out: KeyMention[] = [];
  forEachStringAt(
    body,
    (text, path) => {
      if (!text.includes("confluent_api_key.") || path[0] === "//") return;
      for (const r of referencesIn(text)) {
        if (r.type !== "confluent_api_key" || r.mode !== "managed") continue;
        // The whole key object holds the secret too (an output or argument of `confluent_api_key.x`).
        out.push({ path, keyAddress: r.address, secret: r.attribute === "secret" || r.attribute === undefined });
      }
    },
    what,
  );
  return out;
}

/** The kit's metadata of one resource, as the model builder reads it. */
function viewMetadata(body: JsonObject, keykit: KeykitResourceMetadata | undefined): ViewMetadata {
  // Most resources of a stack have neither: one shared object instead of thousands of empty ones.
  if (keykit === undefined && body.lifecycle === undefined) return NO_METADATA;
  const acknowledgements = readAcknowledgements(keykit?.acknowledgements);
  const userOwner = keykit?.userOwner;
  return {
    acknowledgements: acknowledgements.length > 0 ? acknowledgements : NO_ACKNOWLEDGEMENTS,
    construct: typeof keykit?.construct === "string" ? keykit.construct : undefined,
    serves: Array.isArray(keykit?.serves) ? keykit.serves : undefined,
    rotation: isObject(keykit?.rotation) ? keykit.rotation : undefined,
    userOwnerAllowed:
      isObject(userOwner) && typeof userOwner.reason === "string" ? { reason: userOwner.reason } : undefined,
    lifecycle: readLifecycle(body),
  };
}

const STRINGS: ReferenceSource = { kind: "strings" };

/** One resource or data block as a neutral view: configuration writes references inside its strings. */
function configurationView(
  address: string,
  type: string,
  mode: "managed" | "data",
  body: JsonObject,
  locate: Locate,
): ResourceView {
  const keykit = readKeykit(body);
  return {
    address,
    type,
    mode,
    present: true,
    values: body,
    references: STRINGS,
    metadata: viewMetadata(body, keykit),
    location: locate(address, body, keykit),
  };
}

function outputViews(json: JsonObject, locate: Locate, what: string): OutputView[] {
  const outputs: OutputView[] = [];
  for (const entry of entries(json.output)) {
    const name = entry[0];
    const raw = entry[1];
    const body = Array.isArray(raw) ? asObject(raw[0]) : asObject(raw);
    if (!body) continue;
    const address = `output.${name}`;
    const keykit = readKeykit(body);
    outputs.push({
      name,
      location: locate(address, body, keykit),
      acknowledgements: readAcknowledgements(keykit?.acknowledgements),
      sensitive: body.sensitive === true,
      secretOf: secretReferencesIn(stringify(body.value, what)),
    });
  }
  return outputs;
}

function providerViews(json: JsonObject, prefix: string, locate: Locate, into: ProviderView[]): void {
  const defaults = new Map<string, unknown>();
  for (const [name, raw] of entries(json.variable)) defaults.set(name, firstBlock(raw)?.default);
  for (const [name, raw] of entries(json.provider)) {
    for (const block of Array.isArray(raw) ? raw : [raw]) {
      if (!isObject(block)) continue;
      const alias = asString(block.alias);
      const address = `${prefix}provider.${name}${alias ? `.${alias}` : ""}`;
      const credentials: ProviderCredential[] = [];
      for (const attr of credentialAttributes(name)) {
        const [head, tail] = attr.split(".");
        const value = tail ? firstBlock(block[head])?.[tail] : block[head];
        const c = throughDefault(classifyCredential(attr, { value }), soleVariable(value), defaults);
        if (c) credentials.push(c);
      }
      into.push({ address, name, ...(alias ? { alias } : {}), location: locate(address, block), credentials });
    }
  }
}

/** An argument's position (`<address>#<argument>`, recorded by the HCL scan) as a location of its resource. */
function argumentLocator(
  positions: ReadonlyMap<string, SourcePosition>,
): (view: ResourceView, argument: string) => SourceLocation | undefined {
  return (view, argument) => {
    const at = positions.get(`${view.address}#${argument}`);
    if (!at) return undefined;
    const location: { file?: string; address: string; constructPath?: string; line: number } = {
      file: at.file ?? view.location.file,
      address: view.address,
      line: at.line,
    };
    if (view.location.constructPath) location.constructPath = view.location.constructPath;
    return location;
  };
}

/** Loads a Terraform JSON configuration object (cdk.tf.json, synth output, or HCL converted to JSON). */
export function loadConfiguration(json: unknown, options: ConfigurationLoadOptions): KeykitModel {
  if (!isObject(json)) throw new InputError(`${options.source}: a Terraform JSON configuration must be an object`);
  const locate = locator(options);
  const what = options.source;
  const views: ResourceView[] = [];
  collectViews(json, "", locate, views);
  for (const m of options.modules ?? []) collectViews(m.json, m.prefix, locate, views);
  const providers: ProviderView[] = [];
  providerViews(json, "", locate, providers);
  for (const m of options.modules ?? []) providerViews(m.json, m.prefix, locate, providers);
  const model = buildModel({
    kind: options.kind ?? "cdktf-json",
    source: options.source,
    tier: readTier(json, options),
    views,
    outputs: outputViews(json, locate, what),
    providers,
    mentionsOf: (view) => keyMentionsIn(view.values, what),
    notes: options.notes,
    argumentLocation: options.positions ? argumentLocator(options.positions) : undefined,
  });
  return {
    ...model,
    apiKeys: withTimeRotation(model.apiKeys, views),
    serviceAccounts: withLookups(model.serviceAccounts, views),
  };
}
