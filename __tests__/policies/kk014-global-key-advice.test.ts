/**
 * KK014 OwnerWithKeysOnSeveralResourcesUsesGlobalKey on models built directly, for every input kind it applies to:
 * the advice goes to owners whose scoped keys cover two or more distinct resources that all support global keys,
 * and to no one else.
 */
import { evaluate } from "../../policies/engine";
import { loadHclFiles } from "../../policies/loaders/hcl";
import type { AcknowledgementRecord } from "../../policies/metadata";
import {
  type ApiKey,
  type InputKind,
  type KafkaCluster,
  type KeyScope,
  type KeykitModel,
  type ServiceAccount,
  emptyModel,
} from "../../policies/model";
import { OwnerWithKeysOnSeveralResourcesUsesGlobalKey as KK014 } from "../../policies/rules";

const NOW = "2026-11-28T00:00:00Z";
const KINDS = KK014.appliesTo;

/** Addresses as each input kind writes them: Terraform addresses, or Confluent ids for an inventory. */
const addr = (kind: InputKind, tf: string, id: string) => (kind === "inventory" ? id : tf);

function serviceAccount(kind: InputKind, name: string, id: string): ServiceAccount {
  const address = addr(kind, `confluent_service_account.${name}`, id);
  return { address, id, location: { address }, acknowledgements: [] };
}

function cluster(kind: InputKind, name: string, id: string, clusterType?: KafkaCluster["clusterType"]): KafkaCluster {
  const address = addr(kind, `confluent_kafka_cluster.${name}`, id);
  return { address, id, location: { address }, acknowledgements: [], ...(clusterType ? { clusterType } : {}) };
}

const scoped = (kind: KeyScope["kind"], id?: string, referenceAddress?: string): KeyScope => ({
  kind,
  id,
  key: id ? `${kind}:${id}` : undefined,
  ...(referenceAddress
    ? { reference: { address: referenceAddress, type: "confluent_kafka_cluster", mode: "managed" } }
    : {}),
});

function apiKey(
  kind: InputKind,
  name: string,
  owner: ServiceAccount | string,
  scope: KeyScope,
  acknowledgements: readonly AcknowledgementRecord[] = [],
): ApiKey {
  const address = addr(kind, `confluent_api_key.${name}`, `KEY${name.toUpperCase()}`);
  const ownerId = typeof owner === "string" ? owner : owner.id!;
  // Configurations name the owner by reference; plans, states and inventories by its literal id.
  const byReference = typeof owner !== "string" && (kind === "cdktf-json" || kind === "hcl" || kind === "synth");
  return {
    address,
    location: { address },
    acknowledgements,
    owner: byReference
      ? {
          kind: "service-account",
          reference: { address: owner.address, type: "confluent_service_account", mode: "managed" },
          key: owner.address,
        }
      : { kind: "service-account", id: ownerId, key: ownerId },
    scope,
  };
}

function model(kind: InputKind, parts: Partial<Pick<KeykitModel, "apiKeys" | "serviceAccounts" | "kafkaClusters">>) {
  return { ...emptyModel(kind, `${kind}-input`), ...parts };
}

const run = (m: KeykitModel) => KK014.check(m, { now: new Date(NOW), maxAgeDays: 90 });

