/**
 * Audit benchmark (issue 5): `keykit audit` of a generated organisation — 50,000 API keys and 10,000 service
 * accounts — against a matching configuration (the Terraform state JSON of the same keys), compared with
 * `JSON.parse` of the same input files in the same kind of process.
 *
 * The inventory mixes the two export shapes: half the keys as Cloud API pages (100 per page, a JSON array of
 * pages), half as the CLI list (Kafka keys on two clusters appear twice, once per resource); service accounts as
 * Cloud API pages. A secret is planted in every export entry and state key, so the run also exercises redaction.
 * About 1% of keys are unmanaged, stale or user-owned, so the report and the cleanup script are not empty.
 *
 * Each side runs in its own child process (peak memory = that side's maxRSS): one warm-up, then `--reps` timed
 * runs, the sides alternating for --rounds rounds; the parent reports medians (wall and CPU time) and the ratio
 * audit / JSON.parse (target ≤ 2.5).
 *
 * The audit-log case (issue 11): `--log-records` (1,000,000) Confluent audit-log authentication records for 50,000
 * keys, both CloudEvents shapes, out of time order, ~5% failures, as JSON lines (several hundred MB) in .tmp/. The
 * reader `keykit audit --audit-log` runs (streamed, per-key last success / failure, coverage) against reading the
 * same file line by line (node:readline) with `JSON.parse` of each line: target ≤ 1.5× and peak RSS ≤ 300 MB.
 *
 *   npm run bench:audit                                   # both cases
 *   node .tmp/bench-dist/bench/audit.js --keys 50000 --accounts 10000 --reps 5 --rounds 3
 *   node .tmp/bench-dist/bench/audit.js --case audit-log --log-records 1000000 --log-reps 2 --log-rounds 2
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createInterface } from "node:readline";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { kafkaAuthenticationRecord, schemaRegistryAuthenticationRecord } from "./audit-log-records";
import { stateResource } from "./state-json";

const ROOT = resolve(__dirname, "..", "..", "..");
const DIR = join(ROOT, ".tmp", "bench-audit");
const NOW = "2026-06-01T00:00:00Z";
const FRESH = "2026-05-01T00:00:00Z";
const SECRET = "bench-planted-secret-0123456789abcdef0123456789abcdef0123456789ab";

interface Files {
  readonly inventory: string[];
  readonly config: string[];
}

type Side = "parse" | "audit" | "log-parse" | "log-read";

interface Sample {
  readonly side: Side;
  readonly medianMs: number;
  readonly runsMs: number[];
  /** CPU time (user + system, all threads) per run: steadier than wall time on a shared machine. */
  readonly cpuRunsMs: number[];
  readonly peakRssMb: number;
  readonly findings?: number;
  readonly cleanupLines?: number;
  /** Audit-log sides: records read, and keys found (reader only). */
  readonly records?: number;
  readonly keys?: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function generate(keys: number, accounts: number): Files {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const apiPages: unknown[] = [];
  let page: unknown[] = [];
  const cliRows: unknown[] = [];
  const stateResources: unknown[] = [];
  for (let a = 0; a < accounts; a++) {
    stateResources.push(
      stateResource("confluent_service_account", `app_${a}`, {
        id: `sa-${a}`,
        display_name: `app-${a}`,
        description: "bench",
        api_version: "iam/v2",
        kind: "ServiceAccount",
      }),
    );
    stateResources.push(
      stateResource("confluent_role_binding", `app_${a}`, {
        id: `rb-${a}`,
        principal: `User:sa-${a}`,
        role_name: "DeveloperWrite",
        crn_pattern: `crn://x/topic=t${a}`,
      }),
    );
  }
  for (let k = 0; k < keys; k++) {
    const id = `K${String(k).padStart(15, "0")}`;
    const odd = k % 100 === 0; // 1%: unmanaged and stale, or user-owned
    const owner = odd && k % 200 === 0 ? `u-${k}` : `sa-${k % accounts}`;
    const created = odd ? "2024-01-01T00:00:00Z" : FRESH;
    const cluster = `lkc-${(k % 5) + Math.floor(k / accounts) * 5}`; // ≤ 1 key per owner and cluster
    const description = `Managed by keykit (bench/App${k})`;
    if (k % 2 === 0) {
      page.push({
        api_version: "iam/v2",
        kind: "ApiKey",
        id,
        metadata: { created_at: created, updated_at: created },
        spec: {
          display_name: `app-${k} key`,
          description,
          owner: { id: owner, api_version: "iam/v2", kind: owner.startsWith("u-") ? "User" : "ServiceAccount" },
          resource: { id: cluster, api_version: "cmk/v2", kind: "Cluster" },
          secret: SECRET,
        },
      });
      if (page.length === 100) {
        apiPages.push({
          api_version: "iam/v2",
          kind: "ApiKeyList",
          metadata: { next: "https://api.confluent.cloud/iam/v2/api-keys?page_token=x" },
          data: page,
        });
        page = [];
      }
    } else {
      const row = {
        key: id,
        description,
        owner,
        owner_email: owner.startsWith("u-") ? "x@example.com" : "<service account>",
        resource_type: "kafka",
        resource: cluster,
        created,
        secret: SECRET,
      };
      cliRows.push(row);
      if (k % 10 === 1) cliRows.push({ ...row, resource_type: "", resource: `lsrc-${k}` }); // listed once per resource
    }
    if (!odd) {
      stateResources.push({
        ...stateResource("confluent_api_key", `app_${k}`, {
          id,
          secret: SECRET,
          display_name: `app-${k} key`,
          description,
          owner: [{ id: owner, api_version: "iam/v2", kind: "ServiceAccount" }],
          managed_resource: [{ id: cluster, api_version: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] }],
        }),
        sensitive_values: { secret: true },
      });
    }
  }
  apiPages.push({ api_version: "iam/v2", kind: "ApiKeyList", metadata: { next: "" }, data: page });
  const saPages: unknown[] = [];
  for (let a = 0; a < accounts; a += 100) {
    const data = [];
    for (let b = a; b < Math.min(a + 100, accounts); b++) {
      data.push({
        api_version: "iam/v2",
        kind: "ServiceAccount",
        id: `sa-${b}`,
        metadata: { created_at: FRESH },
        display_name: `app-${b}`,
        description: "bench",
      });
    }
    saPages.push({
      api_version: "iam/v2",
      kind: "ServiceAccountList",
      metadata: { next: a + 100 < accounts ? "https://x/next" : "" },
      data,
    });
  }
  const write = (name: string, value: unknown) => {
    const path = join(DIR, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  return {
    inventory: [
      write("api-keys.pages.json", apiPages),
      write("cli-api-keys.json", cliRows),
      write("service-accounts.pages.json", saPages),
    ],
    config: [
      write("terraform.state.json", {
        format_version: "1.0",
        terraform_version: "1.11.0",
        values: { root_module: { resources: stateResources } },
      }),
    ],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function childMain(side: Side, reps: number, files: Files): Promise<Sample> {
  if (side === "log-parse" || side === "log-read") return logChild(side, reps, files.inventory[0]);
  const all = [...files.inventory, ...files.config];
  const runsMs: number[] = [];
  const cpuRunsMs: number[] = [];
  const record = (t0: number, c0: NodeJS.CpuUsage) => {
    runsMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuRunsMs.push((c.user + c.system) / 1000);
  };
  let findings = 0;
  let cleanupLines = 0;
  if (side === "parse") {
    for (let r = 0; r <= reps; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const file of all) JSON.parse(readFileSync(file, "utf8"));
      if (r > 0) record(t0, c0);
    }
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createAuditCommand } = require("../cli/commands/audit") as typeof import("../cli/commands/audit");
    const command = createAuditCommand();
    const report = join(DIR, "report.json");
    const script = join(DIR, "cleanup.sh");
    const rotationFile = join(DIR, "keykit.rotation.json");
    writeFileSync(rotationFile, JSON.stringify({ version: 1, keys: {} }));
    const argv = [
      ...["--inventory", ...files.inventory, "--config", ...files.config, "--now", NOW, "--format", "json"],
      ...["--output", report, "--emit-cleanup", script, "--rotation-state", rotationFile],
    ];
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: ROOT, env: {}, isTty: false };
    for (let r = 0; r <= reps; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const code = await command(argv, io);
      if (r > 0) record(t0, c0);
      if (code !== 1) throw new Error(`audit exited ${code}; expected 1 (findings)`);
    }
    const text = readFileSync(report, "utf8");
    const cleanup = readFileSync(script, "utf8");
    if (text.includes(SECRET) || cleanup.includes(SECRET)) throw new Error("a planted secret reached the output");
    findings = (JSON.parse(text) as { findings: unknown[] }).findings.length;
    cleanupLines = cleanup.split("\n").filter((l) => l.startsWith("confluent ")).length;
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { side, medianMs: median(runsMs), runsMs, cpuRunsMs, peakRssMb, findings, cleanupLines };
}

function runChild(side: Side, reps: number, files: Files): Sample {
  const args = [__filename, "--child", side, "--reps", String(reps), "--files", JSON.stringify(files)];
  const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${side} child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Sample;
}

function combine(samples: Sample[]): Sample {
  const runsMs = samples.flatMap((s) => s.runsMs);
  return {
    ...samples[0],
    runsMs,
    cpuRunsMs: samples.flatMap((s) => s.cpuRunsMs),
    medianMs: median(runsMs),
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

async function main(): Promise<void> {
  const reps = arg("--reps", 5);
  const childSide = process.argv.includes("--child")
    ? (process.argv[process.argv.indexOf("--child") + 1] as Side)
    : undefined;
  if (childSide) {
    const files = JSON.parse(process.argv[process.argv.indexOf("--files") + 1]) as Files;
    process.stdout.write(JSON.stringify(await childMain(childSide, reps, files)));
    return;
  }
  const which = process.argv.includes("--case") ? process.argv[process.argv.indexOf("--case") + 1] : "all";
  if (which === "all" || which === "inventory") inventoryCase(reps);
  if (which === "all" || which === "audit-log") auditLogCase();
}

function inventoryCase(reps: number): void {
  const keys = arg("--keys", 50_000);
  const accounts = arg("--accounts", 10_000);
  const rounds = arg("--rounds", 3);
  const files = generate(keys, accounts);
  const mb = (f: string) => statSync(f).size / 1e6;
  const inputMb = [...files.inventory, ...files.config].reduce((sum, f) => sum + mb(f), 0);
  // Alternate the sides over several rounds, so a busy moment on a shared machine hits both.
  const parses: Sample[] = [];
  const audits: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    parses.push(runChild("parse", reps, files));
    audits.push(runChild("audit", reps, files));
  }
  const parse = combine(parses);
  const audit = combine(audits);
  const ratio = audit.medianMs / parse.medianMs;
  const cpuRatio = median(audit.cpuRunsMs) / median(parse.cpuRunsMs);
  const line = (s: Sample) =>
    `median ${s.medianMs.toFixed(0)} ms wall, ${median(s.cpuRunsMs).toFixed(0)} ms CPU (runs ${s.runsMs.map((v) => v.toFixed(0)).join(", ")}), peak RSS ${s.peakRssMb.toFixed(0)} MB`;
  console.log(
    `keykit audit benchmark: ${keys} keys, ${accounts} service accounts, ${inputMb.toFixed(1)} MB of JSON input, ${rounds} rounds x ${reps} timed runs`,
  );
  console.log(`  JSON.parse of the inputs:               ${line(parse)}`);
  console.log(`  keykit audit (report + cleanup script): ${line(audit)}`);
  console.log(`  findings ${audit.findings}, cleanup commands ${audit.cleanupLines}`);
  const verdict = ratio <= 2.5 ? "OK" : "OVER TARGET";
  console.log(
    `  ratio audit / JSON.parse: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU (target <= 2.5x) ${verdict}`,
  );
  if (!process.argv.includes("--keep")) rmSync(DIR, { recursive: true, force: true });
}

// ----- the audit-log case -----

const LOG_ORG = "crn://confluent.cloud/organization=2f6a1c3e-8b4d-4e7f-9a0b-c1d2e3f4a5b6";

/** One authentication record: the Kafka shape (85%) or the cloudResources shape of Schema Registry (15%). */
function logRecord(n: number, keys: number, start: number): string {
  const fields = {
    key: `K${String((n * 7919) % keys).padStart(15, "0")}`,
    // Partitions interleave: times jump back and forth within a 30-day window.
    time: new Date(start + ((n * 104729) % 2_592_000) * 1000).toISOString(),
    status: n % 20 !== 7 ? "SUCCESS" : "UNAUTHENTICATED",
    serviceAccount: `sa-${n % 10_000}`,
  };
  if (n % 20 < 17) {
    const cluster = `lkc-${(n % 5) + 1}x9q`;
    return JSON.stringify(
      kafkaAuthenticationRecord({
        ...fields,
        id: `0f7c${n.toString(16).padStart(12, "0")}-auth`,
        crn: `${LOG_ORG}/environment=env-q8d4k1/cloud-cluster=${cluster}/kafka=${cluster}`,
        clientAddress: `/10.${n % 250}.${(n >> 8) % 250}.7`,
      }),
    );
  }
  return JSON.stringify(
    schemaRegistryAuthenticationRecord({
      ...fields,
      id: `a41d${n.toString(16).padStart(12, "0")}-sg`,
      subject: `${LOG_ORG}/environment=env-q8d4k1/schema-registry=lsrc-3m9wq0`,
      cloudResource: { resource: { type: "SCHEMA_REGISTRY", resourceId: "lsrc-3m9wq0" } },
      requestId: `r${n}`,
      clientIp: `198.51.100.${n % 250}`,
    }),
  );
}

/** Writes the JSON-lines export in batches (the generator must not hold the file in memory either). */
function generateAuditLog(records: number, keys: number): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, "audit-log.jsonl");
  const fd = openSync(file, "w");
  const start = Date.parse("2026-05-01T00:00:00Z");
  try {
    for (let n = 0; n < records;) {
      const batch: string[] = [];
      for (const end = Math.min(records, n + 10_000); n < end; n++) batch.push(logRecord(n, keys, start));
      writeSync(fd, `${batch.join("\n")}\n`);
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

async function logChild(side: "log-parse" | "log-read", reps: number, file: string): Promise<Sample> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadAuditLogs } = require("../cli/audit/config") as typeof import("../cli/audit/config");
  const runsMs: number[] = [];
  const cpuRunsMs: number[] = [];
  let records = 0;
  let keys = 0;
  for (let r = 0; r <= reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (side === "log-parse") {
      records = 0;
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.length === 0) continue;
        JSON.parse(line);
        records++;
      }
    } else {
      // The generated records span May 2026: judged at the start of June, every one is trusted.
      const usage = await loadAuditLogs([file], ROOT, { now: Date.parse("2026-06-01T00:00:00Z") });
      records = usage.authentications;
      keys = usage.keys.size;
    }
    if (r === 0) continue; // warm-up
    runsMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuRunsMs.push((c.user + c.system) / 1000);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { side, medianMs: median(runsMs), runsMs, cpuRunsMs, peakRssMb, records, keys };
}

