/**
 * Where the user's code created a kit construct: the first stack frame outside the kit and outside node_modules,
 * as `file:line` relative to the working directory of the synth (the app's directory). Reporters point findings on
 * synthesized JSON at that line of `main.ts`, where a reviewer can act on them (policies/loaders/configuration.ts).
 *
 * Cheap by design: one short stack per recorded resource, taken as text so that a source-map hook of the app's
 * runner (ts-node, tsx, node --enable-source-maps) gives the TypeScript line, and no cdktf `stackTraces` needed.
 */
import { isAbsolute, relative, sep } from "node:path";

/** The kit's own construct files (constructs/, dist/constructs/, dist/cdktn/constructs/ and below). */
const KIT_DIR = `${__dirname}${sep}`;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Frames to look through: the user's call is a few kit frames below this one, not dozens. */
const FRAMES = 24;
/** `at new OrdersStack (/app/main.ts:12:5)`, `at /app/main.ts:12:5`, `at file:///app/main.mjs:12:5`. */
const FRAME = /^\s*at (?:.*? \()?(?:file:\/\/)?((?:[A-Za-z]:)?[^\s():]+?):(\d+):\d+\)?$/;

export interface CreationSite {
  /** Relative to the synth's working directory, `/`-separated. */
  readonly file: string;
  readonly line: number;
}

export function creationSite(): CreationSite | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES;
  const holder: { stack?: string } = {};
  try {
    Error.captureStackTrace(holder, creationSite);
    return firstUserFrame(holder.stack ?? "");
  } catch {
    return undefined; // a hostile prepareStackTrace costs the location, never the synth
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function firstUserFrame(stack: string): CreationSite | undefined {
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]);
    if (!m) continue;
    const file = decodeURIComponent(m[1]);
    if (!isAbsolute(file) || file.startsWith(KIT_DIR) || file.includes(NODE_MODULES)) continue;
    const rel = relative(process.cwd(), file);
    // Outside the app's directory (a shared library elsewhere): no origin, rather than a machine's absolute path.
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    return { file: rel.split(sep).join("/"), line: Number(m[2]) };
  }
  return undefined;
}
