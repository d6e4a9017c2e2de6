/**
 * Shared pieces of the hostile-input suite: a project on disk (synthesized stack with blue/green keys, a
 * rotation-state file), runners (in process, and as separate `keykit` processes), and the assertions every case
 * makes: the exit code, exactly one stderr line without input or stack, and files unchanged and complete.
 */
import { spawn, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/main";
import { BIN } from "../cli/bin-helpers";
import { runPath } from "../helpers/run-dir";

export const ROOT = join(__dirname, "..", "..");
const TMP = runPath("hostile");

/** A fake secret planted next to bad spots: it must never come out. */
export const SECRET = "Zq8PLANTEDsecretVALUEdoNotLeak0xB7c1";

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(TMP, `${prefix}-`));
}

export async function keykit(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env, isTty: false };
  const code = await runCli(args, io);
  return { code, out: out.join(""), err: err.join("") };
}

/**
 * The built bin, as users run it (a test file that spawns it calls `requireFreshBuild()`, which refuses a stale
 * dist/). Not through tsx: transpiling the CLI in every child cost four times the bin's own start-up.
 */
const BIN_ARGS = [BIN];

/** `keykit` as its own process (the built bin), for concurrency and exit-code cases. */
export function spawnKeykit(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...BIN_ARGS, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out, err });
    });
  });
}

export function spawnKeykitSync(cwd: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, [...BIN_ARGS, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The error contract: exactly one line, `keykit: …`, no stack frame, not an internal error, none of `secrets`. */
export function expectOneLineError(err: string, ...secrets: string[]): void {
  expect(err).toMatch(/^keykit: [^\n]*\n$/);
  expect(err).not.toMatch(/internal error/);
  expect(err).not.toMatch(/\n\s+at /);
  for (const secret of secrets) expect(err).not.toContain(secret);
}

/** Every file under `dir` (relative path → content, or `-> target` for a symlink), to prove nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? join(sub, name) : name;
      const stat = lstatSync(join(dir, rel));
      if (stat.isSymbolicLink()) files[rel] = `-> ${readlinkSync(join(dir, rel))}`;
      else if (stat.isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(dir, rel), "utf8");
    }
  };
  walk("");
  return files;
}

/** A confluent_api_key slot of a BlueGreenApiKey as synthesized: the kit's metadata rides in `"//"`. */
function slotResource(name: string, slot: "blue" | "green", active: boolean): Record<string, unknown> {
  return {
    "//": {
      metadata: { path: `prod/${name}/${slot}`, uniqueId: `${name}_${slot}` },
      keykit: { version: 1, construct: "BlueGreenApiKey", rotation: { name, slot, active } },
    },
    display_name: `${name}-${slot}`,
    owner: { id: `\${confluent_service_account.${name}.id}`, api_version: "iam/v2", kind: "ServiceAccount" },
    managed_resource: {
      id: "${confluent_kafka_cluster.main.id}",
      api_version: "cmk/v2",
      kind: "Cluster",
      environment: { id: "${confluent_environment.prod.id}" },
    },
    lifecycle: { prevent_destroy: true },
  };
}

/** A synthesized stack declaring one blue/green key per name (only the blue slot exists before any rotation). */
export function synthesizedStack(names: readonly string[]): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  const accounts: Record<string, unknown> = {};
  for (const name of names) {
    keys[`${name.replace(/\W/g, "_")}_blue`] = slotResource(name, "blue", true);
    accounts[name] = { display_name: `sa-${name}`, description: `runs ${name}` };
  }
  return {
    "//": {
      metadata: { backend: "local", stackName: "prod", version: "0.21.0" },
      keykit: { version: 1, tier: "production" },
    },
    terraform: { required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } } },
    provider: { confluent: [{}] },
    resource: {
      confluent_environment: { prod: { display_name: "prod" } },
      confluent_kafka_cluster: {
        main: { display_name: "main", availability: "MULTI_ZONE", cloud: "AWS", region: "eu-west-1", standard: {} },
      },
      confluent_service_account: accounts,
      confluent_api_key: keys,
    },
  };
}

/** A project directory: `cdktf.out/stacks/prod/cdk.tf.json` declaring `names` (no state file yet). */
export function project(names: readonly string[] = ["orders"], dir = tempDir("project")): string {
  const stackDir = join(dir, "cdktf.out", "stacks", "prod");
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(stackDir, "cdk.tf.json"), `${JSON.stringify(synthesizedStack(names), null, 2)}\n`);
  return dir;
}

/** A rotation-state file written as a person would keep it: a comment, an owner per key, notes per slot. */
export function handKeptState(): string {
  return `{
  "//": "Edited only by keykit rotate; owners per key are for the on-call rota.",
  "version": 1,
  "keys": {
    "billing": {
      "owner": "team-billing",
      "active": "green",
      "rotations": 1,
      "slots": {
        "blue": {
          "status": "retired",
          "createdAt": "2025-01-10T09:00:00Z",
          "note": "first key, created by hand",
          "activatedAt": "2025-01-10T09:00:00Z",
          "deactivatedAt": "2025-06-01T08:00:00Z",
          "retiredAt": "2025-06-03T08:00:00Z"
        },
        "green": {
          "status": "active",
          "createdAt": "2025-06-01T08:00:00Z",
          "activatedAt": "2025-06-01T08:00:00Z",
          "ticket": "OPS-1432"
        }
      }
    },
    "orders": {
      "owner": "team-orders",
      "active": "blue",
      "rotations": 0,
      "slots": {
        "blue": {
          "status": "active",
          "note": "predates the state file"
        }
      }
    }
  }
}
`;
}
