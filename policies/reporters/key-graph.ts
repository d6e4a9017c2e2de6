/**
 * The key graph: owners → API keys → the resources they serve, with rotation slots, planned changes and findings
 * on the nodes. Built from the same models the rules read (check and audit alike), drawn by the Mermaid writer
 * (Markdown) and the HTML report's SVG. Above a node budget the graph is grouped, and says what it grouped, so a
 * pull-request comment stays readable and under GitHub's size limit.
 */
import type { ApiKey, KeyOwner, KeykitModel, PlannedChange } from "../model";
import type { Finding, Severity } from "../rule";

export type GraphNodeKind = "owner" | "key" | "resource";
/** What a plan does to a key; `kept` for every other input. */
export type KeyChange = "created" | "deleted" | "replaced" | "kept";
/** A blue/green slot's role: published (clients read it), retained (the previous one), retired (to be deleted). */
export type SlotStatus = "published" | "retained" | "retired";

export interface GraphNode {
  /** Internal id (`o3`, `k12`): never taken from input, so it cannot inject syntax. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** Input text (a name, an address, an id): every writer escapes it. */
  readonly label: string;
  /** Extra facts for the label ("user", "2 keys"). */
  readonly detail?: string;
  /** The most severe active finding on this node, if any. */
  readonly severity?: Severity;
  readonly findings: number;
  readonly change?: KeyChange;
  readonly slot?: SlotStatus;
  /** For a grouped node: how many nodes it stands for. */
  readonly members?: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Grouped edges: how many keys the edge stands for. */
  readonly count?: number;
}

export interface KeyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** What was grouped to fit the budget, in words; empty when nothing was. */
  readonly grouped: readonly string[];
}

/** Nodes above which the graph is grouped: GitHub renders larger diagrams, but nobody reads them. */
export const DEFAULT_NODE_BUDGET = 80;

const SEVERITY_ORDER: readonly Severity[] = ["info", "warning", "error"];

function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

interface FindingIndex {
  readonly bySubject: Map<string, { severity?: Severity; count: number }>;
}

/** Active findings by the subjects they name (address, subject, Confluent id). */
function indexFindings(findings: readonly Finding[]): FindingIndex {
  const bySubject = new Map<string, { severity?: Severity; count: number }>();
  for (const f of findings) {
    if (f.suppressed) continue;
    const names = new Set([f.subject, f.location.address].filter((x): x is string => Boolean(x)));
    for (const name of names) {
      const seen = bySubject.get(name) ?? { count: 0 };
      bySubject.set(name, { severity: worse(seen.severity, f.severity), count: seen.count + 1 });
    }
  }
  return { bySubject };
}

function findingsOn(
  index: FindingIndex,
  names: readonly (string | undefined)[],
): { severity?: Severity; count: number } {
  let severity: Severity | undefined;
  let count = 0;
  for (const name of new Set(names)) {
    if (name === undefined) continue;
    const hit = index.bySubject.get(name);
    if (!hit) continue;
    severity = worse(severity, hit.severity);
    count += hit.count;
  }
  return { severity, count };
}

/** What the plan does to each key address (create, delete, replace); empty for inputs that are not plans. */
function keyChanges(models: readonly KeykitModel[]): Map<string, { change: KeyChange; planned: PlannedChange }> {
  const changes = new Map<string, { change: KeyChange; planned: PlannedChange }>();
  for (const model of models)
    for (const c of model.changes) {
      if (c.type !== "confluent_api_key" || c.mode !== "managed") continue;
      const creates = c.actions.includes("create");
      const deletes = c.actions.includes("delete");
      const change: KeyChange | undefined =
        creates && deletes ? "replaced" : creates ? "created" : deletes ? "deleted" : undefined;
      if (change) changes.set(`${model.source}\u0000${c.address}`, { change, planned: c });
    }
  return changes;
}

