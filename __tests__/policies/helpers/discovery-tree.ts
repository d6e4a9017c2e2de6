/**
 * One repository tree, written by hand the way a team's checkout looks, for the shared discovery tests
 * (policies/loaders/discover.ts): every command and the jest helpers must see the same stacks in it.
 *
 *   repo/app/cdktf.out/manifest.json
 *   repo/app/cdktf.out/stacks/orders/cdk.tf.json     blue/green key "orders" (both slots)
 *   repo/app/cdktf.out/stacks/orders/plan.json       the reviewed plan of that stack (not a stack itself)
 *   repo/app/cdktf.out/stacks/payments/cdk.tf.json   blue/green key "payments" (blue slot)
 *   repo/app/cdktf.out/stacks/notes/README.md        a directory of stacks/ without cdk.tf.json (not a stack)
 *   repo/edge/cdk.tf.json -> ../shared/edge-stack.json   a linked stack: blue/green key "edge"
 *   repo/legacy/network/main.tf                      an HCL root calling ./modules/keys
 *   repo/legacy/network/modules/keys/main.tf         its local module (not a root)
 *   repo/retired/cdktf.out/stacks/                   an empty stacks/ (nothing synthesized)
 *   repo/vendor -> ../outside                        a linked directory (never entered)
 *   keys.json                                        an inventory export next to repo/ (for audit)
 */
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Actions, type Json, resourceChange } from "./terraform";

/** The synthesized stacks every reader must find in the tree, in the one sort order. */
export const TREE_STACKS = [
  "repo/app/cdktf.out/stacks/orders/cdk.tf.json",
  "repo/app/cdktf.out/stacks/payments/cdk.tf.json",
  "repo/edge/cdk.tf.json",
] as const;

/** The blue/green keys those stacks declare: one per stack, so seeing every key is seeing every stack. */
export const TREE_KEYS = {
  edge: { blue: "confluent_api_key.edge_blue_5e1a" },
  orders: { blue: "confluent_api_key.orders_blue_9c2d", green: "confluent_api_key.orders_green_41f0" },
  payments: { blue: "confluent_api_key.payments_blue_77aa" },
} as const;

function slot(stack: string, key: string, color: "blue" | "green", active: boolean, sa: string): string {
  return `{
        "//": {
          "metadata": { "path": "${stack}/${key}/${color}", "uniqueId": "${key}_${color}" },
          "keykit": { "version": 1, "construct": "BlueGreenApiKey", "rotation": { "name": "${key}", "slot": "${color}", "active": ${active} } }
        },
        "display_name": "${key}-${color}",
        "owner": { "id": "\${confluent_service_account.${sa}.id}", "api_version": "iam/v2", "kind": "ServiceAccount" },
        "managed_resource": {
          "id": "\${confluent_kafka_cluster.main.id}",
          "api_version": "cmk/v2",
          "kind": "Cluster",
          "environment": { "id": "\${confluent_environment.main.id}" }
        },
        "lifecycle": { "prevent_destroy": true }
      }`;
}

function stackJson(stack: string, sa: string, keys: Record<string, string>): string {
  return `{
  "//": {
    "metadata": { "backend": "local", "stackName": "${stack}", "version": "0.21.0" },
    "keykit": { "version": 1, "tier": "production" }
  },
  "terraform": { "required_providers": { "confluent": { "source": "confluentinc/confluent", "version": "2.83.0" } } },
  "provider": { "confluent": [{}] },
  "resource": {
    "confluent_environment": { "main": { "display_name": "${stack}" } },
    "confluent_kafka_cluster": {
      "main": { "display_name": "${stack}-main", "availability": "MULTI_ZONE", "cloud": "AWS", "region": "eu-west-1", "standard": {} }
    },
    "confluent_service_account": { "${sa}": { "display_name": "${sa}", "description": "runs ${stack}" } },
    "confluent_api_key": {
${Object.entries(keys)
  .map(([name, body]) => `      "${name}": ${body}`)
  .join(",\n")}
    }
  }
}
`;
}

