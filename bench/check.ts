/**
 * Check benchmark (issue 4): `keykit check` on a generated plan JSON with 10,000 API keys and 5,000 service
 * accounts (plus a role binding per account), compared in the same run with
 *   - reading + JSON.parse of the same file (target: check ≤ 2.0× parse),
 *   - a jq filter implementing only the user-owner rule, as whole processes (target: keykit faster; skipped with a
 *     note when jq is not installed),
 * and the growth from 10,000 to 50,000 keys (target ≤ 5.5×), with peak memory (maxRSS) of each side. Issue 9 adds
 * an HCL case: a generated tree of 200 roots calling 400 local modules, `keykit check <tree>` vs @cdktf/hcl2json
 * parsing the same files alone (target ≤ 1.5×); the plan ratio's target is 1.6 (no regression from issue 4).
 *
 * The plan is shaped like `terraform show -json` output 1.2: resource_changes (98% no-op, 1% create, 0.5% delete,
 * 0.5% replace), planned_values, prior_state and configuration, a plain-text secret in every key (marked sensitive,
 * as Terraform does), 1% user-owned keys so the report is not empty.
 *
 * In-process sides run in their own child process each (peak memory belongs to one side), alternating parse and
 * check `--reps` times, each child timing one run after its own warm-up; medians (wall and CPU time) are reported.
 *
 * Issue 22 adds what users feel, whole processes of the built bin (module loading and node's start included),
 * `--process-rounds` interleaved rounds, medians: `keykit check` of a tiny plan vs `node -e 0` (target ≤ 40 ms
 * above it), and of the 10,000-key plan vs a node process that reads and JSON.parses it (target ≤ 1.5×). With
 * `--baseline <dist>` an older build's bin runs in the same rounds (before/after in one run).
 *
 *   npm run bench:check                         # 10,000 and 50,000 keys, 5 repetitions
 *   node .tmp/bench-dist/bench/check.js --sizes 10000,50000 --reps 5
 *   node .tmp/bench-dist/bench/check.js --only process --baseline /path/to/old/dist   # the whole-process section
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = resolve(__dirname, "..", "..", "..");
const DIST = resolve(__dirname, "..");
const DIR = join(ROOT, ".tmp", "bench-check");
const SECRET = "cfltBENCHSECRET0123456789abcdef0123456789abcdef0123456789abcdef";
const PROVIDER = "registry.terraform.io/confluentinc/confluent";

// ------------------------------------------------------------------------------------------------------------
// HCL tree generator: `roots` Terraform roots, each calling two local modules of its own (a team's key, topics and
// the key published to Vault), plus one shared module dir per root pair: roots + 2 × roots module directories.

function hclModule(i: number): string {
  return `variable "owner_id" {
  type = string
}

variable "cluster" {
  type = object({ id = string, rest_endpoint = string })
}

resource "confluent_api_key" "team" {
  display_name = "team-${i}"
  owner {
    id          = var.owner_id
    api_version = "iam/v2"
    kind        = "ServiceAccount"
  }
  managed_resource {
    id          = var.cluster.id
    api_version = "cmk/v2"
    kind        = "Cluster"
    environment {
      id = "env-bench"
    }
  }
}

resource "confluent_kafka_topic" "events" {
  for_each = toset(["a", "b", "c"])
  kafka_cluster {
    id = var.cluster.id
  }
  topic_name    = "team-${i}.\${each.key}"
  rest_endpoint = var.cluster.rest_endpoint
  credentials {
    key    = confluent_api_key.team.id
    secret = confluent_api_key.team.secret
  }
}

resource "vault_kv_secret_v2" "team" {
  mount = "kv"
  name  = "confluent/team-${i}"
  data_json = jsonencode({
    key    = confluent_api_key.team.id
    secret = confluent_api_key.team.secret
  })
}

output "key_id" {
  value = confluent_api_key.team.id
}
`;
}

function hclRoot(i: number): string {
  return `provider "confluent" {}

resource "confluent_service_account" "app" {
  display_name = "app-${i}"
}

module "orders" {
  source   = "../../modules/m${2 * i}"
  owner_id = confluent_service_account.app.id
  cluster  = { id = "lkc-${i}", rest_endpoint = "https://lkc-${i}.example:443" }
}

module "payments" {
  source   = "../../modules/m${2 * i + 1}"
  owner_id = confluent_service_account.app.id
  cluster  = { id = "lkc-${i}", rest_endpoint = "https://lkc-${i}.example:443" }
}

output "orders_key" {
  value = module.orders.key_id
}
`;
}

/** Writes the tree; returns every .tf file (for the parse-only side). */
export function generateHclTree(dir: string, roots: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < roots; i++) {
    const root = join(dir, "live", `r${i}`);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "main.tf"), hclRoot(i));
    files.push(join(root, "main.tf"));
  }
  for (let m = 0; m < 2 * roots; m++) {
    const mod = join(dir, "modules", `m${m}`);
    mkdirSync(mod, { recursive: true });
    writeFileSync(join(mod, "main.tf"), hclModule(m));
    files.push(join(mod, "main.tf"));
  }
  return files;
}

