/** Builders for Confluent inventory exports (both shapes) and a captured-IO runner for `keykit audit`. */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main";
import type { CliIo } from "../../cli/io";
import { stateResource } from "../../bench/state-json";
import { runDir } from "../helpers/run-dir";

export interface KeySpec {
  readonly id: string;
  readonly owner: string;
  /** Resource ids (lkc-…, lsrc-…, "" for cloud/global) with the CLI resource_type / API kind. */
  readonly resources?: readonly { readonly type: string; readonly id: string; readonly apiKind?: string }[];
  readonly created?: string;
  readonly description?: string;
  readonly displayName?: string;
  /** Planted to prove it never comes out. */
  readonly secret?: string;
}

export interface AccountSpec {
  readonly id: string;
  readonly name: string;
}

const KAFKA = [{ type: "kafka", id: "lkc-abc123", apiKind: "Cluster" }];

export function cliKeyList(keys: readonly KeySpec[]): unknown[] {
  return keys.flatMap((k) =>
    (k.resources ?? KAFKA).map((r) => ({
      key: k.id,
      description: k.description ?? "",
      owner: k.owner,
      owner_email: k.owner.startsWith("sa-") ? "<service account>" : "someone@example.com",
      resource_type: r.type,
      resource: r.id,
      created: k.created ?? "2026-05-01T00:00:00Z",
      ...(k.secret ? { secret: k.secret } : {}),
    })),
  );
}

export function apiKeyItem(k: KeySpec): Record<string, unknown> {
  const [first, ...rest] = k.resources ?? KAFKA;
  const resource = (r: { type: string; id: string; apiKind?: string }) =>
    r.type === "cloud"
      ? { id: "cloud", kind: "Cloud", api_version: "iam/v2" }
      : { id: r.id || r.type, kind: r.apiKind ?? "Cluster", api_version: "cmk/v2" };
  return {
    api_version: "iam/v2",
    kind: "ApiKey",
    id: k.id,
    metadata: { created_at: k.created ?? "2026-05-01T00:00:00Z", updated_at: k.created ?? "2026-05-01T00:00:00Z" },
    spec: {
      display_name: k.displayName ?? "",
      description: k.description ?? "",
      owner: { id: k.owner, kind: k.owner.startsWith("sa-") ? "ServiceAccount" : "User", api_version: "iam/v2" },
      resource: resource(first),
      ...(rest.length > 0 ? { resources: [first, ...rest].map(resource) } : {}),
      ...(k.secret ? { secret: k.secret } : {}),
    },
  };
}

export function apiPage(
  kind: "ApiKeyList" | "ServiceAccountList",
  data: readonly unknown[],
  next = "",
): Record<string, unknown> {
  return { api_version: "iam/v2", kind, metadata: { first: "https://api.confluent.cloud/iam/v2/x", next }, data };
}

export function apiKeyPage(keys: readonly KeySpec[], next = ""): Record<string, unknown> {
  return apiPage("ApiKeyList", keys.map(apiKeyItem), next);
}

export function cliAccountList(accounts: readonly AccountSpec[]): unknown[] {
  return accounts.map((a) => ({ id: a.id, name: a.name, description: "" }));
}

export function apiAccountItem(a: AccountSpec): Record<string, unknown> {
  return {
    api_version: "iam/v2",
    kind: "ServiceAccount",
    id: a.id,
    metadata: { created_at: "2025-01-01T00:00:00Z" },
    display_name: a.name,
    description: "",
  };
}

export function apiAccountPage(accounts: readonly AccountSpec[], next = ""): Record<string, unknown> {
  return apiPage("ServiceAccountList", accounts.map(apiAccountItem), next);
}

export type Shape = "cli" | "api";

/** Writes the two inventory lists in one shape; returns their file names. */
export function writeInventory(
  dir: string,
  shape: Shape,
  keys: readonly KeySpec[],
  accounts: readonly AccountSpec[],
): string[] {
  const keyFile = join(dir, `${shape}-api-keys.json`);
  const accountFile = join(dir, `${shape}-service-accounts.json`);
  writeJson(keyFile, shape === "cli" ? cliKeyList(keys) : apiKeyPage(keys));
  writeJson(accountFile, shape === "cli" ? cliAccountList(accounts) : apiAccountPage(accounts));
  return [keyFile, accountFile];
}

