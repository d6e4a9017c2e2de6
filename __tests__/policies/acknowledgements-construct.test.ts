/** Acknowledgements written in code travel into the synthesized JSON and are honoured by the engine. */
import { Testing, TerraformStack } from "cdktf";
import { Acknowledgements } from "../../constructs/acknowledgements";
import { ApiKey, ConfluentProvider, ServiceAccount } from "../../constructs/bindings";
import { Construct } from "constructs";
import { findingsFor, keykitReport } from "../../testing/policies";
import { synthesizeStack } from "../../testing/synth";

function app(withAck: (scope: { stack: TerraformStack; group: Construct; key: ApiKey }) => void) {
  const stack = new TerraformStack(Testing.app(), "app");
  new ConfluentProvider(stack, "confluent", {});
  const group = new Construct(stack, "Payments");
  const sa = new ServiceAccount(group, "Account", { displayName: "payments" });
  const key = new ApiKey(group, "Key", {
    displayName: "payments",
    owner: { id: sa.id, apiVersion: sa.apiVersion, kind: sa.kind },
    managedResource: { id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] },
  });
  withAck({ stack, group, key });
  return stack;
}

/** The full cdk.tf.json (Testing.synth would strip every "//" property, keykit metadata included). */
function synth(stack: TerraformStack) {
  return synthesizeStack(stack) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

const ack = { rule: "KK003", reason: "rotation lands with BlueGreenApiKey in Q1", expires: "2099-12-31" };

describe("Acknowledgements.of(construct).add", () => {
  it("copies the acknowledgement onto every resource below the construct", () => {
    const json = synth(app(({ group }) => Acknowledgements.of(group).add(ack)));
    const key = Object.values(json.resource.confluent_api_key)[0];
    const account = Object.values(json.resource.confluent_service_account)[0];
    expect((key["//"] as { keykit: { acknowledgements: unknown } }).keykit.acknowledgements).toEqual([ack]);
    expect((account["//"] as { keykit: { acknowledgements: unknown } }).keykit.acknowledgements).toEqual([ack]);
  });

  it("suppresses the finding in checks of the synthesized JSON", () => {
    const without = app(() => undefined);
    expect(findingsFor(without).map((f) => f.ruleId)).toContain("KK003");
    const withAck = app(({ key }) => Acknowledgements.of(key).add(ack));
    expect(findingsFor(withAck).map((f) => f.ruleId)).not.toContain("KK003");
    const report = keykitReport(withAck);
    expect(report.findings.find((f) => f.ruleId === "KK003")?.suppressed?.source).toBe("code");
  });

  it("counts the copies of one acknowledgement as one: applied once at the declaring construct, never 'unused'", () => {
    const report = keykitReport(app(({ group }) => Acknowledgements.of(group).add(ack)));
    expect(report.acknowledgements.applied).toEqual([
      expect.objectContaining({ rule: "KK003", target: "app/Payments", source: "code" }),
    ]);
    expect(report.acknowledgements.unused).toEqual([]);
    const unused = keykitReport(app(({ group }) => Acknowledgements.of(group).add({ ...ack, rule: "KK009" })));
    expect(unused.acknowledgements.unused.map((a) => [a.rule, a.target])).toEqual([["KK009", "app/Payments"]]);
  });

  it("is idempotent across synths and merges acknowledgements of ancestors", () => {
    const stack = app(({ stack, key }) => {
      Acknowledgements.of(stack).add({ ...ack, rule: "KK008" });
      Acknowledgements.of(key).add(ack);
    });
    synth(stack); // aspects run again on every synth
    const json = synth(stack);
    const key = Object.values(json.resource.confluent_api_key)[0];
    expect(
      (key["//"] as { keykit: { acknowledgements: { rule: string }[] } }).keykit.acknowledgements.map((a) => a.rule),
    ).toEqual(["KK008", "KK003"]);
  });

  it("throws early, naming the construct path, for a short reason, a bad date or a bad rule ID", () => {
    app(({ key }) => {
      expect(() => Acknowledgements.of(key).add({ ...ack, reason: "because" })).toThrow(
        /app\/Payments\/Key: invalid acknowledgement: reason/,
      );
      expect(() => Acknowledgements.of(key).add({ ...ack, expires: "31.12.2099" })).toThrow(/expires/);
      expect(() => Acknowledgements.of(key).add({ ...ack, rule: "no-rotation" })).toThrow(/rule/);
    });
  });
});