/**
 * The fan-out tree: a root calling m0 twice, each m<i> calling m<i+1> twice, `depth` levels (2^depth instances
 * in Terraform). keykit parses each of the depth + 1 files once and stops at MAX_MODULE_INSTANCES with a note.
 */
export function generateFanOutTree(dir: string, depth: number): string[] {
  const files: string[] = [];
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "main.tf"), text);
    files.push(join(dir, name, "main.tf"));
  };
  const calls = (next: string) =>
    ["left", "right"]
      .map(
        (side) =>
          `module "${side}" {\n  source   = "../${next}"\n  owner_id = "sa-1"\n  cluster  = { id = "lkc-1", rest_endpoint = "https://lkc-1.example:443" }\n}\n`,
      )
      .join("");
  write("root", calls("m0"));
  for (let i = 0; i < depth; i++) write(`m${i}`, `${i + 1 < depth ? calls(`m${i + 1}`) : ""}${hclModule(i)}`);
  return files;
}

// ------------------------------------------------------------------------------------------------------------
// Plan generator

type Json = Record<string, unknown>;

function keyValues(i: number, owner: string, cluster: string): Json {
  return {
    description: "",
    disable_wait_for_ready: false,
    display_name: `app-${i}`,
    id: `KEY${String(i).padStart(13, "0")}`,
    managed_resource: [{ api_version: "cmk/v2", environment: [{ id: "env-bench" }], id: cluster, kind: "Cluster" }],
    owner: [{ api_version: "iam/v2", id: owner, kind: owner.startsWith("u-") ? "User" : "ServiceAccount" }],
    secret: `${SECRET}${i}`,
  };
}
const KEY_SENSITIVE = { managed_resource: [{ environment: [{}] }], owner: [{}], secret: true };

function stateResource(address: string, type: string, values: Json, sensitive: Json = {}): Json {
  const [, name] = address.split(".");
  return {
    address,
    mode: "managed",
    type,
    name,
    provider_name: PROVIDER,
    schema_version: 0,
    values,
    sensitive_values: sensitive,
  };
}

