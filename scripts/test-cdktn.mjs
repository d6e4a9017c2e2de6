#!/usr/bin/env node
// `npm run test:cdktn`, the CDK Terrain leg: installs Node 22 and cdktn 0.24 into .tmp/cdktn/ (from the committed
// lock files), builds the kit for cdktn (cdktn's generator + the swapped framework module), and then
//   1. synthesizes the example app with `cdktf synth` (the cdktf build, dist/) and `cdktn synth` (the cdktn build)
//      and compares the two cdk.tf.json after the normalization below: they must be identical;
//   2. runs every docs example (`<!-- example: NAME -->` in README.md and docs/*.md) on both builds, a cdktf one
//      migrated to cdktn as its user would migrate it, a cdktn one (the Quick start) turned back for cdktf
//      (scripts/cdktn/migrate.mjs), and compares each stack the same way; the examples of
//      docs/cdktn.md (written for cdktn) synthesize on the cdktn build with the providers they declare;
//   3. runs the construct tests against the cdktn build (scripts/cdktn/jest.config.js) under Node 22;
//   4. installs the packed kit into apps outside the repository on cdktf 0.21 and on cdktn 0.24 + constructs 10.7
//      and compares what `cdktf synth` and `cdktn synth` write (scripts/test-package-cdktn.mjs).
// Normalization: the JSON is parsed and written again (cdktf 0.21 writes an empty object as "{\n}", cdktn as "{}")
// and `"//".metadata.version`, the framework's version, is set to "<framework version>". Nothing else is touched.
// Writes {passed, failed} to .tmp/cdktn-results.json (read by .ci/run) and the timings to .tmp/cdktn/timings.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isCdktnExample, migrateToCdktf, migrateToCdktn, pointAtBuild } from "./cdktn/migrate.mjs";
import { TOOLCHAIN, cdktnCli, node22, root } from "./cdktn/toolchain.mjs";
import { run as runPackageChecks } from "./test-package-cdktn.mjs";

const require = createRequire(import.meta.url);
const results = { passed: 0, failed: 0 };
const timings = {};
const resultsFile = join(root, ".tmp", "cdktn-results.json");
const work = join(root, ".tmp", "cdktn-compare");
const build = join(root, TOOLCHAIN, "build");
const dist = join(root, "dist");

function record(name, ok, detail = "") {
  results[ok ? "passed" : "failed"] += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

function timed(name, step) {
  const started = process.hrtime.bigint();
  const value = step();
  timings[name] = Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1));
  return value;
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

function node22Env(extra = {}) {
  return { ...process.env, PATH: `${dirname(node22())}:${process.env.PATH}`, CHECKPOINT_DISABLE: "1", ...extra };
}

/** The documented normalization: re-serialized, the framework version masked. */
export function normalize(text) {
  const json = JSON.parse(text);
  if (json?.["//"]?.metadata?.version !== undefined) json["//"].metadata.version = "<framework version>";
  return JSON.stringify(json, null, 2);
}

function stacksOf(outdir) {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return {};
  return Object.fromEntries(
    readdirSync(stacks).map((name) => [name, readFileSync(join(stacks, name, "cdk.tf.json"), "utf8")]),
  );
}

/** Compares the stacks of two synth outputs; the first differing line is shown (synth output holds no secrets). */
function compare(name, cdktfOut, cdktnOut) {
  const a = stacksOf(cdktfOut);
  const b = stacksOf(cdktnOut);
  const names = Object.keys(a).sort();
  if (names.length === 0 || names.join() !== Object.keys(b).sort().join()) {
    record(name, false, `stacks differ: cdktf [${names}] vs cdktn [${Object.keys(b).sort()}]`);
    return;
  }
  for (const stack of names) {
    const [left, right] = [normalize(a[stack]).split("\n"), normalize(b[stack]).split("\n")];
    const line = left.findIndex((text, i) => text !== right[i]);
    if (line >= 0 || left.length !== right.length) {
      record(
        `${name} (${stack})`,
        false,
        `line ${line + 1}: cdktf ${left[line]?.trim()} | cdktn ${right[line]?.trim()}`,
      );
    } else {
      record(`${name} (${stack}): cdk.tf.json identical after normalization`, true);
    }
  }
}