describe.each(KINDS)("KK014 on %s", (kind) => {
  const app = serviceAccount(kind, "app", "sa-app");
  const dedicated = cluster(kind, "orders", "lkc-orders", "dedicated");
  const enterprise = cluster(kind, "events", "lkc-events", "enterprise");
  const basic = cluster(kind, "sandbox", "lkc-sandbox", "basic");
  const onCluster = (c: KafkaCluster) => scoped("kafka", c.id, c.address);
  const flink = scoped("flink", "aws.eu-central-1");

  it("advises one global key to an owner with keys on a Dedicated cluster and a Flink region", () => {
    const m = model(kind, {
      serviceAccounts: [app],
      kafkaClusters: [dedicated],
      apiKeys: [apiKey(kind, "kafka", app, onCluster(dedicated)), apiKey(kind, "flink", app, flink)],
    });
    const findings = run(m);
    expect(findings.map((f) => f.subject)).toEqual([app.address]);
    expect(findings[0].message).toContain(addr(kind, "confluent_api_key.kafka", "KEYKAFKA"));
    expect(findings[0].message).toMatch(/2 resources/);
  });

  it("advises it for two Kafka clusters that support global keys, each keeping its blue/green pair", () => {
    const m = model(kind, {
      serviceAccounts: [app],
      kafkaClusters: [dedicated, enterprise],
      apiKeys: [
        apiKey(kind, "orders_blue", app, onCluster(dedicated)),
        apiKey(kind, "orders_green", app, onCluster(dedicated)),
        apiKey(kind, "events_blue", app, onCluster(enterprise)),
      ],
    });
    expect(run(m).map((f) => f.subject)).toEqual([app.address]);
  });

  it("addresses the owner's first key when the owner is not in the input", () => {
    const m = model(kind, {
      apiKeys: [
        apiKey(kind, "b", "sa-elsewhere", scoped("ksqldb", "lksqlc-1")),
        apiKey(kind, "a", "sa-elsewhere", scoped("tableflow", "tableflow")),
        apiKey(kind, "c", "sa-elsewhere", scoped("cloud", "cloud")),
      ],
    });
    const findings = run(m);
    expect(findings.map((f) => f.subject)).toEqual([addr(kind, "confluent_api_key.a", "KEYA")]);
    expect(findings[0].message).toMatch(/3 scoped API keys on 3 resources/);
  });

  it("names the first five keys of an owner with many, and how many more", () => {
    const keys = Array.from({ length: 12 }, (_, i) =>
      apiKey(kind, `k${String(i).padStart(2, "0")}`, app, i % 2 === 0 ? flink : scoped("ksqldb", "lksqlc-1")),
    );
    const [finding] = run(model(kind, { serviceAccounts: [app], apiKeys: keys }));
    expect(finding.message).toMatch(/12 scoped API keys on 2 resources/);
    expect(finding.message).toContain(`${addr(kind, "confluent_api_key.k04", "KEYK04")} and 7 more`);
    expect(finding.message).not.toContain(addr(kind, "confluent_api_key.k05", "KEYK05"));
  });

  it("gives one finding per owner, to each owner concerned", () => {
    const other = serviceAccount(kind, "other", "sa-other");
    const m = model(kind, {
      serviceAccounts: [app, other],
      kafkaClusters: [dedicated],
      apiKeys: [
        apiKey(kind, "k1", app, onCluster(dedicated)),
        apiKey(kind, "k2", app, flink),
        apiKey(kind, "k3", other, onCluster(dedicated)),
        apiKey(kind, "k4", other, scoped("ksqldb", "lksqlc-1")),
      ],
    });
    expect(run(m).map((f) => f.subject)).toEqual([app.address, other.address]);
  });

  it("stays silent for a single-resource owner, even with several keys on it", () => {
    const m = model(kind, {
      serviceAccounts: [app],
      kafkaClusters: [dedicated],
      apiKeys: [apiKey(kind, "blue", app, onCluster(dedicated)), apiKey(kind, "green", app, onCluster(dedicated))],
    });
    expect(run(m)).toEqual([]);
  });

  it("counts one cluster once whether a key names it by reference or by id", () => {
    const m = model(kind, {
      serviceAccounts: [app],
      kafkaClusters: [dedicated],
      apiKeys: [
        apiKey(kind, "ref", app, onCluster(dedicated)),
        apiKey(kind, "lit", app, scoped("kafka", dedicated.id)),
      ],
    });
    expect(run(m)).toEqual([]);
  });

  it("stays silent when one of the owner's resources is one global keys do not serve", () => {
    for (const unsupported of [
      onCluster(basic),
      scoped("kafka", "lkc-unknown-type"), // no cluster type known
      scoped("schema-registry", "lsrc-1"), // networking unknown from configuration
      scoped("unknown", undefined),
      scoped("kafka", undefined),
    ]) {
      const m = model(kind, {
        serviceAccounts: [app],
        kafkaClusters: [dedicated, basic],
        apiKeys: [
          apiKey(kind, "a", app, onCluster(dedicated)),
          apiKey(kind, "b", app, flink),
          apiKey(kind, "c", app, unsupported),
        ],
      });
      expect([unsupported, run(m)]).toEqual([unsupported, []]);
    }
  });

  it("does not count a global key as a scoped one, nor group keys of different owners", () => {
    const other = serviceAccount(kind, "other", "sa-other");
    const m = model(kind, {
      serviceAccounts: [app, other],
      kafkaClusters: [dedicated],
      apiKeys: [
        apiKey(kind, "g", app, scoped("global", "global")),
        apiKey(kind, "k", app, onCluster(dedicated)),
        apiKey(kind, "f", other, flink),
      ],
    });
    expect(run(m)).toEqual([]);
  });
});

