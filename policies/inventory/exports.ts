/**
 * Normalises Confluent CLI exports and Cloud API list responses into one Inventory, detected by shape:
 *   - `confluent api-key list -o json`              → [{key, owner, resource_type, resource, created, …}]
 *   - `confluent iam service-account list -o json`  → [{id, name, description}]
 *   - `GET /iam/v2/api-keys`, `GET /iam/v2/service-accounts` pages → {kind: "…List", metadata{next}, data[]}
 *     one per file, several in one file (a JSON array of pages, or pages written one after another),
 *     or just the `data` arrays.
 * Only named fields are copied, so a `secret` present in an export never reaches the inventory.
 */
import { parseDateOrTimestamp } from "../dates";
import { InventoryInputError, parseJsonDocuments } from "./json-documents";
import type {
  Inventory,
  InventoryApiKey,
  InventoryConflict,
  InventoryResource,
  InventoryResourceKind,
  InventoryServiceAccount,
  OwnerKind,
} from "./types";
import { isObject } from "../loaders/util";
import { itemLines } from "../loaders/json-positions";

export { InventoryInputError } from "./json-documents";

export interface InventoryFile {
  /** The name used in messages (a path, or "live" for the Cloud API). */
  readonly file: string;
  readonly text: string;
}

type JsonObject = Record<string, unknown>;

interface KeyBuilder {
  id: string;
  ownerId: string;
  ownerKind: OwnerKind;
  resources: InventoryResource[];
  createdAt?: string;
  displayName?: string;
  description?: string;
  sources: string[];
  conflicts?: InventoryConflict[];
}

/**
 * What each file said about a key listed more than once: owner (with its kind), creation second, and the specific
 * resources it is scoped to. Kept only for keys seen twice, so the common case (one row per key) costs nothing.
 */
interface KeyFacts {
  readonly owners: Map<string, { kind: OwnerKind; files: Set<string> }>;
  readonly created: Map<number, { text: string; files: Set<string> }>;
  readonly scopes: Map<string, Set<string>>;
}

interface PageTally {
  pages: number;
  pagesWithNext: number;
  files: Set<string>;
}

/** Accumulates exports in any order and mix; `build()` returns the merged inventory. */
export class InventoryBuilder {
  private readonly keys = new Map<string, KeyBuilder>();
  private readonly keyFacts = new Map<string, KeyFacts>();
  private readonly accounts = new Map<string, InventoryServiceAccount>();
  private listedApiKeys = false;
  private listedServiceAccounts = false;
  private readonly keyPages: PageTally = { pages: 0, pagesWithNext: 0, files: new Set() };
  private readonly accountPages: PageTally = { pages: 0, pagesWithNext: 0, files: new Set() };
  private readonly sharedSources = new Map<string, string[]>();
  /** One resource object per kind and id (thousands of keys share a cluster): fewer objects, and an identity. */
  private readonly resourcePool = new Map<InventoryResourceKind, Map<string, InventoryResource>>();

  addFile(input: InventoryFile): this {
    for (const document of parseJsonDocuments(input.text, input.file)) this.addDocument(document, input.file);
    return this;
  }

  addDocument(document: unknown, file: string): this {
    if (Array.isArray(document)) this.addArray(document, file);
    else if (isObject(document) && Array.isArray(document.data)) this.addApiPage(document, file);
    else
      throw new InventoryInputError(
        file,
        "not a Confluent export (expected a CLI list array or an API list page with 'data')",
      );
    return this;
  }

  /** One `GET /iam/v2/api-keys` or `/iam/v2/service-accounts` response. */
  addApiPage(page: JsonObject, file: string): this {
    const data = page.data as unknown[];
    const kind = typeof page.kind === "string" ? page.kind : "";
    const what =
      kind === "ApiKeyList"
        ? "keys"
        : kind === "ServiceAccountList"
          ? "accounts"
          : data.length > 0
            ? classifyApiItem(data[0])
            : null;
    if (what === null) {
      if (data.length === 0 && kind === "") return this; // an empty page of unknown kind adds nothing
      throw new InventoryInputError(
        file,
        `unsupported API list kind${kind ? ` '${kind}'` : ""} (expected ApiKeyList or ServiceAccountList)`,
      );
    }
    const tally = what === "keys" ? this.keyPages : this.accountPages;
    tally.pages++;
    tally.files.add(file);
    const metadata = isObject(page.metadata) ? page.metadata : {};
    if (typeof metadata.next === "string" && metadata.next !== "") tally.pagesWithNext++;
    if (what === "keys") this.addApiKeys(data, file, "page entry");
    else this.addApiServiceAccounts(data, file, "page entry");
    return this;
  }

