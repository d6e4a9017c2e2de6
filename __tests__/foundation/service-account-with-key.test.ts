import { KeyScope, ServiceAccountWithKey } from "../../constructs";
import { DataConfluentServiceAccount } from "../../.gen/providers/confluent/data-confluent-service-account";
import { DataConfluentUser } from "../../.gen/providers/confluent/data-confluent-user";
import { ServiceAccount } from "../../.gen/providers/confluent/service-account";
import { expressionOf } from "../../constructs/cdktf";
import { resourcesOfType, synthesizeStack } from "../../testing";
import { newKafkaCluster, newStack } from "./helpers";

const kafka = () => KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-abc123", type: "standard" });

function onlyKey(json: ReturnType<typeof synthesizeStack>) {
  const keys = resourcesOfType(json, "confluent_api_key");
  expect(keys).toHaveLength(1);
  return keys[0][1] as Record<string, unknown> & {
    owner: Record<string, string>;
    "//": { keykit: Record<string, unknown> };
  };
}

describe("ServiceAccountWithKey", () => {
  test("creates a service account and a key it owns, scoped to one resource", () => {
    const stack = newStack();
    const app = new ServiceAccountWithKey(stack, "Orders", { scope: kafka(), serviceAccountName: "orders" });
    const json = synthesizeStack(stack);

    const accounts = resourcesOfType(json, "confluent_service_account");
    expect(accounts).toHaveLength(1);
    const [accountName, account] = accounts[0];
    expect(account.display_name).toBe("orders");

    const key = onlyKey(json);
    expect(key.owner).toEqual({
      id: `\${confluent_service_account.${accountName}.id}`,
      api_version: "iam/v2",
      kind: "ServiceAccount",
    });
    expect(key.managed_resource).toEqual({
      id: "lkc-abc123",
      api_version: "cmk/v2",
      kind: "Cluster",
      environment: [{ id: "env-abc123" }],
    });
    // A scoped key's managed_resource says what it serves: the metadata adds only what the JSON cannot.
    // …and where this test created the construct (its line under ts-jest is the transpiled one).
    expect(key["//"].keykit).toEqual({
      version: 1,
      construct: "ServiceAccountWithKey",
      origin: { file: "__tests__/foundation/service-account-with-key.test.ts", line: expect.any(Number) },
    });
    expect(app.ownerKind).toBe("ServiceAccount");
    expect(json["//"]).toMatchObject({ keykit: { tier: "production" } });
  });

  test("construct ids are the documented contract", () => {
    const stack = newStack();
    new ServiceAccountWithKey(stack, "Orders", {
      scope: kafka(),
      roleBindings: [{ role: "DeveloperRead", crnPattern: "crn://x" }],
    });
    const json = synthesizeStack(stack);
    const paths = ["confluent_service_account", "confluent_api_key", "confluent_role_binding"].map((type) =>
      resourcesOfType(json, type).map(([, body]) => (body["//"] as { metadata: { path: string } }).metadata.path),
    );
    expect(paths).toEqual([
      ["test/Orders/ServiceAccount"],
      ["test/Orders/ApiKey"],
      ["test/Orders/RoleBinding-DeveloperRead"],
    ]);
  });

  test("the secret is exposed as a token to a sensitive attribute, the id and owner as attributes", () => {
    const stack = newStack();
    const app = new ServiceAccountWithKey(stack, "Orders", { scope: kafka() });
    expect(expressionOf(stack, app.apiKeySecret)).toMatch(/^\$\{confluent_api_key\.Orders_ApiKey_[0-9A-F]+\.secret\}$/);
    expect(expressionOf(stack, app.apiKeyId)).toMatch(/\.id\}$/);
    expect(expressionOf(stack, app.ownerId)).toMatch(/^\$\{confluent_service_account\./);
  });

  test.each([
    [
      "a ServiceAccount resource",
      (s: ReturnType<typeof newStack>) => new ServiceAccount(s, "SA", { displayName: "sa" }),
    ],
    [
      "a DataConfluentServiceAccount",
      (s: ReturnType<typeof newStack>) => new DataConfluentServiceAccount(s, "SA", { displayName: "sa" }),
    ],
    ["a literal sa- id", () => ({ id: "sa-abc123" })],
    [
      "a reference to a service account id",
      (s: ReturnType<typeof newStack>) => ({ id: new ServiceAccount(s, "SA", { displayName: "sa" }).id }),
    ],
  ])("adds a key to an existing owner: %s", (_name, owner) => {
    const stack = newStack();
    new ServiceAccountWithKey(stack, "Orders", { scope: kafka(), owner: owner(stack) });
    const json = synthesizeStack(stack);
    expect(onlyKey(json).owner.kind).toBe("ServiceAccount");
    expect(resourcesOfType(json, "confluent_service_account").length).toBeLessThanOrEqual(1);
  });

  test("role bindings go to the service account on the scoped resource's CRN", () => {
    const stack = newStack();
    const cluster = newKafkaCluster(stack, "C", "standard");
    new ServiceAccountWithKey(stack, "App", {
      scope: KeyScope.fromKafkaCluster(cluster),
      roleBindings: [{ role: "CloudClusterAdmin" }],
    });
    const json = synthesizeStack(stack);
    const [[, binding]] = resourcesOfType(json, "confluent_role_binding");
    expect(binding.crn_pattern).toBe("${confluent_kafka_cluster.C.rbac_crn}");
    expect(binding.role_name).toBe("CloudClusterAdmin");
    expect(binding.principal).toMatch(/^User:\$\{confluent_service_account\.App_ServiceAccount_[0-9A-F]+\.id\}$/);
  });

  describe("refuses user owners", () => {
    const fix = /production keys must be owned by a service account .*Pass a ServiceAccount/;
    test.each([
      ["a u- id", () => ({ id: "u-abc123" }), /owner u-abc123 is a user/],
      ["kind User", () => ({ id: "someone", kind: "User" }), /owner someone is a user/],
      [
        "a DataConfluentUser",
        (s: ReturnType<typeof newStack>) => new DataConfluentUser(s, "Alice", { email: "alice@example.com" }),
        /owner data\.confluent_user\.Alice is a user/,
      ],
      [
        "a reference to a user's id",
        (s: ReturnType<typeof newStack>) => ({ id: new DataConfluentUser(s, "Bob", { email: "b@example.com" }).id }),
        /owner \$\{data\.confluent_user\.Bob\.id\} is a user/,
      ],
    ])("%s throws in a production stack, naming the path, the owner and the fix", (_name, owner, what) => {
      const stack = newStack();
      const ref = owner(stack);
      let message = "";
      try {
        new ServiceAccountWithKey(stack, "Orders", { scope: kafka(), owner: ref });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^ServiceAccountWithKey test\/Orders: /);
      expect(message).toMatch(what);
      expect(message).toMatch(fix);
    });

    test("an opt-in does not help in production", () => {
      const stack = newStack("production");
      expect(
        () =>
          new ServiceAccountWithKey(stack, "Orders", {
            scope: kafka(),
            owner: { id: "u-1" },
            allowUserOwner: { reason: "local testing only" },
          }),
      ).toThrow(/is a user; production keys must be owned by a service account/);
    });

    test("a development stack needs an explicit opt-in with a reason", () => {
      const stack = newStack("development");
      expect(() => new ServiceAccountWithKey(stack, "A", { scope: kafka(), owner: { id: "u-1" } })).toThrow(
        /ServiceAccountWithKey test\/A: owner u-1 is a user; in a development stack a user-owned key needs allowUserOwner/,
      );
      expect(
        () =>
          new ServiceAccountWithKey(stack, "B", {
            scope: kafka(),
            owner: { id: "u-1" },
            allowUserOwner: { reason: "why" },
          }),
      ).toThrow(/allowUserOwner.reason 'why' is too short/);
    });

    test("with the opt-in, a development stack gets the key, a warning and the reason in the JSON", () => {
      const stack = newStack("development");
      const dev = new ServiceAccountWithKey(stack, "Dev", {
        scope: kafka(),
        owner: { id: "u-abc123" },
        allowUserOwner: { reason: "prototype on my laptop, deleted Friday" },
      });
      const warnings = dev.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
      expect(warnings).toEqual([
        expect.stringContaining("user-owned API key (owner u-abc123) allowed in a development stack"),
      ]);
      const json = synthesizeStack(stack);
      const key = onlyKey(json);
      expect(key.owner).toEqual({ id: "u-abc123", api_version: "iam/v2", kind: "User" });
      expect(key["//"].keykit.userOwner).toEqual({ reason: "prototype on my laptop, deleted Friday" });
      expect(json["//"]).toMatchObject({ keykit: { tier: "development" } });
    });
  });

  test("an owner it cannot classify fails closed", () => {
    const stack = newStack();
    expect(() => new ServiceAccountWithKey(stack, "A", { scope: kafka(), owner: { id: "pool-123" } })).toThrow(
      /ServiceAccountWithKey test\/A: cannot tell whether owner 'pool-123' is a service account/,
    );
  });

  test("bad props are clear errors", () => {
    const stack = newStack();
    expect(() => new ServiceAccountWithKey(stack, "A", { scope: "lkc-1" as unknown as KeyScope })).toThrow(
      /ServiceAccountWithKey test\/A: scope must be a KeyScope/,
    );
    expect(
      () => new ServiceAccountWithKey(stack, "B", { scope: kafka(), roleBindings: [{ role: "DeveloperRead" }] }),
    ).toThrow(/role binding 'DeveloperRead' needs a crnPattern/);
    expect(
      () =>
        new ServiceAccountWithKey(stack, "C", {
          scope: kafka(),
          roleBindings: [
            { role: "DeveloperRead", crnPattern: "crn://a" },
            { role: "DeveloperRead", crnPattern: "crn://b" },
          ],
        }),
    ).toThrow(/two role bindings have the id 'RoleBinding-DeveloperRead'/);
    expect(
      () => new ServiceAccountWithKey(stack, "D", { scope: kafka(), owner: { id: "sa-1" }, serviceAccountName: "x" }),
    ).toThrow(/serviceAccountName\/serviceAccountDescription apply only when no owner is passed/);
  });
});
