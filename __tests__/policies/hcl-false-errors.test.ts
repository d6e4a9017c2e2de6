/**
 * Constructs people's Terraform uses that were misread, each judged from what it means: a secret handed to a
 * provisioner's script, a reference inside a comment, a for_each over a map's keys(), placeholder provider
 * credentials, N-slot rotation modules driven by time resources, a service account used through a data-source
 * lookup, and the location of a finding about a written secret. Each case has its counterpart that must still be
 * reported, so the test can fail. Fixtures written here.
 */
import { evaluate } from "../../policies/engine";
import { loadHclFiles } from "../../policies/loaders/hcl";
import type { Finding } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";

async function check(text: string): Promise<readonly Finding[]> {
  const model = await loadHclFiles([{ file: "main.tf", text }], { source: "dir" });
  return evaluate(model, ALL_RULES, [], { now: "2026-12-01" }).findings;
}

const of = (findings: readonly Finding[], rule: string) => findings.filter((f) => f.ruleId === rule);

function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index === -1) throw new Error(`fixture has no line with ${needle}`);
  return index + 1;
}

const KEY = (name: string, extra = "") => `
resource "confluent_api_key" "${name}" {
  display_name = "${name}"
${extra}
  owner {
    id          = confluent_service_account.app.id
    api_version = "iam/v2"
    kind        = "ServiceAccount"
  }
  managed_resource {
    id          = "lkc-1"
    api_version = "cmk/v2"
    kind        = "Cluster"
    environment {
      id = "env-1"
    }
  }
}
`;
const APP = `resource "confluent_service_account" "app" {
  display_name = "app"
}
`;

describe("KK006: where a secret is written, not where it is named", () => {
  it("a local-exec environment is a warning that a script receives the secret, at the provisioner's line", async () => {
    const text = `${APP}${KEY("k")}
resource "terraform_data" "register" {
  provisioner "local-exec" {
    command = "./register-client.sh"
    environment = {
      KAFKA_API_SECRET = confluent_api_key.k.secret
    }
  }
}
`;
    const found = of(await check(text), "KK006");
    expect(found.map((f) => [f.subject, f.severity])).toEqual([["terraform_data.register", "warning"]]);
    expect(found[0].message).toContain("local-exec script's environment");
    expect(found[0].location.line).toBe(lineOf(text, 'provisioner "local-exec"'));
  });

  it("the same secret in the provisioner's command line, or in a resource argument, stays an error", async () => {
    const text = `${APP}${KEY("k")}
resource "terraform_data" "register" {
  input = confluent_api_key.k.secret
}
`;
    expect(of(await check(text), "KK006").map((f) => [f.subject, f.severity])).toEqual([
      ["terraform_data.register", "error"],
    ]);
  });

  it("a reference inside a comment within an expression is no reference", async () => {
    const commented = `${APP}${KEY("k")}
resource "kubernetes_config_map_v1" "settings" {
  metadata {
    name = "settings"
  }
  data = merge(
    # was: { secret = confluent_api_key.k.secret }
    /* confluent_api_key.k.secret */
    { mode = "#not-a-comment" },
  )
}
`;
    expect(of(await check(commented), "KK006")).toEqual([]);
    const written = commented.replace(
      "# was: { secret = confluent_api_key.k.secret }",
      "{ secret = confluent_api_key.k.secret },",
    );
    expect(of(await check(written), "KK006").map((f) => f.subject)).toEqual(["kubernetes_config_map_v1.settings"]);
  });

  it("for_each over keys() of a map of keys gives the names; the secret goes to the store's value", async () => {
    const text = `${APP}${KEY("a")}${KEY("b")}
locals {
  keys = { a = confluent_api_key.a, b = confluent_api_key.b }
}
resource "aws_secretsmanager_secret_version" "v" {
  for_each      = toset(keys(local.keys))
  secret_id     = "kafka/\${each.key}"
  secret_string = local.keys[each.key].secret
}
`;
    const found = await check(text);
    expect(of(found, "KK006")).toEqual([]);
  });

  it("for_each over the map itself carries the secret to the argument reading each.value: the finding names it", async () => {
    const text = `${APP}${KEY("a")}
resource "local_file" "dump" {
  for_each = { a = confluent_api_key.a }
  filename = "\${each.key}.txt"
  content  = each.value.secret
}
`;
    const found = of(await check(text), "KK006");
    expect(found.map((f) => [f.subject, f.location.line])).toEqual([["local_file.dump", lineOf(text, "content ")]]);
    expect(found[0].message).toContain("(content)");
  });
});

