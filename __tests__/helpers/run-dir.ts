/**
 * Directories of this test run: under its own root (KEYKIT_TEST_ROOT, made by __tests__/setup/global-setup.js and
 * removed by the global teardown), so two runs in one clone never share, clear or leave behind a directory.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";

function runRoot(): string {
  const root = process.env.KEYKIT_TEST_ROOT;
  if (!root) throw new Error("KEYKIT_TEST_ROOT is not set: run the tests through jest (its global setup makes it)");
  return root;
}

/** A new, empty directory of this run, named `<prefix>-<random>`. */
export function runDir(prefix: string): string {
  return mkdtempSync(join(runRoot(), `${prefix}-`));
}

/** The directory `name` of this run (inside the repository's .tmp/, so code written there resolves node_modules). */
export function runPath(name: string): string {
  const dir = join(runRoot(), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
