/**
 * Directory discovery on files shared by symbolic link, as many repositories keep `providers.tf` or `versions.tf`
 * once and link it into each root: a linked `*.tf` or `cdk.tf.json` is read like the file it points to.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runKeykit } from "../audit/helpers";

const USER_KEY = `resource "confluent_api_key" "personal" {
  display_name = "personal"
  owner {
    id          = "u-abc123"
    api_version = "iam/v2"
    kind        = "User"
  }
}
`;

/** The in-process CLI (the shared audit helper), with the JSON report parsed when there is one. */
async function checkJson(args: string[], cwd: string) {
  const { code, stdout, stderr } = await runKeykit(args, { cwd });
  const report =
    stdout === "" ? undefined : (JSON.parse(stdout) as { findings: { ruleId: string; subject: string }[] });
  return { code, stderr, report };
}

describe("keykit check DIR with linked files", () => {
  it("reads a root whose only *.tf file is a symbolic link", async () => {
    const root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "links-"));
    mkdirSync(join(root, "shared"));
    writeFileSync(join(root, "shared", "keys.tf.txt"), USER_KEY);
    mkdirSync(join(root, "live", "prod"), { recursive: true });
    symlinkSync(join("..", "..", "shared", "keys.tf.txt"), join(root, "live", "prod", "keys.tf"));
    const r = await checkJson(["check", ".", "--format", "json", "--fail-on", "error"], root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.report?.findings.filter((f) => f.ruleId === "KK001").map((f) => f.subject)).toEqual([
      "confluent_api_key.personal",
    ]);
  });

  it("names a dangling linked cdk.tf.json instead of passing over it", async () => {
    const root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "links-"));
    mkdirSync(join(root, "stack"));
    symlinkSync("gone.json", join(root, "stack", "cdk.tf.json"));
    const r = await checkJson(["check", "."], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^keykit: .*cdk\.tf\.json: .*dangling/);
  });
});
