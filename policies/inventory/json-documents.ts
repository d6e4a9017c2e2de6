/**
 * Reads one export file as one or more JSON documents (`curl page1 page2 > keys.json` concatenates pages),
 * with error messages that never quote the file's content: exports can hold secrets.
 */
import { lineAndColumn } from "../loaders/util";

/** A problem with an input file; the CLI turns it into exit code 2 and one line. */
export class InventoryInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "InventoryInputError";
  }
}

/** Parses `text` as one JSON document or as several top-level objects/arrays written one after another. */
export function parseJsonDocuments(text: string, file: string): unknown[] {
  if (text.trim() === "") throw new InventoryInputError(file, "empty file (expected a JSON export)");
  try {
    // Fast path: almost every export is one document.
    return [JSON.parse(text)];
  } catch {
    // Fall through: either several documents or a malformed one; split to find out and to say where.
  }
  const documents: unknown[] = [];
  for (const [start, end] of splitTopLevel(text, file)) {
    try {
      documents.push(JSON.parse(text.slice(start, end)));
    } catch (error) {
      throw new InventoryInputError(file, `invalid JSON at ${where(text, start + positionOf(error))}`);
    }
  }
  return documents;
}

/** Start/end offsets of each top-level object or array; throws on truncation or stray text. */
function splitTopLevel(text: string, file: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth === 0)
        throw new InventoryInputError(file, `invalid JSON at ${where(text, i)} (expected an object or array)`);
      inString = true;
    } else if (c === 0x7b || c === 0x5b /* { [ */) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      if (depth < 0) throw new InventoryInputError(file, `invalid JSON at ${where(text, i)} (unbalanced bracket)`);
      if (depth === 0) ranges.push([start, i + 1]);
    } else if (depth === 0 && !isWhitespace(c) && c !== 0x2c /* , between NDJSON-ish values */) {
      throw new InventoryInputError(file, `invalid JSON at ${where(text, i)} (expected an object or array)`);
    }
  }
  if (depth > 0 || inString) {
    throw new InventoryInputError(
      file,
      `truncated JSON: the file ends inside ${inString ? "a string" : "an object or array"} (re-export it)`,
    );
  }
  return ranges;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function positionOf(error: unknown): number {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : 0;
}

function where(text: string, offset: number): string {
  const { line, column } = lineAndColumn(text, offset);
  return `line ${line}, column ${column}`;
}
