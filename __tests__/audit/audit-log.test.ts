import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { AuditLogAccumulator, AuditLogError, type AuditLogUsage } from "../../policies/inventory/audit-log";
import {
  concatenated,
  createTopicRecord,
  jsonLines,
  kafkaAuthentication,
  kcatEnvelopes,
  schemaRegistryAuthentication,
} from "./audit-log-fixtures";
import { runKeykit, tempDir } from "./helpers";

/** The evaluation time the records are judged against: after every fixture record. */
const NOW_MS = Date.parse("2026-06-01T00:00:00Z");

/** Feeds `text` to a fresh accumulator in chunks of `size` characters (the stream may split anywhere). */
function read(text: string, size = text.length || 1, file = "audit.jsonl"): AuditLogUsage {
  const accumulator = new AuditLogAccumulator({ now: NOW_MS });
  const splitter = accumulator.file(file);
  for (let i = 0; i < text.length; i += size) splitter.push(text.slice(i, i + size));
  splitter.end();
  return accumulator.result();
}

function errorOf(text: string, size?: number, file?: string): AuditLogError {
  try {
    read(text, size, file);
  } catch (error) {
    if (error instanceof AuditLogError) return error;
    throw error;
  }
  throw new Error("expected an AuditLogError");
}

const t = (iso: string) => Date.parse(iso);

// Out of time order on purpose (partitions interleave), both shapes, an unrelated record widening the window.
const RECORDS = [
  kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-30T12:00:00Z" }),
  schemaRegistryAuthentication({ key: "SRKEY0001", time: "2026-05-29T08:00:00Z", result: "UNAUTHENTICATED" }),
  kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-31T09:30:00Z" }),
  kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-28T00:00:00Z" }),
  createTopicRecord("2026-05-25T06:00:00Z"),
  kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-31T10:00:00Z", result: "UNAUTHENTICATED" }),
  schemaRegistryAuthentication({ key: "SRKEY0001", time: "2026-05-31T23:00:00Z" }),
  schemaRegistryAuthentication({ key: "SRKEY0001", time: "2026-05-30T23:00:00Z", result: "DENIED" }),
  kafkaAuthentication({ key: "FAILONLY1", time: "2026-05-27T00:00:00Z", result: "UNAUTHENTICATED" }),
];

