/**
 * Draws a key graph as a Mermaid `flowchart` for Markdown (GitHub and GitLab render ```mermaid blocks).
 *
 * Nothing from the input reaches the diagram as syntax: node ids are the graph's own (`o3`, `k12`), and every label
 * character outside a small safe set is written as a Mermaid entity code (`#60;`), which Mermaid turns into an HTML
 * entity: a name cannot close a label, add a node or a link, open HTML, or end the code fence (backticks are
 * encoded too).
 */
import type { GraphNode, KeyGraph } from "./key-graph";

/** Longest label text kept (characters); the rest becomes an ellipsis. */
const LABEL_LIMIT = 60;
const SAFE = /^[A-Za-z0-9 _.,:/-]$/;

/** A label's text with every character outside the safe set as a Mermaid entity code. */
export function mermaidText(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  const kept = chars.length > LABEL_LIMIT ? [...chars.slice(0, LABEL_LIMIT - 1), "…"] : chars;
  let out = "";
  for (const c of kept) out += SAFE.test(c) ? c : `#${c.codePointAt(0)};`;
  return out;
}

const SEVERITY_MARK = { error: "✖", warning: "⚠", info: "ℹ" } as const;

function labelOf(n: GraphNode): string {
  const parts = [mermaidText(n.label)];
  const facts: string[] = [];
  if (n.detail) facts.push(n.detail);
  if (n.slot) facts.push(n.slot);
  if (n.change && n.change !== "kept") facts.push(n.change);
  if (n.findings > 0) facts.push(`${n.findings} finding${n.findings === 1 ? "" : "s"}`);
  if (facts.length > 0) parts.push(mermaidText(facts.join(", ")));
  const mark = n.severity ? `${mermaidText(SEVERITY_MARK[n.severity])} ` : "";
  return `"${mark}${parts.join("<br>")}"`;
}

function shapeOf(n: GraphNode): string {
  const label = labelOf(n);
  if (n.kind === "owner") return `${n.id}([${label}])`;
  if (n.kind === "resource") return `${n.id}[(${label})]`;
  return `${n.id}[${label}]`;
}

/** The classes a node is drawn with: severity fill, change and slot outlines. */
function classesOf(n: GraphNode): string[] {
  const classes: string[] = [];
  if (n.severity) classes.push(n.severity);
  if (n.change && n.change !== "kept") classes.push(n.change);
  if (n.slot === "retired") classes.push("retired");
  return classes;
}

const CLASS_DEFS = [
  "classDef error fill:#ffd7d5,stroke:#cf222e,stroke-width:2px,color:#1f2328",
  "classDef warning fill:#fff1c2,stroke:#9a6700,stroke-width:2px,color:#1f2328",
  "classDef info fill:#ddf4ff,stroke:#0969da,color:#1f2328",
  "classDef created stroke:#1a7f37,stroke-width:3px",
  "classDef deleted stroke:#6e7781,stroke-dasharray:6 4,color:#6e7781",
  "classDef replaced stroke:#8250df,stroke-width:3px,stroke-dasharray:2 2",
  "classDef retired stroke-dasharray:3 3,color:#6e7781",
];

/** The flowchart text (without the code fence): owners left, keys in the middle, resources right. */
export function renderMermaid(graph: KeyGraph): string {
  const lines = ["flowchart LR"];
  for (const n of graph.nodes) lines.push(`  ${shapeOf(n)}`);
  for (const e of graph.edges) {
    const count = e.count !== undefined && e.count > 1 ? `|${e.count}|` : "";
    lines.push(`  ${e.from} -->${count} ${e.to}`);
  }
  lines.push(...CLASS_DEFS.map((d) => `  ${d}`));
  const byClass = new Map<string, string[]>();
  for (const n of graph.nodes) for (const c of classesOf(n)) byClass.set(c, [...(byClass.get(c) ?? []), n.id]);
  for (const [c, ids] of byClass) lines.push(`  class ${ids.join(",")} ${c}`);
  return lines.join("\n");
}

/** The legend under the diagram, in Markdown (the kit's own words). */
export const GRAPH_LEGEND =
  "Legend: rounded = owner, box = API key, cylinder = resource; ✖ red = error, ⚠ amber = warning, " +
  "ℹ blue = info; green outline = created by the plan, purple = replaced, grey dashed = deleted or retired; " +
  "a slot is published (clients read it), retained (the previous one) or retired.";
