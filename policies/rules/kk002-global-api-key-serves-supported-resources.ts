import type { ServedResource } from "../model";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Why a served resource cannot be reached with a global key, or undefined when it can. */
export function unsupportedReason(resource: ServedResource): string | undefined {
  switch (resource.kind) {
    case "kafka":
      if (resource.clusterType === undefined) return `Kafka cluster ${resource.id} has an unknown cluster type`;
      return resource.clusterType === "enterprise" ||
        resource.clusterType === "dedicated" ||
        resource.clusterType === "freight"
        ? undefined
        : `Kafka cluster ${resource.id} is ${resource.clusterType} (global keys serve enterprise, freight or dedicated clusters)`;
    case "schema-registry":
      return resource.networking === "private"
        ? undefined
        : `Schema Registry ${resource.id} is not reached over private networking`;
    default:
      return undefined; // Cloud Management API, Tableflow, Flink, ksqlDB
  }
}

/** Practice 2: one global key for an app that uses two or more resources, and only where global keys work. */
export const GlobalApiKeyServesSupportedResources: Rule = {
  id: "KK002",
  name: "GlobalApiKeyServesSupportedResources",
  severity: "error",
  summary: "A global API key serves two or more distinct resources, all of a kind global keys support",
  rationale:
    "A global key is for a client that uses several resources; a single-resource client gets a scoped key. Global keys only work for the Cloud Management API, Enterprise/Freight/Dedicated Kafka clusters, Schema Registry over private networking, Tableflow, Flink and ksqlDB.",
  fix: "Use a scoped key for a single resource; list every served resource in GlobalApiKey; move unsupported resources to their own scoped key.",
  helpUri: PRACTICE_URLS.globalKeys,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    const out: RuleFinding[] = [];
    for (const key of model.apiKeys) {
      if (key.scope.kind !== "global" && key.serves === undefined) continue;
      if (key.serves === undefined) {
        out.push(
          findingFor(
            key,
            `global API key ${key.address} does not declare what it serves (no keykit metadata): cannot verify it serves two supported resources`,
            "warning",
          ),
        );
        continue;
      }
      const distinct = new Map(key.serves.map((s) => [`${s.kind}:${s.id}`, s]));
      if (distinct.size < 2) {
        out.push(
          findingFor(
            key,
            `global API key ${key.address} serves ${distinct.size} resource(s); a global key is for two or more`,
          ),
        );
      }
      for (const resource of distinct.values()) {
        const reason = unsupportedReason(resource);
        if (reason) out.push(findingFor(key, `global API key ${key.address}: ${reason}`));
      }
    }
    return out;
  },
};