/**
 * `cdktf synth` and `cdktn synth` of the example app, one after the other in the same folder (the default local
 * backend's path is the working directory's); the cdktf.json is the project's, less the providers to generate
 * (the builds have them compiled).
 */
function synthExampleApp() {
  const dir = join(work, "example");
  const { language, projectId, sendCrashReports } = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
  const outputs = {};
  for (const framework of ["cdktf", "cdktn"]) {
    rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const main = framework === "cdktf" ? join(dist, "main.js") : join(build, "main.js");
    const config = { language, projectId, sendCrashReports, app: `node ${main}`, output: "cdktf.out" };
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify(config));
    const cdktfCli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
    const result = timed(`${framework}Synth`, () =>
      framework === "cdktf"
        ? run(process.execPath, [cdktfCli, "synth"], {
            cwd: dir,
            env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
          })
        : run(node22(), [cdktnCli(), "synth"], { cwd: dir, env: node22Env({ CI: "1" }) }),
    );
    if (result.status !== 0) {
      process.stderr.write(result.stdout + result.stderr);
      record(`example app: ${framework} synth`, false, `exit code ${result.status}`);
      return;
    }
    outputs[framework] = join(work, `example-${framework}.out`);
    rmSync(outputs[framework], { recursive: true, force: true });
    renameSync(join(dir, "cdktf.out"), outputs[framework]);
  }
  compare("example app", outputs.cdktf, outputs.cdktn);
}

