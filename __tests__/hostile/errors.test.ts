/**
 * Errors never quote input: every error is formatted in one place (cli/main.ts reportError → cli/errors.ts
 * formatErrorLine) as exactly one line; JSON parse errors give a line and column, never the text around the bad
 * spot (which may be a secret); URLs lose userinfo and query; control characters are escaped so no input can
 * forge a second `keykit:` line; no stack trace unless KEYKIT_DEBUG=1.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { displayUrl, escapeControlCharacters, formatErrorLine, redactUrls } from "../../cli/errors";
import type { CliIo } from "../../cli/io";
import { reportError } from "../../cli/main";
import { SECRET, expectOneLineError, keykit, project, snapshot, spawnKeykitSync } from "./helpers";
import { requireFreshBuild } from "../cli/bin-helpers";

requireFreshBuild();

const STATE = "keykit.rotation.json";

/** A rotation-state file broken right after a pasted secret: one brace too many, so line 6 is past the end. */
const BROKEN_STATE = `{
  "version": 1,
  "keys": {
    "orders": { "active": "blue", "rotations": 0,
      "slots": { "blue": { "status": "active", "note": "${SECRET}" } } } } }
  }
`;

describe("parse errors give a position, never a fragment", () => {
  test.each([
    ["rotate start", ["rotate", "start", "orders"]],
    ["rotate status", ["rotate", "status"]],
    ["audit --rotation-state", ["audit", "--inventory", "keys.json", "--rotation-state", STATE]],
    ["check --rotation-state", ["check", "cdktf.out", "--rotation-state", STATE]],
  ])("%s on a malformed state file: exit 2, line and column only", async (_name, args) => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), BROKEN_STATE);
    writeFileSync(
      join(dir, "keys.json"),
      JSON.stringify([
        { key: "K1", owner: "sa-1", resource_type: "kafka", resource: "lkc-1", created: "2026-01-01T00:00:00Z" },
      ]),
    );
    const before = snapshot(dir);
    const r = await keykit(dir, args);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, SECRET, SECRET.slice(0, 8), '"note"', "} } }");
    expect(r.err).toMatch(/keykit\.rotation\.json[^\n]* not valid JSON \(line 6, column 3\)/);
    expect(snapshot(dir)).toEqual(before);
  });

  test.each([
    ["a syntax error next to a secret", `{"resource": {"confluent_api_key": {"k": {"secret": "${SECRET}" "x": 1}}}}`],
    ["null", "null"],
    ["an array", `["${SECRET}"]`],
    ["a string", JSON.stringify(SECRET)],
    ["a number", "42"],
  ])("a synth-dir cdk.tf.json holding %s: exit 2, one line, no fragment", async (_name, text) => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json"), text);
    const before = snapshot(dir);
    for (const args of [
      ["rotate", "start", "orders"],
      ["rotate", "status"],
    ]) {
      const r = await keykit(dir, args);
      expect(r.code).toBe(2);
      expectOneLineError(r.err, SECRET, SECRET.slice(-8));
      expect(r.err).toMatch(
        /^keykit: cdktf\.out\/stacks\/prod\/cdk\.tf\.json( is not valid JSON \(line 1, column \d+\)|: cannot tell what this JSON is)/,
      );
    }
    expect(snapshot(dir)).toEqual(before);
  });

  test("a stack whose resources are not objects is read defensively (no internal error)", async () => {
    const dir = project(["orders"]);
    const stack = { resource: { confluent_api_key: { a: null, b: "x", c: { "//": { keykit: null } } } } };
    writeFileSync(join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json"), JSON.stringify(stack));
    const r = await keykit(dir, ["rotate", "start", "orders"]);
    expect(r.code).toBe(1);
    expectOneLineError(r.err);
    expect(r.err).toMatch(/unknown key 'orders'/);
  });

  test("a declared rotation name that is not a valid key name never reaches the terminal", async () => {
    const dir = project(["orders"]);
    const file = join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json");
    const stack = JSON.parse(readFileSync(file, "utf8"));
    stack.resource.confluent_api_key.orders_blue["//"].keykit.rotation.name =
      "orders\nkeykit: all keys deleted\u001b[2J";
    writeFileSync(file, JSON.stringify(stack));
    const r = await keykit(dir, ["rotate", "status"]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]|all keys deleted/);
  });

  test("a real process prints exactly one stderr line and no stack for a malformed state file", () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), BROKEN_STATE);
    const r = spawnKeykitSync(dir, ["rotate", "start", "orders"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, SECRET);
    expect(r.out).toBe("");
  });
});