describe("KK007: a credential is a value that could be one", () => {
  it("placeholder defaults are a warning saying what was seen, never quoting it", async () => {
    const text = `variable "api_key" {
  default = "Your confluent api key"
}
provider "confluent" {
  cloud_api_key    = var.api_key
  cloud_api_secret = "CHANGEME"
}
`;
    const found = of(await check(text), "KK007");
    expect(found.map((f) => [f.subject, f.severity])).toEqual([["provider.confluent", "warning"]]);
    expect(found[0].message).toContain(
      "cloud_api_key (through the default of var.api_key) holds a text of 22 characters, with spaces",
    );
    expect(found[0].message).toContain("cloud_api_secret holds a text of 8 characters");
    expect(found[0].message).not.toMatch(/Your|CHANGEME/);
  });

  it("a value of a Confluent key's shape is a hard-coded credential (error, value not shown)", async () => {
    const secret = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3v";
    const text = `provider "confluent" {
  cloud_api_key    = "ABCD2345EFGH6789"
  cloud_api_secret = "${secret}"
}
`;
    const found = of(await check(text), "KK007");
    expect(found.map((f) => [f.subject, f.severity])).toEqual([["provider.confluent", "error"]]);
    expect(found[0].message).toBe("provider.confluent hard-codes cloud_api_key, cloud_api_secret (value not shown)");
  });
});

describe("KK003: N-slot rotation modules", () => {
  const slots = (trigger: string, extra = "") => `${APP}${extra}
resource "time_rotating" "slot" {
  count         = 2
  rotation_days = 60
}
${KEY("k", `  count = 2\n  lifecycle {\n    replace_triggered_by = [${trigger}]\n  }`)}`;

  it("count slots each replaced by their own time_rotating are rotated", async () => {
    expect(of(await check(slots("time_rotating.slot[count.index]")), "KK003")).toEqual([]);
  });

  it("through a terraform_data per slot fed by a time_static, too", async () => {
    const hop = `
resource "time_static" "born" {
  count = 2
}
resource "terraform_data" "rotate" {
  count = 2
  input = time_static.born[count.index].rfc3339
}
`;
    expect(of(await check(slots("terraform_data.rotate[count.index]", hop)), "KK003")).toEqual([]);
  });

  it("one time resource replacing every slot at once is its own finding: zero valid keys", async () => {
    const text = `${APP}
resource "time_rotating" "every_90_days" {
  rotation_days = 90
}
${KEY("k", `  count = 2\n  lifecycle {\n    replace_triggered_by = [time_rotating.every_90_days]\n  }`)}`;
    const found = of(await check(text), "KK003");
    expect(found.map((f) => f.subject)).toEqual(["confluent_api_key.k"]);
    expect(found[0].message).toBe(
      "API key confluent_api_key.k is replaced by time (time_rotating.every_90_days) with every instance in the same apply: the rotation can leave clients with no valid key",
    );
  });

  it("a key without any trigger is still not under rotation", async () => {
    const found = of(await check(`${APP}${KEY("k")}`), "KK003");
    expect(found.map((f) => f.message)).toEqual([
      "API key confluent_api_key.k is not under rotation (not a blue/green slot)",
    ]);
  });
});

describe("KK008: use through a data-source lookup", () => {
  it("a key owned through data.confluent_service_account found by display name uses the managed account", async () => {
    const text = `resource "confluent_service_account" "orders" {
  display_name = "orders"
}
resource "confluent_service_account" "idle" {
  display_name = "idle"
}
data "confluent_service_account" "orders" {
  display_name = "orders"
}
${KEY("k").replace("confluent_service_account.app.id", "data.confluent_service_account.orders.id")}`;
    expect(of(await check(text), "KK008").map((f) => f.subject)).toEqual(["confluent_service_account.idle"]);
  });

  it("with a key owned by a variable set in tfvars (not read), an account without a key is only informational", async () => {
    const text = `${APP}variable "owner_id" {}
${KEY("k").replace("confluent_service_account.app.id", "var.owner_id")}`;
    const found = of(await check(text), "KK008");
    expect(found.map((f) => [f.subject, f.severity])).toEqual([["confluent_service_account.app", "info"]]);
    expect(found[0].message).toContain("1 key(s) or binding(s) name an owner that cannot be resolved here");
    const resolved = of(
      await check(`${APP}${KEY("k").replace("confluent_service_account.app.id", '"sa-other"')}`),
      "KK008",
    );
    expect(resolved.map((f) => [f.subject, f.severity])).toEqual([["confluent_service_account.app", "warning"]]);
  });
});
