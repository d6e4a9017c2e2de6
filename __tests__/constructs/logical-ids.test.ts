/**
 * KeykitStack allocates its logical IDs itself (constructs/logical-ids.ts) because the framework's way is slow on
 * nested paths. The IDs are the Terraform addresses, so they must be the framework's to the byte: every path here
 * is built twice, under a KeykitStack and under a plain TerraformStack, and the IDs compared. The cdktn leg runs
 * this file against cdktn's own scheme.
 */
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { KeykitStack } from "../../constructs";
import { hashedLogicalId } from "../../constructs/logical-ids";

/** A tiny deterministic PRNG (mulberry32): the same paths on every run, so a failure repeats. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_IDS = ["Default", "Resource", "App", "Blue", "BlueGreen", "Green", "a-b", "a_b", "a.b", "ä", "x y"];
const ALPHABET = "AbZz09_-.:é ";

function componentId(next: () => number): string {
  if (next() < 0.4) return SPECIAL_IDS[Math.floor(next() * SPECIAL_IDS.length)];
  const length = next() < 0.05 ? 200 + Math.floor(next() * 100) : 1 + Math.floor(next() * 12);
  let id = "";
  for (let i = 0; i < length; i++) id += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return id;
}

/** Each path: outermost first, below the stack. */
function randomPaths(count: number): string[][] {
  const next = random(20261201);
  const paths: string[][] = [];
  for (let p = 0; p < count; p++) {
    const depth = 1 + Math.floor(next() * 5);
    paths.push(Array.from({ length: depth }, () => componentId(next)));
  }
  return paths;
}

const HAND_WRITTEN: readonly string[][] = [
  ["Credentials"],
  ["App0", "Blue"],
  ["App0", "RoleBinding-DeveloperRead"],
  ["Orders", "Default"],
  ["Default", "Orders"],
  ["Orders", "Resource"],
  ["Bucket", "BucketPolicy", "Policy"],
  ["Key", "Key"],
  ["a".repeat(255)],
  ["a".repeat(256)],
  ["b".repeat(250), "c".repeat(30)],
  ["App", "Default", "Default", "Key"],
];

/** Builds each path under a stack of its own made by `stackFor`, as an output below plain constructs; its ID. */
function logicalIds(stackFor: (index: number) => TerraformStack, paths: readonly string[][]): string[] {
  return paths.map((path, index) => {
    // A stack per path: the whole path is below the stack (one component too), and no two paths share a construct.
    let scope: Construct = stackFor(index);
    for (const id of path.slice(0, -1)) scope = (scope.node.tryFindChild(id) as Construct) ?? new Construct(scope, id);
    const output = new TerraformOutput(scope, path[path.length - 1], { value: "v" });
    // A path of `Default`s only has no ID: the framework refuses it, and so must the kit, with the same words.
    try {
      return output.friendlyUniqueId;
    } catch (error) {
      return `threw: ${(error as Error).message}`;
    }
  });
}

describe("KeykitStack logical IDs", () => {
  const paths = [...HAND_WRITTEN, ...randomPaths(600)];

  test("are the framework's own IDs on hand-written and generated paths", () => {
    const kitApp = new App();
    const frameworkApp = new App();
    const kit = logicalIds((i) => new KeykitStack(kitApp, `s${i}`, { policyValidation: false }), paths);
    const framework = logicalIds((i) => new TerraformStack(frameworkApp, `s${i}`), paths);
    expect(kit).toHaveLength(paths.length);
    for (let i = 0; i < paths.length; i++) expect([paths[i], kit[i]]).toEqual([paths[i], framework[i]]);
    // The generated paths reach every branch of the scheme (else this test proves less than it says).
    expect(kit.some((id) => /_[0-9A-F]{8}$/.test(id))).toBe(true);
    expect(paths.some((p) => p.includes("Default"))).toBe(true);
    expect(paths.some((p) => p.some((id) => id.length > 240))).toBe(true);
    expect(kit).toContain("a".repeat(255));
    expect(kit.some((id) => /^a{240}_[0-9A-F]{8}$/.test(id))).toBe(true);
  });

  test("a stack's own children at the top level keep their plain ID (no hash)", () => {
    const stack = new KeykitStack(new App(), "flat", { policyValidation: false });
    expect(new TerraformOutput(stack, "Credentials-1", { value: "v" }).friendlyUniqueId).toBe("Credentials-1");
  });

  test("a path of Default only is left to the framework, which refuses it as it always did", () => {
    expect(hashedLogicalId(["Default"])).toBeUndefined();
    const path = [["Default", "Default"]];
    const [kit] = logicalIds(() => new KeykitStack(new App(), "d", { policyValidation: false }), path);
    expect(kit).toMatch(/^threw: /);
    expect(kit).toBe(logicalIds(() => new TerraformStack(new App(), "d"), path)[0]);
  });
});
