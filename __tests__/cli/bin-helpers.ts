/**
 * Running the BUILT bin (dist/cli/main.js) as a subprocess, the way a user or a CI job runs it, for the built-bin
 * suites. Run `npm run build` first (`npm ci` does): `requireFreshBuild` refuses a dist/ older than the sources
 * rather than test stale code.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
export const BIN = join(ROOT, "dist", "cli", "main.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Registers a beforeAll that fails the suite when dist/ is missing or older than cli/ or policies/. */
export function requireFreshBuild(): void {
  // Never rebuilt from here: other suites (the package test) read dist/ while jest runs, and a build empties it first.
  beforeAll(() => {
    const sources = Math.max(newestSource(join(ROOT, "cli")), newestSource(join(ROOT, "policies")));
    if (!existsSync(BIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` before the tests");
    if (statSync(BIN).mtimeMs < sources)
      throw new Error("dist/ is older than cli/ or policies/: run `npm run build` before the tests");
  });
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Who the bin runs as (root ignores permissions: a test of an unreadable file runs the bin as `nobody`). */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs `node <bin> …args` in `cwd` with a clean environment (PATH, HOME and `env` only). */
export function keykit(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
  bin = BIN,
  runAs: RunAs = {},
): Run {
  const clean = { PATH: process.env.PATH ?? "", HOME: cwd, ...env };
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: clean,
    encoding: "utf8",
    timeout: 60_000,
    ...runAs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function project(): string {
  return mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "keykit-bin-"));
}

/** Exactly one line on stderr, `keykit: …`, matching `pattern`, and the exit code. */
export function expectOneLine(run: Run, pattern: RegExp, code = 2): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(/^keykit: /);
  expect(run.stderr.trim().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

/**
 * A private copy of the built CLI (dist/cli and dist/policies, a package.json for the version, node_modules linked
 * to the repository's), so a test can break one built module of the copy and watch the real bin cope, without a
 * test hook in the production code. Returns the copy's `cli/main.js`.
 */
export function copyOfBuiltCli(): { readonly root: string; readonly bin: string } {
  const root = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "keykit-dist-"));
  for (const part of ["cli", "policies"])
    cpSync(join(ROOT, "dist", part), join(root, "dist", part), { recursive: true });
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "keykit", version: "0.0.0-copy" }));
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
  return { root, bin: join(root, "dist", "cli", "main.js") };
}

/** Hand-written HCL for the bin suites, block by block as people write it. */
export function serviceAccountTf(name: string, displayName: string): string {
  return `resource "confluent_service_account" "${name}" {
  display_name = "${displayName}"
}
`;
}

/** The owner block's three attributes as HCL expressions (a service account's references, or literals for a user). */
export function serviceAccountOwner(account: string): { id: string; apiVersion: string; kind: string } {
  const ref = `confluent_service_account.${account}`;
  return { id: `${ref}.id`, apiVersion: `${ref}.api_version`, kind: `${ref}.kind` };
}

/** A key on the Kafka cluster lkc-abc123 (environment env-abc123). */
export function clusterKeyTf(
  name: string,
  displayName: string,
  owner: { id: string; apiVersion: string; kind: string },
): string {
  return `resource "confluent_api_key" "${name}" {
  display_name = "${displayName}"
  owner {
    id          = ${owner.id}
    api_version = ${owner.apiVersion}
    kind        = ${owner.kind}
  }
  managed_resource {
    id          = "lkc-abc123"
    api_version = "cmk/v2"
    kind        = "Cluster"
    environment {
      id = "env-abc123"
    }
  }
}
`;
}
