/**
 * Proving credentials work: one authenticated GET per scope, where the scope has an endpoint that accepts an API
 * key. 200 works; 401/403 is retried with backoff up to `--wait` (a new key takes minutes to propagate), then fails
 * with the status and what it means. Any other status fails at once. A 200 is then checked against a negative
 * control: the same request with a deliberately wrong secret for the same key id must be refused (401/403), or the
 * server accepts anything and the 200 proves nothing.
 */
import { randomBytes } from "node:crypto";
import { type HttpGet, joinUrl, originOf } from "./http";

import { PROBE_SCOPES, type ProbeScope } from "../defaults";

export { PROBE_SCOPES, type ProbeScope };

export interface ProbeTarget {
  readonly scope: ProbeScope;
  /** Kafka REST endpoint (https://pkc-….confluent.cloud:443) and cluster id. */
  readonly restEndpoint?: string;
  readonly clusterId?: string;
  readonly schemaRegistryEndpoint?: string;
  /** The Cloud API (org and IAM): https://api.confluent.cloud unless overridden. */
  readonly cloudEndpoint: string;
  readonly flinkEndpoint?: string;
  readonly organizationId?: string;
  readonly environmentId?: string;
  /** Where the scope's endpoint came from ("--rest-endpoint", "--state data.confluent_kafka_cluster.x"). */
  readonly endpointFrom?: string;
  /** True when that source is reviewed input (keykit.config.json, the state), not the operator. */
  readonly endpointFromInput?: boolean;
}

