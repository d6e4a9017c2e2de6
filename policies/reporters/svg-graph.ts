/**
 * Draws a (grouped) key graph as inline SVG for the HTML report: owners in the left column, keys in the middle,
 * resources on the right, edges as curves. No script and no library: the page's CSP allows none, and a three-column
 * layout is all a graph of owners → keys → resources needs. Every label is escaped text.
 */
import type { GraphNode, KeyGraph } from "./key-graph";

const COLUMN_X = { owner: 10, key: 330, resource: 650 } as const;
const NODE_WIDTH = 260;
const NODE_HEIGHT = 40;
const ROW_GAP = 12;
const LABEL_LIMIT = 38;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length > LABEL_LIMIT ? `${chars.slice(0, LABEL_LIMIT - 1).join("")}…` : text;
}

function factsOf(n: GraphNode): string {
  const facts: string[] = [];
  if (n.detail) facts.push(n.detail);
  if (n.slot) facts.push(n.slot);
  if (n.change && n.change !== "kept") facts.push(n.change);
  if (n.findings > 0) facts.push(`${n.findings} finding${n.findings === 1 ? "" : "s"}`);
  return facts.join(", ");
}

function classOf(n: GraphNode): string {
  return ["node", n.kind, n.severity ?? "", n.change && n.change !== "kept" ? n.change : "", n.slot ?? ""]
    .filter(Boolean)
    .join(" ");
}

/** The SVG element (as text) for `graph`. */
export function renderSvgGraph(graph: KeyGraph): string {
  const position = new Map<string, { x: number; y: number }>();
  const rows = { owner: 0, key: 0, resource: 0 };
  for (const n of graph.nodes) {
    position.set(n.id, { x: COLUMN_X[n.kind], y: 10 + rows[n.kind] * (NODE_HEIGHT + ROW_GAP) });
    rows[n.kind] += 1;
  }
  const height = 20 + Math.max(1, rows.owner, rows.key, rows.resource) * (NODE_HEIGHT + ROW_GAP);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="key graph" width="920" height="${height}" viewBox="0 0 920 ${height}">`,
  ];
  for (const e of graph.edges) {
    const from = position.get(e.from);
    const to = position.get(e.to);
    if (!from || !to) continue;
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const mid = (x1 + x2) / 2;
    parts.push(`<path class="edge" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"/>`);
    if (e.count !== undefined && e.count > 1)
      parts.push(`<text class="count" x="${mid}" y="${(y1 + y2) / 2 - 3}">${e.count}</text>`);
  }
  for (const n of graph.nodes) {
    const p = position.get(n.id);
    if (!p) continue;
    const radius = n.kind === "owner" ? 18 : n.kind === "resource" ? 10 : 3;
    parts.push(
      `<g class="${classOf(n)}"><title>${escapeXml(n.label)}</title>`,
      `<rect x="${p.x}" y="${p.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${radius}"/>`,
      `<text x="${p.x + 10}" y="${p.y + 16}">${escapeXml(shorten(n.label))}</text>`,
      `<text class="facts" x="${p.x + 10}" y="${p.y + 32}">${escapeXml(shorten(factsOf(n)))}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