  build(): Inventory {
    for (const [what, tally] of [
      ["API-key", this.keyPages],
      ["service-account", this.accountPages],
    ] as const) {
      // Pages chain through metadata.next: when every page has a next link, the last page is missing.
      if (tally.pages > 0 && tally.pagesWithNext === tally.pages) {
        throw new InventoryInputError(
          [...tally.files].join(", "),
          `incomplete ${what} export: every page has metadata.next set, so the last page is missing (fetch all pages, or use --live)`,
        );
      }
    }
    for (const [id, facts] of this.keyFacts) settleConflicts(this.keys.get(id) as KeyBuilder, facts);
    const apiKeys: InventoryApiKey[] = [];
    for (const key of this.keys.values()) apiKeys.push(key);
    return {
      apiKeys,
      serviceAccounts: [...this.accounts.values()],
      listedApiKeys: this.listedApiKeys,
      listedServiceAccounts: this.listedServiceAccounts,
    };
  }

  private addArray(items: unknown[], file: string): void {
    if (items.length === 0) {
      const hint = listKindFromFileName(file);
      if (hint === "keys") this.listedApiKeys = true;
      else if (hint === "accounts") this.listedServiceAccounts = true;
      else
        throw new InventoryInputError(
          file,
          "empty list: cannot tell API keys from service accounts (put 'api-key' or 'service-account' in the file name)",
        );
      return;
    }
    const first = items[0];
    if (isObject(first) && Array.isArray(first.data)) {
      // A JSON array of API pages.
      items.forEach((page, index) => {
        if (!isObject(page) || !Array.isArray(page.data))
          throw new InventoryInputError(file, `page ${index + 1} has no 'data' array`);
        this.addApiPage(page, file);
      });
    } else if (isObject(first) && "key" in first) this.addCliKeys(items, file);
    else if (isObject(first) && isObject(first.spec)) this.addApiKeys(items, file, "entry");
    else if (isObject(first) && first.kind === "ServiceAccount") this.addApiServiceAccounts(items, file, "entry");
    else if (isObject(first) && typeof first.id === "string" && ("name" in first || first.id.startsWith("sa-")))
      this.addCliServiceAccounts(items, file);
    else
      throw new InventoryInputError(
        file,
        "not a Confluent export (entry 1 is neither an API key nor a service account)",
      );
  }

  private addCliKeys(items: unknown[], file: string): void {
    this.listedApiKeys = true;
    forEachEntry(items, file, "entry", (item, at) => {
      const id = requiredString(item, "key", file, at);
      const ownerId = stringField(item.owner) ?? stringField(item.owner_resource_id);
      if (!ownerId) throw new InventoryInputError(file, `${at} (key ${id}) has no 'owner'`);
      const resourceId = stringField(item.resource) ?? stringField(item.resource_id) ?? "";
      const resourceType = stringField(item.resource_type) ?? "";
      const ownerEmail = stringField(item.owner_email) ?? "";
      this.mergeKey(
        {
          id,
          ownerId,
          ownerKind: ownerKindOf(ownerEmail === "<service account>" ? "ServiceAccount" : "", ownerId),
          resources: [this.resource(cliResourceKind(resourceType, resourceId), resourceId)],
          createdAt: optionalDate(item.created, file, at, "created"),
          description: stringField(item.description),
          sources: this.sourcesOf(file),
        },
        file,
      );
    });
  }