export interface Timing {
  readonly waitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** First retry delay; doubles up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export type ProbeOutcome =
  | { readonly kind: "ok"; readonly line: string; readonly control?: number }
  | { readonly kind: "fail"; readonly line: string }
  | { readonly kind: "none"; readonly line: string }
  | { readonly kind: "usage"; readonly line: string };

/** The probe URL of a scope, or why there is none / what is missing. */
export function probeUrl(target: ProbeTarget): { url: string; what: string; from?: string } | ProbeOutcome {
  const found = probePath(target);
  return "kind" in found ? found : { ...found, from: target.endpointFrom };
}

function probePath(target: ProbeTarget): { url: string; what: string } | ProbeOutcome {
  switch (target.scope) {
    case "kafka":
      if (!target.restEndpoint || !target.clusterId)
        return usage(
          "a Kafka key needs the cluster's REST endpoint and id (--state, or --rest-endpoint and --cluster)",
        );
      return {
        url: joinUrl(target.restEndpoint, `kafka/v3/clusters/${encodeURIComponent(target.clusterId)}/topics`),
        what: "Kafka REST",
      };
    case "schema-registry":
      if (!target.schemaRegistryEndpoint)
        return usage("a Schema Registry key needs --schema-registry-endpoint (or --state with the cluster)");
      return { url: joinUrl(target.schemaRegistryEndpoint, "subjects"), what: "Schema Registry" };
    case "cloud":
    case "global":
      return { url: joinUrl(target.cloudEndpoint, "org/v2/environments"), what: "Cloud API" };
    case "flink":
      if (!target.flinkEndpoint || !target.organizationId || !target.environmentId)
        return usage("a Flink key needs --flink-endpoint, --organization and --environment");
      return {
        url: joinUrl(
          target.flinkEndpoint,
          `sql/v1/organizations/${encodeURIComponent(target.organizationId)}/environments/${encodeURIComponent(target.environmentId)}/statements`,
        ),
        what: "Flink",
      };
    default:
      // ksqlDB and Tableflow have no endpoint that answers a plain authenticated GET with the key alone.
      return { kind: "none", line: `no probe: ${target.scope} keys have no endpoint keykit can authenticate against` };
  }
}

function usage(line: string): ProbeOutcome {
  return { kind: "usage", line };
}

/** Authenticates with the key until it works or `--wait` is over. */
export async function probeCredentials(
  target: ProbeTarget,
  credentials: { readonly keyId: string; readonly secret: string },
  get: HttpGet,
  timing: Timing,
  /** Where the key is known to exist as the slot's key (`--state`): a lasting 401 then means the secret is wrong. */
  keyKnownFrom?: string,
): Promise<ProbeOutcome> {
  const probe = probeUrl(target);
  if ("kind" in probe) return probe;
  const started = timing.now();
  let delay = timing.baseDelayMs;
  for (let attempt = 1; ; attempt++) {
    const response = await get({
      url: probe.url,
      basic: { user: credentials.keyId, password: credentials.secret },
      what: probe.what,
    });
    const waited = Math.round((timing.now() - started) / 1000);
    const where = `${probe.what} ${originOf(probe.url)}`;
    if (response.status === 200) {
      const works = `${where}: key ${credentials.keyId} works (200 after ${attempt} attempt(s), ${waited} s)`;
      return negativeControl(probe, credentials, get, works);
    }
    if (response.status !== 401 && response.status !== 403)
      return {
        kind: "fail",
        line: `${where}: answered ${response.status} to key ${credentials.keyId}: ${meaning(response.status)}`,
      };
    if (timing.now() - started + delay > timing.waitMs) {
      const why =
        response.status === 401 && keyKnownFrom !== undefined
          ? `the published secret is not this key's (${keyKnownFrom} holds key ${credentials.keyId} for the slot), or the key has not propagated yet`
          : meaning(response.status);
      return {
        kind: "fail",
        line: `${where}: key ${credentials.keyId} still refused (${response.status}) after ${attempt} attempt(s) over ${waited} s: ${why}`,
      };
    }
    await timing.sleep(delay);
    delay = Math.min(delay * 2, timing.maxDelayMs);
  }
}

/** The same request with a wrong secret for the same key id: only a refusal (401/403) makes the 200 mean something. */
async function negativeControl(
  probe: { readonly url: string; readonly what: string },
  credentials: { readonly keyId: string; readonly secret: string },
  get: HttpGet,
  works: string,
): Promise<ProbeOutcome> {
  const response = await get({
    url: probe.url,
    basic: { user: credentials.keyId, password: wrongSecret(credentials.secret) },
    what: probe.what,
  });
  const where = `${probe.what} ${originOf(probe.url)}`;
  if (response.status === 401 || response.status === 403)
    return { kind: "ok", line: `${works}; a wrong secret is refused (${response.status})`, control: response.status };
  if (response.status === 200)
    return {
      kind: "fail",
      line: `${where}: also accepted a wrong secret for key ${credentials.keyId} (200): it does not check credentials, so its 200 proves nothing`,
    };
  return {
    kind: "fail",
    line: `${where}: answered ${response.status} to a wrong secret for key ${credentials.keyId} (expected 401 or 403): the 200 proves nothing`,
  };
}

/** A secret that is certainly not `secret`: random, of the same length (a length check alone cannot tell). */
export function wrongSecret(secret: string): string {
  for (;;) {
    const candidate = randomBytes(Math.max(secret.length, 16))
      .toString("base64url")
      .slice(0, Math.max(secret.length, 16));
    if (candidate !== secret) return candidate;
  }
}

function meaning(status: number): string {
  if (status === 401) return "the key id or secret is wrong, or the key was deleted or has not propagated yet";
  if (status === 403) return "the key authenticates but its owner lacks a role binding or ACL for this request";
  if (status === 404) return "the endpoint or resource id is wrong";
  if (status === 429) return "rate limited: try again later";
  return status >= 500 ? "the service failed: try again later" : "unexpected answer";
}

/**
 * After `finish`: the retired slot's key must be gone. With a Cloud API key, `GET /iam/v2/api-keys/{id}` answers
 * 404 (deleted) or 403 (not visible: deleted keys are not visible either); 200 means it still exists.
 */
export async function checkKeyGone(
  keyId: string,
  cloudEndpoint: string,
  cloudKey: { readonly keyId: string; readonly secret: string },
  get: HttpGet,
): Promise<ProbeOutcome> {
  const url = joinUrl(cloudEndpoint, `iam/v2/api-keys/${encodeURIComponent(keyId)}`);
  const response = await get({ url, basic: { user: cloudKey.keyId, password: cloudKey.secret }, what: "Cloud API" });
  if (response.status === 404 || response.status === 403)
    return { kind: "ok", line: `retired key ${keyId} is gone (${response.status} from ${originOf(url)})` };
  if (response.status === 200)
    return {
      kind: "fail",
      line: `retired key ${keyId} still exists (200 from ${originOf(url)}): apply the finish, or delete it`,
    };
  if (response.status === 401)
    return {
      kind: "usage",
      line: `the Cloud API refused CONFLUENT_CLOUD_API_KEY (401): cannot tell whether ${keyId} is gone`,
    };
  return { kind: "usage", line: `the Cloud API answered ${response.status}: cannot tell whether ${keyId} is gone` };
}
