/** The jest helpers users get from keykit/testing for their own policy tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findingsFor, keykitMatchers } from "../../testing/policies";
import { compliantStack, key } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const userPlan = tf.plan({
  changes: [tf.keyNoop("confluent_api_key.u", { id: "K", owner: { id: "u-1" }, managed: { id: "lkc-1" } })],
});

describe("keykit jest matchers", () => {
  it("toHaveNoKeykitFindings passes on a compliant stack (object or JSON string) and fails with the list", () => {
    expect(compliantStack()).toHaveNoKeykitFindings();
    expect(JSON.stringify(compliantStack())).toHaveNoKeykitFindings();
    const result = keykitMatchers.toHaveNoKeykitFindings(userPlan);
    expect(result.pass).toBe(false);
    expect(result.message()).toContain("KK001 confluent_api_key.u");
  });
  it("toHaveKeykitFinding asserts a rule (and optionally the address)", () => {
    expect(userPlan).toHaveKeykitFinding("KK001");
    expect(userPlan).toHaveKeykitFinding("KK001", "confluent_api_key.u");
    expect(userPlan).not.toHaveKeykitFinding("KK011");
    expect(keykitMatchers.toHaveKeykitFinding(compliantStack(), "KK001").message()).toContain(
      "expected keykit finding KK001",
    );
  });
  it("findingsFor reads a file or a cdktf.out directory and honours minSeverity", () => {
    const dir = mkdtempSync(join(tmpdir(), "keykit-testing-"));
    const stack = compliantStack() as { resource: Record<string, Record<string, unknown>> };
    stack.resource.confluent_api_key.plain = key("Plain", "${confluent_service_account.app.id}", { id: "lkc-2" });
    mkdirSync(join(dir, "stacks", "app"), { recursive: true });
    writeFileSync(join(dir, "stacks", "app", "cdk.tf.json"), JSON.stringify(stack));
    expect(findingsFor(dir).map((f) => f.ruleId)).toEqual(["KK003"]);
    expect(findingsFor(join(dir, "stacks", "app", "cdk.tf.json"), { minSeverity: "error" })).toEqual([]);
  });
});
