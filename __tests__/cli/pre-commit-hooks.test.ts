/**
 * The repository's two pre-commit hooks (.pre-commit-hooks.yaml) run by the real `pre-commit` (Debian's package)
 * in throwaway git repositories, the way a team installs them: `keykit-check-cdk` in a CDK app fires on main.ts,
 * synthesizes with the app's own cdktf CLI and refuses a commit that adds a user-owned production key; `keykit-check`
 * in an HCL root refuses the same key in main.tf. Both pass clean commits. The app's node_modules link to this
 * repository's (keykit itself is this repository, its bin the built one: run `npm run build` first).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runDir } from "../helpers/run-dir";
import { ROOT, requireFreshBuild } from "./bin-helpers";

requireFreshBuild();

const preCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const available = preCommit.status === 0;
if (!available) console.log("pre-commit-hooks: skipped: `pre-commit` is not installed (apt-get install pre-commit)");
const suite = available ? describe : describe.skip;

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Keykit Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Keykit Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, ...GIT_ENV, CHECKPOINT_DISABLE: "1", ...env },
  });
  return { code: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function git(cwd: string, ...args: string[]) {
  const r = run("git", args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.output}`);
  return r.output.trim();
}

/** A git repository holding only this repository's .pre-commit-hooks.yaml, committed: what `repo:` points at. */
function hooksRepository(base: string): { path: string; rev: string } {
  const path = join(base, "hooks");
  mkdirSync(path);
  git(path, "init", "-q");
  writeFileSync(join(path, ".pre-commit-hooks.yaml"), readFileSync(join(ROOT, ".pre-commit-hooks.yaml")));
  git(path, "add", ".pre-commit-hooks.yaml");
  git(path, "commit", "-q", "-m", "hooks");
  return { path, rev: git(path, "rev-parse", "HEAD") };
}

/** A repository using both hooks, with pre-commit installed as its git hook. */
function projectRepository(base: string, name: string, hooks: { path: string; rev: string }): string {
  const dir = join(base, name);
  mkdirSync(dir);
  git(dir, "init", "-q");
  writeFileSync(
    join(dir, ".pre-commit-config.yaml"),
    [
      "repos:",
      `  - repo: ${hooks.path}`,
      `    rev: ${hooks.rev}`,
      "    hooks:",
      "      - id: keykit-check",
      "      - id: keykit-check-cdk",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, ".gitignore"), "node_modules/\ncdktf.out/\n");
  // The app's packages: this repository's, and keykit itself (this repository, with its built bin).
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  for (const entry of readdirSync(join(ROOT, "node_modules"))) {
    if (entry !== ".bin") symlinkSync(join(ROOT, "node_modules", entry), join(modules, entry));
  }
  symlinkSync(ROOT, join(modules, "keykit"));
  symlinkSync(join("..", "keykit", "dist", "cli", "main.js"), join(modules, ".bin", "keykit"));
  const installed = run("pre-commit", ["install"], dir, { PRE_COMMIT_HOME: join(base, "pre-commit-home") });
  if (installed.code !== 0) throw new Error(`pre-commit install: ${installed.output}`);
  git(dir, "add", ".pre-commit-config.yaml", ".gitignore");
  git(dir, "commit", "-q", "--no-verify", "-m", "set-up");
  return dir;
}

function commit(dir: string, base: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  git(dir, "add", ...Object.keys(files));
  return run("git", ["commit", "-m", "change"], dir, { PRE_COMMIT_HOME: join(base, "pre-commit-home") });
}

const APP_HEAD = `import { App } from "cdktf";
import { KeyScope, KeykitStack, ServiceAccountWithKey } from "keykit";
import { ApiKey } from "keykit/confluent/lib/api-key";
import { ConfluentProvider } from "keykit/confluent/lib/provider";

const app = new App();
const stack = new KeykitStack(app, "orders");
new ConfluentProvider(stack, "confluent", {});
new ServiceAccountWithKey(stack, "Reporting", { scope: KeyScope.cloud(), serviceAccountName: "reporting" });
`;
const USER_KEY = `new ApiKey(stack, "PersonalKey", {
  owner: { id: "u-abc123", apiVersion: "iam/v2", kind: "User" },
  managedResource: { id: "lkc-abc123", apiVersion: "cmk/v2", kind: "Cluster", environment: [{ id: "env-abc123" }] },
});
`;

const USER_KEY_TF = `resource "confluent_api_key" "personal" {
  display_name = "personal"
  owner {
    id          = "u-abc123"
    api_version = "iam/v2"
    kind        = "User"
  }
}
`;

suite("pre-commit hooks, run by the real pre-commit", () => {
  let base: string;
  let hooks: { path: string; rev: string };
  beforeAll(() => {
    base = runDir("pre-commit");
    hooks = hooksRepository(base);
  });

  test("keykit-check-cdk fires on main.ts, synthesizes with cdktf and refuses a user-owned production key", () => {
    const app = projectRepository(base, "app", hooks);
    const manifest = { name: "orders-app", private: true, devDependencies: { cdktf: "*", "cdktf-cli": "*" } };
    const clean = commit(app, base, {
      "package.json": `${JSON.stringify(manifest, null, 2)}\n`,
      "cdktf.json": `${JSON.stringify({ language: "typescript", app: "node --import tsx main.ts" })}\n`,
      "main.ts": `${APP_HEAD}app.synth();\n`,
    });
    expect(clean.output).toMatch(/keykit check \(CDK app\)\.+Passed/);
    expect(clean.output).toMatch(/keykit check\.+\(no files to check\)Skipped/);
    expect(clean.code).toBe(0);

    const refused = commit(app, base, { "main.ts": `${APP_HEAD}${USER_KEY}app.synth();\n` });
    expect(refused.output).toMatch(/keykit check \(CDK app\)\.+Failed/);
    expect(refused.output).toMatch(/ERROR \[orders\/PersonalKey\]: \[KK001 [^\n]*owned by user u-abc123/);
    expect(refused.output).toMatch(/keykit: check --synth: `cdktf synth` exited 1: the kit's findings above refused/);
    expect(refused.code).not.toBe(0);
    // The refused commit did not happen: HEAD is still the clean one.
    expect(git(app, "log", "--format=%s")).toBe("change\nset-up");
  });

  test("keykit-check fires on main.tf and refuses the same key in HCL; the CDK hook stays out", () => {
    const root = projectRepository(base, "hcl", hooks);
    const clean = commit(root, base, {
      "main.tf": 'resource "confluent_service_account" "app" {\n  display_name = "app"\n}\n',
    });
    expect(clean.output).toMatch(/keykit check\.+Passed/);
    expect(clean.output).toMatch(/keykit check \(CDK app\)\.+\(no files to check\)Skipped/);
    expect(clean.code).toBe(0);

    const refused = commit(root, base, { "keys.tf": USER_KEY_TF });
    expect(refused.output).toMatch(/keykit check\.+Failed/);
    expect(refused.output).toMatch(/KK001 [^\n]*\[error\][^\n]*\n\s+✗ keys\.tf:1: confluent_api_key\.personal\n/);
    expect(refused.code).not.toBe(0);
  });
});