export function generatePlan(keys: number): Json {
  const accounts = Math.max(1, Math.floor(keys / 2));
  const changes: Json[] = [];
  const prior: Json[] = [];
  const planned: Json[] = [];
  const config: Json[] = [];
  const change = (
    address: string,
    type: string,
    actions: string[],
    before: Json | null,
    after: Json | null,
    sensitive: Json,
    extra: Json = {},
  ) => {
    const [, name] = address.split(".");
    changes.push({
      address,
      mode: "managed",
      type,
      name,
      provider_name: PROVIDER,
      change: {
        actions,
        before,
        after,
        after_unknown: after && actions.includes("create") ? { id: true, secret: true } : {},
        before_sensitive: before ? sensitive : false,
        after_sensitive: after ? sensitive : false,
        ...(extra.replace_paths ? { replace_paths: extra.replace_paths } : {}),
      },
      ...(extra.action_reason ? { action_reason: extra.action_reason } : {}),
    });
  };
  for (let a = 0; a < accounts; a++) {
    const address = `confluent_service_account.sa_${a}`;
    const values = {
      api_version: "iam/v2",
      description: "",
      display_name: `sa-${a}`,
      id: `sa-${a}`,
      kind: "ServiceAccount",
    };
    prior.push(stateResource(address, "confluent_service_account", values));
    planned.push(stateResource(address, "confluent_service_account", values));
    change(address, "confluent_service_account", ["no-op"], values, values, {});
    config.push({
      address,
      mode: "managed",
      type: "confluent_service_account",
      name: `sa_${a}`,
      provider_config_key: "confluent",
      expressions: { display_name: { constant_value: `sa-${a}` } },
      schema_version: 0,
    });
    const rb = `confluent_role_binding.rb_${a}`;
    const rbValues = {
      crn_pattern: `crn://confluent.cloud/kafka=lkc-${a % 20}/topic=t${a}`,
      disable_wait_for_ready: false,
      id: `rb-${a}`,
      principal: `User:sa-${a}`,
      role_name: "DeveloperWrite",
    };
    prior.push(stateResource(rb, "confluent_role_binding", rbValues));
    planned.push(stateResource(rb, "confluent_role_binding", rbValues));
    change(rb, "confluent_role_binding", ["no-op"], rbValues, rbValues, {});
    config.push({
      address: rb,
      mode: "managed",
      type: "confluent_role_binding",
      name: `rb_${a}`,
      provider_config_key: "confluent",
      expressions: {
        principal: { references: [`confluent_service_account.sa_${a}.id`, `confluent_service_account.sa_${a}`] },
        role_name: { constant_value: "DeveloperWrite" },
      },
      schema_version: 0,
    });
  }
  for (let i = 0; i < keys; i++) {
    const address = `confluent_api_key.key_${i}`;
    const owner = i % 100 === 7 ? `u-user${i}` : `sa-${i % accounts}`;
    const cluster = `lkc-${i % 20}`;
    const before = keyValues(i, owner, cluster);
    const kind = i % 200;
    if (kind === 1) {
      // create: no prior state, id and secret unknown until apply
      const after = keyValues(i, owner, cluster);
      delete after.id;
      delete after.secret;
      planned.push(stateResource(address, "confluent_api_key", after, KEY_SENSITIVE));
      change(address, "confluent_api_key", ["create"], null, after, KEY_SENSITIVE);
    } else if (kind === 2) {
      prior.push(stateResource(address, "confluent_api_key", before, KEY_SENSITIVE));
      change(address, "confluent_api_key", ["delete"], before, null, KEY_SENSITIVE, {
        action_reason: "delete_because_no_resource_config",
      });
      continue;
    } else if (kind === 3) {
      const after = keyValues(i, `sa-${(i + 1) % accounts}`, cluster);
      delete after.id;
      delete after.secret;
      prior.push(stateResource(address, "confluent_api_key", before, KEY_SENSITIVE));
      planned.push(stateResource(address, "confluent_api_key", after, KEY_SENSITIVE));
      change(address, "confluent_api_key", ["delete", "create"], before, after, KEY_SENSITIVE, {
        action_reason: "replace_because_cannot_update",
        replace_paths: [["owner", 0, "id"]],
      });
    } else {
      prior.push(stateResource(address, "confluent_api_key", before, KEY_SENSITIVE));
      planned.push(stateResource(address, "confluent_api_key", before, KEY_SENSITIVE));
      change(address, "confluent_api_key", ["no-op"], before, before, KEY_SENSITIVE);
    }
    const ownerExpr = owner.startsWith("u-")
      ? { references: [`data.confluent_user.u_${i}.id`, `data.confluent_user.u_${i}`] }
      : {
          references: [
            `confluent_service_account.sa_${i % accounts}.id`,
            `confluent_service_account.sa_${i % accounts}`,
          ],
        };
    config.push({
      address,
      mode: "managed",
      type: "confluent_api_key",
      name: `key_${i}`,
      provider_config_key: "confluent",
      expressions: {
        display_name: { constant_value: `app-${i}` },
        owner: [
          {
            api_version: { constant_value: "iam/v2" },
            id: ownerExpr,
            kind: { constant_value: owner.startsWith("u-") ? "User" : "ServiceAccount" },
          },
        ],
        managed_resource: [
          {
            api_version: { constant_value: "cmk/v2" },
            id: { constant_value: cluster },
            kind: { constant_value: "Cluster" },
            environment: [{ id: { constant_value: "env-bench" } }],
          },
        ],
      },
      schema_version: 0,
    });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources: planned } },
    resource_drift: [],
    resource_changes: changes,
    output_changes: {},
    prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: prior } } },
    configuration: {
      provider_config: { confluent: { name: "confluent", full_name: PROVIDER } },
      root_module: { resources: config },
    },
    relevant_attributes: [],
    timestamp: "2026-11-28T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
}

