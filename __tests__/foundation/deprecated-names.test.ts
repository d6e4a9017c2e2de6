/**
 * The example app (main.ts) and the code blocks of the guides in docs/ use no deprecated name: what a new user copies
 * must be what the kit recommends. TypeScript's own deprecation check (the `@deprecated` tags of the kit, the
 * frameworks and the bindings), run on the files as a user's editor runs it.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { repoRoot, writeExample } from "../helpers/docs";
import { runPath } from "../helpers/run-dir";

/** `file:line: message` of every use of a deprecated name in `files`. */
function deprecatedUses(files: readonly string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  if (!config) throw new Error("tsconfig.json does not parse");
  const service = ts.createLanguageService({
    getScriptFileNames: () => [...files],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) =>
      ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(file) ?? "") : undefined,
    getCurrentDirectory: () => repoRoot,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
  return files.flatMap((file) =>
    service
      .getSuggestionDiagnostics(file)
      .filter((d) => d.reportsDeprecated)
      .map((d) => {
        const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
        return `${file}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      }),
  );
}

/** Every ```ts block of the guides in docs/, written out with `keykit` pointed at this checkout. */
function guideExamples(): string[] {
  const docs = join(repoRoot, "docs");
  if (!existsSync(docs)) return [];
  const dir = runPath("deprecated-names");
  return readdirSync(docs)
    .filter((name) => name.endsWith(".md"))
    .flatMap((name) =>
      [...readFileSync(join(docs, name), "utf8").matchAll(/```ts\n([\s\S]*?)\n```/g)]
        .map((m) => m[1])
        // The cdktn blocks import cdktn, which the repository's type-check leaves out (see docs/cdktn.md).
        .filter((code) => !/from "(cdktn|keykit\/cdktn[^"]*)"/.test(code))
        .map((code, i) => writeExample(dir, `${name.replace(/\.md$/, "")}-${i}.ts`, code)),
    );
}

describe("no deprecated name in what users copy", () => {
  it("the example app, main.ts", () => {
    expect(deprecatedUses([join(repoRoot, "main.ts")])).toEqual([]);
  });

  it("the check can fail: the deprecated single import is reported", () => {
    const dir = runPath("deprecated-names-probe");
    // The package no longer has deprecated names, so the probe declares one the way a library would.
    writeExample(dir, "old.ts", "/** @deprecated use newName */\nexport function oldName(): void {}\n");
    const probe = writeExample(dir, "probe.ts", 'import { oldName } from "./old";\noldName();\n');
    expect(deprecatedUses([probe])).toEqual([
      expect.stringMatching(/probe\.ts:1: 'oldName' is deprecated/),
      expect.stringMatching(/probe\.ts:2: .*'oldName' is deprecated/),
    ]);
  });

  it("the cdktf code blocks of docs/*.md", () => {
    expect(deprecatedUses(guideExamples())).toEqual([]);
  });
});
