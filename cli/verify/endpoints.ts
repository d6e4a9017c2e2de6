/**
 * Where `keykit verify` may send credentials. The operator names an endpoint (a flag, or the environment for the
 * Cloud API and Vault), or verify takes it from the one state resource that defines it for the key's scope: a
 * `confluent_kafka_cluster` (managed or data source) for a Kafka key, the `confluent_schema_registry_cluster` data
 * source for a Schema Registry key — types whose `rest_endpoint` the provider computes from Confluent's answer.
 * `keykit.config.json` may name a cluster's endpoint (`verify.endpoints`). Nothing else a pull request can change
 * chooses a destination, and what reviewed input names (the config file, the state) must be a Confluent Cloud
 * host. Every destination is https, except a loopback host (tests, a local proxy) or with `--allow-http`.
 */
import { KeykitCliError } from "../errors";
import { originOf } from "./http";
import type { StateEndpoint, StateFacts } from "./state";

/** An endpoint and where it came from, as the report and the recorded proof name it. */
export interface Endpoint {
  readonly url: string;
  readonly from: string;
  /**
   * Set when the endpoint was read from reviewed input (keykit.config.json, the state) rather than named by the
   * operator: it must then be a Confluent Cloud host (or loopback), so such input can pick among Confluent's
   * endpoints but never send a secret anywhere else.
   */
  readonly fromInput?: boolean;
}

/** Confluent Cloud's public and private endpoints all live under this domain. */
const CONFLUENT_DOMAIN = ".confluent.cloud";

/** True for localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The endpoint if credentials may go there; otherwise one line (exit 2) before anything is sent. The line names
 * the origin and the source, never a path or query (they could hold a token).
 */
export function checkedEndpoint(what: string, endpoint: Endpoint, allowHttp: boolean): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw new KeykitCliError(`${what}: the endpoint from ${endpoint.from} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new KeykitCliError(`${what}: the endpoint from ${endpoint.from} is not an http(s) URL`);
  const loopback = isLoopbackHost(url.hostname);
  if (endpoint.fromInput && !loopback && !url.hostname.toLowerCase().endsWith(CONFLUENT_DOMAIN))
    throw new KeykitCliError(
      `${what}: ${originOf(endpoint.url)} (from ${endpoint.from}) is not a Confluent Cloud host: an endpoint read from reviewed input must be under confluent.cloud (name another one with a flag)`,
    );
  if (url.protocol === "https:" || allowHttp || loopback) return endpoint;
  throw new KeykitCliError(
    `${what}: ${originOf(endpoint.url)} (from ${endpoint.from}) is plain http: verify sends credentials over https only (--allow-http for a trusted network)`,
  );
}

/** The state resource types that define each scope's endpoint. */
const DEFINER_OF = {
  kafka: "confluent_kafka_cluster",
  "schema-registry": "confluent_schema_registry_cluster",
} as const satisfies Readonly<Record<string, StateEndpoint["type"]>>;

/**
 * The endpoint the state defines for `clusterId` in `scope`, from the one type that defines it; undefined when no
 * such resource holds one. Two defining resources with different endpoints for one id are refused (which one is
 * real is not verify's guess).
 */
export function stateEndpoint(
  facts: StateFacts,
  scope: keyof typeof DEFINER_OF,
  clusterId: string,
  flag: string,
): Endpoint | undefined {
  const definer = DEFINER_OF[scope];
  const defined = (facts.restEndpoints.get(clusterId) ?? []).filter((e) => e.type === definer);
  const urls = new Set(defined.map((e) => e.url));
  if (urls.size > 1)
    throw new KeykitCliError(
      `the state defines ${urls.size} different REST endpoints for ${clusterId} (${defined.map((e) => e.address).join(", ")}): name one with ${flag}`,
    );
  return defined.length > 0
    ? { url: defined[0].url, from: `--state ${defined[0].address}`, fromInput: true }
    : undefined;
}
