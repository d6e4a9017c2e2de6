/** HCL local modules read like Terraform reads them, and the module problems that become notes. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { evaluate } from "../../policies/engine";
import { loadHclDirectory } from "../../policies/loaders/hcl";
import { readInputs } from "../../policies/loaders/input";
import { ALL_RULES } from "../../policies/rules";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "modules-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const load = (cwd: string, dir = "root") => loadHclDirectory(dir, { source: dir, cwd });
const findings = async (cwd: string) =>
  evaluate(await load(cwd), ALL_RULES, [], { now: "2026-12-01" }).findings.map((f) => `${f.ruleId} ${f.subject}`);

const KEY_MODULE = `
variable "owner" {}
variable "clusters" {
  default = ["lkc-a"]
}
resource "confluent_api_key" "k" {
  count        = length(var.clusters)
  display_name = "k"
  owner {
    id          = var.owner
    api_version = "iam/v2"
    kind        = "ServiceAccount"
  }
  managed_resource {
    id          = var.clusters[count.index]
    api_version = "cmk/v2"
    kind        = "Cluster"
    environment {
      id = "env-1"
    }
  }
}
output "secret" {
  value     = confluent_api_key.k[0].secret
  sensitive = true
}
`;

describe("local modules", () => {
  it("binds variables to the caller's arguments: an owner reference crosses the boundary; count once per declaration", async () => {
    const cwd = tree({
      "root/main.tf": `
resource "confluent_service_account" "app" {
  display_name = "app"
}
module "keys" {
  source = "../mod"
  owner  = confluent_service_account.app.id
}
module "keys_again" {
  source   = "../mod"
  for_each = toset(["x", "y"])
  owner    = "u-person1"
}
`,
      "mod/main.tf": KEY_MODULE,
    });
    const model = await load(cwd);
    expect(model.apiKeys.map((k) => [k.address, k.owner.kind, k.owner.key])).toEqual([
      ["module.keys.confluent_api_key.k", "service-account", "confluent_service_account.app"],
      ["module.keys_again.confluent_api_key.k", "user", "u-person1"],
    ]);
    // The service account is in use through the module; the user-owned key is caught inside it.
    const rows = await findings(cwd);
    expect(rows).not.toContain("KK008 confluent_service_account.app");
    expect(rows).toContain("KK001 module.keys_again.confluent_api_key.k");
  });

  it("a literal secret passed to a module argument that the module hands to a provider is KK007", async () => {
    const cwd = tree({
      "root/main.tf": `
module "platform" {
  source        = "./platform"
  cloud_key     = "HARDCODEDKEY0002"
  cloud_secret  = var.from_env
}
variable "from_env" {
  type = string
}
`,
      "root/platform/main.tf": `
variable "cloud_key" {}
variable "cloud_secret" {}
provider "confluent" {
  cloud_api_key    = var.cloud_key
  cloud_api_secret = var.cloud_secret
}
`,
    });
    const model = await load(cwd);
    expect(model.providers.map((p) => [p.address, p.credentials.map((c) => `${c.attribute}:${c.source}`)])).toEqual([
      ["module.platform.provider.confluent", ["cloud_api_key:literal", "cloud_api_secret:reference"]],
    ]);
    expect(await findings(cwd)).toContain("KK007 module.platform.provider.confluent");
  });

  it("a secret leaving a module through an output into a sink is KK006 at the sink", async () => {
    const cwd = tree({
      "root/main.tf": `
module "keys" {
  source = "../mod"
  owner  = "sa-1"
}
resource "local_file" "leak" {
  filename = "k.txt"
  content  = module.keys.secret
}
`,
      "mod/main.tf": KEY_MODULE,
    });
    expect((await load(cwd)).secretSinks.map((s) => [s.address, s.secretOf])).toEqual([
      ["local_file.leak", ["module.keys.confluent_api_key.k"]],
    ]);
  });

  it("a single .tf file given on the command line resolves module sources from its own directory", async () => {
    const cwd = tree({
      "root/main.tf": 'module "keys" {\n  source = "../mod"\n  owner  = "sa-9"\n}\n',
      "mod/main.tf": KEY_MODULE,
    });
    const [model] = await readInputs(["root/main.tf"], { cwd });
    expect(model.apiKeys.map((k) => k.address)).toEqual(["module.keys.confluent_api_key.k"]);
    expect(model.notes).toEqual([]);
  });

  it("locals are unfolded within their module: a secret kept in a local and written to a file is KK006", async () => {
    const cwd = tree({
      "root/main.tf": `
locals {
  owner = confluent_service_account.app.id
}
resource "confluent_service_account" "app" {
  display_name = "app"
}
module "keys" {
  source = "../mod"
  owner  = local.owner
}
`,
      "mod/main.tf": `${KEY_MODULE}
locals {
  credentials = "KEY=\${local.secret}"
  secret      = confluent_api_key.k[0].secret
}
resource "local_file" "env" {
  filename = "app.env"
  content  = local.credentials
}
`,
    });
    const model = await load(cwd);
    expect(model.apiKeys.map((k) => k.owner.key)).toEqual(["confluent_service_account.app"]);
    expect(model.secretSinks.map((s) => [s.address, s.secretOf])).toEqual([
      ["module.keys.local_file.env", ["module.keys.confluent_api_key.k"]],
    ]);
  });

  it("nested modules: addresses repeat module.<name>. as Terraform prints them", async () => {
    const cwd = tree({
      "root/main.tf": 'module "outer" {\n  source = "./outer"\n}\n',
      "root/outer/main.tf": 'module "inner" {\n  source = "../../mod"\n  owner  = "sa-2"\n}\n',
      "mod/main.tf": KEY_MODULE,
    });
    expect((await load(cwd)).apiKeys.map((k) => k.address)).toEqual(["module.outer.module.inner.confluent_api_key.k"]);
  });

  it("a cycle, a missing directory and an unparsable module file are notes naming the file; the rest is checked", async () => {
    const cwd = tree({
      "root/main.tf": `
module "a" {
  source = "./a"
}
module "gone" {
  source = "./does-not-exist"
}
module "keys" {
  source = "../mod"
  owner  = "sa-3"
}
`,
      "root/a/main.tf": 'module "back" {\n  source = "../a"\n}\n',
      "mod/main.tf": KEY_MODULE,
      "mod/broken.tf": 'resource "x_y" "z" {\n  a = \n',
    });
    const model = await load(cwd);
    expect(model.notes).toEqual(
      [
        expect.stringMatching(/^module\.a\.module\.back \(root\/a\/main\.tf:1\): module cycle through root\/a/),
        expect.stringMatching(
          /^module\.gone \(root\/main\.tf:5\): module directory root\/does-not-exist does not exist/,
        ),
        expect.stringMatching(/^mod\/broken\.tf: not valid HCL \(line \d+\): skipped/),
      ].sort(() => 0),
    );
    expect(model.apiKeys.map((k) => k.address)).toEqual(["module.keys.confluent_api_key.k"]);
  });
});
