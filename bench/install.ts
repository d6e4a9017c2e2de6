/**
 * Install benchmark (issue 12): what an app pays on disk for keykit, and how long set-up takes here.
 *
 * - keykit's share of node_modules: an app with cdktf + constructs only, against the same app with the packed kit
 *   and the Vault sink's provider (`@cdktf/provider-vault`). Everything the second installs beyond the first is
 *   there because of keykit (target ≤ 40 MB). Then the AWS sink's provider: it must add `@cdktf/provider-aws` and
 *   nothing else.
 * - `npm ci` on a fresh clone of HEAD (target ≤ 45 s on the 2-core machine) and `npm run synth` of the example app
 *   (median of 3; today 2.8-4.0 s). `--skip-clone` / `--skip-synth` leave those out.
 *
 * The apps live outside the repository (so nothing resolves from its node_modules) and install from the npm
 * registry (or npm's cache).
 *
 *   npm run bench:install
 *   node .tmp/bench-dist/bench/install.js --skip-clone
 */
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const root = resolve(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const MB = 1024 * 1024;

function run(command: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  }
}

function outsideDir(prefix: string): string {
  const base = relative(root, tmpdir()).startsWith("..") ? tmpdir() : "/tmp";
  return mkdtempSync(join(base, prefix));
}

/** Bytes of every file under `dir` (apparent size, symlinks not followed). */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** The packages installed in a node_modules tree (nested ones too), as name@version. */
function packagesOf(nodeModules: string, out = new Set<string>()): Set<string> {
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const name of entries.filter((n) => !n.startsWith("."))) {
    const dirs = name.startsWith("@") ? readdirSync(join(nodeModules, name)).map((n) => `${name}/${n}`) : [name];
    for (const dir of dirs) {
      try {
        const pkg = JSON.parse(readFileSync(join(nodeModules, dir, "package.json"), "utf8")) as { version: string };
        out.add(`${dir}@${pkg.version}`);
      } catch {
        continue;
      }
      packagesOf(join(nodeModules, dir, "node_modules"), out);
    }
  }
  return out;
}

interface Installed {
  readonly bytes: number;
  readonly packages: Set<string>;
}

function installApp(work: string, name: string, dependencies: Record<string, string>): Installed {
  const app = join(work, name);
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name, private: true, version: "1.0.0", dependencies }));
  run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts"], app);
  return { bytes: sizeOf(join(app, "node_modules")), packages: packagesOf(join(app, "node_modules")) };
}

function diff(more: Set<string>, less: Set<string>): string[] {
  return [...more].filter((p) => !less.has(p)).sort();
}

function measureShares(): void {
  const work = outsideDir("keykit-bench-install-");
  try {
    run(npm, ["pack", "--pack-destination", work], root);
    const tarball = join(work, `keykit-${manifest.version}.tgz`);
    const peers = { cdktf: manifest.devDependencies.cdktf, constructs: manifest.devDependencies.constructs };
    const vault = { "@cdktf/provider-vault": manifest.devDependencies["@cdktf/provider-vault"] };
    const aws = { "@cdktf/provider-aws": manifest.devDependencies["@cdktf/provider-aws"] };
    const base = installApp(work, "base", peers);
    const withVault = installApp(work, "vault", { ...peers, keykit: `file:${tarball}`, ...vault });
    const withAws = installApp(work, "aws", { ...peers, keykit: `file:${tarball}`, ...vault, ...aws });
    const share = (withVault.bytes - base.bytes) / MB;
    console.log(`app with cdktf + constructs only: ${(base.bytes / MB).toFixed(1)} MB, ${base.packages.size} packages`);
    console.log(
      `keykit's share with the Vault sink: ${share.toFixed(1)} MB (target <= 40 MB) ${share <= 40 ? "ok" : "MISSED"}`,
    );
    console.log(`  added: ${diff(withVault.packages, base.packages).join(", ")}`);
    const addedByAws = diff(withAws.packages, withVault.packages);
    const onlyAws = addedByAws.length === 1 && addedByAws[0].startsWith("@cdktf/provider-aws@");
    console.log(
      `with the AWS sink: +${((withAws.bytes - withVault.bytes) / MB).toFixed(1)} MB, added ${addedByAws.join(", ")} ${onlyAws ? "ok" : "MISSED"}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  const seconds = (performance.now() - start) / 1000;
  return Number(seconds.toFixed(1));
}

function measureFreshClone(): void {
  const work = outsideDir("keykit-bench-clone-");
  try {
    run("git", ["clone", "--quiet", "--no-hardlinks", root, join(work, "keykit")], work);
    const seconds = timed(() => run(npm, ["ci", "--no-audit", "--no-fund"], join(work, "keykit")));
    console.log(`npm ci on a fresh clone: ${seconds} s (target <= 45 s) ${seconds <= 45 ? "ok" : "MISSED"}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function measureSynth(): void {
  const runs = [0, 1, 2].map(() => timed(() => run(npm, ["run", "synth", "--silent"], root)));
  const median = [...runs].sort((a, b) => a - b)[1];
  console.log(`npm run synth: median ${median} s of ${runs.join(", ")} s (today 2.8-4.0 s)`);
}

const args = new Set(process.argv.slice(2));
measureShares();
if (!args.has("--skip-clone")) measureFreshClone();
if (!args.has("--skip-synth")) measureSynth();