describe("KK014 in the engine", () => {
  const app = serviceAccount("cdktf-json", "app", "sa-app");
  const dedicated = cluster("cdktf-json", "orders", "lkc-orders", "dedicated");
  const ack: AcknowledgementRecord = {
    rule: "KK014",
    reason: "moving to a global key in Q1",
    expires: "2027-03-31",
  };
  const withAck = (acks: readonly AcknowledgementRecord[]) =>
    model("cdktf-json", {
      serviceAccounts: [app],
      kafkaClusters: [dedicated],
      apiKeys: [
        apiKey("cdktf-json", "kafka", app, scoped("kafka", dedicated.id, dedicated.address)),
        apiKey("cdktf-json", "flink", app, scoped("flink", "aws.eu-central-1"), acks),
      ],
    });

  it("is a warning that can be acknowledged, in code on any of the owner's keys", () => {
    const open = evaluate(withAck([]), [KK014], [], { now: NOW }).findings;
    expect(open.map((f) => [f.ruleId, f.severity, f.subject, f.acknowledgeable, f.suppressed])).toEqual([
      ["KK014", "warning", app.address, true, undefined],
    ]);
    const accepted = evaluate(withAck([ack]), [KK014], [], { now: NOW }).findings;
    expect(accepted[0].suppressed).toEqual({ reason: ack.reason, expires: ack.expires, source: "code" });
  });

  it("is acknowledged in the central file by the owner's address", () => {
    const file = [{ ...ack, resource: "confluent_service_account.*" }];
    const findings = evaluate(withAck([]), [KK014], file, { now: NOW }).findings;
    expect(findings[0].suppressed?.source).toBe("file");
  });
});

describe("KK014 from hand-written HCL", () => {
  const hcl = (extra: string) =>
    loadHclFiles(
      [
        {
          file: "main.tf",
          text: `
resource "confluent_service_account" "orders_app" {
  display_name = "orders-app"
}
resource "confluent_kafka_cluster" "orders" {
  display_name = "orders"
  availability = "MULTI_ZONE"
  cloud        = "AWS"
  region       = "eu-central-1"
  dedicated {
    cku = 2
  }
  environment {
    id = "env-prod"
  }
}
resource "confluent_api_key" "orders_kafka" {
  display_name = "orders-kafka"
  owner {
    id          = confluent_service_account.orders_app.id
    api_version = confluent_service_account.orders_app.api_version
    kind        = confluent_service_account.orders_app.kind
  }
  managed_resource {
    id          = confluent_kafka_cluster.orders.id
    api_version = confluent_kafka_cluster.orders.api_version
    kind        = confluent_kafka_cluster.orders.kind
    environment {
      id = "env-prod"
    }
  }
}
${extra}`,
        },
      ],
      { source: "dir" },
    );
  const flinkKey = `
resource "confluent_api_key" "orders_flink" {
  display_name = "orders-flink"
  owner {
    id          = confluent_service_account.orders_app.id
    api_version = "iam/v2"
    kind        = "ServiceAccount"
  }
  managed_resource {
    id          = "aws.eu-central-1"
    api_version = "fcpm/v2"
    kind        = "Region"
    environment {
      id = "env-prod"
    }
  }
}`;

  it("advises the service account that has a Kafka key and a Flink key", async () => {
    expect(run(await hcl(flinkKey)).map((f) => f.subject)).toEqual(["confluent_service_account.orders_app"]);
  });
  it("says nothing while the service account has the Kafka key only", async () => {
    expect(run(await hcl(""))).toEqual([]);
  });
});
