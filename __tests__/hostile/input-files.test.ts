/**
 * Hostile input paths: FIFOs, sockets and devices are refused before they are opened (a FIFO never blocks), symlink
 * loops and dangling links are named, UTF-8 with a BOM is read, UTF-16 is refused with a hint. Every read site is
 * covered: check inputs and side files, audit inventories, configurations, acknowledgements and rotation state,
 * HCL directory listings.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { decodeUtf8, InputFileError, readInputText } from "../../policies/loaders/read-input-file";
import { expectOneLine, runKeykit, snapshot, tempDir, writeJson } from "./input-helpers";

const CONFIG = {
  "//": { metadata: { backend: "local", stackName: "test" } },
  provider: { confluent: [{}] },
  terraform: { required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } } },
  resource: {},
};
const CLI_KEYS = [
  {
    key: "KEYAAAAAAAAAAAA1",
    owner: "sa-1",
    owner_email: "<service account>",
    resource_type: "kafka",
    resource: "lkc-1",
  },
];
const UTF16_HINT = "UTF-16 is not supported: convert to UTF-8";

let socketServer: Server | undefined;
afterAll(async () => {
  if (socketServer) await new Promise<void>((resolve) => socketServer?.close(() => resolve()));
});

/** A directory holding every kind of hostile path next to one good input of each kind. */
function hostileDir(): string {
  const dir = tempDir();
  execFileSync("mkfifo", [join(dir, "pipe.json")]);
  symlinkSync("loop-b.json", join(dir, "loop-a.json"));
  symlinkSync("loop-a.json", join(dir, "loop-b.json"));
  symlinkSync("gone.json", join(dir, "dangling.json"));
  writeJson(join(dir, "cdk.tf.json"), CONFIG);
  writeJson(join(dir, "cli-api-keys.json"), CLI_KEYS);
  return dir;
}

async function expectRefused(argv: string[], dir: string, problem: RegExp) {
  const before = snapshot(dir);
  const result = await runKeykit(argv, { cwd: dir });
  expect(result.code).toBe(2);
  expect(expectOneLine(result.stderr)).toMatch(problem);
  expect(result.stdout).toBe("");
  expect(snapshot(dir)).toEqual(before);
}

describe("special files are refused before they are opened", () => {
  const cases: [string, string, RegExp][] = [
    ["pipe.json", "a FIFO", /pipe\.json: is a FIFO \(named pipe\): only regular files and directories are read/],
    ["loop-a.json", "a symlink loop", /loop-a\.json: symlink loop/],
    ["dangling.json", "a dangling link", /dangling\.json: dangling symlink \(its target does not exist\)/],
    ["/dev/zero", "a device (endless)", /\/dev\/zero: is a device/],
  ];

  it.each(cases)("check %s (%s)", async (path, _what, problem) => {
    await expectRefused(["check", path], hostileDir(), problem);
  });

  it.each(cases)("audit --inventory %s (%s)", async (path, _what, problem) => {
    await expectRefused(["audit", "--inventory", path], hostileDir(), problem);
  });

  it.each(cases)("audit --config %s (%s)", async (path, _what, problem) => {
    await expectRefused(["audit", "--inventory", "cli-api-keys.json", "--config", path], hostileDir(), problem);
  });

  it.each(cases)("audit --acknowledgements %s (%s)", async (path, _what, problem) => {
    const argv = ["audit", "--inventory", "cli-api-keys.json", "--acknowledgements", path];
    await expectRefused(argv, hostileDir(), problem);
  });

  it.each(cases)("audit --rotation-state %s (%s)", async (path, _what, problem) => {
    const argv = ["audit", "--inventory", "cli-api-keys.json", "--rotation-state", path];
    await expectRefused(argv, hostileDir(), problem);
  });

  it.each(cases)("check --acknowledgements %s (%s)", async (path, _what, problem) => {
    await expectRefused(["check", "cdk.tf.json", "--acknowledgements", path], hostileDir(), problem);
  });

  // A missing state file is an empty state; what a link to nowhere means is the state file's own business (rotate).
  it.each(cases.filter(([p]) => !p.startsWith("dangling") && !p.startsWith("loop")))(
    "rotate status --file %s (%s)",
    async (path, _what, problem) => {
      const dir = hostileDir();
      await expectRefused(["rotate", "status", "--file", path], dir, problem);
    },
  );

  it("refuses a socket", async () => {
    // Unix socket paths are limited to ~107 bytes: use a short directory name under the project's .tmp.
    const dir = tempDir();
    const path = join(dir, "s.json");
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer?.listen(path, resolve));
    await expectRefused(["check", "s.json"], dir, /s\.json: is a socket/);
  });

  it("a default side file that is a FIFO is refused, not waited on", async () => {
    const dir = hostileDir();
    execFileSync("mkfifo", [join(dir, "keykit.acknowledgements.json")]);
    await expectRefused(["check", "cdk.tf.json"], dir, /keykit\.acknowledgements\.json: is a FIFO/);
  });

  it("a cdk.tf.json inside a stack directory that is a FIFO is refused", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "stack"));
    execFileSync("mkfifo", [join(dir, "stack", "cdk.tf.json")]);
    await expectRefused(["check", "stack"], dir, /stack\/cdk\.tf\.json: is a FIFO/);
  });
});