function slotOf(key: ApiKey): SlotStatus | undefined {
  const audited = (key as { rotationSlot?: { status: "active" | "retained" | "retired" } }).rotationSlot;
  if (audited) return audited.status === "active" ? "published" : audited.status;
  if (key.rotation) return key.rotation.active ? "published" : "retained";
  return undefined;
}

function ownerLabel(owner: KeyOwner): { key: string; label: string; detail: string } {
  const label = owner.id ?? owner.reference?.address ?? "unknown owner";
  const detail = owner.kind === "service-account" ? "service account" : owner.kind === "user" ? "user" : "owner";
  return { key: owner.key ?? `?${label}`, label, detail };
}

/**
 * A served resource's id as the scoped keys' nodes name it: keykit metadata writes an unresolved id as the
 * reference text (`${confluent_kafka_cluster.main.id}`), a scoped key's scope names the resource's address.
 */
function referencedAddress(id: string): string {
  const reference = /^\$\{([^${}]+?)(?:\.id)?\}$/.exec(id);
  return reference ? reference[1] : id;
}

/** The resources a key serves: its scope, or for a global key what it serves. */
function resourcesOf(key: ApiKey): { key: string; label: string; detail: string }[] {
  if (key.scope.kind === "global" && key.serves && key.serves.length > 0)
    return key.serves.map((s) => {
      const id = referencedAddress(s.id);
      return { key: `${s.kind}:${id}`, label: id, detail: s.kind };
    });
  if (key.scope.kind === "cloud") return [{ key: "cloud", label: "Confluent Cloud API", detail: "cloud" }];
  if (key.scope.kind === "global")
    return [{ key: "global", label: "global (what it serves is not declared)", detail: "global" }];
  const label = key.scope.id ?? key.scope.reference?.address ?? "unknown resource";
  return [{ key: key.scope.key ?? `${key.scope.kind}:${label}`, label, detail: key.scope.kind }];
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Map<string, string>();
  private readonly edgeKeys = new Set<string>();

  node(kind: GraphNodeKind, key: string, make: (id: string) => GraphNode): string {
    const mapKey = `${kind}\u0000${key}`;
    const existing = this.ids.get(mapKey);
    if (existing !== undefined) return existing;
    const id = `${kind[0]}${this.nodes.length}`;
    this.ids.set(mapKey, id);
    this.nodes.push(make(id));
    return id;
  }

  edge(from: string, to: string): void {
    const key = `${from}>${to}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to });
  }
}

/** Builds the whole graph of `models`, findings marked; `groupKeyGraph` fits it to a budget. */
export function buildKeyGraph(models: readonly KeykitModel[], findings: readonly Finding[]): KeyGraph {
  const index = indexFindings(findings);
  const changes = keyChanges(models);
  const b = new GraphBuilder();
  for (const model of models) {
    for (const sa of model.serviceAccounts) {
      const on = findingsOn(index, [sa.address, sa.id]);
      b.node("owner", sa.id ?? sa.address, (id) => ({
        id,
        kind: "owner",
        label: sa.displayName ? `${sa.displayName} (${sa.id ?? sa.address})` : (sa.id ?? sa.address),
        detail: "service account",
        severity: on.severity,
        findings: on.count,
      }));
    }
    const present = new Set<string>();
    for (const key of model.apiKeys) {
      present.add(key.address);
      const change = changes.get(`${model.source}\u0000${key.address}`)?.change;
      addKey(b, index, key, change ?? "kept");
    }
    for (const [where, { change, planned }] of changes) {
      if (!where.startsWith(`${model.source}\u0000`) || present.has(planned.address) || !planned.before) continue;
      const gone: ApiKey = {
        address: planned.address,
        location: planned.location,
        acknowledgements: [],
        owner: planned.before.owner,
        scope: planned.before.scope,
        ...(planned.before.id !== undefined ? { id: planned.before.id } : {}),
        ...(planned.rotation ? { rotation: planned.rotation } : {}),
      };
      addKey(b, index, gone, change);
    }
  }
  return { nodes: b.nodes, edges: b.edges, grouped: [] };
}

function addKey(b: GraphBuilder, index: FindingIndex, key: ApiKey, change: KeyChange): void {
  const owner = ownerLabel(key.owner);
  const ownerFindings = findingsOn(index, [owner.key, key.owner.id, key.owner.reference?.address]);
  const ownerId = b.node("owner", key.owner.id ?? owner.key, (id) => ({
    id,
    kind: "owner",
    label: owner.label,
    detail: owner.detail,
    severity: ownerFindings.severity,
    findings: ownerFindings.count,
  }));
  const on = findingsOn(index, [key.address, key.id]);
  const slot = slotOf(key);
  const keyId = b.node("key", key.address, (id) => ({
    id,
    kind: "key",
    label: key.id && key.id !== key.address ? `${key.address} (${key.id})` : key.address,
    ...(key.rotation ? { detail: `${key.rotation.name} ${key.rotation.slot}` } : {}),
    severity: on.severity,
    findings: on.count,
    change,
    ...(slot ? { slot } : {}),
  }));
  b.edge(ownerId, keyId);
  for (const r of resourcesOf(key)) {
    const resourceId = b.node("resource", r.key, (id) => ({
      id,
      kind: "resource",
      label: r.label,
      detail: r.detail,
      findings: 0,
    }));
    b.edge(keyId, resourceId);
  }
}

/**
 * Fits `graph` to `budget` nodes, coarsest last: (1) the keys of one owner on one resource become one node,
 * (2) each owner's keys become one node, (3) the owners and resources past the budget (the ones with the fewest
 * findings and keys) become one "other" node each. Findings and changes carry over to the group nodes.
 */
export function groupKeyGraph(graph: KeyGraph, budget: number = DEFAULT_NODE_BUDGET): KeyGraph {
  if (graph.nodes.length <= budget) return graph;
  const byPair = groupKeys(graph, "pair");
  if (byPair.nodes.length <= budget) return byPair;
  const byOwner = groupKeys(graph, "owner");
  if (byOwner.nodes.length <= budget) return byOwner;
  return capEnds(byOwner, budget);
}

type KeyGrouping = "pair" | "owner";

function groupKeys(graph: KeyGraph, by: KeyGrouping): KeyGraph {
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const ownerOf = new Map<string, string>();
  const resourcesOfKey = new Map<string, string[]>();
  for (const e of graph.edges) {
    const from = nodeById.get(e.from);
    if (from?.kind === "owner") ownerOf.set(e.to, e.from);
    else if (from?.kind === "key") resourcesOfKey.set(e.from, [...(resourcesOfKey.get(e.from) ?? []), e.to]);
  }
  const groups = new Map<string, { owner: string; resources: Set<string>; keys: GraphNode[] }>();
  for (const n of graph.nodes) {
    if (n.kind !== "key") continue;
    const owner = ownerOf.get(n.id) ?? "";
    const resources = resourcesOfKey.get(n.id) ?? [];
    const groupKey = by === "owner" ? owner : `${owner}|${[...resources].sort().join(",")}`;
    const group = groups.get(groupKey) ?? { owner, resources: new Set<string>(), keys: [] };
    for (const r of resources) group.resources.add(r);
    group.keys.push(n);
    groups.set(groupKey, group);
  }
  const nodes: GraphNode[] = graph.nodes.filter((n) => n.kind !== "key");
  const edges: GraphEdge[] = [];
  let next = 0;
  for (const group of groups.values()) {
    const node = groupNode(`g${next++}`, group.keys);
    nodes.push(node);
    if (group.owner) edges.push({ from: group.owner, to: node.id, count: group.keys.length });
    for (const r of group.resources) edges.push({ from: node.id, to: r, count: group.keys.length });
  }
  let keyCount = 0;
  for (const group of groups.values()) keyCount += group.keys.length;
  const what =
    by === "owner"
      ? `${keyCount} keys grouped into one node per owner`
      : `${keyCount} keys grouped into one node per owner and resource`;
  return { nodes, edges, grouped: [...graph.grouped, what] };
}

function groupNode(id: string, keys: readonly GraphNode[]): GraphNode {
  if (keys.length === 1) return { ...keys[0], id };
  let severity: Severity | undefined;
  let findings = 0;
  const changes = new Map<KeyChange, number>();
  for (const k of keys) {
    severity = worse(severity, k.severity);
    findings += k.findings;
    if (k.change && k.change !== "kept") changes.set(k.change, (changes.get(k.change) ?? 0) + 1);
  }
  const changed = [...changes].map(([c, n]) => `${n} ${c}`).join(", ");
  return {
    id,
    kind: "key",
    label: `${keys.length} keys`,
    ...(changed ? { detail: changed } : {}),
    severity,
    findings,
    members: keys.length,
    ...(changes.size > 0 ? { change: changes.size === 1 ? [...changes.keys()][0] : "replaced" } : {}),
  };
}

/** Keeps the `budget`'s share of owners and resources that matter most; the rest become one node each. */
function capEnds(graph: KeyGraph, budget: number): KeyGraph {
  const keep = Math.max(2, Math.floor(budget / 3));
  const rank = (n: GraphNode) =>
    (n.severity ? (SEVERITY_ORDER.indexOf(n.severity) + 1) * 1e9 : 0) + n.findings * 1e6 + (n.members ?? 1);
  const keyNodes = graph.nodes.filter((n) => n.kind === "key");
  const weight = new Map<string, number>();
  for (const e of graph.edges) weight.set(e.from, (weight.get(e.from) ?? 0) + (e.count ?? 1));
  const kept = new Set<string>();
  const merged = new Map<string, string>();
  const nodes: GraphNode[] = [];
  const grouped: string[] = [...graph.grouped];
  for (const kind of ["owner", "resource"] as const) {
    const all = graph.nodes
      .filter((n) => n.kind === kind)
      .sort((a, b) => rank(b) - rank(a) || (weight.get(b.id) ?? 0) - (weight.get(a.id) ?? 0));
    for (const n of all.slice(0, keep)) {
      kept.add(n.id);
      nodes.push(n);
    }
    const rest = all.slice(keep);
    if (rest.length === 0) continue;
    const other = groupNode(`x${kind[0]}`, rest);
    nodes.push({ ...other, kind, label: `${rest.length} other ${kind}s` });
    for (const n of rest) merged.set(n.id, other.id);
    grouped.push(`${rest.length} ${kind}s with the fewest findings and keys grouped into one node`);
  }
  // The key groups of merged owners merge too: one "other owners' keys" node.
  const keyIds = new Set(keyNodes.map((k) => k.id));
  const ownerOfGroup = new Map(graph.edges.filter((e) => keyIds.has(e.to)).map((e) => [e.to, e.from]));
  const otherKeys = keyNodes.filter((k) => merged.has(ownerOfGroup.get(k.id) ?? ""));
  const otherIds = new Set(otherKeys.map((k) => k.id));
  nodes.push(...keyNodes.filter((k) => !otherIds.has(k.id)));
  if (otherKeys.length > 0) {
    const members = otherKeys.reduce((sum, k) => sum + (k.members ?? 1), 0);
    nodes.push({ ...groupNode("xk", otherKeys), label: `${members} keys`, members });
  }
  const target = (id: string) => merged.get(id) ?? (otherIds.has(id) ? "xk" : id);
  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const from = target(e.from);
    const to = target(e.to);
    const key = `${from}>${to}`;
    edges.set(key, { from, to, count: (edges.get(key)?.count ?? 0) + (e.count ?? 1) });
  }
  return { nodes, edges: [...edges.values()], grouped };
}
