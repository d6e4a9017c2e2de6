/**
 * The cases that need permissions to bite. Root ignores permissions, so as root they run the bin as an unprivileged
 * user (`nobody`); that user may not be able to enter the clone at all (a clone under a 0700 home directory), so the
 * bin they run is a copy of the built CLI with its runtime dependencies, and their files live, in this run's
 * world-readable directory (KEYKIT_TEST_SHARED, made and removed by __tests__/setup/). As any other user the
 * permissions already apply: the repository's own bin and this run's directories are used as they are.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..", "..");

export interface Unprivileged {
  /** Who the bin runs as: `{}` when the tests do not run as root. */
  readonly runAs: { readonly uid?: number; readonly gid?: number };
  /** The bin those cases run (a world-readable copy when running as root). */
  readonly bin: string;
  /** A new directory those cases may use (world-readable when running as root). */
  dir(prefix: string): string;
}

/** `{ uid, gid }` of the user `nobody`, or undefined when this machine has none. */
function nobody(): { uid: number; gid: number } | undefined {
  const uid = spawnSync("id", ["-u", "nobody"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "nobody"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Makes everything below `dir` readable (and directories enterable) by every user. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openUp(path);
    else chmodSync(path, lstatSync(path).mode & 0o100 ? 0o755 : 0o644);
  }
}

/** The package directory `name` resolves to from `from` (Node's lookup: node_modules of `from` and its parents). */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Copies `name` and its runtime dependencies, as resolved from `from`, into `into`/node_modules. */
function copyDependency(name: string, from: string, into: string, seen: Set<string>): void {
  const source = packageDir(name, from);
  if (!source || seen.has(source)) return;
  seen.add(source);
  const target = join(into, "node_modules", source.slice(source.lastIndexOf("node_modules/") + "node_modules/".length));
  if (!existsSync(target)) cpSync(source, target, { recursive: true, dereference: true });
  const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) copyDependency(dependency, source, into, seen);
}

/** A world-readable copy of the built CLI (dist/cli, dist/policies) and the kit's runtime dependencies. */
function worldReadableBin(shared: string): string {
  const copy = mkdtempSync(join(shared, "bin-"));
  for (const part of ["cli", "policies"])
    cpSync(join(ROOT, "dist", part), join(copy, "dist", part), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    version: string;
    dependencies: Record<string, string>;
  };
  writeFileSync(join(copy, "package.json"), JSON.stringify({ name: "keykit", version: manifest.version }));
  const seen = new Set<string>();
  for (const dependency of Object.keys(manifest.dependencies)) copyDependency(dependency, ROOT, copy, seen);
  openUp(copy);
  return join(copy, "dist", "cli", "main.js");
}

/** How this machine runs the permission cases, or the reason they cannot run here (printed by the caller's skip). */
export function unprivileged(bin: string): Unprivileged | { readonly skip: string } {
  const tmp = process.env.TMPDIR ?? "/tmp";
  if (process.getuid?.() !== 0) return { runAs: {}, bin, dir: (prefix) => mkdtempSync(join(tmp, `${prefix}-`)) };
  const user = nobody();
  if (!user) return { skip: "running as root and this machine has no user `nobody` to drop to" };
  const shared = process.env.KEYKIT_TEST_SHARED;
  if (!shared) return { skip: "KEYKIT_TEST_SHARED is not set (run the tests through jest)" };
  let copied: string | undefined;
  return {
    runAs: user,
    // Copied on first use, in a test (the suite's requireFreshBuild has refused a stale dist/ by then).
    get bin() {
      return (copied ??= worldReadableBin(shared));
    },
    dir: (prefix) => {
      const dir = mkdtempSync(join(shared, `${prefix}-`));
      chmodSync(dir, 0o755);
      return dir;
    },
  };
}