describe("encodings", () => {
  const text = `${JSON.stringify(CONFIG)}\n`;

  it("accepts UTF-8 with a byte-order mark (check and audit)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cdk.tf.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const keys = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(CLI_KEYS))]);
    writeFileSync(join(dir, "cli-api-keys.json"), keys);
    expect((await runKeykit(["check", "cdk.tf.json"], { cwd: dir })).code).toBe(0);
    const audit = await runKeykit(["audit", "--inventory", "cli-api-keys.json", "--format", "json"], { cwd: dir });
    expect(audit.stderr).toBe("");
    expect(JSON.parse(audit.stdout).inputs[0].notes).toContain("inventory: 1 API key(s), 0 service account(s)");
  });

  const utf16: [string, Buffer][] = [
    ["UTF-16LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["UTF-16BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])],
    ["UTF-16LE without BOM", Buffer.from(text, "utf16le")],
    ["UTF-16BE without BOM", Buffer.from(text, "utf16le").swap16()],
  ];

  it.each(utf16)("refuses %s with a hint (check, audit --inventory, --acknowledgements)", async (_name, bytes) => {
    const dir = hostileDir();
    writeFileSync(join(dir, "utf16.json"), bytes);
    const hint = new RegExp(`utf16\\.json: ${UTF16_HINT}$`, "m");
    await expectRefused(["check", "utf16.json"], dir, hint);
    await expectRefused(["audit", "--inventory", "utf16.json"], dir, hint);
    await expectRefused(["audit", "--inventory", "cli-api-keys.json", "--acknowledgements", "utf16.json"], dir, hint);
  });

  it("refuses a UTF-16 rotation-state file (rotate and audit --rotation-state)", async () => {
    const dir = hostileDir();
    const state = Buffer.from(JSON.stringify({ version: 1, keys: {} }), "utf16le");
    writeFileSync(join(dir, "keykit.rotation.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), state]));
    const hint = new RegExp(`keykit\\.rotation\\.json: ${UTF16_HINT}$`, "m");
    await expectRefused(["rotate", "status", "--file", "keykit.rotation.json"], dir, hint);
    await expectRefused(["audit", "--inventory", "cli-api-keys.json"], dir, hint);
  });

  it("does not mistake UTF-8 text for UTF-16", () => {
    expect(decodeUtf8(Buffer.from('{"a":"é\\u0000"}'), "x.json")).toBe('{"a":"é\\u0000"}');
    expect(decodeUtf8(Buffer.from("{}"), "x.json")).toBe("{}");
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf]), "x.json")).toBe("");
    expect(() => decodeUtf8(Buffer.from([0xff, 0xfe]), "x.json")).toThrow(InputFileError);
  });

  it("names a directory given where a file is read", () => {
    const dir = tempDir();
    expect(() => readInputText(".", dir)).toThrow(/^\.: is a directory, not a file$/);
  });
});

describe("HCL directory listings", () => {
  const HCL = `terraform {\n  required_providers {\n    confluent = {\n      source = "confluentinc/confluent"\n    }\n  }\n}\n`;

  it("skips a directory and a dangling link named *.tf, with a note each", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "infra"));
    writeFileSync(join(dir, "infra", "main.tf"), HCL);
    mkdirSync(join(dir, "infra", "modules.tf"));
    symlinkSync("removed.tf", join(dir, "infra", "old.tf"));
    const before = snapshot(dir);
    const result = await runKeykit(["check", "infra", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const notes: string[] = JSON.parse(result.stdout).inputs.flatMap((i: { notes: string[] }) => i.notes);
    expect(notes).toEqual(
      expect.arrayContaining([
        "infra/modules.tf: skipped (a directory)",
        "infra/old.tf: skipped (dangling symlink (its target does not exist))",
      ]),
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a FIFO named *.tf in the directory", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "infra"));
    writeFileSync(join(dir, "infra", "main.tf"), HCL);
    execFileSync("mkfifo", [join(dir, "infra", "pipe.tf")]);
    await expectRefused(["check", "infra"], dir, /infra\/pipe\.tf: is a FIFO/);
  });

  it("refuses a UTF-16 *.tf file", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "infra"));
    writeFileSync(
      join(dir, "infra", "main.tf"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HCL, "utf16le")]),
    );
    await expectRefused(["check", "infra"], dir, new RegExp(`infra/main\\.tf: ${UTF16_HINT}`));
  });
});