// ------------------------------------------------------------------------------------------------------------
// Child: one side, timed in-process

interface Sample {
  readonly side: Side;
  readonly keys: number;
  readonly medianMs: number;
  readonly runsMs: number[];
  /** CPU time (user + system, all threads incl. GC) of the same runs: steadier than wall time on a shared machine. */
  readonly cpuMs: number[];
  readonly peakRssMb: number;
  readonly findings?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Side = "parse" | "check" | "hcl-parse" | "hcl-check";

/** HCL sides: parse every file of the tree with @cdktf/hcl2json alone, or run the whole check of the tree. */
async function hclRun(side: "hcl-parse" | "hcl-check", dir: string): Promise<number | undefined> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parse } = require("@cdktf/hcl2json") as typeof import("@cdktf/hcl2json");
  const { readInputs } = require("../policies/loaders/input") as typeof import("../policies/loaders/input");
  const { evaluate } = require("../policies/engine") as typeof import("../policies/engine");
  const { ALL_RULES } = require("../policies/rules") as typeof import("../policies/rules");
  const { formatReport } = require("../policies/reporters") as typeof import("../policies/reporters");
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (side === "hcl-parse") {
    const files = readFileSync(join(dir, "files.txt"), "utf8").split("\n").filter(Boolean);
    for (const f of files) await parse(f, readFileSync(f, "utf8"));
    return undefined;
  }
  const models = await readInputs([dir]);
  const report = evaluate(models, ALL_RULES, [], { now: "2026-11-28T00:00:00Z" });
  formatReport(report, "json", ALL_RULES);
  return report.findings.length;
}

