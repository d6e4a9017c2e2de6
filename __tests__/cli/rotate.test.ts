import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rotateCommand } from "../../cli/commands/rotate";
import { writeFileDurable } from "../../cli/durable-write";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/main";

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function io(cwd: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTty: false };
}

/** A project directory whose synthesized output declares the blue/green key `orders` (blue slot). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "rotate-"));
  const stackDir = join(dir, "cdktf.out", "stacks", "prod");
  mkdirSync(stackDir, { recursive: true });
  const slot = (name: string, slot: string) => ({
    [name]: {
      "//": { keykit: { version: 1, construct: "BlueGreenApiKey", rotation: { name: "orders", slot, active: true } } },
    },
  });
  writeFileSync(
    join(stackDir, "cdk.tf.json"),
    JSON.stringify({
      resource: { confluent_api_key: { ...slot("Orders_Blue_1234", "blue"), other: { display_name: "x" } } },
    }),
  );
  return dir;
}

async function keykit(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const captured = io(dir);
  const code = await runCli(["rotate", ...args], captured);
  return { code, out: captured.out.join(""), err: captured.err.join("") };
}

const stateFile = (dir: string) => join(dir, "keykit.rotation.json");

describe("keykit rotate", () => {
  test("start on a declared key writes its entry and prints what the next apply creates", async () => {
    const dir = project();
    const clock = () => new Date("2026-11-28T02:00:00.000Z");
    const captured = io(dir);
    expect(await rotateCommand(clock)(["start", "orders"], captured)).toBe(0);
    expect(readFileSync(stateFile(dir), "utf8")).toBe(
      `${JSON.stringify(
        {
          version: 1,
          keys: {
            orders: {
              active: "green",
              rotations: 1,
              slots: {
                blue: { status: "retained", deactivatedAt: "2026-11-28T02:00:00.000Z" },
                green: {
                  status: "active",
                  createdAt: "2026-11-28T02:00:00.000Z",
                  activatedAt: "2026-11-28T02:00:00.000Z",
                },
              },
            },
          },
        },
        null,
        2,
      )}\n`,
    );
    const out = captured.out.join("");
    expect(out).toContain("Rotation of 'orders' started: green is now the published slot, blue is retained");
    expect(out).toMatch(/create {2}slot green of 'orders'/);
    expect(out).toContain(
      "  publish slot green of 'orders' in place of blue (the secret updated, or a new secret version for AWS Secrets Manager)\n",
    );
    expect(out).toContain("check the plan only creates (and publishes the\nnew slot's secret); apply;");
    expect(out).not.toContain("update  the published secret");
    expect(out).toContain("keep    slot blue of 'orders' (confluent_api_key.Orders_Blue_1234) (still valid)");
    expect(out).toContain("delete  nothing");
    expect(out).toContain("keykit rotate finish orders");
    expect(readdirSync(dir).sort()).toEqual(["cdktf.out", "keykit.rotation.json"]); // no temp file left
  });

  test("finish after start is refused until the new slot is proven (--state holding it is no proof); then only the deletion", async () => {
    const dir = project();
    expect((await keykit(dir, "start", "orders")).code).toBe(0);
    const started = readFileSync(stateFile(dir), "utf8");
    const refused = await keykit(dir, "finish", "orders");
    expect(refused.code).toBe(1);
    expect(refused.out).toBe("");
    expect(refused.err).toMatch(
      /^keykit: rotate finish orders refused: the published slot green was not verified after its start: apply, then run 'keykit verify orders …'[^\n]*--force "<reason>" overrides\n$/,
    );
    expect(readFileSync(stateFile(dir), "utf8")).toBe(started);
    // The start's apply ran: the state holds the green slot at the address the synth declared.
    writeFileSync(
      join(dir, "tfstate.json"),
      JSON.stringify({
        values: {
          root_module: {
            resources: ["Blue_1234", "Green_5678"].map((suffix, i) => ({
              address: `confluent_api_key.Orders_${suffix}`,
              mode: "managed",
              type: "confluent_api_key",
              values: {
                id: i === 0 ? "BLUEKEY001" : "GREENKEY01",
                display_name: `orders (${i === 0 ? "blue" : "green"})`,
              },
            })),
          },
        },
      }),
    );
    const applied = await keykit(dir, "finish", "orders", "--state", "tfstate.json");
    expect(applied.code).toBe(1);
    expect(applied.err).toMatch(/the published slot green was not verified after its start/);
    // What `keykit verify` records once the published secret authenticates (and a wrong one is refused).
    const json = JSON.parse(readFileSync(stateFile(dir), "utf8"));
    const green = json.keys.orders.slots.green;
    const verifiedAt = new Date(Date.parse(green.activatedAt) + 60_000).toISOString();
    json.keys.orders.slots.green = {
      ...green,
      keyId: "GREENKEY01",
      verifiedAt,
      verification: {
        proved: "works",
        keyId: "GREENKEY01",
        by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200, a wrong secret 401",
        control: 401,
      },
    };
    writeFileSync(stateFile(dir), JSON.stringify(json, null, 2));
    const { code, out, err } = await keykit(dir, "finish", "orders", "--state", "tfstate.json");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("Rotation of 'orders' finished: blue will be deleted");
    expect(out).toContain(
      `Gate met: the published slot green was verified at ${verifiedAt} (keykit verify, key GREENKEY01)`,
    );
    expect(out).toContain("delete  slot blue of 'orders' (confluent_api_key.Orders_Blue_1234)");
    expect(out).toContain("create  nothing");
    expect(out).not.toMatch(/^ +update/m);
    const entry = JSON.parse(readFileSync(stateFile(dir), "utf8")).keys.orders;
    expect(entry.active).toBe("green");
    expect(entry.slots.blue.status).toBe("retired");
    expect(entry.slots.blue.retiredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(entry.slots.blue.forced).toBeUndefined();
  });

  test.each([
    [["finish", "orders"], /^keykit: cannot finish a rotation of 'orders': no rotation in progress/],
    [["start", "billing"], /^keykit: unknown key 'billing': no entry in keykit.rotation.json and no BlueGreenApiKey/],
  ])("refuses %j with exit 1 and one line, leaving no file", async (args, message) => {
    const dir = project();
    const { code, out, err } = await keykit(dir, ...args);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(message);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(existsSync(stateFile(dir))).toBe(false);
  });

  test("refuses a second start while the previous slot is retained, leaving the file untouched", async () => {
    const dir = project();
    await keykit(dir, "start", "orders");
    const before = readFileSync(stateFile(dir), "utf8");
    const { code, err } = await keykit(dir, "start", "orders");
    expect(code).toBe(1);
    expect(err).toMatch(/^keykit: cannot start a rotation of 'orders': its previous slot blue is still retained/);
    expect(readFileSync(stateFile(dir), "utf8")).toBe(before);
  });

  test("a key in the state file needs no synthesized output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rotate-"));
    writeFileSync(
      stateFile(dir),
      JSON.stringify({
        version: 1,
        keys: { orders: { active: "blue", rotations: 0, slots: { blue: { status: "active" } } } },
      }),
    );
    expect((await keykit(dir, "start", "orders")).code).toBe(0);
  });

  test("status lists the keys of the file and of the synthesized output, with the next step", async () => {
    const dir = project();
    let result = await keykit(dir, "status");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^KEY +PHASE +PUBLISHED +EXISTING/);
    expect(result.out).toMatch(
      /orders +stable +blue +blue +0 +\(not recorded\) +keykit rotate start orders +\[no entry yet: initial state\]/,
    );
    await keykit(dir, "start", "orders");
    result = await keykit(dir, "status", "orders");
    expect(result.out).toMatch(
      /orders +rotating +green +green\+blue +1 +\d{4}-.*verify, then: keykit rotate finish orders/,
    );
    expect((await keykit(dir, "status", "billing")).code).toBe(1);
  });

  test("status after finish: the table and the JSON name the same next step (prove the retired slot gone)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rotate-"));
    const finished = {
      active: "green",
      rotations: 1,
      slots: {
        blue: { status: "retired", retiredAt: "2026-11-28T03:00:00.000Z" },
        green: { status: "active", activatedAt: "2026-11-28T01:00:00.000Z" },
      },
    };
    writeFileSync(stateFile(dir), JSON.stringify({ version: 1, keys: { orders: finished } }));
    const json = JSON.parse((await keykit(dir, "status", "--format", "json")).out) as {
      keys: { name: string; next: { step: string; command: string } }[];
    };
    expect(json.keys[0].next).toMatchObject({
      step: "verify",
      command: "keykit verify orders … --retired-key-id <id>",
    });
    const table = (await keykit(dir, "status")).out;
    expect(table).toMatch(/orders +stable +green .*prove blue is gone: keykit verify orders … --retired-key-id <id>/);
    expect(table).not.toContain("keykit rotate start orders");
    // Once the proof is recorded, both say: the next rotation.
    const proven = {
      ...finished,
      slots: {
        ...finished.slots,
        blue: {
          ...finished.slots.blue,
          verifiedAt: "2026-11-28T04:00:00.000Z",
          verification: { proved: "gone", keyId: "BLUEKEY0001AAAAA", by: "keykit verify" },
        },
      },
    };
    writeFileSync(stateFile(dir), JSON.stringify({ version: 1, keys: { orders: proven } }));
    expect(JSON.parse((await keykit(dir, "status", "--format", "json")).out).keys[0].next.step).toBe("start");
    expect((await keykit(dir, "status")).out).toMatch(/orders +stable +green .*keykit rotate start orders/);
  });

  test("status flags an entry whose key is no longer declared in code", async () => {
    const dir = project();
    writeFileSync(
      stateFile(dir),
      JSON.stringify({
        version: 1,
        keys: { legacy: { active: "green", rotations: 1, slots: { green: { status: "active" } } } },
      }),
    );
    const { code, out } = await keykit(dir, "status");
    expect(code).toBe(0);
    expect(out).toMatch(/legacy +stable +green +green +1 .*\[not declared in cdktf.out\]/);
    expect(out).toMatch(/orders +stable +blue/);
  });

  test.each([
    [[], /missing step/],
    [["spin", "orders"], /unknown step 'spin'/],
    [["start"], /missing key name/],
    [["start", "orders", "extra"], /unexpected argument 'extra'/],
    [["start", "Orders Key"], /key name 'Orders Key' must be/],
    [["status", "--verbose"], /unknown option '--verbose'/],
    [["status", "--file"], /--file needs a value/],
  ])("bad usage %j exits 2 with one line", async (args, message) => {
    const { code, err } = await keykit(project(), ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  test("a malformed state file exits 2 and is left as it was", async () => {
    const dir = project();
    writeFileSync(stateFile(dir), '{"version": 1, "keys": {"orders": {"active": "blue", "slots": {}}}}');
    const { code, err } = await keykit(dir, "start", "orders");
    expect(code).toBe(2);
    expect(err).toMatch(/keys.orders: active is "blue" but slots.blue.status is not "active"/);
    expect(readFileSync(stateFile(dir), "utf8")).toContain('"slots": {}');
  });

  test("--file and --synth-dir point elsewhere; --help prints usage with exit codes", async () => {
    const dir = project();
    mkdirSync(join(dir, "ops"));
    // A --file that does not exist is a typo until --init says otherwise.
    const typo = await keykit(dir, "start", "orders", "--file=ops/rotation.json", "--synth-dir", "cdktf.out");
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      "keykit: rotate start: ops/rotation.json does not exist; check the path, or pass --init to create a new rotation-state file there\n",
    );
    expect(existsSync(join(dir, "ops", "rotation.json"))).toBe(false);
    const result = await keykit(
      dir,
      "start",
      "orders",
      "--file=ops/rotation.json",
      "--init",
      "--synth-dir",
      "cdktf.out",
    );
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "ops", "rotation.json"))).toBe(true);
    expect(existsSync(stateFile(dir))).toBe(false);
    const help = await keykit(dir, "--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("exit codes: 0 done, 1 step refused");
  });

  test("a step decides from the state another writer left before it took the lock", async () => {
    const dir = project();
    const other = () => {
      // Another step of another key lands while this one is starting: it must not be lost.
      writeFileSync(
        stateFile(dir),
        '{"version": 1, "keys": {"billing": {"active": "blue", "rotations": 0, "slots": {"blue": {"status": "active"}}}}}\n',
      );
      return new Date("2026-11-28T02:00:00.000Z");
    };
    expect(await rotateCommand(other)(["start", "orders"], io(dir))).toBe(0);
    const state = JSON.parse(readFileSync(stateFile(dir), "utf8"));
    expect(Object.keys(state.keys)).toEqual(["billing", "orders"]);
    expect(state.keys.orders.active).toBe("green");
  });
});

describe("writeFileDurable", () => {
  test("replaces the file and leaves no temp file", () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-"));
    const file = join(dir, "state.json");
    writeFileSync(file, "old");
    writeFileDurable(file, "new");
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  test("a failed write leaves the old content and no temp file", () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-"));
    const target = join(dir, "state.json");
    mkdirSync(target); // rename onto a directory fails
    expect(() => writeFileDurable(target, "new")).toThrow(/is a directory/);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });
});
