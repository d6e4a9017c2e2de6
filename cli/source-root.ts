/**
 * The directory SARIF and GitLab locations are relative to: `--source-root` when given, else the repository's top
 * level (the nearest directory upwards holding `.git`, a directory or a worktree's file, found without running
 * git), else the working directory. Code scanning and GitLab resolve a finding's path against the repository root,
 * so a report made in a subdirectory still lands on the file.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { KeykitCliError } from "./errors";

export function findRepositoryRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function sourceRootOf(flag: string | undefined, cwd: string, command: string): string {
  if (flag === undefined) return findRepositoryRoot(cwd) ?? resolve(cwd);
  const root = resolve(cwd, flag);
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new KeykitCliError(`${command}: --source-root: ${flag}: no such directory`);
  return root;
}