  private addApiKeys(items: unknown[], file: string, label: string): void {
    this.listedApiKeys = true;
    forEachEntry(items, file, label, (item, at) => {
      const id = requiredString(item, "id", file, at);
      const spec = isObject(item.spec) ? item.spec : null;
      if (!spec) throw new InventoryInputError(file, `${at} (key ${id}) has no 'spec'`);
      const owner = isObject(spec.owner) ? spec.owner : null;
      const ownerId = owner ? stringField(owner.id) : undefined;
      if (!owner || !ownerId) throw new InventoryInputError(file, `${at} (key ${id}) has no 'spec.owner.id'`);
      const resources: InventoryResource[] = [];
      if (isObject(spec.resource)) resources.push(this.apiResource(spec.resource));
      if (Array.isArray(spec.resources))
        for (const r of spec.resources) if (isObject(r)) resources.push(this.apiResource(r));
      const metadata = isObject(item.metadata) ? item.metadata : {};
      this.mergeKey(
        {
          id,
          ownerId,
          ownerKind: ownerKindOf(stringField(owner.kind) ?? "", ownerId),
          resources: resources.length > 0 ? resources : [this.resource("cloud", "")],
          createdAt: optionalDate(metadata.created_at, file, at, "metadata.created_at"),
          displayName: stringField(spec.display_name) || undefined,
          description: stringField(spec.description),
          sources: this.sourcesOf(file),
        },
        file,
      );
    });
  }

  private addCliServiceAccounts(items: unknown[], file: string): void {
    this.listedServiceAccounts = true;
    forEachEntry(items, file, "entry", (item, at) => {
      const id = requiredString(item, "id", file, at);
      this.mergeAccount({
        id,
        displayName: stringField(item.name),
        description: stringField(item.description),
        sources: this.sourcesOf(file),
      });
    });
  }

  private addApiServiceAccounts(items: unknown[], file: string, label: string): void {
    this.listedServiceAccounts = true;
    forEachEntry(items, file, label, (item, at) => {
      const id = requiredString(item, "id", file, at);
      const metadata = isObject(item.metadata) ? item.metadata : {};
      this.mergeAccount({
        id,
        displayName: stringField(item.display_name),
        description: stringField(item.description),
        createdAt: optionalDate(metadata.created_at, file, at, "metadata.created_at"),
        sources: this.sourcesOf(file),
      });
    });
  }

  private resource(kind: InventoryResourceKind, id: string): InventoryResource {
    let byId = this.resourcePool.get(kind);
    if (!byId) this.resourcePool.set(kind, (byId = new Map()));
    let resource = byId.get(id);
    if (!resource) byId.set(id, (resource = { kind, id }));
    return resource;
  }

  private apiResource(resource: JsonObject): InventoryResource {
    const { kind, id } = apiResource(resource);
    return this.resource(kind, id);
  }

  private sourcesOf(file: string): string[] {
    let sources = this.sharedSources.get(file);
    if (!sources) this.sharedSources.set(file, (sources = [file]));
    return sources;
  }

  private mergeKey(next: KeyBuilder, file: string): void {
    const known = this.keys.get(next.id);
    if (!known) {
      this.keys.set(next.id, next);
      return;
    }
    // Facts are tracked only once rows could disagree (another file, owner or creation second): the CLI's row per
    // resource of one key in one file, the common case, costs nothing. Until then every row agreed, from one file.
    let facts = this.keyFacts.get(next.id);
    if (!facts && (file !== known.sources[0] || next.ownerId !== known.ownerId || !sameSecond(known, next)))
      this.keyFacts.set(next.id, (facts = factsOf(known, known.sources[0])));
    if (facts) addFacts(facts, next, file);
    for (const resource of next.resources) {
      const duplicate = known.resources.some((r) => r.id === resource.id && r.kind === resource.kind);
      if (!duplicate) known.resources.push(resource);
    }
    // The API knows more than the CLI (kind of owner, display name, sub-second dates): prefer what is set.
    if (known.ownerKind === "unknown") known.ownerKind = next.ownerKind;
    // The earlier of two dates (the CLI truncates to the second): the same whatever the order of the files.
    if (known.createdAt === undefined || (next.createdAt !== undefined && earlier(next.createdAt, known.createdAt)))
      known.createdAt = next.createdAt;
    known.displayName ??= next.displayName;
    known.description ||= next.description;
    // Source lists are shared per file (one array for 50,000 keys, not 50,000 arrays): copy before adding.
    // Sorted, so the key's location (its first source) does not depend on the order of the files.
    if (!known.sources.includes(file)) known.sources = [...known.sources, file].sort(compareText);
    // The CLI's "global" or "cloud" row with an empty resource says nothing once a real resource is known.
    if (known.resources.length > 1) {
      const specific = known.resources.filter((r) => r.id !== "" || r.kind === "global");
      if (specific.length > 0) known.resources = specific;
    }
  }