async function child(side: Side, file: string, keys: number, reps: number): Promise<Sample> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { readInputs } = require("../policies/loaders/input") as typeof import("../policies/loaders/input");
  const { evaluate } = require("../policies/engine") as typeof import("../policies/engine");
  const { ALL_RULES } = require("../policies/rules") as typeof import("../policies/rules");
  const { formatReport } = require("../policies/reporters") as typeof import("../policies/reporters");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const runs: number[] = [];
  const cpu: number[] = [];
  let findings: number | undefined;
  for (let r = 0; r <= reps; r++) {
    // Start every run from a collected heap: otherwise the warm-up's garbage (GBs at 50,000 keys) is marked during
    // the timed run and the larger size pays for it twice.
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (side === "hcl-parse" || side === "hcl-check") {
      findings = await hclRun(side, file);
    } else if (side === "parse") {
      JSON.parse(readFileSync(file, "utf8"));
    } else {
      // What `keykit check <file> --format json` does, minus process start-up.
      const models = await readInputs([file]);
      const report = evaluate(models, ALL_RULES, [], { now: "2026-11-28T00:00:00Z" });
      const text = formatReport(report, "json", ALL_RULES);
      if (text.includes(SECRET)) throw new Error("the report contains a planted secret");
      findings = report.findings.length;
    }
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (r > 0) {
      runs.push(ms); // r = 0 is the warm-up
      cpu.push((c.user + c.system) / 1000);
    }
  }
  return {
    side,
    keys,
    cpuMs: cpu,
    medianMs: median(runs),
    runsMs: runs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(findings !== undefined ? { findings } : {}),
  };
}

