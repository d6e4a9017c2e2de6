import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { OPTIONAL_PEERS as STORE_PEERS } from "../../constructs/optional-peer";
import { AWS_SDK_PEER } from "../../cli/verify/aws";
import { runDir } from "../helpers/run-dir";
import { VERIFY_PEERS } from "../../cli/verify/peers";

/** The sinks' provider packages, and the store clients that `keykit verify` loads for the AWS, Azure and GCP sinks. */
const OPTIONAL_PEERS = [...STORE_PEERS, AWS_SDK_PEER, ...VERIFY_PEERS];

const root = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  exports: Record<string, unknown>;
  files: string[];
  scripts: Record<string, string>;
};

/** `^x.y.z` as npm reads it (enough for the ranges this package declares). */
function satisfiesCaret(version: string, range: string): boolean {
  if (range.includes("||")) return range.split("||").some((r) => satisfiesCaret(version, r.trim()));
  const [major, minor, patch] = range.replace(/^\^/, "").split(".").map(Number);
  const [vMajor, vMinor, vPatch] = version.split(".").map(Number);
  if (vMajor !== major) return false;
  if (major === 0) return vMinor === minor && vPatch >= patch;
  return vMinor > minor || (vMinor === minor && vPatch >= patch);
}

function run(code: string): string {
  const result = spawnSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout;
}

describe("the package users install", () => {
  test("cdktf and constructs are peers (tested here as devDependencies), never dependencies", () => {
    for (const name of ["cdktf", "constructs"]) {
      expect(manifest.dependencies[name]).toBeUndefined();
      expect(satisfiesCaret(manifest.devDependencies[name], manifest.peerDependencies[name])).toBe(true);
    }
  });

  test("every store provider is an optional peer with the range the sinks name in their error", () => {
    for (const peer of OPTIONAL_PEERS) {
      expect(manifest.dependencies[peer.packageName]).toBeUndefined();
      expect(manifest.peerDependencies[peer.packageName]).toBe(peer.range);
      expect(manifest.peerDependenciesMeta[peer.packageName]).toEqual({ optional: true });
      const dev = manifest.devDependencies[peer.packageName];
      if (dev !== undefined) expect(satisfiesCaret(dev, peer.range)).toBe(true);
    }
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(
      ["cdktf", "cdktn", "constructs", ...OPTIONAL_PEERS.map((p) => p.packageName)].sort(),
    );
  });

  test("keykit/confluent/lib/<resource> loads that resource only, through the package's exports", () => {
    const out = run(
      [
        'const { KafkaTopic } = require("keykit/confluent/lib/kafka-topic");',
        "const bindings = Object.keys(require.cache).filter((f) => f.includes('providers/confluent'));",
        "process.stdout.write(JSON.stringify({ type: KafkaTopic.tfResourceType, bindings }));",
      ].join("\n"),
    );
    const { type, bindings } = JSON.parse(out) as { type: string; bindings: string[] };
    expect(type).toBe("confluent_kafka_topic");
    expect(bindings.map((f) => f.split("providers/confluent/")[1])).toEqual(["kafka-topic/index.js"]);
  });

  test("the namespaced index lists all 128 bindings and loads one only when it is used", () => {
    const out = run(
      [
        'const confluent = require("keykit/confluent");',
        "const count = () => Object.keys(require.cache).filter((f) => f.includes('providers/confluent/')).length;",
        "const before = count();",
        "const type = confluent.connector.Connector.tfResourceType;",
        "process.stdout.write(JSON.stringify({ names: Object.keys(confluent).length, before, after: count(), type }));",
      ].join("\n"),
    );
    expect(JSON.parse(out)).toEqual({ names: 128, before: 1, after: 2, type: "confluent_connector" });
  });

  test("nothing runs at install in a consumer, and packing edits no file: the set-up here is postprepare", () => {
    // npm warns a consumer about every preinstall/install/postinstall/prepare of a dependency it has not allowed; the
    // set-up `npm ci` runs here (generate the bindings, build) is `postprepare`, which npm runs for this project's own
    // install only, so the packed manifest is package.json as committed (no strip and restore around `npm pack`).
    for (const hook of ["preinstall", "install", "postinstall", "prepare", "postpack"])
      expect(manifest.scripts[hook]).toBeUndefined();
    expect(manifest.scripts.postprepare).toBe("node scripts/gen-bindings.mjs && npm run build");
    // prepack builds both frameworks and refuses to pack a file `exports` names that is missing.
    expect(manifest.scripts.prepack).toBe(
      "npm run build && node scripts/cdktn-build.mjs --out dist/cdktn && node scripts/check-entry-points.mjs",
    );
    expect(manifest.files).toEqual(["dist", "schema", "README.md", "RULES.md"]);
  });
});

describe("structural inputs", () => {
  let dir: string;
  beforeAll(() => {
    // Inside the project, so the copy resolves cdktf as the app's own bindings would.
    dir = runDir("structural");
    // A second, separately declared copy of the generated class: its private fields (`_availability`…) are not
    // the kit's, which made a nominal parameter type reject it.
    cpSync(join(root, ".gen", "providers", "confluent", "kafka-cluster"), join(dir, "own-bindings", "kafka-cluster"), {
      recursive: true,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const snippets = {
    accepted: [
      "export function scopeOf(stack: Construct) {",
      '  const cluster = new KafkaCluster(stack, "c", { displayName: "c", availability: "SINGLE_ZONE", cloud: "AWS",',
      '    region: "eu-west-1", environment: { id: "env-1" }, standard: [{}] });',
      "  return KeyScope.fromKafkaCluster(cluster);",
      "}",
    ].join("\n"),
    refused: 'export const s = KeyScope.fromKafkaCluster({ id: "lkc-1", node: { path: "x" } });',
  };
  let errors: Record<keyof typeof snippets, string[]>;

  /** Type-checks each snippet as an app file under `strict` (one program: tsc start-up is the slow part). */
  function compileAll(): Record<keyof typeof snippets, string[]> {
    const kit = join(root, "constructs").replace(/\\/g, "/");
    const files = Object.entries(snippets).map(([name, body]) => {
      const file = join(dir, `${name}.ts`);
      const imports = [
        `import { KeyScope } from "${kit}";`,
        'import { KafkaCluster } from "./own-bindings/kafka-cluster";',
        `import type { Construct } from "${kit}/cdktf";`,
        "void KafkaCluster;",
        "export type { Construct };",
      ];
      writeFileSync(file, [...imports, body].join("\n"));
      return [name, file] as const;
    });
    const program = ts.createProgram(
      files.map(([, file]) => file),
      {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        types: ["node"],
        typeRoots: [join(root, "node_modules", "@types")],
      },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return Object.fromEntries(
      files.map(([name, file]) => [
        name,
        diagnostics
          .filter((d) => d.file?.fileName === file)
          .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
      ]),
    ) as Record<keyof typeof snippets, string[]>;
  }

  test("a KafkaCluster class generated apart from the kit's is accepted by KeyScope.fromKafkaCluster", () => {
    errors ??= compileAll();
    expect(errors.accepted).toEqual([]);
  });

  test("an object without the attributes the kit reads is still refused", () => {
    errors ??= compileAll();
    expect(errors.refused.join("\n")).toMatch(/rbacCrn/);
  });
});