/** An empty rotation-state file (no key has rotated). */
export function emptyRotationState(dir: string): string {
  return writeJson(join(dir, "keykit.rotation.json"), { version: 1, keys: {} });
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** A central acknowledgements file (`acks.json` in `dir`), as a team writes one; returns its path. */
export function writeAcksFile(
  dir: string,
  acknowledgements: readonly { rule: string; resource: string; reason: string; expires: string }[],
): string {
  return writeJson(join(dir, "acks.json"), { version: 1, acknowledgements });
}

const created: string[] = [];

/** A fresh directory of this test run (helpers/run-dir.ts), removed after the test file. */
export function tempDir(): string {
  const dir = runDir("audit");
  created.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runKeykit(
  argv: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; isTty?: boolean } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    // Never the repository: a keykit.acknowledgements.json or keykit.rotation.json there would leak in.
    cwd: options.cwd ?? tempDir(),
    env: options.env ?? {},
    isTty: options.isTty ?? false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

// ----- desired state: a cdk.tf.json / state JSON in the shapes the kit and Terraform write -----

export interface ConfiguredKeySpec {
  /** Terraform resource name. */
  readonly name: string;
  /** Name of the configured service account resource that owns it. */
  readonly ownerResource: string;
  readonly description: string;
  readonly displayName?: string;
  readonly rotation?: { readonly name: string; readonly slot: "blue" | "green"; readonly active: boolean };
}

export function cdktfJson(
  keys: readonly ConfiguredKeySpec[],
  accounts: readonly { name: string; displayName: string }[],
  roleBindings: readonly { name: string; ownerResource: string }[] = [],
): Record<string, unknown> {
  const resource: Record<string, Record<string, unknown>> = {};
  if (accounts.length > 0) {
    resource.confluent_service_account = Object.fromEntries(
      accounts.map((a) => [a.name, { display_name: a.displayName, description: "test" }]),
    );
  }
  if (keys.length > 0) {
    resource.confluent_api_key = Object.fromEntries(
      keys.map((k) => [
        k.name,
        {
          display_name: k.displayName ?? `${k.name} key`,
          description: k.description,
          owner: {
            id: `\${confluent_service_account.${k.ownerResource}.id}`,
            api_version: "iam/v2",
            kind: "ServiceAccount",
          },
          managed_resource: { id: "lkc-abc123", api_version: "cmk/v2", kind: "Cluster", environment: { id: "env-1" } },
          "//": {
            keykit: {
              version: 1,
              construct: k.rotation ? "BlueGreenApiKey" : "ServiceAccountWithKey",
              scope: { kind: "kafka", id: "lkc-abc123", environment: "env-1" },
              ...(k.rotation ? { rotation: k.rotation } : {}),
            },
          },
        },
      ]),
    );
  }
  if (roleBindings.length > 0) {
    resource.confluent_role_binding = Object.fromEntries(
      roleBindings.map((r) => [
        r.name,
        {
          principal: `User:\${confluent_service_account.${r.ownerResource}.id}`,
          role_name: "DeveloperWrite",
          crn_pattern: "crn://x",
        },
      ]),
    );
  }
  return {
    "//": { metadata: { backend: "local", stackName: "test" }, keykit: { version: 1, tier: "production" } },
    provider: { confluent: [{}] },
    terraform: { required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } } },
    resource,
  };
}

/** `terraform show -json` of a state: Terraform 1.11's envelope around the root module. */
export function terraformShowJson(rootModule: Record<string, unknown>): Record<string, unknown> {
  return { format_version: "1.0", terraform_version: "1.11.0", values: { root_module: rootModule } };
}

/** A `terraform show -json` state with API keys (ids and planted secrets) and service accounts. */
export function stateJson(
  keys: readonly { name: string; id: string; ownerId: string; description: string; secret?: string }[],
  accounts: readonly { name: string; id: string; displayName: string }[],
): Record<string, unknown> {
  return terraformShowJson({
    resources: [
      ...accounts.map((a) =>
        stateResource("confluent_service_account", a.name, {
          id: a.id,
          display_name: a.displayName,
          description: "test",
          api_version: "iam/v2",
          kind: "ServiceAccount",
        }),
      ),
      ...keys.map((k) => ({
        ...stateResource("confluent_api_key", k.name, {
          id: k.id,
          secret: k.secret ?? "",
          display_name: `${k.name} key`,
          description: k.description,
          owner: [{ id: k.ownerId, api_version: "iam/v2", kind: "ServiceAccount" }],
          managed_resource: [
            { id: "lkc-abc123", api_version: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] },
          ],
        }),
        sensitive_values: { secret: true },
      })),
    ],
  });
}

interface PlanKeySide {
  readonly id?: string;
  readonly ownerId: string;
  readonly description: string;
  readonly secret?: string;
}

/** A `terraform show -json` plan: service accounts unchanged, keys with the given actions. */
export function planJson(
  keys: readonly { name: string; actions: string[]; before?: PlanKeySide; after?: PlanKeySide }[],
  accounts: readonly { name: string; id: string; displayName: string }[],
): Record<string, unknown> {
  const keyValues = (side: PlanKeySide | undefined) =>
    side && {
      ...(side.id ? { id: side.id } : {}),
      secret: side.secret ?? "",
      display_name: "key",
      description: side.description,
      owner: [{ id: side.ownerId, api_version: "iam/v2", kind: "ServiceAccount" }],
      managed_resource: [{ id: "lkc-abc123", api_version: "cmk/v2", kind: "Cluster", environment: [{ id: "env-1" }] }],
    };
  return {
    format_version: "1.2",
    terraform_version: "1.11.0",
    resource_changes: [
      ...accounts.map((a) => {
        const values = { id: a.id, display_name: a.displayName, description: "test" };
        return {
          address: `confluent_service_account.${a.name}`,
          mode: "managed",
          type: "confluent_service_account",
          name: a.name,
          change: {
            actions: ["no-op"],
            before: values,
            after: values,
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        };
      }),
      ...keys.map((k) => ({
        address: `confluent_api_key.${k.name}`,
        mode: "managed",
        type: "confluent_api_key",
        name: k.name,
        change: {
          actions: k.actions,
          before: keyValues(k.before) ?? null,
          after: keyValues(k.after) ?? null,
          after_unknown: k.after && !k.after.id ? { id: true, secret: true } : {},
          before_sensitive: k.before ? { secret: true } : false,
          after_sensitive: k.after ? { secret: true } : false,
        },
      })),
    ],
  };
}
