/**
 * The rotation-state file round-trips: fields keykit does not know (a top-level comment, a per-key owner, per-slot
 * notes) stay where they are, and the file's key order, indentation and line endings are kept, so the diff of a
 * step is only the step.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rotateCommand } from "../../cli/commands/rotate";
import type { CliIo } from "../../cli/io";
import { parseRotationState } from "../../policies/rotation-state";
import { handKeptState, keykit, project } from "./helpers";

const AT = "2026-11-28T02:00:00.000Z";

async function step(dir: string, ...args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: CliIo = { stdout: () => undefined, stderr: (t) => err.push(t), cwd: dir, env: {}, isTty: false };
  const code = await rotateCommand(() => new Date(AT))(args, io);
  return { code, err: err.join("") };
}

/** Lines of `after` not in `before` and lines of `before` not in `after`, in order (both files are small). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence, so a moved line would show as removed + added.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) added.push(b[j++].trim());
    else removed.push(a[i++].trim());
  }
  return { removed, added };
}

describe("the rotation-state file round-trips", () => {
  test("start keeps the comment, owners and notes in place; the diff is only the step", async () => {
    const dir = project(["orders", "billing"]);
    const file = join(dir, "keykit.rotation.json");
    writeFileSync(file, handKeptState());
    expect(await step(dir, "start", "orders")).toEqual({ code: 0, err: "" });
    const after = readFileSync(file, "utf8");
    // Exactly the hand-kept file with the step applied to `orders`: nothing else moved or changed.
    // The hand-kept `orders` entry, the file's last key, exactly as helpers.ts writes it.
    const kept = handKeptState();
    const ordersBefore = kept.slice(kept.indexOf('    "orders": {'), kept.lastIndexOf("\n  }\n}\n"));
    expect(ordersBefore).toMatch(
      /^ {4}"orders": \{\n {6}"owner": "team-orders",\n[^]*"predates the state file"\n {8}\}\n {6}\}\n {4}\}$/,
    );
    const ordersAfter = `    "orders": {
      "owner": "team-orders",
      "active": "green",
      "rotations": 1,
      "slots": {
        "blue": {
          "status": "retained",
          "deactivatedAt": "${AT}",
          "note": "predates the state file"
        },
        "green": {
          "status": "active",
          "createdAt": "${AT}",
          "activatedAt": "${AT}"
        }
      }
    }`;
    expect(after).toBe(kept.replace(ordersBefore, ordersAfter));
    // The unknown fields are still where they were, byte for byte.
    expect(after).toContain('"//": "Edited only by keykit rotate; owners per key are for the on-call rota.",');
    expect(after).toMatch(/"orders": \{\n {6}"owner": "team-orders",\n {6}"active": "green",/);
    expect(after).toMatch(/"deactivatedAt": "[^"]+",\n {10}"note": "predates the state file"\n/);
    expect(parseRotationState(after).keys.orders.active).toBe("green");
  });

  test("re-creating a retired slot keeps its note; finish adds retiredAt after deactivatedAt", async () => {
    const dir = project(["orders", "billing"]);
    const file = join(dir, "keykit.rotation.json");
    writeFileSync(file, handKeptState());
    expect((await step(dir, "start", "billing")).code).toBe(0);
    const started = readFileSync(file, "utf8");
    expect(started).toContain(
      [
        '        "blue": {',
        '          "status": "active",',
        `          "createdAt": "${AT}",`,
        '          "note": "first key, created by hand",',
        `          "activatedAt": "${AT}"`,
        "        },",
        '        "green": {',
        '          "status": "retained",',
        '          "createdAt": "2025-06-01T08:00:00Z",',
        '          "activatedAt": "2025-06-01T08:00:00Z",',
        `          "deactivatedAt": "${AT}",`,
        '          "ticket": "OPS-1432"',
        "        }",
      ].join("\n"),
    );
    // After the start's apply, `keykit verify` proved the new (blue) slot works: finish's gate.
    const proof = {
      proved: "works",
      keyId: "BILLBLUE01",
      by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200, a wrong secret 401",
      control: 401,
    };
    const activated = `          "activatedAt": "${AT}"\n        },`;
    writeFileSync(
      file,
      started.replace(
        activated,
        `          "activatedAt": "${AT}",\n          "verifiedAt": "${AT}",\n          "verification": ${JSON.stringify(proof, null, 2).replace(/\n/g, "\n          ")}\n        },`,
      ),
    );
    const verified = readFileSync(file, "utf8");
    expect(verified).not.toBe(started);
    expect((await step(dir, "finish", "billing")).code).toBe(0);
    const finished = readFileSync(file, "utf8");
    expect(changedLines(verified, finished)).toEqual({
      removed: ['"status": "retained",'],
      added: ['"status": "retired",', `"retiredAt": "${AT}",`],
    });
    expect(finished).toMatch(/"deactivatedAt": "[^"]+",\n {10}"retiredAt": "[^"]+",\n {10}"ticket": "OPS-1432"/);
  });

  test("four-space indentation, CRLF line endings and an unsorted key order are kept", async () => {
    const dir = project(["zeta", "alpha"]);
    const file = join(dir, "keykit.rotation.json");
    const text = JSON.stringify(
      {
        version: 1,
        keys: {
          zeta: { active: "blue", rotations: 0, slots: { blue: { status: "active" } } },
          alpha: { active: "blue", rotations: 0, slots: { blue: { status: "active" } } },
        },
        reviewers: ["@platform"],
      },
      null,
      4,
    ).replace(/\n/g, "\r\n");
    writeFileSync(file, `${text}\r\n`);
    expect((await step(dir, "start", "alpha")).code).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(after.endsWith("}\r\n")).toBe(true);
    expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    expect(after).toContain('\r\n    "reviewers": [\r\n        "@platform"\r\n    ]\r\n}');
    expect(Object.keys(JSON.parse(after).keys)).toEqual(["zeta", "alpha"]);
    expect(after).toMatch(/\r\n {8}"alpha": \{\r\n {12}"active": "green",/);
  });

  test("a new key goes in sorted place in a sorted file; an untouched key stays byte-identical", async () => {
    const dir = project(["apples", "melons", "kiwis"]);
    const file = join(dir, "keykit.rotation.json");
    const entry = { active: "blue", rotations: 0, slots: { blue: { status: "active", note: "keep me" } } };
    const text = `${JSON.stringify({ version: 1, keys: { apples: entry, melons: entry } }, null, 2)}\n`;
    writeFileSync(file, text);
    expect((await step(dir, "start", "kiwis")).code).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(Object.keys(JSON.parse(after).keys)).toEqual(["apples", "kiwis", "melons"]);
    const { removed } = changedLines(text, after);
    expect(removed).toEqual([]);
    expect(after.match(/"note": "keep me"/g)).toHaveLength(2);
  });

  test("a refused step leaves the file byte-identical", async () => {
    const dir = project(["orders", "billing"]);
    const file = join(dir, "keykit.rotation.json");
    writeFileSync(file, handKeptState());
    const r = await keykit(dir, ["rotate", "finish", "orders"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^keykit: cannot finish a rotation of 'orders'[^\n]*\n$/);
    expect(readFileSync(file, "utf8")).toBe(handKeptState());
  });
});
