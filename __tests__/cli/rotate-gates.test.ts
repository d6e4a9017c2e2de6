/**
 * The gates of `keykit rotate finish` (the published slot proven, the retained slot quiet in the audit logs),
 * `--force "<reason>"`, `--init` for a --file that does not exist, and `rotate status --format json`; in process
 * through runCli and, for the refusal and the override, through the spawned bin as a pipeline runs it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { rotateCommand } from "../../cli/commands/rotate";
import { runCli } from "../../cli/main";
import { BIN, requireFreshBuild } from "./bin-helpers";
import { runPath } from "../helpers/run-dir";

const root = runPath("rotate-gates-tests");
const NOW = new Date("2026-06-01T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The standing proof `keykit verify` records for green (with its wrong-secret control), an hour after the start. */
const GREEN_PROOF = {
  keyId: "GREENKEY01",
  verifiedAt: minutesAgo(60),
  verification: {
    proved: "works",
    keyId: "GREENKEY01",
    endpoint: "https://api.confluent.cloud",
    endpointFrom: "the default",
    by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200, a wrong secret 401",
    control: 401,
  },
};

/**
 * A project that rotates `orders` (blue retained, green published since the start), declared in cdktf.out; with
 * `proven`, green carries a standing verify proof (the gates other than the proof are then what a test is about).
 */
function project(rotation: "rotating" | "stable" = "rotating", proven = true): string {
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, "gates-"));
  const stack = join(dir, "cdktf.out", "stacks", "prod");
  mkdirSync(stack, { recursive: true });
  const slot = (slot: string) => ({ "//": { keykit: { version: 1, rotation: { name: "orders", slot } } } });
  writeFileSync(
    join(stack, "cdk.tf.json"),
    JSON.stringify({
      resource: { confluent_api_key: { Orders_Blue_AB12: slot("blue"), Orders_Green_CD34: slot("green") } },
    }),
  );
  const slots =
    rotation === "stable"
      ? { blue: { status: "active" } }
      : {
          blue: { status: "retained", deactivatedAt: minutesAgo(120) },
          green: {
            status: "active",
            createdAt: minutesAgo(120),
            activatedAt: minutesAgo(120),
            ...(proven ? GREEN_PROOF : {}),
          },
        };
  writeFileSync(
    join(dir, "keykit.rotation.json"),
    `${JSON.stringify({ version: 1, keys: { orders: { active: rotation === "stable" ? "blue" : "green", rotations: rotation === "stable" ? 0 : 1, slots } } }, null, 2)}\n`,
  );
  return dir;
}

/** `terraform show -json` after the start's apply: both slots, in a module, and another team's key. */
function terraformState(dir: string, slots: readonly ("blue" | "green")[] = ["blue", "green"]): string {
  const key = (slot: "blue" | "green") => ({
    address: `module.app.confluent_api_key.Orders_${slot === "blue" ? "Blue_AB12" : "Green_CD34"}`,
    mode: "managed",
    type: "confluent_api_key",
    name: `Orders_${slot}`,
    values: {
      id: slot === "blue" ? "BLUEKEY001" : "GREENKEY01",
      display_name: `orders (${slot})`,
      description: "Managed by keykit (app/Orders), rotation orders",
      secret: "state-secret-never-read-8d7f6e5c",
    },
  });
  const file = join(dir, "tfstate.json");
  writeFileSync(
    file,
    JSON.stringify({
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            {
              address: "confluent_api_key.billing",
              mode: "managed",
              type: "confluent_api_key",
              values: { id: "BILLKEY001", display_name: "billing (green)" },
            },
          ],
          child_modules: [{ address: "module.app", resources: slots.map(key) }],
        },
      },
    }),
  );
  return "tfstate.json";
}