function runChild(side: Side, file: string, keys: number, reps: number): Sample {
  const r = spawnSync(
    process.execPath,
    ["--max-old-space-size=8192", "--expose-gc", __filename, "--child", side, file, String(keys), String(reps)],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`child ${side} failed: ${r.stderr.split("\n")[0]}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Sample;
}

/** Wall time of a whole process (median of `reps`), for the CLI-vs-jq comparison. */
function processMs(command: string, args: string[]): number {
  const t0 = performance.now();
  // Both programs write to /dev/null: the comparison is about reading and judging, not about pipes.
  const p = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - t0;
  if (p.status !== 0 && p.status !== 1) throw new Error(`${command} exited ${p.status}: ${p.stderr.split("\n")[0]}`);
  return ms;
}

function hasJq(): boolean {
  return spawnSync("jq", ["--version"], { encoding: "utf8" }).status === 0;
}

/** Only the user-owner rule: managed keys that exist after apply and are owned by a user. */
const JQ_FILTER =
  '[.resource_changes[] | select(.type == "confluent_api_key" and .mode == "managed") | select(.change.actions != ["delete"]) | select((.change.after.owner[0].kind // "") == "User" or ((.change.after.owner[0].id // "") | startswith("u-"))) | .address] | length';

// ------------------------------------------------------------------------------------------------------------
// Whole processes: what a pre-commit hook or a CI step waits for.

/** The generated plan at one key (a service account, its role binding, the key): the start-up case. */
const tinyPlan = (): Json => generatePlan(1);

/** Runs `commands` in `rounds` interleaved rounds (one of each per round); the median wall time of each. */
function interleavedMedians(commands: readonly (readonly string[])[], rounds: number): number[] {
  const times = commands.map(() => [] as number[]);
  for (const c of commands) processMs(c[0], c.slice(1)); // warm the file cache
  for (let r = 0; r < rounds; r++) commands.forEach((c, i) => times[i].push(processMs(c[0], c.slice(1))));
  return times.map(median);
}

interface ProcessFigures {
  readonly nodeMs: number;
  readonly tinyMs: number;
  readonly parseMs: number;
  readonly bigMs: number;
  readonly jqMs?: number;
  readonly baseline?: { readonly tinyMs: number; readonly bigMs: number };
}

function processBench(bigPlan: string, rounds: number, baseline: string | undefined): ProcessFigures {
  const tiny = join(DIR, "plan-tiny.json");
  writeFileSync(tiny, JSON.stringify(tinyPlan()));
  const node = process.execPath;
  const bins = [join(DIST, "cli", "main.js"), ...(baseline ? [join(resolve(baseline), "cli", "main.js")] : [])];
  const parseScript = `JSON.parse(require("node:fs").readFileSync(${JSON.stringify(bigPlan)}, "utf8"))`;
  const commands: string[][] = [
    [node, "-e", "0"],
    [node, "-e", parseScript],
    ...bins.flatMap((bin) => [
      [node, bin, "check", tiny, "--format", "json"],
      [node, bin, "check", bigPlan, "--format", "json"],
    ]),
    ...(hasJq() ? [["jq", JQ_FILTER, bigPlan]] : []),
  ];
  const m = interleavedMedians(commands, rounds);
  return {
    nodeMs: m[0],
    parseMs: m[1],
    tinyMs: m[2],
    bigMs: m[3],
    ...(baseline ? { baseline: { tinyMs: m[4], bigMs: m[5] } } : {}),
    ...(hasJq() ? { jqMs: m[m.length - 1] } : {}),
  };
}

function printProcessFigures(f: ProcessFigures, rounds: number): void {
  const above = f.tinyMs - f.nodeMs;
  const ratio = f.bigMs / f.parseMs;
  console.log("");
  console.log(`whole processes of the built bin (${rounds} interleaved rounds, medians):`);
  console.log(
    `  keykit check, tiny plan: ${f.tinyMs.toFixed(0)} ms vs node -e 0 ${f.nodeMs.toFixed(0)} ms = ${above.toFixed(0)} ms above (target <= 40, moonshot <= 20) ${above <= 40 ? "OK" : "MISSED"}`,
  );
  console.log(
    `  keykit check, 10,000-key plan: ${f.bigMs.toFixed(0)} ms vs node reading + JSON.parse ${f.parseMs.toFixed(0)} ms = ${ratio.toFixed(2)}x (target <= 1.5, moonshot <= 1.0) ${ratio <= 1.5 ? "OK" : "MISSED"}`,
  );
  if (f.jqMs !== undefined)
    console.log(
      `  jq user-owner filter, same plan: ${f.jqMs.toFixed(0)} ms (keykit ${(f.jqMs / f.bigMs).toFixed(2)}x faster)`,
    );
  else console.log("  jq skipped: jq is not installed (apt-get install -y jq)");
  if (f.baseline)
    console.log(
      `  baseline bin: tiny ${f.baseline.tinyMs.toFixed(0)} ms (${(f.baseline.tinyMs - f.nodeMs).toFixed(0)} ms above node), 10,000 keys ${f.baseline.bigMs.toFixed(0)} ms (${(f.baseline.bigMs / f.parseMs).toFixed(2)}x parse)`,
    );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    const sample = await child(args[1] as Side, args[2], Number(args[3]), Number(args[4]));
    process.stdout.write(`${JSON.stringify(sample)}\n`);
    return;
  }
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : args[i + 1];
  };
  const rounds = Number(flag("--process-rounds", "7"));
  const baseline = args.includes("--baseline") ? flag("--baseline", "") : undefined;
  if (flag("--only", "") === "process") {
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, "plan-10000.json");
    writeFileSync(file, JSON.stringify(generatePlan(10000)));
    printProcessFigures(processBench(file, rounds, baseline), rounds);
    return;
  }
  // `--sizes 0` skips the plan cases (the HCL cases alone).
  const sizes = flag("--sizes", "10000,50000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const reps = Number(flag("--reps", "5"));
  mkdirSync(DIR, { recursive: true });
  const results: {
    keys: number;
    mb: number;
    parse: Sample;
    check: Sample;
    cli?: number;
    jq?: number;
    jqUsers?: number;
  }[] = [];
  const jq = hasJq();
  for (const keys of sizes) {
    const file = join(DIR, `plan-${keys}.json`);
    writeFileSync(file, JSON.stringify(generatePlan(keys)));
    const mb = statSync(file).size / 1024 / 1024;
    // The sides alternate, one timed run per child (after its own warm-up), so a burst of load on the shared
    // machine hits both sides alike.
    const parseRuns: Sample[] = [];
    const checkRuns: Sample[] = [];
    for (let r = 0; r < reps; r++) {
      parseRuns.push(runChild("parse", file, keys, 1));
      checkRuns.push(runChild("check", file, keys, 1));
    }
    const merge = (xs: Sample[]): Sample => {
      const runsMs = xs.flatMap((x) => x.runsMs);
      return {
        ...xs[0],
        runsMs,
        medianMs: median(runsMs),
        cpuMs: xs.flatMap((x) => x.cpuMs),
        peakRssMb: Math.max(...xs.map((x) => x.peakRssMb)),
      };
    };
    const parse = merge(parseRuns);
    const check = merge(checkRuns);
    const row: (typeof results)[number] = { keys, mb, parse, check };
    if (jq) {
      const cliRuns: number[] = [];
      const jqRuns: number[] = [];
      const cliArgs = [join(DIST, "cli", "main.js"), "check", file, "--format", "json"];
      processMs(process.execPath, cliArgs); // warm the file cache for both
      for (let r = 0; r < reps; r++) {
        cliRuns.push(processMs(process.execPath, cliArgs));
        jqRuns.push(processMs("jq", [JQ_FILTER, file]));
      }
      row.cli = median(cliRuns);
      row.jq = median(jqRuns);
      row.jqUsers = Number(spawnSync("jq", [JQ_FILTER, file], { encoding: "utf8", maxBuffer: 1 << 20 }).stdout.trim());
    }
    results.push(row);
  }
  const f = (n: number) => n.toFixed(0).padStart(7);
  console.log(
    `keykit check benchmark (${reps} alternating runs per side, each in a fresh child after a warm-up; medians; ${new Date().toISOString()})`,
  );
  console.log(
    "   keys  accounts   file MB   parse ms  check ms  ratio  parse RSS MB  check RSS MB  findings  cli ms    jq ms",
  );
  for (const r of results) {
    console.log(
      `${String(r.keys).padStart(7)}  ${String(Math.floor(r.keys / 2)).padStart(8)}  ${r.mb.toFixed(1).padStart(8)}  ${f(r.parse.medianMs)}   ${f(r.check.medianMs)}  ${(r.check.medianMs / r.parse.medianMs).toFixed(2).padStart(5)}  ${f(r.parse.peakRssMb)}       ${f(r.check.peakRssMb)}       ${String(r.check.findings).padStart(7)}  ${r.cli !== undefined ? f(r.cli) : "      -"}  ${r.jq !== undefined ? f(r.jq) : "      -"}`,
    );
  }
  if (results.length > 0) {
    const first = results[0];
    const last = results[results.length - 1];
    const ratio = first.check.medianMs / first.parse.medianMs;
    console.log("");
    console.log(
      `check / JSON.parse at ${first.keys} keys: ${ratio.toFixed(2)}x (target <= 1.6) ${ratio <= 1.6 ? "OK" : "MISSED"}`,
    );
    for (const r of results) {
      const cpuRatio = median(r.check.cpuMs) / median(r.parse.cpuMs);
      console.log(
        `  ${r.keys} keys: wall ${(r.check.medianMs / r.parse.medianMs).toFixed(2)}x, CPU time (user+system) ${cpuRatio.toFixed(2)}x; runs parse ${r.parse.runsMs.map((x) => x.toFixed(0)).join("/")} ms, check ${r.check.runsMs.map((x) => x.toFixed(0)).join("/")} ms`,
      );
    }
    if (first.cli !== undefined && first.jq !== undefined) {
      const vs = first.jq / first.cli;
      console.log(
        `keykit check (process) vs jq user-owner filter at ${first.keys} keys: ${first.cli.toFixed(0)} ms vs ${first.jq.toFixed(0)} ms, keykit ${vs.toFixed(2)}x faster (target > 1) ${vs > 1 ? "OK" : "MISSED"} (jq counted ${first.jqUsers} user-owned keys)`,
      );
    } else {
      console.log("jq comparison skipped: jq is not installed (apt-get install -y jq)");
    }
    if (results.length > 1) {
      const growth = last.check.medianMs / first.check.medianMs;
      console.log(
        `growth ${first.keys} -> ${last.keys} keys (${(last.keys / first.keys).toFixed(0)}x input): ${growth.toFixed(2)}x time (target <= 5.5) ${growth <= 5.5 ? "OK" : "MISSED"}; peak RSS ${first.check.peakRssMb.toFixed(0)} -> ${last.check.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  printProcessFigures(processBench(join(DIR, `plan-${sizes[0]}.json`), rounds, baseline), rounds);
  const roots = Number(flag("--hcl-roots", "200"));
  if (roots > 0) hclBench(roots, reps);
  const depth = Number(flag("--fanout-depth", "30"));
  if (depth > 0) fanOutBench(depth, reps);
}

/** Parse-only and check runs of an HCL tree (each side in its own process): wall and CPU times. */
function hclSides(
  dir: string,
  reps: number,
): { parse: number[]; check: number[]; parseCpu: number[]; checkCpu: number[]; findings?: number } {
  const out = { parse: [] as number[], check: [] as number[], parseCpu: [] as number[], checkCpu: [] as number[] };
  let findings: number | undefined;
  for (let r = 0; r < reps; r++) {
    const p = runChild("hcl-parse", dir, 0, 1);
    out.parse.push(...p.runsMs);
    out.parseCpu.push(...p.cpuMs);
    const c = runChild("hcl-check", dir, 0, 1);
    out.check.push(...c.runsMs);
    out.checkCpu.push(...c.cpuMs);
    findings = c.findings;
  }
  return { ...out, findings };
}

/** `CPU time (user+system) 1.23x`: steadier than wall time when other processes share the cores. */
function cpuRatio(sides: { parseCpu: number[]; checkCpu: number[] }): string {
  return `CPU time (user+system) ${(median(sides.checkCpu) / median(sides.parseCpu)).toFixed(2)}x`;
}

/** The fan-out case: linear in files (one parse each), bounded in instances; reported, no target beyond finishing. */
function fanOutBench(depth: number, reps: number): void {
  const dir = join(DIR, `fanout-${depth}`);
  mkdirSync(dir, { recursive: true });
  const files = generateFanOutTree(dir, depth);
  writeFileSync(join(dir, "files.txt"), files.join("\n"));
  const sides = hclSides(dir, reps);
  const { parse, check, findings } = sides;
  console.log(
    `HCL fan-out of depth ${depth} (${files.length} files, each module calling the next twice: 2^${depth} instances in Terraform, followed up to the instance cap): check ${median(check).toFixed(0)} ms vs hcl2json parse alone ${median(parse).toFixed(0)} ms = ${(median(check) / median(parse)).toFixed(2)}x, ${cpuRatio(sides)}; ${findings} findings; runs check ${check.map((x) => x.toFixed(0)).join("/")} ms`,
  );
}

/** The HCL tree case: `keykit check <tree>` vs @cdktf/hcl2json parsing the same files alone (target <= 1.5x). */
function hclBench(roots: number, reps: number): void {
  const dir = join(DIR, `hcl-${roots}`);
  mkdirSync(dir, { recursive: true });
  const files = generateHclTree(dir, roots);
  writeFileSync(join(dir, "files.txt"), files.join("\n"));
  const sides = hclSides(dir, reps);
  const { parse, check, findings } = sides;
  const ratio = median(check) / median(parse);
  console.log("");
  console.log(
    `HCL tree of ${roots} roots + ${2 * roots} local modules (${files.length} files): check ${median(check).toFixed(0)} ms vs hcl2json parse alone ${median(parse).toFixed(0)} ms = ${ratio.toFixed(2)}x (target <= 1.5) ${ratio <= 1.5 ? "OK" : "MISSED"}, ${cpuRatio(sides)}; ${findings} findings; runs parse ${parse.map((x) => x.toFixed(0)).join("/")}, check ${check.map((x) => x.toFixed(0)).join("/")} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