/** The orders stack's plan: the green slot is created, the blue one kept, a topic replaced, a stale ACL deleted. */
const ORDERS_PLAN = JSON.stringify({
  format_version: "1.2",
  terraform_version: "1.11.4",
  resource_changes: [
    change("confluent_api_key.orders_blue_9c2d", "confluent_api_key", ["no-op"]),
    change("confluent_api_key.orders_green_41f0", "confluent_api_key", ["create"]),
    change("confluent_kafka_topic.events", "confluent_kafka_topic", ["delete", "create"]),
    change("confluent_kafka_acl.stale", "confluent_kafka_acl", ["delete"]),
    change("confluent_service_account.orders_app", "confluent_service_account", ["update"]),
  ],
  complete: true,
  errored: false,
});

/** A change of one resource whose values are its display name (what the discovery tests need of a plan). */
function change(address: string, type: string, actions: Actions): Json {
  const body = { display_name: address.split(".")[1] };
  const only = actions.length === 1;
  return resourceChange({
    address,
    type,
    actions,
    before: only && actions[0] === "create" ? null : body,
    after: only && actions[0] === "delete" ? null : body,
  });
}

const NETWORK_ROOT = `terraform {
  required_providers {
    confluent = {
      source = "confluentinc/confluent"
    }
  }
}

resource "confluent_service_account" "network" {
  display_name = "network-ops"
}

module "keys" {
  source = "./modules/keys"
  owner  = confluent_service_account.network.id
}
`;

const KEYS_MODULE = `variable "owner" {
  type = string
}

resource "confluent_api_key" "ops" {
  display_name = "network-ops"
  owner {
    id          = var.owner
    api_version = "iam/v2"
    kind        = "ServiceAccount"
  }
}
`;

/** An inventory export (confluent api-key list -o json) with one key no configuration manages. */
const INVENTORY = JSON.stringify([
  {
    key: "STALEKEY0001",
    owner: "sa-old01",
    resource_type: "kafka",
    resource: "lkc-old001",
    created: "2025-01-01T00:00:00Z",
  },
]);

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Writes the tree into a new directory (readable by every user, for the unprivileged run) and returns it. */
export function discoveryTree(root = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "discovery-"))): string {
  chmodSync(root, 0o755);
  const out = "repo/app/cdktf.out";
  write(root, `${out}/manifest.json`, '{ "version": "0.21.0", "stacks": {} }\n');
  write(
    root,
    `${out}/stacks/orders/cdk.tf.json`,
    stackJson("orders", "orders_app", {
      orders_blue_9c2d: slot("orders", "orders", "blue", false, "orders_app"),
      orders_green_41f0: slot("orders", "orders", "green", true, "orders_app"),
    }),
  );
  write(root, `${out}/stacks/orders/plan.json`, ORDERS_PLAN);
  write(
    root,
    `${out}/stacks/payments/cdk.tf.json`,
    stackJson("payments", "payments_app", {
      payments_blue_77aa: slot("payments", "payments", "blue", true, "payments_app"),
    }),
  );
  write(root, `${out}/stacks/notes/README.md`, "Stack notes live here.\n");
  write(
    root,
    "repo/shared/edge-stack.json",
    stackJson("edge", "edge_app", { edge_blue_5e1a: slot("edge", "edge", "blue", true, "edge_app") }),
  );
  mkdirSync(join(root, "repo", "edge"));
  symlinkSync(join("..", "shared", "edge-stack.json"), join(root, "repo", "edge", "cdk.tf.json"));
  write(root, "repo/legacy/network/main.tf", NETWORK_ROOT);
  write(root, "repo/legacy/network/modules/keys/main.tf", KEYS_MODULE);
  mkdirSync(join(root, "repo", "retired", "cdktf.out", "stacks"), { recursive: true });
  // A linked directory holding a stack: were links followed, a fourth stack would appear.
  write(root, "outside/cdktf.out/stacks/intruder/cdk.tf.json", stackJson("intruder", "intruder_app", {}));
  symlinkSync(join("..", "outside"), join(root, "repo", "vendor"));
  write(root, "keys.json", INVENTORY);
  return root;
}
