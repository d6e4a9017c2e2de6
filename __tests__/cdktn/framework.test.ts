/**
 * The framework switch. Runs in both legs: `npm test` (the cdktf build, from sources) and `npm run test:cdktn`
 * (the cdktn build, KEYKIT_FRAMEWORK=cdktn, with `cdktf` and the kit's modules resolved as scripts/cdktn/jest.config.js
 * says), so each assertion is checked against the framework the kit was built for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Aspects, type IAspect, TerraformResource, TerraformStack, Testing } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { FRAMEWORK } from "../../constructs/cdktf";
import { KeyScope, KeykitStack, ServiceAccountWithKey, VaultKvSecretSink, VaultStoreProvider } from "../../constructs";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";

const expected = process.env.KEYKIT_FRAMEWORK ?? "cdktf";
const root = join(__dirname, "..", "..");

function exportedNames(file: string): string[] {
  const text = readFileSync(join(root, "constructs", "framework", file), "utf8");
  const lists = [...text.matchAll(/export (?:type )?\{([^}]*)\} from/g)].map((m) => m[1]);
  return lists
    .flatMap((list) => list.split(","))
    .map((name) => name.trim())
    .filter(Boolean)
    .sort();
}

function stackWithVaultKey(): KeykitStack {
  const stack = new KeykitStack(Testing.app(), "s");
  new ConfluentProvider(stack, "confluent", {});
  new VaultStoreProvider(stack, "vault", { address: "https://vault.example.internal:8200" });
  new ServiceAccountWithKey(stack, "App", {
    scope: KeyScope.cloud(),
    secretSink: new VaultKvSecretSink({ mount: "kv", name: "apps/app/confluent" }),
  });
  return stack;
}

describe("the framework the kit was built for", () => {
  test("the two framework modules export the same names, from their own framework only", () => {
    expect(exportedNames("cdktn.ts")).toEqual(exportedNames("cdktf.ts"));
    expect(readFileSync(join(root, "constructs", "framework", "cdktn.ts"), "utf8")).not.toMatch(/from "cdktf"/);
    expect(readFileSync(join(root, "constructs", "framework", "cdktf.ts"), "utf8")).not.toMatch(/from "cdktn"/);
  });

  test("FRAMEWORK names it, and only the cdktn build writes the store resources on the escape hatch", () => {
    expect(FRAMEWORK.name).toBe(expected);
    expect(FRAMEWORK.storeBindings).toBe(expected === "cdktn" ? "escape-hatch" : "provider-packages");
  });

  test("the kit's constructs are the app framework's constructs: instanceof and Aspects work", () => {
    const stack = stackWithVaultKey();
    expect(stack).toBeInstanceOf(TerraformStack);
    expect(stack).toBeInstanceOf(Construct);
    expect(stack.node.scope).toBeInstanceOf(App);
    const visited: string[] = [];
    const aspect: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof TerraformResource) visited.push(node.terraformResourceType);
      },
    };
    Aspects.of(stack).add(aspect);
    Testing.synth(stack);
    expect(visited).toEqual(
      expect.arrayContaining(["confluent_service_account", "confluent_api_key", "vault_kv_secret_v2"]),
    );
  });

  test("the Vault sink and provider write the same JSON on either framework", () => {
    const json = JSON.parse(Testing.synth(stackWithVaultKey()));
    expect(json.terraform.required_providers.vault).toEqual({ source: "hashicorp/vault", version: "5.6.0" });
    expect(json.provider.vault).toEqual([{ address: "https://vault.example.internal:8200" }]);
    const secrets = Object.values(json.resource.vault_kv_secret_v2) as Record<string, unknown>[];
    expect(secrets).toHaveLength(1);
    expect(Object.keys(secrets[0]).sort()).toEqual(["data_json", "mount", "name"]);
    expect(secrets[0]).toMatchObject({ mount: "kv", name: "apps/app/confluent" });
    expect(String(secrets[0].data_json)).toContain("confluent_api_key.");
  });
});