describe("URLs are shown without userinfo or query", () => {
  const env = { CONFLUENT_CLOUD_API_KEY: "CLOUDKEY1", CONFLUENT_CLOUD_API_SECRET: SECRET };
  test.each([
    ["a non-http URL with credentials and a token", "ftp://admin:hunter2@api.example.test/v2?token=tok-991"],
    ["a bare user:password@host", "admin:hunter2@api.example.test"],
  ])("--base-url with %s", async (_name, url) => {
    const dir = project(["orders"]);
    const r = await keykit(dir, ["audit", "--live", "--base-url", url], env);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, "hunter2", "admin", "tok-991", SECRET);
    expect(r.err).toContain("api.example.test");
  });

  test.each([
    [
      "https://u:p@api.confluent.cloud/iam/v2/api-keys?page_token=abc#frag",
      "https://api.confluent.cloud/iam/v2/api-keys?…",
    ],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["https://api.confluent.cloud/", "https://api.confluent.cloud/"],
    ["not a url at all", "not a url at all"],
  ])("displayUrl(%s)", (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });

  test("redactUrls finds URLs inside a message", () => {
    expect(redactUrls("live page 2 (https://k:s@host.test/a?b=c) failed; retry user:pw@other.test")).toBe(
      "live page 2 (https://host.test/a?…) failed; retry other.test",
    );
  });
});

describe("control characters are escaped; stderr is one line", () => {
  test.each([
    ["a newline forging a second line", "orders\nkeykit: rotation finished, all keys deleted"],
    ["an ANSI escape", "orders\u001b[2J\u001b[31m"],
    ["a carriage return", "orders\rkeykit: ok"],
    ["a bidi override", "orders\u202egnp.exe"],
    ["a NUL", "\u0000orders"],
  ])("rotate start with %s in the key name", async (_name, name) => {
    const dir = project(["orders"]);
    const r = await keykit(dir, ["rotate", "start", name]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(snapshot(dir)).not.toHaveProperty(STATE);
  });

  test("an unknown command or flag with control characters stays on one line", async () => {
    const dir = project(["orders"]);
    for (const args of [["rot\nate"], ["check", "x.json", "--bog\u001bus"], ["audit", "--format", "x\ny"]]) {
      const r = await keykit(dir, args);
      expect(r.code).toBe(2);
      expectOneLineError(r.err);
    }
  });

  test("escapeControlCharacters and formatErrorLine", () => {
    expect(escapeControlCharacters("a\nb\tc\u001bd\u007fe\u2028f")).toBe("a\\nb\\tc\\x1bd\\x7fe\\u2028f");
    expect(formatErrorLine("x\nkeykit: forged")).toBe("keykit: x\\nkeykit: forged\n");
  });
});

describe("internal errors", () => {
  function capture(env: Record<string, string>): CliIo & { err: string[] } {
    const err: string[] = [];
    return { err, stdout: () => undefined, stderr: (t) => err.push(t), cwd: ".", env, isTty: false };
  }
  const bug = new SyntaxError(`Unexpected token 'x', "{"secret": "${SECRET}" x}" is not valid JSON`);

  test("are one line without the message (it may quote input) and without a stack", () => {
    const io = capture({});
    expect(reportError(bug, io)).toBe(3); // EXIT_INTERNAL: a bug is not bad input;
    expectOneLineError(`${io.err.join("")}`.replace("internal error", "internal-error"), SECRET);
    expect(io.err.join("")).toBe(
      "keykit: internal error (SyntaxError); set KEYKIT_DEBUG=1 for the detail and the stack trace\n",
    );
  });

  test("KEYKIT_DEBUG=1 adds the detail and the stack; any other value does not", () => {
    const debug = capture({ KEYKIT_DEBUG: "1" });
    reportError(bug, debug);
    expect(debug.err.join("")).toMatch(/\n\s+at /);
    const other = capture({ KEYKIT_DEBUG: "yes" });
    reportError(bug, other);
    expect(other.err.join("").split("\n")).toHaveLength(2);
  });

  test("a directory where a stack's cdk.tf.json should be is a clear error, not an internal one", async () => {
    const dir = project(["orders"]);
    mkdirSync(join(dir, "cdktf.out", "stacks", "dev", "cdk.tf.json"), { recursive: true });
    const r = await keykit(dir, ["rotate", "status"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).toMatch(/^keykit: cdktf\.out\/stacks\/dev\/cdk\.tf\.json: is a directory, not a file\n$/);
  });
});