/** Audit-log records as `confluent kafka topic consume -o json` prints them: both documented shapes, mixed. */
function auditLog(dir: string, records: readonly { key: string; at: string; ok?: boolean; sr?: boolean }[]): string {
  const line = ({ key, at, ok = true, sr = false }: { key: string; at: string; ok?: boolean; sr?: boolean }) =>
    JSON.stringify(
      sr
        ? {
            specversion: "1.0",
            type: "io.confluent.sg.server/authentication",
            time: at,
            source: "crn://confluent.cloud/organization=o-1/environment=env-1/schema-registry=lsrc-9",
            data: {
              authenticationInfo: {
                credentials: { idSecretCredentials: { credentialId: key } },
                result: ok ? "SUCCESS" : "UNAUTHENTICATED",
              },
              cloudResources: [{ resource: { type: "SCHEMA_REGISTRY", resourceId: "lsrc-9" } }],
              extra: { unknown: true },
            },
          }
        : {
            specversion: "1.0",
            id: `e-${key}-${at}`,
            type: "io.confluent.kafka.server/authentication",
            time: at,
            data: {
              methodName: "kafka.Authentication",
              authenticationInfo: {
                principal: "User:sa-1",
                metadata: { mechanism: "SASL_SSL/PLAIN", identifier: key },
              },
              result: { status: ok ? "SUCCESS" : "UNAUTHENTICATED", message: "" },
            },
          },
    );
  const file = join(dir, `audit-${Math.random().toString(36).slice(2)}.json.gz`);
  writeFileSync(file, gzipSync(records.map(line).join("\n") + "\n"));
  return file;
}

async function keykit(dir: string, ...args: string[]) {
  let out = "";
  let err = "";
  const command = rotateCommand(() => NOW, { lockWaitMs: 1000 });
  let code: number;
  try {
    code = await command(args, {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: dir,
      env: {},
      isTty: false,
    });
  } catch (error) {
    // What runCli does with a KeykitCliError: one line, the error's exit code.
    const e = error as { message: string; exitCode: number };
    err += `keykit: ${e.message}\n`;
    code = e.exitCode;
  }
  return { code, out, err };
}

const stateText = (dir: string) => readFileSync(join(dir, "keykit.rotation.json"), "utf8");

describe("rotate finish: the published slot must be proven", () => {
  it("refuses with one line and leaves the file as it was; --state holding the new slot is no proof", async () => {
    const dir = project("rotating", false);
    const before = stateText(dir);
    const refusal =
      "keykit: rotate finish orders refused: the published slot green was not verified after its start: apply, then run 'keykit verify orders …'; --force \"<reason>\" overrides\n";
    const plain = await keykit(dir, "finish", "orders");
    expect(plain.code).toBe(1);
    expect(plain.out).toBe("");
    expect(plain.err).toBe(refusal);
    // The slot's resource in the state says the apply ran, not that the published secret works.
    const applied = await keykit(dir, "finish", "orders", "--state", terraformState(dir));
    expect(applied.code).toBe(1);
    expect(applied.err).toBe(refusal);
    expect(stateText(dir)).toBe(before);
  });

  /** The project's file with green's record replaced by `green` (on top of its start). */
  function withGreen(dir: string, green: Record<string, unknown>): void {
    const file = join(dir, "keykit.rotation.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    json.keys.orders.slots.green = {
      status: "active",
      createdAt: minutesAgo(120),
      activatedAt: minutesAgo(120),
      ...green,
    };
    writeFileSync(file, JSON.stringify(json, null, 2));
  }

  it("a failed verify after the proof blocks finish until a later success", async () => {
    const dir = project("rotating", false);
    const failed = {
      at: minutesAgo(30),
      keyId: "GREENKEY01",
      failed: "Cloud API https://api.confluent.cloud: answered 500",
    };
    withGreen(dir, { ...GREEN_PROOF, failedVerify: failed });
    const r = await keykit(dir, "finish", "orders");
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `keykit: rotate finish orders refused: the published slot green has no standing proof: a verify failed at ${minutesAgo(30)} (key GREENKEY01) and none succeeded after it: fix it, then run 'keykit verify orders …' again; --force "<reason>" overrides\n`,
    );
    // The recorded failure is not quoted back (the file is input).
    expect(r.err).not.toContain("answered 500");
    expect((await keykit(dir, "status", "--format", "json")).out).toContain('"step": "verify"');
    withGreen(dir, { ...GREEN_PROOF, verifiedAt: minutesAgo(10), failedVerify: failed });
    const ok = await keykit(dir, "finish", "orders");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      `Gate met: the published slot green was verified at ${minutesAgo(10)} (keykit verify, key GREENKEY01)`,
    );
  });

  it("a proof without the wrong-secret control, or for another key than --state holds, does not count", async () => {
    const dir = project("rotating", false);
    const uncontrolled: Record<string, unknown> = { ...GREEN_PROOF.verification };
    delete uncontrolled.control;
    withGreen(dir, { ...GREEN_PROOF, verification: uncontrolled });
    const old = await keykit(dir, "finish", "orders");
    expect(old.code).toBe(1);
    expect(old.err).toMatch(/green was verified at \S+ without the wrong-secret control \(by an older keykit\)/);
    withGreen(dir, {
      ...GREEN_PROOF,
      keyId: "OTHERKEY01",
      verification: { ...GREEN_PROOF.verification, keyId: "OTHERKEY01" },
    });
    const other = await keykit(dir, "finish", "orders", "--state", terraformState(dir));
    expect(other.code).toBe(1);
    expect(other.err).toMatch(
      /green was verified for key OTHERKEY01, but tfstate\.json holds key GREENKEY01 for it: verify it again/,
    );
  });

  it("a verification older than the start does not count", async () => {
    const dir = project("rotating", false);
    const verification = JSON.stringify(GREEN_PROOF.verification);
    const text = stateText(dir).replace(
      `"activatedAt": "${minutesAgo(120)}"`,
      `"activatedAt": "${minutesAgo(120)}",\n          "verifiedAt": "${minutesAgo(180)}",\n          "verification": ${verification}`,
    );
    writeFileSync(join(dir, "keykit.rotation.json"), text);
    expect((await keykit(dir, "finish", "orders")).code).toBe(1);
    writeFileSync(join(dir, "keykit.rotation.json"), text.replace(minutesAgo(180), minutesAgo(60)));
    const table = await keykit(dir, "status");
    expect(table.out).toContain("move clients to green (verified), then: keykit rotate finish orders");
    const ok = await keykit(dir, "finish", "orders");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      `Gate met: the published slot green was verified at ${minutesAgo(60)} (keykit verify, key GREENKEY01)`,
    );
  });

  it("finish before start is refused as out of order, gates or not", async () => {
    const dir = project("stable");
    const r = await keykit(dir, "finish", "orders", "--force", "hurry");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^keykit: cannot finish a rotation of 'orders': no rotation in progress/);
  });
});

