import type { KafkaClusterType, ScopeDescriptor, ScopeKind, SchemaRegistryNetworking } from "../policies/metadata";
import { KAFKA_CLUSTER_TYPES } from "../policies/metadata";
import type {
  DataConfluentFlinkRegion,
  DataConfluentKafkaCluster,
  DataConfluentKsqlCluster,
  DataConfluentSchemaRegistryCluster,
  KafkaCluster,
} from "./bindings";
import { type IConstruct, Token, expressionOf } from "./cdktf";

export type { KafkaClusterType, ScopeKind, SchemaRegistryNetworking } from "../policies/metadata";

/** The `managed_resource` block of a `confluent_api_key` (shape of the generated `ApiKeyManagedResource`). */
export interface ManagedResourceBlock {
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly environment?: { readonly id: string }[];
}

/** Anything with an environment id: a literal `{ id: "env-…" }`, an `Environment` resource or data source. */
export interface EnvironmentReference {
  readonly id: string;
}

export interface KafkaClusterScopeProps {
  /** The cluster id, `lkc-…`. */
  readonly clusterId: string;
  /** The environment id, `env-…`, or an environment construct. */
  readonly environment: string | EnvironmentReference;
  /** The cluster type: decides whether a global key may serve it. */
  readonly type: KafkaClusterType;
  /**
   * The CRN pattern role bindings on this cluster use.
   * @default - none; role bindings on this scope must then give their own `crnPattern`
   */
  readonly crnPattern?: string;
}

export interface SchemaRegistryScopeProps {
  /** The Schema Registry cluster id, `lsrc-…`. */
  readonly clusterId: string;
  readonly environment: string | EnvironmentReference;
  /**
   * How clients reach it: only a privately networked Schema Registry can be served by a global key.
   * @default "public"
   */
  readonly networking?: SchemaRegistryNetworking;
  /** @default - none */
  readonly crnPattern?: string;
}

export interface KsqlClusterScopeProps {
  /** The ksqlDB cluster id, `lksqlc-…`. */
  readonly clusterId: string;
  readonly environment: string | EnvironmentReference;
  /** @default - none */
  readonly crnPattern?: string;
}

export interface FlinkRegionScopeProps {
  /** `<cloud>.<region>`, e.g. `aws.us-east-1`. */
  readonly regionId: string;
  readonly environment: string | EnvironmentReference;
  /** @default - none */
  readonly crnPattern?: string;
}

/** What a KeyScope is made of: its own public fields. */
type ScopeFields = Pick<
  KeyScope,
  "kind" | "id" | "environmentId" | "clusterType" | "networking" | "crnPattern" | "managedResource"
>;

const FLINK_REGION = /^(aws|gcp|azure)\.[a-z0-9-]+$/;

/** Thrown for a bad scope reference; constructs prefix it with their path. */
export class ScopeError extends Error {}

function checkPrefix(what: string, value: string, prefix: string, example: string): string {
  if (Token.isUnresolved(value)) return value; // a reference: checked by Terraform at plan time
  if (typeof value !== "string" || !value.startsWith(prefix) || value.length === prefix.length) {
    throw new ScopeError(`${what} '${String(value)}' must start with '${prefix}' (for example '${example}')`);
  }
  return value;
}

function environmentIdOf(environment: string | EnvironmentReference): string {
  const id = typeof environment === "string" ? environment : environment?.id;
  return checkPrefix("environment id", id, "env-", "env-abc123");
}

/**
 * What an API key is for: one Confluent resource, with what the kit needs to know about it
 * (the `managed_resource` block, the cluster type and networking that decide global-key eligibility,
 * and the CRN pattern role bindings use). Build one from a literal id or from a generated resource
 * or data source.
 */
