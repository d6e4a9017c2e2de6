/** The key graph (owners → keys → resources) and its Mermaid text: subjects, changes, grouping, escaping. */
import fc from "fast-check";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadPlan } from "../../policies/loaders/plan";
import type { ApiKey, KeykitModel } from "../../policies/model";
import { emptyModel } from "../../policies/model";
import type { Finding } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { buildKeyGraph, DEFAULT_NODE_BUDGET, groupKeyGraph, type KeyGraph } from "../../policies/reporters/key-graph";
import { formatMarkdown, GRAPH_CHARACTER_BUDGET, keyGraphSection } from "../../policies/reporters/markdown";
import { mermaidText, renderMermaid } from "../../policies/reporters/mermaid";
import { key, stack } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const NOW = "2026-11-28T00:00:00Z";

function check(model: KeykitModel) {
  return evaluate(model, ALL_RULES, [], { now: NOW });
}

/** Undoes mermaidText's entity codes (what Mermaid does before drawing the label). */
function decode(text: string): string {
  return text.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

const nodeByLabel = (g: KeyGraph, label: string) => g.nodes.find((n) => n.label.startsWith(label));

describe("buildKeyGraph on a synthesized stack", () => {
  const json = stack({
    tier: "production",
    resources: {
      confluent_service_account: { app: { display_name: "app" } },
      confluent_api_key: {
        good: key("good", "${confluent_service_account.app.id}", { id: "lkc-1" }),
        personal: key("personal", "u-12345", { id: "lkc-1" }),
      },
    },
  });
  const model = loadConfiguration(json, { source: "cdk.tf.json" });
  const report = check(model);
  const graph = buildKeyGraph([model], report.findings);

  it("has one node per owner, key and resource, and edges owner → key → resource", () => {
    const keys = graph.nodes.filter((n) => n.kind === "key").map((n) => n.label);
    expect(keys.sort()).toEqual(["confluent_api_key.good", "confluent_api_key.personal"]);
    const user = nodeByLabel(graph, "u-12345");
    const personal = nodeByLabel(graph, "confluent_api_key.personal");
    const cluster = graph.nodes.find((n) => n.kind === "resource" && n.label === "lkc-1");
    expect(user?.kind).toBe("owner");
    expect(user?.detail).toBe("user");
    expect(graph.edges).toContainEqual({ from: user?.id, to: personal?.id });
    expect(graph.edges).toContainEqual({ from: personal?.id, to: cluster?.id });
    // Both keys serve the same cluster: one resource node.
    expect(graph.nodes.filter((n) => n.kind === "resource")).toHaveLength(1);
  });

  it("marks the user-owned production key with its error (KK001) and the other with no error", () => {
    const personal = nodeByLabel(graph, "confluent_api_key.personal");
    const good = nodeByLabel(graph, "confluent_api_key.good");
    const onPersonal = report.findings.filter((f) => f.subject === "confluent_api_key.personal" && !f.suppressed);
    expect(onPersonal.map((f) => f.ruleId)).toContain("KK001");
    expect(personal?.severity).toBe("error");
    expect(personal?.findings).toBe(onPersonal.length);
    expect(good?.severity).not.toBe("error");
    const text = renderMermaid(graph);
    expect(text).toMatch(new RegExp(`class [^\\n]*\\b${personal?.id}\\b[^\\n]* error`));
  });
});

describe("buildKeyGraph on a plan", () => {
  const sa = { id: "sa-111" };
  const lkc = { id: "lkc-1", environment: "env-1" };
  const plan = tf.plan({
    changes: [
      tf.keyCreate("confluent_api_key.new", { owner: sa, managed: lkc }),
      tf.keyDelete("confluent_api_key.old", { id: "OLDKEY1", owner: sa, managed: lkc }),
      tf.keyReplace(
        "confluent_api_key.moved",
        { id: "MOVED1", owner: sa, managed: lkc },
        { owner: { id: "sa-222" }, managed: lkc },
      ),
      tf.keyNoop("confluent_api_key.same", { id: "SAME1", owner: sa, managed: lkc }),
    ],
  });
  const model = loadPlan(plan, { source: "plan.json" });
  const graph = buildKeyGraph([model], check(model).findings);
  const changeOf = (address: string) => nodeByLabel(graph, address)?.change;

  it("shows what the plan does to each key: created, deleted, replaced, kept", () => {
    expect(changeOf("confluent_api_key.new")).toBe("created");
    expect(changeOf("confluent_api_key.old")).toBe("deleted");
    expect(changeOf("confluent_api_key.moved")).toBe("replaced");
    expect(changeOf("confluent_api_key.same")).toBe("kept");
  });

  it("draws the deleted key under its owner before the apply, and the replaced one under its new owner", () => {
    const old = nodeByLabel(graph, "confluent_api_key.old");
    const owner = graph.nodes.find((n) => n.kind === "owner" && n.label === "sa-111");
    expect(graph.edges).toContainEqual({ from: owner?.id, to: old?.id });
    const moved = nodeByLabel(graph, "confluent_api_key.moved");
    const newOwner = graph.nodes.find((n) => n.kind === "owner" && n.label === "sa-222");
    expect(graph.edges).toContainEqual({ from: newOwner?.id, to: moved?.id });
    const text = renderMermaid(graph);
    expect(text).toMatch(new RegExp(`class [^\\n]*\\b${old?.id}\\b[^\\n]* deleted`));
    expect(text).toMatch(new RegExp(`class [^\\n]*\\b${moved?.id}\\b[^\\n]* replaced`));
  });
});

/** A model with `owners` × `perOwner` keys on `resources` clusters; every seventh key user-owned. */
function bigModel(owners: number, perOwner: number, resources: number): KeykitModel {
  const apiKeys: ApiKey[] = [];
  for (let o = 0; o < owners; o++)
    for (let k = 0; k < perOwner; k++) {
      const n = o * perOwner + k;
      const cluster = `lkc-${n % resources}`;
      const user = n % 7 === 0;
      apiKeys.push({
        address: `confluent_api_key.k${n}`,
        location: {},
        acknowledgements: [],
        owner: user
          ? { kind: "user", id: `u-${o}`, key: `u-${o}` }
          : { kind: "service-account", id: `sa-${o}`, key: `sa-${o}` },
        scope: { kind: "kafka", id: cluster, key: `kafka:${cluster}` },
      });
    }
  return { ...emptyModel("cdktf-json", "big.json"), apiKeys };
}

describe("grouping above the node budget", () => {
  it("keeps every key and finding counted when it groups 500 keys of 50 owners", () => {
    const model = bigModel(50, 10, 5);
    const findings = check(model).findings;
    const full = buildKeyGraph([model], findings);
    const grouped = groupKeyGraph(full);
    expect(full.nodes.length).toBeGreaterThan(DEFAULT_NODE_BUDGET);
    expect(grouped.nodes.length).toBeLessThanOrEqual(DEFAULT_NODE_BUDGET + 3);
    const keyNodes = grouped.nodes.filter((n) => n.kind === "key");
    expect(keyNodes.reduce((s, n) => s + (n.members ?? 1), 0)).toBe(500);
    const fullFindings = full.nodes.filter((n) => n.kind === "key").reduce((s, n) => s + n.findings, 0);
    expect(keyNodes.reduce((s, n) => s + n.findings, 0)).toBe(fullFindings);
    expect(grouped.grouped.join(" ")).toMatch(/500 keys grouped/);
    // A group with a user-owned production key carries its error.
    expect(keyNodes.some((n) => n.severity === "error")).toBe(true);
  });

  it("fits 50,000 keys into a comment under GitHub's 65,536 characters, saying what it grouped", () => {
    const model = bigModel(5_000, 10, 400);
    const report = check(model);
    const graph = buildKeyGraph([model], report.findings);
    const section = keyGraphSection(graph).join("\n");
    expect(section.length).toBeLessThan(GRAPH_CHARACTER_BUDGET + 2_000);
    expect(section).toMatch(/Grouped to fit: .*owners with the fewest findings and keys grouped into one node/);
    expect(section).toContain("50000 keys");
    const comment = formatMarkdown({ ...report, findings: report.findings.slice(0, 20) }, ALL_RULES, { graph });
    expect(comment.length).toBeLessThan(65_536);
  });
});

describe("labels cannot inject Mermaid or Markdown", () => {
  const hostile = [
    'x"]; click k0 call alert(1); A["',
    "a --> b",
    "<img src=x onerror=alert(1)>",
    "```\n# heading\n```",
    "%%{init: {'theme':'dark'}}%%",
    "end\nsubgraph s",
    "[link](https://evil.example)",
    "#60;script#62;",
  ];

  it("writes every character outside [A-Za-z0-9 _.,:/-] as an entity code, which decodes back to the name", () => {
    for (const name of hostile) {
      const text = mermaidText(name);
      expect(text).toMatch(/^[A-Za-z0-9 _.,:/#;-]*$/);
      expect(decode(text)).toBe(name.replace(/\s+/g, " ").trim());
    }
  });

  it("holds for any string (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 50 }), (name) => {
        const text = mermaidText(name);
        expect(text).toMatch(/^[A-Za-z0-9 _.,:/#;…-]*$/);
        expect(decode(text)).toBe(name.replace(/\s+/g, " ").trim());
      }),
    );
  });

  it("keeps a hostile owner id inside its node: one node line per node, ids from the graph only", () => {
    const model: KeykitModel = {
      ...emptyModel("cdktf-json", "x.json"),
      apiKeys: hostile.map((name, i) => ({
        address: `confluent_api_key.k${i}`,
        location: {},
        acknowledgements: [],
        owner: { kind: "user" as const, id: name, key: name },
        scope: { kind: "kafka" as const, id: name, key: `kafka:${name}` },
      })),
    };
    const graph = buildKeyGraph([model], [] as Finding[]);
    const text = renderMermaid(graph);
    const lines = text.split("\n");
    // flowchart line + one per node + one per edge + class lines: no name adds a line.
    const nodeLines = lines.filter((l) => /^ {2}[a-z]\d+[[(]/.test(l));
    expect(nodeLines).toHaveLength(graph.nodes.length);
    // Outside the quoted labels only the graph's own syntax is left.
    const outside = text.replace(/"[^"]*"/g, '""');
    expect(outside).not.toMatch(/alert|img|evil|subgraph|init|heading|link|script/);
    expect(text).not.toMatch(/<img|```|%%|\[link\]/);
    for (const l of nodeLines) expect(l.match(/"/g)).toHaveLength(2);
  });
});
