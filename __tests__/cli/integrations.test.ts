/**
 * What the kit ships for other tools: action.yml and .pre-commit-hooks.yaml use only commands, flags and paths that
 * exist; the CLI reference in docs/cli.md is the grammar's (stale = failing, as RULES.md is for the rules).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLI_REFERENCE_END, CLI_REFERENCE_START, withCliReference } from "../../cli/cli-reference";
import { GRAMMAR, commandSpec, renderCommandHelp } from "../../cli/grammar";

const ROOT = resolve(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Every `npx keykit <command> …` invocation in a file, up to the end of its line. */
function invocations(text: string): { command: string; rest: string }[] {
  return [...text.matchAll(/\bnpx (?:--no-install )?keykit (\w+)([^\n]*)/g)].map((m) => ({
    command: m[1],
    rest: m[2],
  }));
}

function expectKnownInvocations(text: string): void {
  const found = invocations(text);
  expect(found.length).toBeGreaterThan(0);
  for (const { command, rest } of found) {
    const spec = commandSpec(command);
    expect(spec?.name).toBe(command);
    for (const [, flag] of rest.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g))
      expect(spec?.flags.map((f) => f.name)).toContain(flag);
  }
}

describe("action.yml", () => {
  const action = read("action.yml");

  it("is a composite action that runs keykit check with existing flags", () => {
    expect(action).toMatch(/^runs:\n {2}using: composite$/m);
    expectKnownInvocations(action);
    expect(action).toContain("--format sarif");
  });

  it("uploads the SARIF file it wrote with github/codeql-action/upload-sarif", () => {
    expect(action).toMatch(/uses: github\/codeql-action\/upload-sarif@v\d+/);
    const sarifInput =
      /--output "\$KEYKIT_SARIF"/.test(action) && /KEYKIT_SARIF: \$\{\{ inputs\.sarif-file \}\}/.test(action);
    expect(sarifInput).toBe(true);
    // Written in working-directory (where the step runs), uploaded from there.
    expect(action).toMatch(/sarif_file: \$\{\{ inputs\.working-directory \}\}\/\$\{\{ inputs\.sarif-file \}\}/);
    expect(action).toMatch(
      /name: keykit check\n(?: {6}.*\n)*? {6}working-directory: \$\{\{ inputs\.working-directory \}\}\n/,
    );
    // Every input the steps read is declared.
    const declared = new Set([...action.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]));
    for (const [, used] of action.matchAll(/inputs\.([a-z-]+)/g)) expect(declared).toContain(used);
  });

  it("has a CDK mode: with synth, keykit check --synth instead of the paths", () => {
    expect(action).toMatch(/synth:\n(?: {4}.*\n)*? {4}default: "false"/);
    expect(action).toMatch(
      /if \[ "\$KEYKIT_SYNTH" != "true" \]; then\n[^]*?keykit check \$KEYKIT_PATHS [^\n]*\n {8}else\n[^]*?keykit check --synth --format sarif --output "\$KEYKIT_SARIF"/,
    );
    expect(action).toMatch(/KEYKIT_SYNTH: \$\{\{ inputs\.synth \}\}/);
  });

  it("defaults its paths to what `keykit check` reads by default", () => {
    expect(action).toMatch(/paths:\n(?: {4}.*\n)*? {4}default: cdktf\.out/);
    expect(renderCommandHelp(GRAMMAR[0])).toContain("./cdktf.out");
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = read(".pre-commit-hooks.yaml");

  it("declares a keykit-check hook whose entry is an existing command", () => {
    expect(hooks).toMatch(/^- id: keykit-check$/m);
    expect(hooks).toMatch(/entry: npx --no-install keykit check$/m);
    expectKnownInvocations(hooks);
    expect(hooks).toMatch(/pass_filenames: false/);
  });

  it("runs on the files keykit reads", () => {
    const files = /files: (.+)$/m.exec(hooks)?.[1] ?? "";
    const pattern = new RegExp(files);
    for (const path of ["main.tf", "infra/cdk.tf.json", "keykit.config.json", "keykit.acknowledgements.json"])
      expect(pattern.test(path)).toBe(true);
    expect(pattern.test("src/app.ts")).toBe(false);
  });

  it("declares a keykit-check-cdk hook that synthesizes and fires on a CDK app's sources", () => {
    const cdk = /^- id: keykit-check-cdk\n((?: {2}.*\n)+)/m.exec(hooks)?.[1] ?? "";
    expect(cdk).toMatch(/^ {2}entry: npx --no-install keykit check --synth$/m);
    expect(cdk).toMatch(/^ {2}pass_filenames: false$/m);
    const pattern = new RegExp(/^ {2}files: (.+)$/m.exec(cdk)?.[1] ?? "^$");
    for (const path of ["main.ts", "src/stacks/orders.ts", "cdktf.json", "package.json", "keykit.rotation.json"])
      expect([path, pattern.test(path)]).toEqual([path, true]);
    for (const path of ["cdktf.out/stacks/a/cdk.tf.json", "README.md", "main.tf"])
      expect([path, pattern.test(path)]).toEqual([path, false]);
  });
});

describe("docs", () => {
  it("docs/cli.md carries the CLI reference generated from the grammar (run `npm run cli:doc`)", () => {
    const reference = read("docs/cli.md");
    expect(reference).toContain(CLI_REFERENCE_START);
    expect(reference).toContain(CLI_REFERENCE_END);
    expect(withCliReference(reference)).toBe(reference);
    for (const command of GRAMMAR) expect(reference).toContain(`### keykit ${command.name}`);
  });

  it("the CI guide shows the integration examples with existing inputs and hook ids", () => {
    const readme = read("docs/ci-guide.md");
    const action = read("action.yml");
    expect(readme).toContain("id: keykit-check");
    const example = /uses: <owner>\/keykit@<version>\n {4}with:\n((?: {6}[a-z-]+: .*\n)+)/.exec(readme)?.[1] ?? "";
    expect(example).not.toBe("");
    for (const [, input] of example.matchAll(/ {6}([a-z-]+):/g))
      expect(action).toMatch(new RegExp(`^ {2}${input}:$`, "m"));
  });
});

describe("defaults the help states", () => {
  it("rotate's --quiet-minutes default is the one finish applies", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DEFAULT_QUIET_MINUTES } = require("../../cli/rotate/gates") as { DEFAULT_QUIET_MINUTES: number };
    expect(DEFAULT_QUIET_MINUTES).toBe(15);
    const help = renderCommandHelp(commandSpec("rotate")!);
    expect(help).toMatch(/--quiet-minutes <n>\s+finish: quiet period of the retained slot \(default: 15\)/);
    expect(help).not.toMatch(/default: 60/);
  });
});
