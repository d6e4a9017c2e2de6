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

/** The 0-based line where the block opened on `start` closes (braces outside strings, comments and heredocs). */
function closingLine(lines: readonly string[], start: number): number {
  let depth = 0;
  let heredoc: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
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

/** Block positions of one file, keyed by module-relative address (`provider.confluent` for the first provider). */
export function blockPositions(file: string, text: string): Map<string, SourcePosition> {
  const out = new Map<string, SourcePosition>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]);
    if (!m) continue;
    const address = addressOf(m[1], m[2], m[3]);
    if (address === undefined || out.has(address)) continue;
    out.set(address, { file, line: i + 1, endLine: closingLine(lines, i) + 1 });
  }
  return out;
}