function auditLogCase(): void {
  const records = arg("--log-records", 1_000_000);
  const keys = arg("--log-keys", 50_000);
  const reps = arg("--log-reps", 2);
  const rounds = arg("--log-rounds", 2);
  const file = generateAuditLog(records, keys);
  const files: Files = { inventory: [file], config: [] };
  const parses: Sample[] = [];
  const reads: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    parses.push(runChild("log-parse", reps, files));
    reads.push(runChild("log-read", reps, files));
  }
  const parse = combine(parses);
  const read = combine(reads);
  if (read.records !== records || parse.records !== records || read.keys !== keys)
    throw new Error(`audit-log case: read ${read.records} records / ${read.keys} keys, expected ${records} / ${keys}`);
  const ratio = read.medianMs / parse.medianMs;
  const cpuRatio = median(read.cpuRunsMs) / median(parse.cpuRunsMs);
  const line = (s: Sample) =>
    `median ${s.medianMs.toFixed(0)} ms wall, ${median(s.cpuRunsMs).toFixed(0)} ms CPU (runs ${s.runsMs.map((v) => v.toFixed(0)).join(", ")}), peak RSS ${s.peakRssMb.toFixed(0)} MB`;
  console.log(
    `keykit audit --audit-log benchmark: ${records} authentication records for ${keys} keys, ${(statSync(file).size / 1e6).toFixed(0)} MB of JSON lines, ${rounds} rounds x ${reps} timed runs`,
  );
  console.log(`  readline + JSON.parse of each line:   ${line(parse)}`);
  console.log(`  keykit audit-log reader (streamed):   ${line(read)}`);
  const verdict = ratio <= 1.5 && read.peakRssMb <= 300 ? "OK" : "OVER TARGET";
  console.log(
    `  ratio reader / line-by-line JSON.parse: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU (target <= 1.5x, peak RSS <= 300 MB) ${verdict}`,
  );
  if (!process.argv.includes("--keep")) rmSync(file, { force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
