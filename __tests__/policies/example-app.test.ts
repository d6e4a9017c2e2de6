/** Done-when check: `keykit check` on the example app's synthesized cdk.tf.json is clean. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { runCli } from "../../cli/main";
import { buildApp } from "../../main";

test("keykit check on the example app's cdktf.out is clean at every severity (exit 0 with --fail-on warning)", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "keykit-example-"));
  buildApp(new App({ outdir, stackTraces: false })).synth();
  let stdout = "";
  let stderr = "";
  const code = await runCli(["check", outdir, "--fail-on", "warning", "--format", "json", "--now", "2026-11-28"], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: outdir, // no keykit.rotation.json or acknowledgements file from the checkout
    env: {},
    isTty: false,
  });
  expect(stderr).toBe("");
  const report = JSON.parse(stdout);
  expect(report.inputs).toHaveLength(1);
  expect(report.findings.filter((f: { suppressed?: unknown }) => !f.suppressed)).toEqual([]);
  expect(report.acknowledgements.unused).toEqual([]);
  expect(code).toBe(0);
});