describe("rotate finish --audit-log: the retained slot must be quiet for --quiet-minutes", () => {
  const base = [
    { key: "GREENKEY01", at: minutesAgo(100) },
    { key: "BILLKEY001", at: minutesAgo(1) },
  ];

  it("refuses while the retained key still authenticates; passes once it is quiet", async () => {
    const dir = project();
    const state = terraformState(dir);
    const busy = auditLog(dir, [...base, { key: "BLUEKEY001", at: minutesAgo(5), sr: true }]);
    const r = await keykit(dir, "finish", "orders", "--state", state, "--audit-log", busy);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `the retained slot blue (key BLUEKEY001) authenticated successfully at ${minutesAgo(5)}, within the last 15 minutes: clients still use it`,
    );
    // Failed attempts are not use; 20 minutes ago is outside the default 15, inside --quiet-minutes 30.
    const quiet = auditLog(dir, [
      ...base,
      { key: "BLUEKEY001", at: minutesAgo(20) },
      { key: "BLUEKEY001", at: minutesAgo(2), ok: false },
    ]);
    const longer = await keykit(
      dir,
      "finish",
      "orders",
      "--state",
      state,
      "--audit-log",
      quiet,
      "--quiet-minutes",
      "30",
    );
    expect(longer.code).toBe(1);
    const ok = await keykit(dir, "finish", "orders", "--state", state, "--audit-log", quiet);
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      `Gate met: the retained slot blue (key BLUEKEY001) has not authenticated for 15 minutes (audit logs to ${minutesAgo(1)})`,
    );
  });

  it("takes several files after the key, and the retained key id from its recorded proof", async () => {
    const dir = project("rotating", false);
    // The blue slot was verified while it was published: its key id is in the file.
    const text = stateText(dir).replace(
      `"deactivatedAt": "${minutesAgo(120)}"`,
      `"deactivatedAt": "${minutesAgo(120)}",\n          "verifiedAt": "${minutesAgo(3000)}",\n          "verification": { "proved": "works", "keyId": "BLUEKEY001", "by": "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200", "ticket": "OPS-9" }`,
    );
    writeFileSync(join(dir, "keykit.rotation.json"), text);
    const a = auditLog(dir, [{ key: "GREENKEY01", at: minutesAgo(90) }]);
    const b = auditLog(dir, [{ key: "BLUEKEY001", at: minutesAgo(3) }]);
    const r = await keykit(dir, "finish", "orders", "--state", terraformState(dir), "--audit-log", a, b);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the retained slot blue (key BLUEKEY001) authenticated successfully");
    const noState = await keykit(dir, "finish", "orders", "--audit-log", a, b, "--force", "proof is in the file");
    expect(noState.out).toContain("Gate FORCED: the published slot green was not verified");
    expect(noState.out).toContain("Gate FORCED: the retained slot blue (key BLUEKEY001) authenticated successfully");
    // The recorded proof, with a field keykit does not know, is kept by the finish's rewrite.
    expect(JSON.parse(stateText(dir)).keys.orders.slots.blue.verification).toEqual({
      proved: "works",
      keyId: "BLUEKEY001",
      by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200",
      ticket: "OPS-9",
    });
  });

  it.each([
    [
      "logs that end before the quiet window",
      [{ key: "GREENKEY01", at: minutesAgo(300) }],
      /do not cover the last 15 minutes/,
    ],
    [
      "logs that start inside the quiet window",
      [{ key: "GREENKEY01", at: minutesAgo(2) }],
      /do not cover the last 15 minutes/,
    ],
    // Issue 19: times that cannot be trusted never open the gate.
    [
      "logs stretched into the window by a record dated in the year 2999",
      [
        { key: "GREENKEY01", at: minutesAgo(300) },
        { key: "GREENKEY01", at: "2999-01-01T00:00:00Z" },
      ],
      /\(.* to .*; 1 record\(s\) with a bad, future or implausibly old time set aside\) do not cover the last 15 minutes/,
    ],
    [
      "logs stretched back by a time of '1' (Date.parse reads it as 2001)",
      [
        { key: "GREENKEY01", at: "1" },
        { key: "GREENKEY01", at: minutesAgo(1) },
      ],
      /1 record\(s\) with a bad, future or implausibly old time set aside\) do not cover the last 15 minutes/,
    ],
    [
      "a success of the retained key in a record whose time is not trusted",
      [
        { key: "GREENKEY01", at: minutesAgo(100) },
        { key: "BLUEKEY001", at: "2026-05-31 23:59:00" },
        { key: "BILLKEY001", at: minutesAgo(1) },
      ],
      /the retained slot blue \(key BLUEKEY001\) authenticated successfully in 1 audit-log record\(s\) whose time is not trusted/,
    ],
  ])("refuses %s", async (_what, records, message) => {
    const dir = project();
    const r = await keykit(
      dir,
      "finish",
      "orders",
      "--state",
      terraformState(dir),
      "--audit-log",
      auditLog(dir, records),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it("refuses when it cannot tell the retained key id", async () => {
    const dir = project();
    const log = auditLog(dir, base);
    const r = await keykit(dir, "finish", "orders", "--state", terraformState(dir, ["green"]), "--audit-log", log);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot tell the key id of the retained slot blue for the audit-log check/);
  });

  it("a truncated audit log is one line naming the file and line, exit 2, nothing written", async () => {
    const dir = project();
    const before = stateText(dir);
    const file = join(dir, "cut.json");
    writeFileSync(
      file,
      '{"type":"io.confluent.kafka.server/authentication","time":"2026-06-01T11:00:00Z"}\n{"type":"io.conf',
    );
    const r = await keykit(dir, "finish", "orders", "--state", terraformState(dir), "--audit-log", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^keykit: [^\n]*cut\.json: line 2: malformed or truncated audit-log record[^\n]*\n$/);
    expect(stateText(dir)).toBe(before);
  });
});