export class KeyScope {
  /** A Kafka cluster from its id (`lkc-…`). */
  static kafkaCluster(props: KafkaClusterScopeProps): KeyScope {
    const environmentId = environmentIdOf(props.environment);
    const id = checkPrefix("kafka cluster id", props.clusterId, "lkc-", "lkc-abc123");
    if (!KAFKA_CLUSTER_TYPES.includes(props.type)) {
      throw new ScopeError(
        `kafka cluster type '${String(props.type)}' is not one of ${KAFKA_CLUSTER_TYPES.join(", ")}`,
      );
    }
    return new KeyScope({
      kind: "kafka",
      id,
      environmentId,
      clusterType: props.type,
      crnPattern: props.crnPattern,
      managedResource: { id, apiVersion: "cmk/v2", kind: "Cluster", environment: [{ id: environmentId }] },
    });
  }

  /**
   * A Kafka cluster from a `KafkaCluster` resource (its type is read from the resource) or a
   * `DataConfluentKafkaCluster` data source (pass `type`: a data source does not say it at synth).
   */
  static fromKafkaCluster(
    cluster: KafkaCluster | DataConfluentKafkaCluster,
    options: { readonly type?: KafkaClusterType } = {},
  ): KeyScope {
    const type = options.type ?? clusterTypeOf(cluster);
    if (type === undefined) {
      throw new ScopeError(
        `the type of kafka cluster '${cluster.node.path}' is not known at synth; pass { type: "basic" | "standard" | "enterprise" | "dedicated" | "freight" }`,
      );
    }
    return KeyScope.kafkaCluster({
      clusterId: cluster.id,
      environment: cluster.environmentInput?.id ?? cluster.environment.id,
      type,
      crnPattern: cluster.rbacCrn,
    });
  }

  /** A Schema Registry cluster from its id (`lsrc-…`). */
  static schemaRegistry(props: SchemaRegistryScopeProps): KeyScope {
    const environmentId = environmentIdOf(props.environment);
    const id = checkPrefix("schema registry cluster id", props.clusterId, "lsrc-", "lsrc-abc123");
    const networking = props.networking ?? "public";
    if (networking !== "public" && networking !== "private") {
      throw new ScopeError(`schema registry networking '${String(networking)}' is not one of public, private`);
    }
    return new KeyScope({
      kind: "schema-registry",
      id,
      environmentId,
      networking,
      crnPattern: props.crnPattern,
      managedResource: { id, apiVersion: "srcm/v3", kind: "Cluster", environment: [{ id: environmentId }] },
    });
  }

  /** A Schema Registry cluster from a `DataConfluentSchemaRegistryCluster` data source. */
  static fromSchemaRegistryCluster(
    registry: DataConfluentSchemaRegistryCluster,
    options: { readonly networking?: SchemaRegistryNetworking } = {},
  ): KeyScope {
    return KeyScope.schemaRegistry({
      clusterId: registry.id,
      environment: registry.environmentInput?.id ?? registry.environment.id,
      networking: options.networking,
      crnPattern: registry.resourceName,
    });
  }

  /** A ksqlDB cluster from its id (`lksqlc-…`). */
  static ksqlCluster(props: KsqlClusterScopeProps): KeyScope {
    const environmentId = environmentIdOf(props.environment);
    const id = checkPrefix("ksqlDB cluster id", props.clusterId, "lksqlc-", "lksqlc-abc123");
    return new KeyScope({
      kind: "ksqldb",
      id,
      environmentId,
      crnPattern: props.crnPattern,
      managedResource: { id, apiVersion: "ksqldbcm/v2", kind: "Cluster", environment: [{ id: environmentId }] },
    });
  }

  /** A ksqlDB cluster from a `DataConfluentKsqlCluster` data source. */
  static fromKsqlCluster(cluster: DataConfluentKsqlCluster): KeyScope {
    return KeyScope.ksqlCluster({
      clusterId: cluster.id,
      environment: cluster.environmentInput?.id ?? cluster.environment.id,
      crnPattern: cluster.resourceName,
    });
  }

  /** A Flink region (`<cloud>.<region>`, e.g. `aws.us-east-1`) in an environment. */
  static flinkRegion(props: FlinkRegionScopeProps): KeyScope {
    const environmentId = environmentIdOf(props.environment);
    const id = props.regionId;
    if (!Token.isUnresolved(id) && !FLINK_REGION.test(String(id))) {
      throw new ScopeError(`flink region id '${String(id)}' must be '<cloud>.<region>' (for example 'aws.us-east-1')`);
    }
    return new KeyScope({
      kind: "flink",
      id,
      environmentId,
      crnPattern: props.crnPattern,
      managedResource: { id, apiVersion: "fcpm/v2", kind: "Region", environment: [{ id: environmentId }] },
    });
  }