  private mergeAccount(next: InventoryServiceAccount): void {
    const known = this.accounts.get(next.id);
    if (!known) {
      this.accounts.set(next.id, next);
      return;
    }
    this.accounts.set(next.id, {
      id: next.id,
      displayName: known.displayName ?? next.displayName,
      description: known.description || next.description,
      createdAt: known.createdAt ?? next.createdAt,
      sources: [...new Set([...known.sources, ...next.sources])],
    });
  }
}

function sameSecond(a: KeyBuilder, b: KeyBuilder): boolean {
  if (a.createdAt === undefined || b.createdAt === undefined) return true;
  return Math.floor(Date.parse(a.createdAt) / 1000) === Math.floor(Date.parse(b.createdAt) / 1000);
}

function factsOf(key: KeyBuilder, file: string): KeyFacts {
  const facts: KeyFacts = { owners: new Map(), created: new Map(), scopes: new Map() };
  addFacts(facts, key, file);
  return facts;
}

function addFacts(facts: KeyFacts, key: KeyBuilder, file: string): void {
  const owner = facts.owners.get(key.ownerId);
  if (owner) {
    owner.files.add(file);
    if (owner.kind === "unknown") owner.kind = key.ownerKind;
  } else facts.owners.set(key.ownerId, { kind: key.ownerKind, files: new Set([file]) });
  if (key.createdAt !== undefined) {
    // The CLI shows whole seconds, the API fractions: the same key is the same second.
    const second = Math.floor(Date.parse(key.createdAt) / 1000);
    const known = facts.created.get(second);
    if (known) known.files.add(file);
    else facts.created.set(second, { text: key.createdAt, files: new Set([file]) });
  }
  // Cloud, global and empty resources say nothing about the scope (the CLI's rows for a cloud key have none).
  const specific = key.resources.filter((r) => r.id !== "" && r.kind !== "global" && r.kind !== "cloud");
  if (specific.length === 0) return;
  let scope = facts.scopes.get(file);
  if (!scope) facts.scopes.set(file, (scope = new Set()));
  for (const r of specific) scope.add(`${r.kind} ${r.id}`);
}

/**
 * Records what the files disagree on and settles the key's facts independently of file order: the smallest owner
 * id, the earliest creation date, sources sorted. (First-wins would make KK001 depend on the order of --inventory.)
 */
function settleConflicts(key: KeyBuilder, facts: KeyFacts): void {
  const conflicts: InventoryConflict[] = [];
  if (facts.owners.size > 1) {
    conflicts.push({ fact: "owner", values: conflictValues([...facts.owners].map(([id, o]) => [id, o.files])) });
    const [ownerId, owner] = [...facts.owners].sort(([a], [b]) => compareText(a, b))[0];
    key.ownerId = ownerId;
    key.ownerKind = owner.kind;
  }
  if (facts.created.size > 1) {
    const created = [...facts.created].sort(([a], [b]) => a - b);
    conflicts.push({ fact: "created", values: conflictValues(created.map(([, c]) => [c.text, c.files])) });
    key.createdAt = created[0][1].text;
  }
  const scopes = new Map<string, Set<string>>();
  for (const [file, set] of facts.scopes) {
    const value = [...set].sort(compareText).join(", ");
    const files = scopes.get(value);
    if (files) files.add(file);
    else scopes.set(value, new Set([file]));
  }
  if (scopes.size > 1) conflicts.push({ fact: "scope", values: conflictValues([...scopes]) });
  if (conflicts.length === 0) return;
  key.conflicts = conflicts;
  key.sources = [...key.sources].sort(compareText);
}

function conflictValues(values: readonly (readonly [string, ReadonlySet<string>])[]): InventoryConflict["values"] {
  return values
    .map(([value, files]) => ({ value, sources: [...files].sort(compareText) }))
    .sort((a, b) => compareText(a.value, b.value));
}

