#!/usr/bin/env node
// `npm run test:package`: the kit as a new user gets it. Packs this repository (prepack builds the cdktf and the cdktn
// flavours; packing edits no file), checks the tarball holds every file `exports` names for both frameworks and that
// prepack refuses a build lacking one, installs the tarball with cdktf and
// constructs from the npm registry into an app outside the repository, and checks that the app type-checks under
// `strict`, synthesizes, passes the provider-schema check, accepts its own `cdktf get` bindings, and fails with one
// line when a sink's optional provider is missing.
// Needs the npm registry (or a warm npm cache) and the generated .gen/ (`npm ci`); it rebuilds dist/ first. Writes
// .tmp/package-results.json ({ passed, failed }) for .ci/run and prints `N passed, N failed` last.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exportTargets, missingEntryPoints } from "./entry-points.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const results = [];

function check(name, fn) {
  try {
    fn();
    results.push({ name, ok: true });
    console.log(`ok - ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `not ok - ${name}\n  ${String(error?.message ?? error)
        .split("\n")
        .join("\n  ")}`,
    );
  }
}

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

function must(result, what) {
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** A directory outside the repository: inside it, Node would find the repository's node_modules and hide gaps. */
function outsideDir(prefix) {
  const base = relative(root, tmpdir()).startsWith("..") ? tmpdir() : "/tmp";
  return mkdtempSync(join(base, prefix));
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const cdktfCli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const work = outsideDir("keykit-package-");
const app = join(work, "app");
mkdirSync(join(app, "src"), { recursive: true });
let tarball;
let installLog = "";

let packedFiles = [];
check("npm pack builds a tarball with the bindings, the schema and no sources, editing no file", () => {
  if (!existsSync(join(root, ".gen", "providers", "confluent", "index.ts")))
    throw new Error(".gen/ is missing: run npm ci");
  const before = readFileSync(join(root, "package.json"), "utf8");
  // Not --ignore-scripts: prepack builds dist/ and dist/cdktn/ and checks the entry points.
  must(run(npm, ["pack", "--pack-destination", work], root), "npm pack");
  if (readFileSync(join(root, "package.json"), "utf8") !== before)
    throw new Error("npm pack left package.json changed");
  tarball = join(work, `keykit-${manifest.version}.tgz`);
  const files = must(run("tar", ["-tzf", tarball], work), "tar")
    .stdout.split("\n")
    .filter((f) => f !== "")
    .map((f) => f.replace(/^package\//, ""));
  packedFiles = files;
  for (const needed of [
    "dist/constructs/index.js",
    "dist/.gen/providers/confluent/index.js",
    "dist/.gen/providers/confluent/kafka-topic/index.d.ts",
    "dist/testing/index.js",
    "schema/schema.json",
  ]) {
    if (!files.includes(needed)) throw new Error(`the tarball lacks ${needed}`);
  }
  const stray = files.filter((f) => /(^|\/)__tests__\/|\.ts$/.test(f) && !f.endsWith(".d.ts"));
  if (stray.length > 0) throw new Error(`the tarball has sources or tests: ${stray.slice(0, 5).join(", ")}`);
  const packed = JSON.parse(must(run("tar", ["-xzOf", tarball, "package/package.json"], work), "tar").stdout);
  const hooks = ["preinstall", "install", "postinstall", "prepare"].filter((h) => packed.scripts?.[h] !== undefined);
  if (hooks.length > 0) throw new Error(`the packed manifest has install-time scripts: ${hooks.join(", ")}`);
  if (JSON.stringify(packed) !== JSON.stringify(manifest))
    throw new Error("the packed package.json is not the committed one");
});

check("the tarball holds every file `exports` names, for cdktf and for cdktn", () => {
  const missing = missingEntryPoints(manifest, packedFiles);
  if (missing.length > 0) throw new Error(`the tarball lacks entry points: ${missing.join(", ")}`);
  const targets = exportTargets(manifest);
  for (const framework of ["dist/constructs/", "dist/cdktn/constructs/", "dist/cdktn/.gen/providers/confluent/"]) {
    if (!targets.some((t) => t.startsWith(framework))) throw new Error(`exports names nothing under ${framework}`);
  }
  for (const needed of [
    "dist/cdktn/constructs/index.js",
    "dist/cdktn/.gen/providers/confluent/kafka-topic/index.d.ts",
  ]) {
    if (!packedFiles.includes(needed)) throw new Error(`the tarball lacks ${needed}`);
  }
});

check("prepack refuses, in one line, a build that lacks an entry point (dist/cdktn/ removed)", () => {
  const copy = join(work, "no-cdktn");
  mkdirSync(copy);
  must(run("tar", ["-xzf", tarball, "-C", copy, "--strip-components=1", "--exclude=package/dist/cdktn"], work), "tar");
  const refused = run(process.execPath, [join(root, "scripts", "check-entry-points.mjs"), copy], work);
  if (refused.status !== 1) throw new Error(`exit ${refused.status}, expected 1`);
  const lines = refused.stderr.trim().split("\n");
  if (lines.length !== 1 || !/^keykit: not packing: .*dist\/cdktn\/constructs\/index\.js/.test(lines[0])) {
    throw new Error(`expected one line naming dist/cdktn/constructs/index.js, got:\n${refused.stderr}`);
  }
  mkdirSync(join(work, "whole"));
  must(run("tar", ["-xzf", tarball, "-C", join(work, "whole"), "--strip-components=1"], work), "tar");
  must(run(process.execPath, [join(root, "scripts", "check-entry-points.mjs"), join(work, "whole")], work), "check");
});

check("npm install of the tarball with cdktf and constructs prints no warning caused by the kit", () => {
  const pkg = {
    name: "orders-app",
    private: true,
    version: "1.0.0",
    dependencies: {
      keykit: `file:${tarball}`,
      cdktf: manifest.devDependencies.cdktf,
      constructs: manifest.devDependencies.constructs,
    },
  };
  writeFileSync(join(app, "package.json"), JSON.stringify(pkg, null, 2));
  const installed = must(run(npm, ["install", "--no-audit", "--no-fund"], app), "npm install");
  installLog = `${installed.stdout}\n${installed.stderr}`;
  const warnings = installLog
    .split("\n")
    .filter((line) => /warn/i.test(line) && /keykit|prepare|scripts\//i.test(line));
  if (warnings.length > 0) throw new Error(`warnings from the kit:\n${warnings.join("\n")}`);
  for (const absent of ["@cdktf/provider-aws", "@cdktf/provider-vault", "cdktf-cli"]) {
    if (existsSync(join(app, "node_modules", absent))) throw new Error(`${absent} was installed although no one asked`);
  }
});

const appSource = `import { App } from "cdktf";
import { Connector } from "keykit/confluent/lib/connector";
import { DataConfluentKafkaCluster } from "keykit/confluent/lib/data-confluent-kafka-cluster";
import { KafkaAcl } from "keykit/confluent/lib/kafka-acl";
import { KafkaTopic } from "keykit/confluent/lib/kafka-topic";
import { ConfluentProvider } from "keykit/confluent/lib/provider";
import * as confluent from "keykit/confluent";
import { KeyScope, KeykitStack, ServiceAccountWithKey } from "keykit";

const app = new App({ outdir: "cdktf.out" });
const stack = new KeykitStack(app, "orders");
new ConfluentProvider(stack, "confluent", {});
const environment = new confluent.dataConfluentEnvironment.DataConfluentEnvironment(stack, "Env", { id: "env-abc123" });
const cluster = new DataConfluentKafkaCluster(stack, "Cluster", { id: "lkc-abc123", environment: { id: environment.id } });
const producer = new ServiceAccountWithKey(stack, "Producer", {
  scope: KeyScope.fromKafkaCluster(cluster, { type: "standard" }),
  serviceAccountName: "orders-producer",
});
const credentials = { key: producer.apiKeyId, secret: producer.apiKeySecret };
new KafkaTopic(stack, "Orders", {
  topicName: "orders",
  partitionsCount: 6,
  kafkaCluster: { id: cluster.id },
  restEndpoint: cluster.restEndpoint,
  credentials,
});
new KafkaAcl(stack, "ProducerWrite", {
  kafkaCluster: { id: cluster.id },
  resourceType: "TOPIC",
  resourceName: "orders",
  patternType: "LITERAL",
  principal: \`User:\${producer.ownerId}\`,
  host: "*",
  operation: "WRITE",
  permission: "ALLOW",
  restEndpoint: cluster.restEndpoint,
  credentials,
});
new Connector(stack, "OrdersSink", {
  environment: { id: environment.id },
  kafkaCluster: { id: cluster.id },
  configNonsensitive: {
    "connector.class": "DatagenSource",
    name: "orders-datagen",
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": producer.ownerId,
    "kafka.topic": "orders",
    "output.data.format": "JSON",
    quickstart: "ORDERS",
    "tasks.max": "1",
  },
});
app.synth();
`;

const ownSource = `import { Construct } from "constructs";
import { KeyScope, ServiceAccountWithKey } from "keykit";
import { DataConfluentSchemaRegistryCluster } from "../.gen/providers/confluent/data-confluent-schema-registry-cluster";
import { KafkaCluster } from "../.gen/providers/confluent/kafka-cluster";
import { ServiceAccount } from "../.gen/providers/confluent/service-account";

// The app's own \`cdktf get\` bindings: classes declared apart from the kit's, accepted structurally.
export function ownBindings(scope: Construct): ServiceAccountWithKey[] {
  const cluster = new KafkaCluster(scope, "Own", {
    displayName: "own",
    availability: "SINGLE_ZONE",
    cloud: "AWS",
    region: "eu-west-1",
    environment: { id: "env-abc123" },
    standard: [{}],
  });
  const registry = new DataConfluentSchemaRegistryCluster(scope, "Registry", { environment: { id: "env-abc123" } });
  const owner = new ServiceAccount(scope, "Owner", { displayName: "own-owner" });
  return [
    new ServiceAccountWithKey(scope, "OwnKey", { scope: KeyScope.fromKafkaCluster(cluster), owner }),
    new ServiceAccountWithKey(scope, "RegistryKey", { scope: KeyScope.fromSchemaRegistryCluster(registry), owner }),
  ];
}
`;

function tsconfig(moduleResolution, include, skipLibCheck = true) {
  return {
    compilerOptions: {
      target: "ES2022",
      module: moduleResolution === "node16" ? "node16" : "commonjs",
      moduleResolution,
      strict: true,
      skipLibCheck,
      outDir: "dist",
      rootDir: ".",
      types: [],
    },
    include,
  };
}

check(
  "the app type-checks with strict (node10 and node16 resolution; the kit's declarations without skipLibCheck)",
  () => {
    writeFileSync(join(app, "src", "main.ts"), appSource);
    const files = ["src/main.ts"];
    const kitOnly = join(app, "tsconfig.kit.json");
    // Every .d.ts the kit ships is checked, with no optional peer installed (other packages' are cdktf's business);
    // those of the cdktn build (dist/cdktn/) need cdktn and are checked in a cdktn app (scripts/test-package-cdktn.mjs).
    const kitConfig = tsconfig("node10", [...files, "node_modules/keykit/dist/**/*.d.ts"], false);
    writeFileSync(kitOnly, JSON.stringify({ ...kitConfig, exclude: ["node_modules/keykit/dist/cdktn"] }));
    const strictKit = run(process.execPath, [tsc, "-p", kitOnly, "--noEmit"], app);
    const kitErrors = strictKit.stdout.split("\n").filter((line) => line.startsWith("node_modules/keykit/"));
    if (kitErrors.length > 0) throw new Error(`the kit's declarations do not compile:\n${kitErrors.join("\n")}`);
    for (const resolution of ["node10", "node16"]) {
      writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig(resolution, files)));
      must(run(process.execPath, [tsc, "-p", "tsconfig.json"], app), `tsc (${resolution})`);
    }
  },
);

let synthesized;
check("the app synthesizes and passes checkAgainstProviderSchema", () => {
  must(run(process.execPath, [join("dist", "src", "main.js")], app, { CHECKPOINT_DISABLE: "1" }), "synth");
  synthesized = JSON.parse(readFileSync(join(app, "cdktf.out", "stacks", "orders", "cdk.tf.json"), "utf8"));
  for (const type of ["confluent_kafka_topic", "confluent_kafka_acl", "confluent_connector", "confluent_api_key"]) {
    if (Object.keys(synthesized.resource?.[type] ?? {}).length !== 1) throw new Error(`expected one ${type}`);
  }
  const topic = Object.values(synthesized.resource.confluent_kafka_topic)[0];
  if (!/confluent_api_key\.\w+\.secret/.test(JSON.stringify(topic.credentials))) {
    throw new Error("the topic does not use the ServiceAccountWithKey's key");
  }
  const probe = [
    'const { checkAgainstProviderSchema } = require("keykit/testing");',
    `const json = require(${JSON.stringify(join(app, "cdktf.out", "stacks", "orders", "cdk.tf.json"))});`,
    "const bad = { ...json, resource: { ...json.resource, confluent_kafka_topic: { t: { topic_name: 'x', colour: 1 } } } };",
    "process.stdout.write(JSON.stringify({ valid: checkAgainstProviderSchema(json), invalid: checkAgainstProviderSchema(bad).map((v) => v.message) }));",
  ].join("\n");
  const { valid, invalid } = JSON.parse(must(run(process.execPath, ["-e", probe], app), "schema check").stdout);
  if (valid.length !== 0) throw new Error(`schema violations: ${JSON.stringify(valid)}`);
  if (!invalid.some((m) => m === "unknown attribute or block 'colour' of confluent_kafka_topic")) {
    throw new Error(`the check missed an unknown attribute: ${JSON.stringify(invalid)}`);
  }
});

check("the app's own generated bindings are accepted by KeyScope.from… and as owner", () => {
  const cache = join(work, "schema-cache");
  mkdirSync(cache, { recursive: true });
  copyFileSync(join(root, "schema", "schema.json"), join(cache, `confluent@${encodeURIComponent("2.83.0")}.json`));
  writeFileSync(
    join(app, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app: "node dist/src/main.js",
      terraformProviders: ["confluentinc/confluent@2.83.0"],
    }),
  );
  must(
    run(process.execPath, [cdktfCli, "get", "--experimental-provider-schema-cache-path", cache], app, {
      CHECKPOINT_DISABLE: "1",
      CI: "1",
    }),
    "cdktf get",
  );
  writeFileSync(join(app, "src", "own.ts"), ownSource);
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig("node10", ["src/own.ts"])));
  must(run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"], app), "tsc of the own bindings");
});

check("an ES module app imports the kit and the bindings by name", () => {
  const esm = [
    'import { kafkaTopic } from "keykit/confluent";',
    'import { KafkaAcl } from "keykit/confluent/lib/kafka-acl";',
    'import { KeyScope } from "keykit";',
    'const scope = KeyScope.kafkaCluster({ clusterId: "lkc-1", environment: "env-1", type: "standard" });',
    "process.stdout.write([kafkaTopic.KafkaTopic.tfResourceType, KafkaAcl.tfResourceType, scope.kind].join(' '));",
  ].join("\n");
  const { stdout } = must(run(process.execPath, ["--input-type=module", "-e", esm], app), "ESM import");
  if (stdout !== "confluent_kafka_topic confluent_kafka_acl kafka") throw new Error(`got: ${stdout}`);
});

check("a sink without its provider package fails at construction with one line naming it", () => {
  const probe = [
    'const kit = require("keykit");',
    'try { new kit.VaultKvSecretSink({ mount: "kv", name: "apps/a" }); console.log("constructed"); }',
    "catch (e) { process.stdout.write(e.message); }",
  ].join("\n");
  const { stdout } = must(run(process.execPath, ["-e", probe], app), "probe");
  const expected = `VaultKvSecretSink needs the optional peer dependency @cdktf/provider-vault (${manifest.peerDependencies["@cdktf/provider-vault"]}), which is not installed: npm install @cdktf/provider-vault@"${manifest.peerDependencies["@cdktf/provider-vault"]}"`;
  if (stdout !== expected) throw new Error(`got: ${stdout}`);
});

// `--git`: also install straight from this repository's committed HEAD, as `npm install git+https://…` would (npm
// clones, installs the devDependencies, runs `prepare`, packs). Slow (a full install in the clone), so opt-in.
if (process.argv.includes("--git")) {
  check("npm install from git (HEAD of this repository) builds and installs the kit", () => {
    const gitApp = join(work, "git-app");
    mkdirSync(gitApp);
    const head = must(run("git", ["rev-parse", "HEAD"], root), "git rev-parse").stdout.trim();
    const pkg = {
      name: "git-app",
      private: true,
      version: "1.0.0",
      dependencies: {
        keykit: `git+file://${root}#${head}`,
        cdktf: manifest.devDependencies.cdktf,
        constructs: manifest.devDependencies.constructs,
      },
    };
    writeFileSync(join(gitApp, "package.json"), JSON.stringify(pkg, null, 2));
    must(run(npm, ["install", "--no-audit", "--no-fund"], gitApp), "npm install from git");
    const probe =
      'const { KafkaTopic } = require("keykit/confluent/lib/kafka-topic"); process.stdout.write(KafkaTopic.tfResourceType);';
    const { stdout } = must(run(process.execPath, ["-e", probe], gitApp), "require from the git install");
    if (stdout !== "confluent_kafka_topic") throw new Error(`got ${stdout}`);
  });
}

rmSync(work, { recursive: true, force: true });
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(root, ".tmp"), { recursive: true });
writeFileSync(join(root, ".tmp", "package-results.json"), JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