  /** A Flink region from a `DataConfluentFlinkRegion` data source (a region has no environment of its own). */
  static fromFlinkRegion(
    region: DataConfluentFlinkRegion,
    options: { readonly environment: string | EnvironmentReference; readonly crnPattern?: string },
  ): KeyScope {
    return KeyScope.flinkRegion({
      regionId: region.id,
      environment: options.environment,
      crnPattern: options.crnPattern,
    });
  }

  /** Tableflow (organisation-wide). */
  static tableflow(): KeyScope {
    return new KeyScope({
      kind: "tableflow",
      id: "tableflow",
      managedResource: { id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" },
    });
  }

  /** The Cloud Management API (organisation management): a Cloud key has no `managed_resource`. */
  static cloud(): KeyScope {
    return new KeyScope({ kind: "cloud", id: "cloud" });
  }

  readonly kind: ScopeKind;
  /** The resource id (may be a token when built from a construct). */
  readonly id: string;
  readonly environmentId?: string;
  /** Kafka only. */
  readonly clusterType?: KafkaClusterType;
  /** Schema Registry only. */
  readonly networking?: SchemaRegistryNetworking;
  /** The CRN pattern role bindings on this resource use, when known. */
  readonly crnPattern?: string;
  /** The key's `managed_resource` block; undefined for a Cloud key. */
  readonly managedResource?: ManagedResourceBlock;

  private constructor(fields: ScopeFields) {
    this.kind = fields.kind;
    this.id = fields.id;
    this.environmentId = fields.environmentId;
    this.clusterType = fields.clusterType;
    this.networking = fields.networking;
    this.crnPattern = fields.crnPattern;
    this.managedResource = fields.managedResource;
  }

  /**
   * A string that is equal for two scopes naming the same resource, even when each was built from a
   * different token of the same resource (tokens are resolved to their Terraform expressions).
   */
  identityIn(scope: IConstruct): string {
    const resolve = (value: string | undefined) => (value === undefined ? "" : expressionOf(scope, value));
    return `${this.kind}|${resolve(this.environmentId)}|${resolve(this.id)}`;
  }

  /** A short human description for messages, e.g. `kafka cluster lkc-abc123 (basic)`. */
  describeIn(scope: IConstruct): string {
    const id = expressionOf(scope, this.id);
    const detail = this.clusterType ?? this.networking;
    return `${SCOPE_NOUNS[this.kind]} ${id}${detail ? ` (${detail})` : ""}`;
  }

  /** What the kit records in cdk.tf.json about this scope (tokens resolve at synth). */
  toDescriptor(): ScopeDescriptor {
    return {
      kind: this.kind,
      id: this.id,
      ...(this.environmentId !== undefined ? { environment: this.environmentId } : {}),
      ...(this.clusterType !== undefined ? { clusterType: this.clusterType } : {}),
      ...(this.networking !== undefined ? { networking: this.networking } : {}),
    };
  }
}

const SCOPE_NOUNS: Record<ScopeKind, string> = {
  kafka: "kafka cluster",
  "schema-registry": "schema registry",
  ksqldb: "ksqlDB cluster",
  flink: "flink region",
  tableflow: "tableflow",
  cloud: "cloud management API",
};

function clusterTypeOf(cluster: KafkaCluster | DataConfluentKafkaCluster): KafkaClusterType | undefined {
  if (!("dedicatedInput" in cluster)) return undefined;
  if (cluster.dedicatedInput !== undefined) return "dedicated";
  if (cluster.enterpriseInput !== undefined) return "enterprise";
  if (cluster.freightInput !== undefined) return "freight";
  if (cluster.standardInput !== undefined) return "standard";
  if (cluster.basicInput !== undefined) return "basic";
  return undefined;
}