describe("audit-log reader", () => {
  it("reads both shapes, ignores unknown fields, and keeps the latest of each outcome whatever the order", () => {
    const usage = read(jsonLines(RECORDS));
    expect(usage.records).toBe(9);
    expect(usage.authentications).toBe(8);
    expect(usage.earliest).toBe(t("2026-05-25T06:00:00Z"));
    expect(usage.latest).toBe(t("2026-05-31T23:00:00Z"));
    expect(usage.keys.get("KAFKAKEY1")).toEqual({
      successes: 3,
      failures: 1,
      lastSuccess: t("2026-05-31T09:30:00Z"),
      lastFailure: t("2026-05-31T10:00:00Z"),
      lastSuccessResource: "lkc-7r2x9q",
      untrustedSuccesses: 0,
    });
    expect(usage.keys.get("SRKEY0001")).toEqual({
      successes: 1,
      failures: 2,
      lastSuccess: t("2026-05-31T23:00:00Z"),
      lastFailure: t("2026-05-30T23:00:00Z"),
      lastSuccessResource: "lsrc-3m9wq0",
      untrustedSuccesses: 0,
    });
    expect(usage.keys.get("FAILONLY1")).toEqual({
      successes: 0,
      failures: 1,
      lastFailure: t("2026-05-27T00:00:00Z"),
      untrustedSuccesses: 0,
    });
  });

  it.each([
    ["JSON lines", jsonLines(RECORDS)],
    ["JSON lines with CRLF", jsonLines(RECORDS).replace(/\n/g, "\r\n")],
    ["concatenated pretty-printed objects", concatenated(RECORDS)],
    ["concatenated objects on one line", RECORDS.map((r) => JSON.stringify(r)).join("")],
    ["a pretty-printed JSON array", JSON.stringify(RECORDS, null, 2)],
    ["a one-line JSON array", JSON.stringify(RECORDS)],
    ["kcat -J envelopes", kcatEnvelopes(RECORDS)],
    ["JSON lines after a byte-order mark", "\uFEFF" + jsonLines(RECORDS)],
  ])("gives the same usage for %s, however the stream is split", (_layout, text) => {
    const expected = read(jsonLines(RECORDS));
    for (const size of [1, 3, 17, 256, 4096, text.length]) {
      const usage = read(text, size);
      expect({ ...usage, files: [] }).toEqual({ ...expected, files: [] });
    }
  });

  it("reads an empty file as no records and no window", () => {
    const usage = read("\n\n");
    expect(usage).toMatchObject({ records: 0, authentications: 0 });
    expect(usage.earliest).toBeUndefined();
    expect(usage.latest).toBeUndefined();
    expect(usage.keys.size).toBe(0);
  });

  it("sets aside records without a time (their use still counts) and ignores key ids that are not plain words", () => {
    const hostile = [
      { ...kafkaAuthentication({ key: "NOTIME001", time: "x" }), time: undefined },
      kafkaAuthentication({ key: "EVIL;rm -rf /\n", time: "2026-05-30T00:00:00Z" }),
      kafkaAuthentication({ key: "A".repeat(500), time: "2026-05-30T00:00:00Z" }),
      schemaRegistryAuthentication({ key: "$(touch pwned)", time: "2026-05-30T00:00:00Z" }),
      kafkaAuthentication({ key: "GOODKEY01", time: "2026-05-30T00:00:00Z" }),
    ];
    const usage = read(jsonLines(hostile));
    // A record without a time covers nothing, but the success it shows keeps the key in use (at an unknown time).
    expect([...usage.keys.keys()]).toEqual(["NOTIME001", "GOODKEY01"]);
    expect(usage.keys.get("NOTIME001")).toEqual({ successes: 1, failures: 0, untrustedSuccesses: 1 });
    expect(usage.badTimes).toEqual({ count: 1, first: { file: "audit.jsonl", line: 1 } });
    expect(usage.records).toBe(4);
    expect(usage.ignored).toBe(3);
  });

  const pretty = concatenated(RECORDS.slice(0, 2));
  const unclosed = JSON.stringify(RECORDS.slice(0, 2), null, 2).replace(/\]$/, "");
  it.each([
    ["a truncated last line", jsonLines(RECORDS.slice(0, 3)) + '{"type":"io.confluent.kafka.server/authentica', 4],
    ["a malformed line in the middle", jsonLines(RECORDS.slice(0, 2)) + "{oops SECRETVALUE}\n" + jsonLines(RECORDS), 3],
    // The line where the truncated object starts (the line after the two complete objects).
    ["a truncated pretty-printed object", pretty + '\n{\n  "id": "x",\n  "data": {', pretty.split("\n").length + 1],
    // The array is found unclosed at the end of the file: its last line.
    ["an unclosed JSON array", unclosed, unclosed.split("\n").length],
    ["text that is not JSON", "hello SECRETVALUE\n", 1],
    ["a JSON array of strings", '["SECRETVALUE"]', 1],
  ])("refuses %s with the file and line, and no fragment of the input", (_case, text, line) => {
    for (const size of [5, text.length]) {
      const error = errorOf(text, size, "exports/audit-2026-05-31.jsonl");
      expect(error.message).toMatch(new RegExp(`^exports/audit-2026-05-31\\.jsonl: line ${line}: `));
      expect(error.line).toBe(line);
      for (const fragment of ["SECRETVALUE", "authentica", "KAFKAKEY1", "{", '"'])
        expect(error.message).not.toContain(fragment);
    }
  });

  it("accumulates several files into one window", () => {
    const accumulator = new AuditLogAccumulator({ now: NOW_MS });
    const first = accumulator.file("week1.jsonl");
    first.push(jsonLines([kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-01T00:00:00Z" })]));
    first.end();
    const second = accumulator.file("week2.json");
    second.push(JSON.stringify([kafkaAuthentication({ key: "KAFKAKEY1", time: "2026-05-10T00:00:00Z" })]));
    second.end();
    const usage = accumulator.result();
    expect(usage.files).toEqual(["week1.jsonl", "week2.json"]);
    expect(usage.earliest).toBe(t("2026-05-01T00:00:00Z"));
    expect(usage.latest).toBe(t("2026-05-10T00:00:00Z"));
    expect(usage.keys.get("KAFKAKEY1")?.successes).toBe(2);
  });
});

describe("keykit audit --audit-log: files", () => {
  const inventory = (dir: string) => {
    const file = join(dir, "api-keys.json");
    writeFileSync(file, "[]\n");
    return file;
  };

  it("detects gzip by its magic bytes, whatever the name", async () => {
    const dir = tempDir();
    const file = join(dir, "audit-export.json"); // not .gz
    writeFileSync(file, gzipSync(jsonLines(RECORDS)));
    const result = await runKeykit(
      ["audit", "--inventory", inventory(dir), "--audit-log", file, "--now", "2026-06-01", "--format", "json"],
      { cwd: dir },
    );
    expect(result.stderr).toBe("");
    const notes = (JSON.parse(result.stdout) as { inputs: { notes: string[] }[] }).inputs[0].notes;
    expect(notes).toContainEqual(
      expect.stringMatching(
        /audit-export\.json: 8 authentication record\(s\) for 3 key id\(s\), 9 record\(s\) with a trusted time, 2026-05-25T06:00:00Z to 2026-05-31T23:00:00Z \(a key needs 90 days of unbroken coverage of its own resource .*keeps audit logs 7 days unless they are replicated\)/,
      ),
    );
    // Coverage per resource: each resource's latest unbroken stretch, and the silences that broke it.
    expect(notes).toContain(
      "audit-log coverage of kafka lkc-7r2x9q: 0.9 days unbroken (2026-05-30T12:00:00Z to 2026-05-31T10:00:00Z), broken by 2 silence(s) longer than 24 hours, 6 record(s)",
    );
    expect(notes).toContain(
      "audit-log coverage of schema-registry lsrc-3m9wq0: 1 days unbroken (2026-05-30T23:00:00Z to 2026-05-31T23:00:00Z), broken by 1 silence(s) longer than 24 hours, 3 record(s)",
    );
  });

  it("reads a UTF-16 export (Windows PowerShell's '>') like a UTF-8 one", async () => {
    const dir = tempDir();
    const file = write(dir, "audit.jsonl", Buffer.from("\uFEFF" + jsonLines(RECORDS), "utf16le"));
    const result = await runKeykit(
      ["audit", "--inventory", inventory(dir), "--audit-log", file, "--now", "2026-06-01", "--format", "json"],
      { cwd: dir },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("8 authentication record(s) for 3 key id(s)");
  });

  it.each([
    [
      "a truncated last line",
      (dir: string) => write(dir, "a.jsonl", jsonLines(RECORDS) + '{"id": "9'),
      /a\.jsonl: line 10: malformed or truncated/,
    ],
    [
      "a truncated gzip file",
      (dir: string) => write(dir, "a.gz", gzipSync(jsonLines(RECORDS)).subarray(0, 200)),
      /a\.gz: a gzip file that is corrupt or truncated/,
    ],
    ["a missing file", (dir: string) => join(dir, "nope.jsonl"), /nope\.jsonl: no such file or directory/],
  ])("exits 2 with one line for %s", async (_case, make, pattern) => {
    const dir = tempDir();
    const result = await runKeykit(["audit", "--inventory", inventory(dir), "--audit-log", make(dir)], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/^keykit: [^\n]+\n$/);
    expect(result.stderr).not.toContain("KAFKAKEY1");
  });

  it.each([
    [["--unused-days", "10"], /--unused-days only applies with --audit-log/],
    [["--audit-log", "x.jsonl", "--unused-days", "0"], /audit: --unused-days .0. must be a whole number of days/],
    [["--audit-log"], /--audit-log needs a value/],
  ])("refuses bad usage %p", async (args, pattern) => {
    const dir = tempDir();
    const result = await runKeykit(["audit", "--inventory", inventory(dir), ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
  });
});

function write(dir: string, name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("audit-log coverage intervals", () => {
  const HOUR = 3_600_000;
  /** The intervals of `times` merged across silences of at most `gap`, computed the obvious way (sort, sweep). */
  function naive(times: readonly number[], gap: number): { starts: number[]; ends: number[] } {
    const sorted = [...times].sort((a, b) => a - b);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const t of sorted) {
      if (ends.length > 0 && t - ends[ends.length - 1] <= gap) ends[ends.length - 1] = t;
      else {
        starts.push(t);
        ends.push(t);
      }
    }
    return { starts, ends };
  }

  it("are the same as sorting and sweeping, whatever the order the records arrive in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 80 }),
        fc.constantFrom(1, 5, 24, 100),
        (hours, gapHours) => {
          const times = hours.map((h) => NOW_MS - h * HOUR);
          const accumulator = new AuditLogAccumulator({ now: NOW_MS, maxGapMs: gapHours * HOUR });
          const splitter = accumulator.file("audit.jsonl");
          splitter.push(jsonLines(times.map((t) => createTopicRecord(new Date(t).toISOString()))));
          splitter.end();
          const usage = accumulator.result();
          const coverage = usage.coverage.get("kafka:lkc-7r2x9q");
          const expected = naive(times, gapHours * HOUR);
          expect({ starts: coverage?.starts, ends: coverage?.ends }).toEqual(expected);
          expect({ starts: usage.overall.starts, ends: usage.overall.ends }).toEqual(expected);
          expect(coverage?.records).toBe(times.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads the resource from the record's CRN: the deepest known segment, else the Cloud API", () => {
    const at = "2026-05-31T00:00:00Z";
    const org = "crn://confluent.cloud/organization=9c1e3a52";
    const records = [
      { time: at, subject: `${org}/environment=env-1/cloud-cluster=lkc-1/ksql=lksqlc-2` },
      { time: at, subject: `${org}/environment=env-1/flink-region=aws.us-east-1/compute-pool=lfcp-3` },
      { time: at, subject: `${org}/environment=env-1/schema-registry=lsrc-4/subject=orders-value` },
      { time: at, subject: `${org}/service-account=sa-5` },
      { time: at, source: `${org}/environment=env-1/cloud-cluster=lkc-6/kafka=lkc-6` },
      // Not a Confluent CRN, or a segment named like an object's prototype property: no resource.
      { time: at, subject: "crn://elsewhere/organization=x/kafka=lkc-7" },
      { time: at, subject: `${org}/constructor=lkc-8` },
    ];
    const usage = read(jsonLines(records));
    expect([...usage.coverage.keys()].sort()).toEqual(
      ["cloud:cloud", "flink:aws.us-east-1", "kafka:lkc-6", "ksqldb:lksqlc-2", "schema-registry:lsrc-4"].sort(),
    );
    expect(usage.coverage.get("cloud:cloud")?.records).toBe(2); // the service-account record and constructor=…
    expect(usage.overall.records).toBe(7);
  });
});