describe("rotate finish --state: hostile input is one line, exit 2", () => {
  it.each([
    ["missing", (dir: string) => join(dir, "none.json"), /none\.json: /],
    [
      "malformed",
      (dir: string) => (writeFileSync(join(dir, "bad.json"), '{"values": {"root'), join(dir, "bad.json")),
      /bad\.json: not valid JSON$/m,
    ],
    [
      "a FIFO",
      (dir: string) => (spawnSync("mkfifo", [join(dir, "pipe.json")]), join(dir, "pipe.json")),
      /pipe\.json: is a FIFO \(named pipe\)/,
    ],
  ])("%s", async (_what, make, message) => {
    const dir = project();
    const before = stateText(dir);
    const file = make(dir).slice(dir.length + 1);
    const r = await keykit(dir, "finish", "orders", "--state", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^keykit: [^\n]+\n$/);
    expect(r.err).toMatch(message);
    expect(r.err).not.toContain('"root');
    expect(stateText(dir)).toBe(before);
  });
});

describe("rotate finish --force", () => {
  it("records the reason and the unmet gates on the retired slot, never echoing the reason", async () => {
    const dir = project("rotating", false);
    const reason = "INC-4411: green proven by hand in the incident call";
    const r = await keykit(dir, "finish", "orders", "--force", reason);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Gate FORCED: the published slot green was not verified after its start");
    expect(r.out).toContain("The --force reason is recorded in keykit.rotation.json (slots.blue.forced).");
    expect(r.out + r.err).not.toContain("INC-4411");
    const blue = JSON.parse(stateText(dir)).keys.orders.slots.blue;
    expect(blue).toEqual({
      status: "retired",
      deactivatedAt: minutesAgo(120),
      retiredAt: NOW.toISOString(),
      forced: {
        reason,
        unmet: ["the published slot green was not verified after its start: apply, then run 'keykit verify orders …'"],
      },
    });
    // The recorded fields read back: status, check and audit accept the file.
    expect((await keykit(dir, "status")).code).toBe(0);
  });

  it("is not recorded when every gate is met", async () => {
    const dir = project();
    const r = await keykit(dir, "finish", "orders", "--state", terraformState(dir), "--force", "just in case");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Note: --force was not needed");
    expect(JSON.parse(stateText(dir)).keys.orders.slots.blue.forced).toBeUndefined();
  });

  it.each([
    [["finish", "orders", "--force", ""], /--force needs a value/],
    [["finish", "orders", "--force", "   "], /--force needs a reason: one line of text/],
    [["finish", "orders", "--force", "two\nlines"], /--force needs a reason: one line of text/],
    [["finish", "orders", "--force", "x".repeat(501)], /at most 500 characters/],
    [["start", "orders", "--force", "why"], /--force only applies to finish/],
    [["status", "--state", "s.json"], /--state only applies to finish/],
    [["finish", "orders", "--quiet-minutes", "5"], /--quiet-minutes only applies with --audit-log/],
    [["finish", "orders", "--audit-log", "a", "--quiet-minutes", "soon"], /--quiet-minutes must be a whole number/],
    [["status", "--format", "yaml"], /--format 'yaml' must be one of text, json/],
    [["start", "orders", "--format", "json"], /--format only applies to status/],
    [["status", "--init"], /--init only applies to start and finish/],
  ])("bad usage %j: exit 2, one line, file unchanged", async (args, message) => {
    const dir = project();
    const before = stateText(dir);
    const r = await keykit(dir, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/^keykit: [^\n]+\n$/);
    expect(stateText(dir)).toBe(before);
  });
});

