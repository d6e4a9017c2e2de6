/**
 * One stack/input discovery (policies/loaders/discover.ts) for `keykit check`, `keykit audit --config`,
 * `keykit rotate --synth-dir` and the jest helpers: on one hand-written repository tree they all see the same
 * synthesized stacks, and a bad entry (a FIFO where a stack file should be, a dangling linked stack, an empty
 * cdktf.out) is the same one line in each. The built bin runs the same tree in discovery-bin.test.ts.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { findInputs, findJsonInputs, stackFile } from "../../policies/loaders/discover";
import { InputError } from "../../policies/loaders/util";
import { findingsFor, keykitReport } from "../../testing/policies";
import { runKeykit } from "../audit/helpers";
import { TREE_KEYS, TREE_STACKS, discoveryTree } from "./helpers/discovery-tree";

interface JsonReport {
  readonly inputs: readonly { source: string; kind: string; notes: readonly string[] }[];
  readonly findings: readonly { ruleId: string; subject: string }[];
}

async function checkReport(cwd: string, path: string): Promise<JsonReport> {
  const r = await runKeykit(["check", path, "--format", "json", "--fail-on", "none"], { cwd });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonReport;
}

function auditArgs(path: string): string[] {
  return ["audit", "--inventory", "keys.json", "--config", path, "--format", "json", "--fail-on", "none"];
}

async function auditNotes(cwd: string, path: string): Promise<string[]> {
  const r = await runKeykit(auditArgs(path), { cwd });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as JsonReport).inputs.flatMap((i) => i.notes);
}

interface StatusKey {
  readonly name: string;
  readonly declared: boolean;
  readonly addresses: Record<string, string>;
}

async function rotateStatus(cwd: string, synthDir: string): Promise<{ keys: StatusKey[]; stderr: string }> {
  const r = await runKeykit(["rotate", "status", "--synth-dir", synthDir, "--format", "json"], { cwd });
  expect(r.code).toBe(0);
  return { keys: (JSON.parse(r.stdout) as { keys: StatusKey[] }).keys, stderr: r.stderr };
}

/** The one line a command refused with (exit 2), without the `keykit: ` prefix. */
async function refusal(cwd: string, args: string[]): Promise<string> {
  const r = await runKeykit(args, { cwd });
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^keykit: [^\n]+\n$/);
  expect(r.code).toBe(2);
  return r.stderr.replace(/^keykit: /, "").trimEnd();
}

