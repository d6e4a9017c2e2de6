/**
 * HCL read by Terraform's own rules: modules resolved through `.terraform/modules/modules.json` (registry and git
 * `//subdir` sources, nested calls), module calls found by the parser whatever precedes `source`, `.tf` with
 * `.tf.json`, override files, a fan-out tree, a self-symlink called as a module, the scanned tree's boundary.
 * Every fixture is written here from Terraform's documented shapes.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { evaluate } from "../../policies/engine";
import { findInputs } from "../../policies/loaders/discover";
import { newParseCache } from "../../policies/loaders/hcl-calls";
import { MAX_MODULE_INSTANCES, loadHclDirectory } from "../../policies/loaders/hcl";
import { mergeBlockBody } from "../../policies/loaders/hcl-files";
import { readInputs } from "../../policies/loaders/input";
import type { KeykitModel } from "../../policies/model";
import { ALL_RULES } from "../../policies/rules";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "tf-rules-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const load = (cwd: string, dir = "root") => loadHclDirectory(dir, { source: dir, cwd });
const findingsOf = (model: KeykitModel) => evaluate(model, ALL_RULES, [], { now: "2026-12-01" }).findings;
const rows = (model: KeykitModel) => findingsOf(model).map((f) => `${f.ruleId} ${f.subject}`);

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index === -1) throw new Error(`fixture has no line with ${needle}`);
  return index + 1;
}

const KEY_OWNED_BY = (owner: string) => `
resource "confluent_api_key" "k" {
  display_name = "k"
  owner {
    id          = ${owner}
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

const INNER_KEYS = `variable "owner" {}
${KEY_OWNED_BY("var.owner")}
output "secret" {
  value     = confluent_api_key.k.secret
  sensitive = true
}
`;
const REGISTRY_KEYS = `variable "owner" {}
module "inner" {
  source = "./inner"
  owner  = var.owner
}
output "secret" {
  value     = module.inner.secret
  sensitive = true
}
`;
const DOTENV = `variable "secret" {}
resource "local_file" "env" {
  filename = ".env"
  content  = var.secret
}
`;
const INIT_ROOT = `resource "confluent_service_account" "app" {
  display_name = "app"
}
module "keys" {
  source  = "acme/kafka-keys/confluent"
  version = "1.2.0"
  owner   = confluent_service_account.app.id
}
module "dotenv" {
  source = "git::https://git.example.com/acme/terraform-modules.git//dotenv?ref=v3"
  secret = module.keys.secret
}
`;
const MANIFEST = JSON.stringify({
  Modules: [
    { Key: "", Source: "", Dir: "." },
    {
      Key: "keys",
      Source: "registry.terraform.io/acme/kafka-keys/confluent",
      Version: "1.2.0",
      Dir: ".terraform/modules/keys",
    },
    { Key: "keys.inner", Source: "./inner", Dir: ".terraform/modules/keys/inner" },
    {
      Key: "dotenv",
      Source: "git::https://git.example.com/acme/terraform-modules.git//dotenv?ref=v3",
      Dir: ".terraform/modules/dotenv/dotenv",
    },
  ],
});

describe("modules as terraform init laid them out", () => {
  const initialised = {
    "root/main.tf": INIT_ROOT,
    "root/.terraform/modules/modules.json": MANIFEST,
    "root/.terraform/modules/keys/main.tf": REGISTRY_KEYS,
    "root/.terraform/modules/keys/inner/main.tf": INNER_KEYS,
    "root/.terraform/modules/dotenv/dotenv/main.tf": DOTENV,
  };

  it("reads a registry module, its nested call (key a.b) and a git //subdir module from modules.json", async () => {
    const model = await load(tree(initialised));
    expect(model.apiKeys.map((k) => [k.address, k.owner.key])).toEqual([
      ["module.keys.module.inner.confluent_api_key.k", "confluent_service_account.app"],
    ]);
    expect(model.notes).toEqual([]);
    // (Calls in name order, as the parser gives them.) The secret crosses two module outputs into the git module's file: KK006 at the argument that writes it.
    const sink = findingsOf(model).find((f) => f.ruleId === "KK006");
    expect(sink?.subject).toBe("module.dotenv.local_file.env");
    expect(sink?.location).toMatchObject({
      file: "root/.terraform/modules/dotenv/dotenv/main.tf",
      line: lineOf(DOTENV, "content"),
    });
    expect(rows(model)).not.toContain("KK008 confluent_service_account.app");
  });

  it("without modules.json: a note per remote call saying terraform init would let keykit read it", async () => {
    const notInitialised: Record<string, string> = { ...initialised };
    delete notInitialised["root/.terraform/modules/modules.json"];
    const model = await load(tree(notInitialised));
    expect(model.apiKeys).toEqual([]);
    expect(model.notes).toEqual([
      `module.dotenv (root/main.tf:${lineOf(INIT_ROOT, 'module "dotenv"')}): a registry, git or remote module source is not checked; after terraform init, keykit reads it from .terraform/modules`,
      `module.keys (root/main.tf:${lineOf(INIT_ROOT, 'module "keys"')}): a registry, git or remote module source is not checked; after terraform init, keykit reads it from .terraform/modules`,
    ]);
  });

  it("a call added after init is named; a malformed manifest is a note and the calls fall back", async () => {
    const added = `${INIT_ROOT}module "later" {\n  source = "acme/other/confluent"\n}\n`;
    const model = await load(tree({ ...initialised, "root/main.tf": added }));
    expect(model.notes).toEqual([
      `module.later (root/main.tf:${lineOf(added, 'module "later"')}): not in .terraform/modules/modules.json (run terraform init again); not checked`,
    ]);
    const broken = await load(tree({ ...initialised, "root/.terraform/modules/modules.json": "{ not json" }));
    expect(broken.apiKeys).toEqual([]);
    expect(broken.notes[0]).toMatch(
      /^root\/\.terraform\/modules\/modules\.json is not valid JSON \(line 1, column \d+\); module calls are resolved as without terraform init$/,
    );
    expect(broken.notes.join("\n")).not.toContain("not json");
  });

  it("reads outside the scanned tree only through modules.json, and says so", async () => {
    const root = `module "keys" {\n  source = "../../modules/keys"\n  owner  = "sa-1"\n}\n`;
    const files = { "live/prod/main.tf": root, "modules/keys/main.tf": INNER_KEYS };
    const cwd = tree(files);
    const outside = await loadHclDirectory("live/prod", { source: "live/prod", cwd, boundary: "live/prod" });
    expect(outside.apiKeys).toEqual([]);
    expect(outside.notes).toEqual([
      "module.keys (live/prod/main.tf:1): module directory modules/keys is outside the scanned tree; not read",
    ]);
    const manifest = JSON.stringify({
      Modules: [{ Key: "keys", Source: "../../modules/keys", Dir: "../../modules/keys" }],
    });
    const withInit = tree({ ...files, "live/prod/.terraform/modules/modules.json": manifest });
    const read = await loadHclDirectory("live/prod", { source: "live/prod", cwd: withInit, boundary: "live/prod" });
    expect(read.apiKeys.map((k) => k.address)).toEqual(["module.keys.confluent_api_key.k"]);
    expect(read.notes).toEqual([
      "module.keys: read from modules/keys, outside the scanned tree, as .terraform/modules/modules.json lists it",
    ]);
  });
});

describe("module calls from the parser's output", () => {
  it("a for_each map before source is a call: the module is not a root and its key is reported once", async () => {
    const root = `resource "confluent_service_account" "app" {
  display_name = "app"
}
module "keys" {
  for_each = {
    east = { region = "us-east-1" }
    west = { region = "us-west-2" }
  }
  source = "../mod"
  owner  = confluent_service_account.app.id
}
`;
    const cwd = tree({ "repo/root/main.tf": root, "repo/mod/main.tf": INNER_KEYS });
    expect(await findInputs("repo", cwd)).toEqual([{ kind: "hcl", path: "repo/root" }]);
    const models = await readInputs(["repo"], { cwd });
    expect(models.flatMap((m) => m.apiKeys.map((k) => [m.source, k.address, k.owner.key]))).toEqual([
      ["repo/root", "module.keys.confluent_api_key.k", "confluent_service_account.app"],
    ]);
  });
});

describe("Terraform's configuration-file rules", () => {
  it("reads .tf and .tf.json of one module together", async () => {
    const json = JSON.stringify(
      {
        resource: {
          confluent_api_key: {
            j: {
              display_name: "j",
              owner: { id: "${confluent_service_account.app.id}", api_version: "iam/v2", kind: "ServiceAccount" },
              managed_resource: { id: "lkc-1", api_version: "cmk/v2", kind: "Cluster", environment: { id: "env-1" } },
            },
          },
          local_file: { dump: { filename: "key.txt", content: "${confluent_api_key.j.secret}" } },
        },
      },
      null,
      2,
    );
    const model = await load(
      tree({
        "root/main.tf": 'resource "confluent_service_account" "app" {\n  display_name = "app"\n}\n',
        "root/keys.tf.json": json,
      }),
    );
    expect(model.apiKeys.map((k) => [k.address, k.owner.key])).toEqual([
      ["confluent_api_key.j", "confluent_service_account.app"],
    ]);
    const sink = findingsOf(model).find((f) => f.ruleId === "KK006");
    expect(sink?.subject).toBe("local_file.dump");
    expect(sink?.location.file).toBe("root/keys.tf.json");
    expect(rows(model)).not.toContain("KK008 confluent_service_account.app");
  });

  const MAIN = `${KEY_OWNED_BY('"sa-1"')}
resource "local_file" "f" {
  filename = "out.txt"
  content  = "nothing secret"
  lifecycle {
    prevent_destroy = true
  }
}
output "o" {
  value = "nothing secret"
}
`;
  const OVERRIDE = `resource "local_file" "f" {
  content = confluent_api_key.k.secret
}
output "o" {
  value = confluent_api_key.k.secret
}
resource "local_file" "missing" {
  content = "x"
}
`;

  it("merges override files argument by argument (the hidden KK005 and KK006 appear, at the override's lines)", async () => {
    const model = await load(tree({ "root/main.tf": MAIN, "root/z_override.tf": OVERRIDE }));
    const found = findingsOf(model);
    const sink = found.find((f) => f.ruleId === "KK006");
    expect(sink?.subject).toBe("local_file.f");
    expect(sink?.location).toMatchObject({ file: "root/z_override.tf", line: lineOf(OVERRIDE, "content") });
    expect(found.find((f) => f.ruleId === "KK005")?.subject).toBe("output.o");
    expect(model.notes).toEqual([
      "root/z_override.tf: overrides local_file.missing, which no other file of the module declares; not applied",
    ]);
  });

  it("applies override files in name order, later ones over earlier ones (override.tf.json too)", async () => {
    const undo = JSON.stringify({ resource: { local_file: { f: { content: "nothing secret again" } } } });
    const model = await load(
      tree({ "root/main.tf": MAIN, "root/a_override.tf": OVERRIDE, "root/override.tf.json": undo }),
    );
    expect(findingsOf(model).filter((f) => f.ruleId === "KK006")).toEqual([]);
  });

  it("merge rules: arguments replaced, nested blocks of a type replaced, lifecycle merged, count and for_each exclusive", () => {
    const base = {
      count: 2,
      tags: { a: "1" },
      ebs: [{ size: 1 }, { size: 2 }],
      lifecycle: [{ prevent_destroy: true, ignore_changes: ["tags"] }],
    };
    const merged = mergeBlockBody(base, {
      for_each: "${var.m}",
      ebs: [{ size: 3 }],
      lifecycle: [{ prevent_destroy: false }],
    });
    expect({ ...merged }).toEqual({
      tags: { a: "1" },
      ebs: [{ size: 3 }],
      lifecycle: [{ prevent_destroy: false, ignore_changes: ["tags"] }],
      for_each: "${var.m}",
    });
  });
});

describe("module directories parsed once, instantiated per call", () => {
  it("a 30-level fan-out (each module calls the next twice) stops at the instance cap with a note", async () => {
    const files: Record<string, string> = {
      "root/main.tf": 'module "a" {\n  source = "../m0"\n}\nmodule "b" {\n  source = "../m0"\n}\n',
    };
    for (let i = 0; i < 30; i++) {
      const next =
        i < 29 ? `module "a" {\n  source = "../m${i + 1}"\n}\nmodule "b" {\n  source = "../m${i + 1}"\n}\n` : "";
      files[`m${i}/main.tf`] = `${next}resource "confluent_service_account" "sa${i}" {\n  display_name = "sa${i}"\n}\n`;
    }
    const cwd = tree(files);
    // Discovery parses each of the 31 files once; loading takes every one of those parses (none left over).
    const cache = newParseCache();
    expect(await findInputs(".", cwd, cache)).toEqual([{ kind: "hcl", path: "root" }]);
    expect(cache.size).toBe(31);
    const model = await loadHclDirectory("root", { source: "root", cwd, cache });
    expect(cache.size).toBe(0);
    expect(model.serviceAccounts).toHaveLength(MAX_MODULE_INSTANCES);
    expect(model.serviceAccounts[29].address).toBe(`${"module.a.".repeat(30)}confluent_service_account.sa29`);
    expect(model.notes).toEqual([
      expect.stringMatching(
        new RegExp(`^more than ${MAX_MODULE_INSTANCES} module instances: \\d+ further module calls are not followed$`),
      ),
    ]);
  });

  it("a directory linked to itself (loop -> .) called as a module is a cycle, found by real path", async () => {
    const main = `module "loop" {\n  source = "./loop"\n}\n${KEY_OWNED_BY('"sa-1"')}`;
    const cwd = tree({ "root/main.tf": main });
    symlinkSync(".", join(cwd, "root", "loop"));
    const model = await load(cwd);
    expect(model.apiKeys.map((k) => k.address)).toEqual(["confluent_api_key.k"]);
    expect(model.notes).toEqual([
      `module.loop (root/main.tf:${lineOf(main, 'module "loop"')}): module cycle through root/loop; not followed again`,
    ]);
  });
});
