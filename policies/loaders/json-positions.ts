/**
 * Line numbers for JSON inputs, found by cheap scans of the text the input was parsed from (no second parse):
 *   plan/state JSON: the first `"address": "<address>"` entry of each resource (resource_changes first in a plan);
 *   cdk.tf.json: the key of each `resource.<type>.<name>`, `data.…`, `output.<name>` and `provider.<name>` block.
 * Terraform prints plan/state JSON on one line, so a column comes with the line.
 */
import type { SourcePosition } from "./configuration";

/** Counts lines incrementally while positions only move forward. */
function lineCounter(text: string): (position: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  return (position) => {
    for (let nl = text.indexOf("\n", scanned); nl !== -1 && nl < position; nl = text.indexOf("\n", nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    scanned = Math.max(scanned, position);
    return { line, column: position - lineStart + 1 };
  };
}

/** The end (exclusive) of the JSON string starting at `start` (the opening quote), or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = text.indexOf('"', start + 1); i !== -1; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    for (let j = i - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return i + 1;
  }
  return -1;
}

/** Positions of plan/state resources by address (the first entry; a plan's resource_changes come first). */
export function addressPositions(text: string): Map<string, SourcePosition> {
  const found: { at: number; address: string }[] = [];
  const seen = new Set<string>();
  const changes = text.indexOf('"resource_changes"');
  const scan = (from: number, to: number) => {
    for (let i = text.indexOf('"address"', from); i !== -1 && i < to; i = text.indexOf('"address"', i + 9)) {
      let v = i + 9;
      while (v < text.length && (text[v] === " " || text[v] === ":" || text[v] === "\n" || text[v] === "\t")) v++;
      if (text[v] !== '"') continue;
      const end = stringEnd(text, v);
      if (end === -1) break;
      const raw = text.slice(v, end);
      const address = raw.includes("\\") ? safeParse(raw) : raw.slice(1, -1);
      if (address && !seen.has(address)) {
        seen.add(address);
        found.push({ at: i, address });
      }
    }
  };
  if (changes !== -1) scan(changes, text.length);
  scan(0, changes === -1 ? text.length : changes);
  found.sort((a, b) => a.at - b.at);
  const lineOf = lineCounter(text);
  const out = new Map<string, SourcePosition>();
  for (const f of found) out.set(f.address, lineOf(f.at));
  return out;
}

function safeParse(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

const SECTIONS: Readonly<Record<string, string>> = {
  resource: "",
  data: "data.",
  output: "output.",
  provider: "provider.",
};

/**
 * Positions of a cdk.tf.json's blocks: one pass over the text tracking the object keys of the first three levels
 * (strings skipped with indexOf), so a 10 MB stack costs a few milliseconds.
 */
export function configurationPositions(text: string): Map<string, SourcePosition> {
  const out = new Map<string, SourcePosition>();
  const keys: string[] = [];
  const lineOf = lineCounter(text);
  let depth = 0;
  let pendingKey: { key: string; at: number } | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      if (end === -1) break;
      if (depth <= 3) pendingKey = { key: safeParse(text.slice(i, end)) ?? "", at: i };
      i = end - 1;
    } else if (c === 58 /* : */ && pendingKey) {
      keys[depth] = pendingKey.key;
      record(out, keys, depth, pendingKey.at, lineOf);
      pendingKey = undefined;
    } else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    else if (c === 44 /* , */) pendingKey = undefined;
  }
  return out;
}

function record(
  out: Map<string, SourcePosition>,
  keys: readonly string[],
  depth: number,
  at: number,
  lineOf: (p: number) => { line: number; column: number },
): void {
  const section = SECTIONS[keys[1]];
  if (section === undefined) return;
  let address: string | undefined;
  if ((keys[1] === "resource" || keys[1] === "data") && depth === 3) address = `${section}${keys[2]}.${keys[3]}`;
  else if ((keys[1] === "output" || keys[1] === "provider") && depth === 2) address = `${section}${keys[2]}`;
  if (address !== undefined && !out.has(address)) out.set(address, lineOf(at));
}
