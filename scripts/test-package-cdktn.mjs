#!/usr/bin/env node
// The packed kit on CDK Terrain, in apps outside the repository (part of `npm run test:cdktn`, after the toolchain
// is installed). Packs the repository (prepack builds dist/cdktn too), installs the tarball into two apps: one with
// cdktf 0.21 + constructs 10.4 + @cdktf/provider-vault, one with cdktn 0.24 + constructs 10.7 (and no cdktf). Both
// run the same app (the constructs guide's example), which uses ServiceAccountWithKey, GlobalApiKey and BlueGreenApiKey with Vault sinks (the cdktn one
// with its imports migrated: scripts/cdktn/migrate.mjs). Each type-checks under `strict` against the package's
// declarations, `cdktf synth` / `cdktn synth` (Node 22) writes it, and the two stacks must hold the same resources,
// data sources, providers and outputs. Prints one line per check; exports run() for scripts/test-cdktn.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateToCdktn } from "./cdktn/migrate.mjs";
import { cdktnCli, node22, root } from "./cdktn/toolchain.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const toolchain = JSON.parse(readFileSync(join(root, "scripts", "cdktn", "toolchain", "package.json"), "utf8"));

function exec(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(
      `${[command, ...args].map((a) => a.split("/").pop()).join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** The app: the constructs guide's global and blue/green example, plus a ServiceAccountWithKey published to Vault. */
function appSource() {
  const guide = readFileSync(join(root, "docs", "constructs.md"), "utf8");
  const block = /<!-- example: global-and-blue-green -->\n```ts\n([\s\S]*?)\n```/.exec(guide);
  if (!block) throw new Error("docs/constructs.md has no global-and-blue-green example");
  const extra = [
    'import { ServiceAccountWithKey as KeyForOneApp, VaultKvSecretSink as VaultSink } from "keykit";',
    'import { KeyScope as Scope } from "keykit";',
    "",
  ].join("\n");
  const scoped = [
    'new KeyForOneApp(stack, "Reporting", {',
    "  scope: Scope.cloud(),",
    '  secretSink: new VaultSink({ mount: "kv", name: "apps/reporting/confluent" }),',
    "});",
    "app.synth();",
  ].join("\n");
  if (!block[1].includes("app.synth();")) throw new Error("the docs/constructs.md example does not end in app.synth()");
  return extra + block[1].replace("app.synth();", scoped);
}

function makeApp(base, name, dependencies, source) {
  const dir = join(base, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, version: "1.0.0", dependencies }, null, 2),
  );
  writeFileSync(join(dir, "src", "main.ts"), source);
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: "node dist/src/main.js", output: "cdktf.out" }),
  );
  exec(npm, ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  return dir;
}

function compile(dir) {
  const compilerOptions = { strict: true, esModuleInterop: true, target: "ES2022", module: "commonjs", types: [] };
  // Every .d.ts of the cdktn build is checked too (no skipLibCheck), in the app whose framework it names.
  const include = [
    "src",
    ...(existsSync(join(dir, "node_modules", "cdktn")) ? ["node_modules/keykit/dist/cdktn/**/*.d.ts"] : []),
  ];
  const tsconfig = { compilerOptions: { ...compilerOptions, rootDir: ".", outDir: "dist" }, include };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  exec(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir);
}

function stackOf(dir) {
  const stacks = join(dir, "cdktf.out", "stacks");
  const [name] = readdirSync(stacks);
  return JSON.parse(readFileSync(join(stacks, name, "cdk.tf.json"), "utf8"));
}

/** What "the same resources" means: every section but the framework's metadata and the state backend's path. */
function written(json) {
  const { resource, data, provider, output } = json;
  return JSON.stringify({ resource, data, provider, output, providers: json.terraform?.required_providers }, null, 2);
}

function constructsCopies(dir) {
  const found = [];
  const walk = (modules) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry === "constructs") found.push(join(modules, entry));
      const nested = entry.startsWith("@")
        ? readdirSync(join(modules, entry)).map((e) => join(modules, entry, e, "node_modules"))
        : [join(modules, entry, "node_modules")];
      nested.forEach(walk);
    }
  };
  walk(join(dir, "node_modules"));
  return found;
}

export function run(check) {
  const base = tmpdir().startsWith(root) ? "/tmp" : tmpdir();
  const work = mkdtempSync(join(base, "keykit-cdktn-package-"));
  let tarball;
  let apps;
  try {
    check("package: npm pack ships the cdktn build (keykit/cdktn, its Confluent bindings, testing)", () => {
      exec(npm, ["pack", "--pack-destination", work], root);
      tarball = join(work, `keykit-${manifest.version}.tgz`);
      const files = exec("tar", ["-tzf", tarball], work).stdout;
      for (const needed of [
        "dist/cdktn/constructs/index.js",
        "dist/cdktn/.gen/providers/confluent/api-key/index.js",
        "dist/cdktn/testing/index.d.ts",
      ]) {
        if (!files.includes(`package/${needed}`)) throw new Error(`the tarball lacks ${needed}`);
      }
    });
    check("package: installs next to cdktf 0.21 and, separately, next to cdktn 0.24 + constructs 10.7", () => {
      const source = appSource();
      apps = {
        cdktf: makeApp(
          work,
          "app-cdktf",
          {
            keykit: `file:${tarball}`,
            cdktf: manifest.devDependencies.cdktf,
            constructs: manifest.devDependencies.constructs,
            "@cdktf/provider-vault": manifest.devDependencies["@cdktf/provider-vault"],
          },
          source,
        ),
        cdktn: makeApp(
          work,
          "app-cdktn",
          {
            keykit: `file:${tarball}`,
            cdktn: toolchain.dependencies.cdktn,
            constructs: toolchain.dependencies.constructs,
          },
          migrateToCdktn(source),
        ),
      };
      if (existsSync(join(apps.cdktn, "node_modules", "cdktf")))
        throw new Error("cdktf was installed into the cdktn app");
      const copies = constructsCopies(apps.cdktn);
      if (copies.length !== 1) throw new Error(`the cdktn app has ${copies.length} copies of constructs`);
    });
    check("package: both apps type-check under strict against the package's declarations (all of dist/cdktn's)", () => {
      compile(apps.cdktf);
      compile(apps.cdktn);
    });
    check("package: `cdktf synth` and `cdktn synth` (Node 22) write the same resources", () => {
      const env = { CHECKPOINT_DISABLE: "1", CI: "1" };
      exec(
        process.execPath,
        [join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth"],
        apps.cdktf,
        env,
      );
      exec(node22(), [cdktnCli(), "synth"], apps.cdktn, {
        ...env,
        PATH: `${join(node22(), "..")}:${process.env.PATH}`,
      });
      const [a, b] = [written(stackOf(apps.cdktf)), written(stackOf(apps.cdktn))];
      const types = Object.keys(stackOf(apps.cdktn).resource);
      for (const type of ["confluent_api_key", "confluent_service_account", "vault_kv_secret_v2"]) {
        if (!types.includes(type)) throw new Error(`the cdktn app wrote no ${type}`);
      }
      if (a !== b) {
        const [left, right] = [a.split("\n"), b.split("\n")];
        const line = left.findIndex((text, i) => text !== right[i]);
        throw new Error(`line ${line + 1} differs: cdktf ${left[line]?.trim()} | cdktn ${right[line]?.trim()}`);
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