function helperRefusal(path: string): string {
  try {
    findingsFor(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`findingsFor('${path}') did not refuse`);
}

describe("one discovery: what a path holds", () => {
  const root = discoveryTree();

  it("lists the cdktf.out's stacks in name order, the linked stack and the HCL root; not the plan or the module", async () => {
    expect(await findInputs("repo", root)).toEqual([
      {
        kind: "cdktf-out",
        path: "repo/app/cdktf.out",
        stacks: [
          { stack: "orders", path: "repo/app/cdktf.out/stacks/orders/cdk.tf.json" },
          { stack: "payments", path: "repo/app/cdktf.out/stacks/payments/cdk.tf.json" },
        ],
      },
      { kind: "cdktf-json", path: "repo/edge/cdk.tf.json", stack: "edge" },
      { kind: "hcl", path: "repo/legacy/network" },
    ]);
  });

  it("gives a file as itself and a cdktf.out as its stacks, wherever the search starts", async () => {
    const plan = "repo/app/cdktf.out/stacks/orders/plan.json";
    expect(await findInputs(plan, root)).toEqual([{ kind: "file", path: plan }]);
    const fromOut = findJsonInputs("repo/app/cdktf.out", root, "takes JSON").files.map((f) => f.path);
    const fromApp = findJsonInputs("repo/app", root, "takes JSON").files.map((f) => f.path);
    expect(fromOut).toEqual(TREE_STACKS.slice(0, 2));
    expect(fromApp).toEqual(fromOut);
    expect(stackFile("repo/app/cdktf.out", "orders")).toBe(TREE_STACKS[0]);
  });

  it("for a reader of JSON only: the same stacks, the HCL root passed over in a note naming what it takes", () => {
    const found = findJsonInputs("repo", root, "audit --config takes JSON");
    expect(found.files).toEqual([
      { stack: "orders", path: TREE_STACKS[0] },
      { stack: "payments", path: TREE_STACKS[1] },
      { stack: "edge", path: TREE_STACKS[2] },
    ]);
    expect(found.notes).toEqual([
      "not checked: repo/legacy/network: an HCL root, which only keykit check reads (audit --config takes JSON)",
    ]);
    expect(() => findJsonInputs("repo/legacy", root, "audit --config takes JSON")).toThrow(
      "repo/legacy: holds only HCL (*.tf), which only keykit check reads; audit --config takes JSON",
    );
    expect(() => findJsonInputs("repo/legacy/network/main.tf", root, "rotate takes JSON")).toThrow(
      "repo/legacy/network/main.tf: is HCL, which only keykit check reads; rotate takes JSON",
    );
  });

  it("refuses an empty cdktf.out given directly, and passes over one found below", async () => {
    await expect(findInputs("repo/retired/cdktf.out", root)).rejects.toThrow(
      new InputError("repo/retired/cdktf.out: a cdktf.out directory without stacks/*/cdk.tf.json"),
    );
    expect((await findInputs("repo", root)).some((i) => i.path.startsWith("repo/retired"))).toBe(false);
    await expect(findInputs("repo/shared", root)).rejects.toThrow(
      "repo/shared: no *.tf files, cdk.tf.json or cdktf.out at any depth (below repo/shared)",
    );
  });
});

describe("check, audit, rotate and the jest helpers see the same stacks", () => {
  const root = discoveryTree();

  it("keykit check DIR", async () => {
    const report = await checkReport(root, "repo");
    expect(report.inputs.map((i) => i.source)).toEqual([...TREE_STACKS, "repo/legacy/network"]);
    // The HCL root was read, its module too (the module's key is under the root's address).
    expect(report.findings.map((f) => f.subject)).toContain("module.keys.confluent_api_key.ops");
  });

  it("keykit audit --config DIR (HCL passed over with a note)", async () => {
    const notes = await auditNotes(root, "repo");
    expect(notes.filter((n) => n.startsWith("configuration: "))).toEqual(TREE_STACKS.map((s) => `configuration: ${s}`));
    expect(notes).toContain(
      "not checked: repo/legacy/network: an HCL root, which only keykit check reads " +
        "(audit --config takes cdk.tf.json, a cdktf.out, Terraform state or plan JSON)",
    );
  });

  it("keykit rotate status --synth-dir DIR finds the key each stack declares", async () => {
    const { keys, stderr } = await rotateStatus(root, "repo");
    expect(Object.fromEntries(keys.map((k) => [k.name, k.addresses]))).toEqual(TREE_KEYS);
    expect(keys.every((k) => k.declared)).toBe(true);
    expect(stderr).toBe(
      "keykit: not checked: repo/legacy/network: an HCL root, which only keykit check reads " +
        "(rotate --synth-dir takes a cdktf.out or a directory of cdk.tf.json stacks)\n",
    );
  });

  it("keykitReport / findingsFor on the directory", () => {
    const report = keykitReport(join(root, "repo"));
    const sources = report.inputs.map((i) => relative(root, i.source));
    expect(sources).toEqual([...TREE_STACKS, "repo"]);
    expect(report.inputs[3].notes).toEqual([expect.stringMatching(/^not checked: .*legacy\/network: an HCL root/)]);
    // Each stack was read: the plan-free stacks judged, no finding from a fourth (linked-directory) stack.
    expect(findingsFor(join(root, "repo"), { minSeverity: "info" }).every((f) => !f.subject.includes("intruder"))).toBe(
      true,
    );
  });

  it("the plan next to a stack is read when given, and is no stack itself", async () => {
    const report = await checkReport(root, "repo/app/cdktf.out/stacks/orders/plan.json");
    expect(report.inputs.map((i) => [i.source, i.kind])).toEqual([
      ["repo/app/cdktf.out/stacks/orders/plan.json", "plan"],
    ]);
    expect((await checkReport(root, "repo/app/cdktf.out")).inputs.map((i) => i.source)).toEqual(
      TREE_STACKS.slice(0, 2),
    );
  });
});

describe("a bad entry is the same one line in every reader", () => {
  /** Every reader on `path` (cwd `root`): check, audit --config, rotate --synth-dir, and the jest helper. */
  async function everyRefusal(root: string, path: string): Promise<string[]> {
    return [
      await refusal(root, ["check", path]),
      await refusal(root, auditArgs(path)),
      await refusal(root, ["rotate", "status", "--synth-dir", path]),
      helperRefusal(join(root, path)).replace(`${root}/`, ""),
    ];
  }

  it("a FIFO where a stack file should be", async () => {
    const root = discoveryTree();
    rmSync(join(root, "repo/app/cdktf.out/stacks/orders/cdk.tf.json"));
    execFileSync("mkfifo", [join(root, "repo/app/cdktf.out/stacks/orders/cdk.tf.json")]);
    const line =
      "repo/app/cdktf.out/stacks/orders/cdk.tf.json: is a FIFO (named pipe): only regular files and directories are read";
    expect(await everyRefusal(root, "repo/app/cdktf.out")).toEqual([line, line, line, line]);
    // In a search with several inputs, check goes on and names it in a note; the others refuse (they fail closed).
    const report = await checkReport(root, "repo");
    expect(report.inputs.flatMap((i) => i.notes)).toContain(`not checked: ${line}`);
    expect([
      await refusal(root, auditArgs("repo")),
      await refusal(root, ["rotate", "status", "--synth-dir", "repo"]),
      helperRefusal(join(root, "repo")).replace(`${root}/`, ""),
    ]).toEqual([line, line, line]);
  });

  it("a stack file that is not JSON, or JSON of no known kind (position only, never a fragment)", async () => {
    const root = discoveryTree();
    const stack = join(root, "repo/app/cdktf.out/stacks/payments/cdk.tf.json");
    writeFileSync(
      stack,
      '{\n  "resource": {\n    "confluent_api_key": { "k": { "secret": "s3cr3t-value" "x": 1 } }\n  }\n}\n',
    );
    const broken = "repo/app/cdktf.out/stacks/payments/cdk.tf.json is not valid JSON (line 3, column 60)";
    expect(await everyRefusal(root, "repo/app/cdktf.out")).toEqual([broken, broken, broken, broken]);
    writeFileSync(stack, '["s3cr3t-value"]\n');
    const unknown =
      "repo/app/cdktf.out/stacks/payments/cdk.tf.json: cannot tell what this JSON is (not a plan, state or cdk.tf.json)";
    expect(await everyRefusal(root, "repo/app/cdktf.out")).toEqual([unknown, unknown, unknown, unknown]);
  });

  it("a dangling linked stack", async () => {
    const root = discoveryTree();
    rmSync(join(root, "repo/shared/edge-stack.json"));
    const line = "repo/edge/cdk.tf.json: dangling symlink (its target does not exist)";
    expect(await everyRefusal(root, "repo/edge")).toEqual([line, line, line, line]);
  });

  it("an empty cdktf.out", async () => {
    const root = discoveryTree();
    const line = "repo/retired/cdktf.out: a cdktf.out directory without stacks/*/cdk.tf.json";
    expect(await everyRefusal(root, "repo/retired/cdktf.out")).toEqual([line, line, line, line]);
  });

  it("a missing path (rotate alone takes a missing synth dir for nothing synthesized yet)", async () => {
    const root = discoveryTree();
    const line = "repo/nowhere: no such file or directory";
    expect(await refusal(root, ["check", "repo/nowhere"])).toBe(line);
    expect(await refusal(root, auditArgs("repo/nowhere"))).toBe(line);
    expect(helperRefusal(join(root, "repo/nowhere")).replace(`${root}/`, "")).toBe(line);
    expect((await rotateStatus(root, "repo/nowhere")).keys).toEqual([]);
  });
});