describe("rotate start|finish --file that does not exist", () => {
  it.each(["start", "finish"])("%s refuses it unless --init", async (step) => {
    const dir = project();
    const r = await keykit(dir, step, "orders", "--file", "keykit.rotaton.json");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `keykit: rotate ${step}: keykit.rotaton.json does not exist; check the path, or pass --init to create a new rotation-state file there\n`,
    );
    expect(existsSync(join(dir, "keykit.rotaton.json"))).toBe(false);
  });

  it("--init creates it on start; the default file is created by the first start without --init", async () => {
    const dir = project("stable");
    const r = await keykit(dir, "start", "orders", "--file", "ops.rotation.json", "--init");
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "ops.rotation.json"), "utf8")).keys.orders.active).toBe("green");
    rmSync(join(dir, "keykit.rotation.json"));
    expect((await keykit(dir, "start", "orders")).code).toBe(0);
    expect(existsSync(join(dir, "keykit.rotation.json"))).toBe(true);
  });
});

describe("rotate status --format json", () => {
  it("prints the state with each key's next step", async () => {
    const dir = project("rotating", false);
    const r = await keykit(dir, "status", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      file: "keykit.rotation.json",
      keys: [
        {
          name: "orders",
          inFile: true,
          declared: true,
          phase: "rotating",
          published: "green",
          existing: ["green", "blue"],
          rotations: 1,
          slots: {
            blue: { status: "retained", deactivatedAt: minutesAgo(120) },
            green: { status: "active", createdAt: minutesAgo(120), activatedAt: minutesAgo(120) },
          },
          addresses: { blue: "confluent_api_key.Orders_Blue_AB12", green: "confluent_api_key.Orders_Green_CD34" },
          next: {
            step: "verify",
            command: "keykit verify orders …",
            why: "finish requires green verified after its start (apply the start first)",
          },
        },
      ],
    });
    await keykit(dir, "finish", "orders", "--force", "proven by hand");
    const finished = JSON.parse((await keykit(dir, "status", "orders", "--format", "json")).out);
    expect(finished.keys[0]).toMatchObject({ phase: "stable", existing: ["green"] });
    expect(finished.keys[0].next).toMatchObject({
      step: "verify",
      command: "keykit verify orders … --retired-key-id <id>",
    });
    const stable = JSON.parse((await keykit(project("stable"), "status", "--format", "json")).out);
    expect(stable.keys[0].next).toEqual({
      step: "start",
      command: "keykit rotate start orders",
      why: "the next rotation",
    });
  });
});

