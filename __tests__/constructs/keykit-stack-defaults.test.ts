/**
 * What KeykitStack sets so an app need not: annotations below it (the kit's findings among them) carry no stack
 * trace, as under an App with `stackTraces: false`, unless the stack asks for them.
 */
import { Annotations, App, TerraformStack } from "cdktf";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { KeykitStack } from "../../constructs";
import { ApiKey } from "../../.gen/providers/confluent/api-key";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";

/** An App with the framework's default (traces on), as an app writes `new App()`. */
const app = () => new App({ outdir: mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "keykit-defaults-")) });

function traceOfWarning(stack: TerraformStack): readonly string[] | undefined {
  new ConfluentProvider(stack, "confluent", {});
  const key = new ApiKey(stack, "personal", {
    owner: { id: "sa-abc123", apiVersion: "iam/v2", kind: "ServiceAccount" },
  });
  Annotations.of(key).addWarning("a finding");
  return key.node.metadata.find((m) => m.type === "@cdktf/warn")?.trace;
}

describe("KeykitStack: stack traces", () => {
  it("a plain TerraformStack's annotation carries a trace under new App() (the framework's default)", () => {
    expect(traceOfWarning(new TerraformStack(app(), "plain"))?.length).toBeGreaterThan(0);
  });

  it("a KeykitStack's annotation carries none, with no stackTraces: false in the app", () => {
    const stack = new KeykitStack(app(), "orders", { policyValidation: false });
    expect(traceOfWarning(stack)).toBeUndefined();
  });

  it("stackTraces: true brings them back for that stack", () => {
    const stack = new KeykitStack(app(), "orders", { policyValidation: false, stackTraces: true });
    expect(traceOfWarning(stack)?.some((frame) => frame.includes("keykit-stack-defaults.test.ts"))).toBe(true);
  });

  it("the kit's own findings at synth carry none either", () => {
    const a = app();
    const stack = new KeykitStack(a, "orders");
    new ConfluentProvider(stack, "confluent", {});
    const key = new ApiKey(stack, "personal", {
      owner: { id: "sa-abc123", apiVersion: "iam/v2", kind: "ServiceAccount" },
      managedResource: { id: "lkc-abc123", apiVersion: "cmk/v2", kind: "Cluster", environment: [{ id: "env-abc123" }] },
    });
    a.synth();
    const findings = key.node.metadata.filter((m) => /^@cdktf\/(warn|info|error)$/.test(m.type));
    expect(findings.map((m) => String(m.data))).toEqual([expect.stringMatching(/KK003/)]);
    expect(findings.map((m) => m.trace)).toEqual([undefined]);
  });
});