function earlier(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Loads and merges export files of any supported shape. Throws InventoryInputError on bad input. */
export function loadInventory(files: readonly InventoryFile[]): Inventory {
  const builder = new InventoryBuilder();
  for (const file of files) builder.addFile(file);
  return { ...builder.build(), lineOf: itemLineFinder(files) };
}

/** Lines of items by file, each file scanned once when a location first asks (json-positions.ts). */
function itemLineFinder(files: readonly InventoryFile[]): (file: string, id: string) => number | undefined {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const scanned = new Map<string, Map<string, number>>();
  return (file, id) => {
    let lines = scanned.get(file);
    if (lines === undefined) {
      const text = texts.get(file);
      if (text === undefined) return undefined;
      scanned.set(file, (lines = itemLines(text)));
    }
    return lines.get(id);
  };
}

function classifyApiItem(item: unknown): "keys" | "accounts" | null {
  if (!isObject(item)) return null;
  if (item.kind === "ApiKey" || isObject(item.spec)) return "keys";
  if (item.kind === "ServiceAccount" || (typeof item.id === "string" && item.id.startsWith("sa-"))) return "accounts";
  return null;
}

function listKindFromFileName(file: string): "keys" | "accounts" | null {
  const name = file.toLowerCase();
  if (/service[-_]?accounts?/.test(name)) return "accounts";
  if (/api[-_]?keys?/.test(name)) return "keys";
  return null;
}

/** Resource kinds by id prefix: Schema Registry and ksqlDB keys can come back with an empty or generic type. */
function kindFromId(id: string): InventoryResourceKind | null {
  if (id.startsWith("lsrc-")) return "schema-registry";
  if (id.startsWith("lksqlc-")) return "ksqldb";
  if (id.startsWith("lkc-")) return "kafka";
  if (id === "global") return "global";
  if (id === "tableflow") return "tableflow";
  return null;
}

function cliResourceKind(resourceType: string, resourceId: string): InventoryResourceKind {
  const byId = kindFromId(resourceId);
  if (byId) return byId;
  switch (resourceType.toLowerCase().replace(/[^a-z]/g, "")) {
    case "kafka":
      return "kafka";
    case "schemaregistry":
    case "sr":
      return "schema-registry";
    case "ksql":
    case "ksqldb":
      return "ksqldb";
    case "flink":
    case "flinkregion":
      return "flink";
    case "tableflow":
      return "tableflow";
    case "cloud":
      return "cloud";
    case "global":
      return "global";
    default:
      return "unknown";
  }
}

function apiResource(resource: JsonObject): InventoryResource {
  const id = stringField(resource.id) ?? "";
  const byId = kindFromId(id);
  if (byId) return { kind: byId, id };
  const kind = (stringField(resource.kind) ?? "").toLowerCase();
  const mapped: InventoryResourceKind =
    kind === "schemaregistry"
      ? "schema-registry"
      : kind === "ksqldb"
        ? "ksqldb"
        : kind === "region"
          ? "flink"
          : kind === "cloud"
            ? "cloud"
            : kind === "global"
              ? "global"
              : kind === "tableflow"
                ? "tableflow"
                : "unknown";
  return { kind: mapped, id };
}

function ownerKindOf(kind: string, id: string): OwnerKind {
  if (kind === "ServiceAccount" || id.startsWith("sa-")) return "service-account";
  if (kind === "User" || id.startsWith("u-")) return "user";
  return "unknown";
}

function stringField(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Calls `add` with each entry of an export list and its name in errors (`entry 3`); a non-object entry is refused. */
function forEachEntry(
  items: unknown[],
  file: string,
  label: string,
  add: (item: JsonObject, at: string) => void,
): void {
  items.forEach((item, index) => {
    const at = `${label} ${index + 1}`;
    if (!isObject(item)) throw new InventoryInputError(file, `${at} is not an object`);
    add(item, at);
  });
}

function requiredString(item: JsonObject, field: string, file: string, at: string): string {
  const value = item[field];
  if (typeof value !== "string" || value === "") throw new InventoryInputError(file, `${at} has no '${field}'`);
  return value;
}

/** A creation date, validated so that a bad one is an input error rather than a silently "fresh" key. */
function optionalDate(value: unknown, file: string, at: string, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || parseDateOrTimestamp(value) === undefined) {
    throw new InventoryInputError(file, `${at}: '${field}' is not an ISO date`);
  }
  return value;
}