/** Every `<!-- example: NAME -->` block of README.md and docs/*.md, with the file it is in. */
function docExamples() {
  const docs = [
    "README.md",
    ...readdirSync(join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  return docs.flatMap((doc) =>
    [...readFileSync(join(root, doc), "utf8").matchAll(/<!-- example: ([a-z0-9-]+) -->\n```ts\n([\s\S]*?)\n```/g)]
      .filter(([, , code]) => code.includes("app.synth()"))
      .map(([, name, code]) => ({ name, doc, code })),
  );
}

function transpile(source) {
  const ts = require(join(root, "node_modules", "typescript"));
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

function runExample(name, framework, code) {
  // The cdktn copy lives under .tmp/cdktn/ so it resolves cdktn and constructs 10.7; the cdktf one resolves the
  // repository's node_modules.
  const dir = framework === "cdktn" ? join(root, TOOLCHAIN, "readme", name) : join(work, "readme", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cdktnCode = isCdktnExample(code) ? code : migrateToCdktn(code);
  const cdktfCode = isCdktnExample(code) ? migrateToCdktf(code) : code;
  const source =
    framework === "cdktn" ? pointAtBuild(cdktnCode, build, "cdktn") : pointAtBuild(cdktfCode, dist, "cdktf");
  writeFileSync(join(dir, "app.js"), transpile(source));
  const outdir = join(dir, "out");
  const env = framework === "cdktn" ? node22Env({ CDKTF_OUTDIR: outdir }) : { ...process.env, CDKTF_OUTDIR: outdir };
  // One working directory for both: the default local backend's path is the working directory's.
  const cwd = join(work, "readme-cwd");
  mkdirSync(cwd, { recursive: true });
  const result = run(framework === "cdktn" ? node22() : process.execPath, [join(dir, "app.js")], { cwd, env });
  if (result.status !== 0) process.stderr.write(result.stderr);
  return result.status === 0 ? outdir : undefined;
}

function synthDocExamples() {
  const examples = docExamples();
  if (examples.length === 0) record("docs examples", false, "no `<!-- example: NAME -->` blocks found");
  for (const { name, doc, code } of examples) {
    const a = runExample(name, "cdktf", code);
    const b = runExample(name, "cdktn", code);
    if (!a || !b) record(`${doc} example ${name}`, false, `${a ? "" : "cdktf "}${b ? "" : "cdktn "}run failed`);
    else compare(`${doc} example ${name}`, a, b);
  }
}

/**
 * docs/cdktn.md's examples as an outside cdktn app writes them (`keykit/cdktn…` imports, pointed at the cdktn build):
 * each synthesizes on cdktn, and every provider it declares with StoreProvider is in the stack's providers.
 */
function synthCdktnGuide() {
  const guide = readFileSync(join(root, "docs", "cdktn.md"), "utf8");
  const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  if (blocks.length === 0) record("docs/cdktn.md examples", false, "no ts block found");
  blocks.forEach((code, i) => {
    const dir = join(root, TOOLCHAIN, "guide", String(i));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "app.js"), transpile(pointAtBuild(code, build, "cdktn")));
    const outdir = join(dir, "out");
    const result = run(node22(), [join(dir, "app.js")], { cwd: dir, env: node22Env({ CDKTF_OUTDIR: outdir }) });
    if (result.status !== 0) {
      record(`docs/cdktn.md example ${i + 1} synthesizes on cdktn`, false, result.stderr.split("\n")[0]);
      return;
    }
    const stacks = Object.values(stacksOf(outdir)).map((text) => JSON.parse(text));
    const declared = [...code.matchAll(/new StoreProvider\(\s*stack,\s*"([a-z]+)"/g)].map((m) => m[1]);
    const missing = declared.filter((name) => !stacks.some((stack) => stack.provider?.[name] !== undefined));
    record(
      `docs/cdktn.md example ${i + 1} synthesizes on cdktn with its providers (${declared.join(", ") || "none"})`,
      stacks.length > 0 && missing.length === 0,
      missing.length > 0 ? `missing providers: ${missing.join(", ")}` : "",
    );
  });
}

function constructTests() {
  const output = join(root, TOOLCHAIN, "jest-results.json");
  rmSync(output, { force: true });
  const jest = join(root, "node_modules", "jest", "bin", "jest.js");
  const args = [jest, "-c", join("scripts", "cdktn", "jest.config.js"), "--json", `--outputFile=${output}`];
  const result = spawnSync(node22(), args, {
    cwd: root,
    stdio: "inherit",
    env: node22Env({ KEYKIT_FRAMEWORK: "cdktn" }),
  });
  if (!existsSync(output)) {
    record("construct tests on the cdktn build", false, `jest wrote no results (exit ${result.status})`);
    return;
  }
  const r = JSON.parse(readFileSync(output, "utf8"));
  results.passed += r.numPassedTests;
  results.failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`construct tests on the cdktn build: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}

function step(name, script, args = []) {
  const result = spawnSync(process.execPath, [join(root, "scripts", script), ...args], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) record(name, false, `exit ${result.status}`);
  return result.status === 0;
}

function main() {
  const started = process.hrtime.bigint();
  rmSync(resultsFile, { force: true });
  mkdirSync(work, { recursive: true });
  if (!existsSync(join(dist, "main.js"))) {
    console.error("keykit: dist/ has no cdktf build to compare with: run `npm ci` (or `npm run build`) first");
    process.exitCode = 2;
  } else if (
    timed("toolchain", () => step("cdktn toolchain install", "cdktn-toolchain.mjs")) &&
    timed("build", () => step("cdktn build", "cdktn-build.mjs"))
  ) {
    synthExampleApp();
    synthDocExamples();
    synthCdktnGuide();
    timed("constructTests", constructTests);
    timed("package", () =>
      runPackageChecks((name, check) => {
        try {
          check();
          record(name, true);
        } catch (error) {
          record(name, false, String(error?.message ?? error).slice(0, 4000));
        }
      }),
    );
  }
  const installTimes = join(root, TOOLCHAIN, "install-times.json");
  if (existsSync(installTimes)) Object.assign(timings, JSON.parse(readFileSync(installTimes, "utf8")));
  timings.total = Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1));
  writeFileSync(resultsFile, `${JSON.stringify(results)}\n`);
  writeFileSync(join(root, TOOLCHAIN, "timings.json"), `${JSON.stringify(timings)}\n`);
  console.log(`timings (s): ${JSON.stringify(timings)}`);
  console.log(`cdktn: ${results.passed} passed, ${results.failed} failed`);
  if (results.failed > 0 || process.exitCode) process.exitCode = process.exitCode || 1;
}

main();
