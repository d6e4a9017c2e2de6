#!/usr/bin/env node
// The public API, one API Extractor report per entry point (api/<name>.api.md, committed), so an API change is a
// reviewed diff. `npm run api:report` (after `npm run build`) rewrites the reports; `.ci/run` runs this script
// without --local, which fails when a report differs from the build's declarations. With --cdktn the entry points of
// the CDK Terrain build (.tmp/cdktn/build/, `npm run build:cdktn`, which `npm run test:cdktn` runs) are reported too;
// keykit/policies is the same file in both builds.
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const local = process.argv.includes("--local");
const withCdktn = process.argv.includes("--cdktn");

/** The package's entry points (package.json `exports`) whose declarations are hand-written; the bindings are generated. */
const ENTRY_POINTS = [
  { name: "keykit", types: "dist/constructs/index.d.ts" },
  { name: "keykit-policies", types: "dist/policies/index.d.ts" },
  { name: "keykit-testing", types: "dist/testing/index.d.ts" },
];
const CDKTN_ENTRY_POINTS = [
  { name: "keykit-cdktn", types: ".tmp/cdktn/build/constructs/index.d.ts" },
  { name: "keykit-cdktn-testing", types: ".tmp/cdktn/build/testing/index.d.ts" },
];

function configFor({ name, types }) {
  return ExtractorConfig.prepare({
    configObjectFullPath: join(root, "api", `${name}.json`),
    packageJsonFullPath: join(root, "package.json"),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(root, types),
      bundledPackages: [],
      compiler: { tsconfigFilePath: join(root, "tsconfig.build.json") },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: join(root, "api"),
        reportTempFolder: join(root, ".tmp", "api"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "warning" } },
        // Reported in the API file, not on the console: the report is what review reads.
        extractorMessageReporting: {
          default: { logLevel: "none", addToApiReportFile: true },
          // The kit does not mark release stages (@public, @beta): everything an entry point exports is public.
          "ae-missing-release-tag": { logLevel: "none", addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
  });
}

let failed = 0;
const entries = [...ENTRY_POINTS, ...(withCdktn ? CDKTN_ENTRY_POINTS : [])];
mkdirSync(join(root, ".tmp", "api"), { recursive: true });
for (const entry of entries) {
  if (!existsSync(join(root, entry.types))) {
    console.error(
      `keykit: ${entry.types} is missing: run \`npm run build\`${entry.name.includes("cdktn") ? " and `npm run build:cdktn`" : ""} first`,
    );
    process.exit(2);
  }
  const result = Extractor.invoke(configFor(entry), { localBuild: local, showVerboseMessages: false });
  if (result.succeeded && !result.apiReportChanged) console.log(`ok   api/${entry.name}.api.md`);
  else if (result.succeeded) console.log(`updated api/${entry.name}.api.md`);
  else {
    failed += 1;
    console.error(
      `FAIL api/${entry.name}.api.md differs from the build: review the change, then \`npm run api:report\``,
    );
  }
}
process.exitCode = failed === 0 ? 0 : 1;
