/**
 * Line numbers for JSON inputs, found by cheap scans of the text the input was parsed from (no second parse):
 *   plan/state JSON: the first `"address": "<address>"` entry of each resource (resource_changes first in a plan);
 *   cdk.tf.json: the key of each `resource.<type>.<name>`, `data.…`, `output.<name>` and `provider.<name>` block.
 * Terraform prints plan/state JSON on one line, so a column comes with the line.
 */
import type { SourcePosition } from "./configuration";

/**
 * Counts lines incrementally while positions only move forward. The next newline is remembered, so a one-line file
 * (what Terraform prints) is searched once, not once per resource.
 */
function lineCounter(text: string): (position: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf("\n");
  return (position) => {
    while (next !== -1 && next < position) {
      line++;
      lineStart = next + 1;
      next = text.indexOf("\n", lineStart);
    }
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

/** The top-level keys Terraform prints after `resource_changes`, in its order: the scan of a plan stops there. */
const AFTER_CHANGES = ['"output_changes"', '"prior_state"', '"configuration"'];

/**
 * Positions of plan/state resources by address: the first `"address"` entry of each (in a plan, only the
 * resource_changes section is scanned: every judged resource has its entry there, and prior_state and configuration
 * double the text).
 */
export function addressPositions(text: string): Map<string, SourcePosition> {
  const changes = text.indexOf('"resource_changes"');
  let end = text.length;
  if (changes !== -1) {
    // In Terraform's key order the first one follows resource_changes directly: search the others only without it.
    for (const key of AFTER_CHANGES) {
      const at = text.indexOf(key, changes);
      if (at !== -1) {
        end = at;
        break;
      }
    }
  }
  const lineOf = lineCounter(text);
  const out = new Map<string, SourcePosition>();
  for (
    let i = text.indexOf('"address"', Math.max(changes, 0));
    i !== -1 && i < end;
    i = text.indexOf('"address"', i + 9)
  ) {
    let v = i + 9;
    for (let c = text.charCodeAt(v); c === 32 || c === 58 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++v));
    if (text.charCodeAt(v) !== 34) continue;
    const close = stringEnd(text, v);
    if (close === -1) break;
    const raw = text.slice(v, close);
    const address = raw.includes("\\") ? safeParse(raw) : raw.slice(1, -1);
    if (address && !out.has(address)) out.set(address, lineOf(i));
    i = close - 9;
  }
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

/** `"id": "<value>"` or `"key": "<value>"` with an id-like value (exports: keys, service accounts). */
const ITEM_ID = /"(?:id|key)"\s*:\s*"([A-Za-z0-9][A-Za-z0-9_.:-]{0,127})"/g;

/**
 * Lines of the items of a Confluent export (CLI or API, JSON or JSON lines): the first `"id"` or `"key"` entry
 * holding each value. One regular-expression pass over the text, lines counted as it goes.
 */
export function itemLines(text: string): Map<string, number> {
  const lineOf = lineCounter(text);
  const out = new Map<string, number>();
  ITEM_ID.lastIndex = 0;
  for (let m = ITEM_ID.exec(text); m !== null; m = ITEM_ID.exec(text)) {
    if (!out.has(m[1])) out.set(m[1], lineOf(m.index).line);
  }
  return out;
}
