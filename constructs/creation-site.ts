/**
 * Where the user's code created a kit construct: the first stack frame outside the kit and outside node_modules,
 * as `file:line` relative to the working directory of the synth (the app's directory). Reporters point findings on
 * synthesized JSON at that line of `main.ts`, where a reviewer can act on them (policies/loaders/configuration.ts).
 *
 * Cheap by design (bench:synth measures it): the stack is taken as V8's structured call sites, never formatted as
 * text, and only the chosen frame is mapped to its TypeScript line, through the runner's source maps: a source-map
 * hook of `Error.prepareStackTrace` (ts-node's source-map-support), else Node's own (tsx, --enable-source-maps).
 * No cdktf `stackTraces` needed.
 */
import { findSourceMap } from "node:module";
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The kit's own construct files (constructs/, dist/constructs/, dist/cdktn/constructs/ and below). */
const KIT_DIR = `${__dirname}${sep}`;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Frames to look through: the user's call is a few kit frames below this one, not dozens. */
const FRAMES = 10;
/** The one frame a source-map hook formats: `    at new OrdersStack (/app/main.ts:12:5)`. */
const FORMATTED = /\(?((?:file:\/\/)?(?:[A-Za-z]:)?[^\s():]+?):(\d+):\d+\)?\s*$/;

export interface CreationSite {
  /** Relative to the synth's working directory, `/`-separated. */
  readonly file: string;
  readonly line: number;
}

type PrepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => unknown;
const callSites: PrepareStackTrace = (_error, sites) => sites;

export function creationSite(): CreationSite | undefined {
  const limit = Error.stackTraceLimit;
  const errors = Error as { prepareStackTrace?: PrepareStackTrace };
  const hook = errors.prepareStackTrace;
  const holder = new Error();
  let sites: unknown;
  try {
    Error.stackTraceLimit = FRAMES;
    errors.prepareStackTrace = callSites;
    Error.captureStackTrace(holder, creationSite);
    sites = holder.stack;
  } catch {
    return undefined; // a hostile environment costs the location, never the synth
  } finally {
    Error.stackTraceLimit = limit;
    errors.prepareStackTrace = hook;
  }
  if (!Array.isArray(sites)) return undefined;
  for (const site of sites as NodeJS.CallSite[]) {
    const file = pathOf(site.getFileName());
    if (file === undefined || file.startsWith(KIT_DIR) || file.includes(NODE_MODULES)) continue;
    return shown(mapped(site, file, hook, holder));
  }
  return undefined;
}

function pathOf(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  if (name.startsWith("file://")) {
    try {
      return fileURLToPath(name);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(name) ? name : undefined;
}

/** The frame's source line: through the runner's hook, else Node's source map of the file, else as compiled. */
function mapped(
  site: NodeJS.CallSite,
  file: string,
  hook: PrepareStackTrace | undefined,
  holder: Error,
): { file: string; line: number } | undefined {
  try {
    if (hook) {
      const text = String(hook(holder, [site]));
      const m = FORMATTED.exec(text.split("\n").pop() ?? "");
      const path = m ? pathOf(m[1]) : undefined;
      if (m && path) return { file: path, line: Number(m[2]) };
    }
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) return undefined;
    const entry = findSourceMap(file)?.findEntry(line - 1, column - 1) as
      { originalSource?: string; originalLine?: number } | undefined;
    const source = entry?.originalSource !== undefined ? pathOf(entry.originalSource) : undefined;
    if (source !== undefined && entry?.originalLine !== undefined)
      return { file: source, line: entry.originalLine + 1 };
    return { file, line };
  } catch {
    return undefined;
  }
}

/** Relative to the app's directory; outside it (a shared library elsewhere), no origin rather than a machine's path. */
function shown(at: { file: string; line: number } | undefined): CreationSite | undefined {
  if (at === undefined) return undefined;
  const rel = relative(process.cwd(), at.file);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return { file: rel.split(sep).join("/"), line: at.line };
}
