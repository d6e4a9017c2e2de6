/**
 * Where HCL blocks are declared: an exact scan for block headers (`resource "type" "name" {`, `data`, `output`,
 * `provider`, `module`, `variable`) and the line of the brace that closes each block. hcl2json keeps no positions,
 * so this reads the same text; comments, strings and heredocs are skipped so a brace inside them does not count.
 */
import type { SourcePosition } from "./configuration";

const HEADER = /^[ \t]*(resource|data|output|provider|module|variable)[ \t]+"([^"\n]+)"(?:[ \t]+"([^"\n]+)")?[ \t]*\{/;

/** The address a header declares, relative to its module (`confluent_api_key.k`, `data.x.y`, `output.o`, …). */
function addressOf(kind: string, first: string, second: string | undefined): string | undefined {
  if (kind === "resource") return second ? `${first}.${second}` : undefined;
  if (kind === "data") return second ? `data.${first}.${second}` : undefined;
  return `${kind}.${first}`;
}

/** An argument (`name =`) or a nested block (`name {`, `name "label" {`) at the start of a line. */
const ARGUMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(?:=(?!=)|(?:"[^"\n]*"[ \t]*)*\{)/;

/**
 * The 0-based line where the block opened on `start` closes (braces outside strings, comments and heredocs), and
 * the line of each argument or nested block written directly in it (depth 1), first one of a name kept.
 */
function closingLine(lines: readonly string[], start: number, args?: Map<string, number>): number {
  let depth = 0;
  let heredoc: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (args && depth === 1 && i > start) {
      const name = ARGUMENT.exec(line)?.[1];
      if (name !== undefined && !args.has(name)) args.set(name, i);
    }
    let inString = false;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (inString) {
        if (ch === "\\") c++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "#" || (ch === "/" && line[c + 1] === "/")) break;
      else if (ch === "<" && line[c + 1] === "<") {
        heredoc = /^<<-?([A-Za-z_]\w*)/.exec(line.slice(c))?.[1];
        if (heredoc) break;
      } else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) return i;
    }
  }
  return lines.length - 1;
}

/**
 * Block positions of one file, keyed by module-relative address (`provider.confluent` for the first provider), and
 * the positions of each block's own arguments keyed `<address>#<argument>` (a finding about what an argument
 * writes points at that argument).
 */
export function blockPositions(file: string, text: string): Map<string, SourcePosition> {
  const out = new Map<string, SourcePosition>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (!m) continue;
    const address = addressOf(m[1], m[2], m[3]);
    if (address === undefined || out.has(address)) continue;
    const args = new Map<string, number>();
    const end = closingLine(lines, i, args);
    out.set(address, { file, line: i + 1, endLine: end + 1 });
    for (const [name, line] of args) out.set(`${address}#${name}`, { file, line: line + 1 });
  }
  return out;
}
