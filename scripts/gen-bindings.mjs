#!/usr/bin/env node
// Generates the Confluent provider bindings (.gen/) offline with the real `cdktf get`.
// No Terraform registry is reachable from build machines, so the provider schema committed
// in schema/schema.json is handed to cdktf through its provider-schema cache. The cache file
// name is derived from cdktf.json, so the constraint lives in exactly one place; with network,
// a plain `cdktf get` produces the same bindings.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, copyFileSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

let cliEntry;
try {
  cliEntry = join(dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf");
} catch {
  // Installed as a dependency of another project: the compiled bindings ship in dist/.
  console.log("keykit: cdktf-cli not installed; skipping binding generation");
  process.exit(0);
}

const config = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
const spec = config.terraformProviders.find((p) => String(p).startsWith("confluentinc/confluent@"));
if (!spec) {
  console.error("keykit: cdktf.json must declare confluentinc/confluent@<version> in terraformProviders");
  process.exit(2);
}
const constraint = spec.slice(spec.indexOf("@") + 1).trim();
// `cdktf get` skips a provider whose constraint .gen/constraints.json already records, even when the schema
// changed: start from an empty output so the bindings always match schema/schema.json.
rmSync(join(root, config.codeMakerOutput ?? ".gen"), { recursive: true, force: true });
const cacheDir = mkdtempSync(join(tmpdir(), "keykit-schema-"));
try {
  // cdktf 0.21 looks the cache file up by the provider's short name and the url-encoded constraint.
  copyFileSync(join(root, "schema", "schema.json"), join(cacheDir, `confluent@${encodeURIComponent(constraint)}.json`));
  const result = spawnSync(process.execPath, [cliEntry, "get", "--experimental-provider-schema-cache-path", cacheDir], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
  });
  const index = join(root, ".gen", "providers", "confluent", "index.ts");
  if (result.status !== 0 || !existsSync(index)) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    console.error("keykit: `cdktf get` failed to generate the Confluent bindings (see above)");
    process.exit(1);
  }
  console.log(`keykit: generated Confluent provider bindings (${constraint}) in .gen/`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