describe("the spawned bin", () => {
  requireFreshBuild();
  const bin = (dir: string, ...args: string[]) =>
    spawnSync(process.execPath, [BIN, "rotate", ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });

  it("refuses an unproven finish with exit 1 and one line, then records a forced one", () => {
    const dir = project("rotating", false);
    const refused = bin(dir, "finish", "orders");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^keykit: rotate finish orders refused: [^\n]+\n$/);
    const forced = bin(dir, "finish", "orders", "--force=CHG-17 approved by the owner");
    expect(forced.status).toBe(0);
    expect(forced.stderr).toBe("");
    expect(JSON.parse(stateText(dir)).keys.orders.slots.blue.forced.reason).toBe("CHG-17 approved by the owner");
    const typo = bin(dir, "start", "orders", "--file", "nope.json");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^keykit: rotate start: nope\.json does not exist;[^\n]+--init[^\n]+\n$/);
  });
});

describe("the spawned bin: verify after the apply, then finish", () => {
  const SECRET = "spawned-published-secret-7Hq2Lm9Xv4Rt8Wz1";
  let server: Server;
  let base = "";
  let served = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      // Bounded: a runaway client fails the test instead of spinning.
      const allowed = ++served <= 20;
      const good = `Basic ${Buffer.from(`GREENKEY01:${SECRET}`).toString("base64")}`;
      const ok = allowed && request.url === "/org/v2/environments" && request.headers.authorization === good;
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end("{}");
    });
    server.requestTimeout = 5000;
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const run = (dir: string, args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on("close", (status) => {
        clearTimeout(timer);
        done({ status, stdout, stderr });
      });
    });

  it("records the proof in the state file, and finish accepts it", async () => {
    const dir = project("rotating", false);
    const value = JSON.stringify({ key_id: "GREENKEY01", secret: SECRET, slot: "green" });
    writeFileSync(join(dir, "outputs.json"), JSON.stringify({ creds: { sensitive: true, type: "string", value } }));
    const verified = await run(dir, [
      "verify",
      "orders",
      "--output-json",
      "outputs.json",
      "--scope",
      "cloud",
      "--base-url",
      base,
    ]);
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(
      /^ {2}ok {4}recorded in keykit\.rotation\.json: slot green works \(key GREENKEY01\), verifiedAt /m,
    );
    expect(verified.stdout + stateText(dir)).not.toContain(SECRET);
    const green = JSON.parse(stateText(dir)).keys.orders.slots.green;
    expect(Date.parse(green.verifiedAt)).toBeGreaterThan(Date.parse(green.activatedAt));
    expect(green.verification).toEqual({
      proved: "works",
      keyId: "GREENKEY01",
      endpoint: base,
      endpointFrom: "--base-url",
      by: `Cloud API ${base} GET /org/v2/environments: 200, a wrong secret 401`,
      control: 401,
      document: "output creds in outputs.json",
    });
    const finished = await run(dir, ["rotate", "finish", "orders"]);
    expect(finished.stderr).toBe("");
    expect(finished.status).toBe(0);
    expect(finished.stdout).toContain(
      `Gate met: the published slot green was verified at ${green.verifiedAt} (keykit verify, key GREENKEY01)`,
    );
  }, 120_000);
});

// runCli is the entry the other CLI tests use; one call here keeps this file honest about the wiring.
test("runCli routes 'rotate status --format json'", async () => {
  const dir = project();
  let out = "";
  const code = await runCli(["rotate", "status", "--format", "json"], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    cwd: dir,
    env: {},
    isTty: false,
  });
  expect(code).toBe(0);
  expect(JSON.parse(out).keys[0].name).toBe("orders");
});
