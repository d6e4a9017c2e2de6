/**
 * The GCP Secret Manager sink (constructs/secret-sinks/gcp-secret-manager-sink.ts): `AccessSecretVersion` of the
 * secret's `latest` version (or the one named) through `@google-cloud/secret-manager` (an optional peer, loaded only
 * here), over its REST transport. Credentials: `GOOGLE_OAUTH_ACCESS_TOKEN` when set (as the Terraform google
 * provider reads it), else application default credentials. `--gcp-endpoint` points the client elsewhere.
 */
import { createRequire } from "node:module";
import { KeykitCliError } from "../errors";
import { DocumentError, type PublishedDocument, parseDocument } from "./document";
import { originOf } from "./http";
import { GCP_SECRET_MANAGER_PEER, isMissingPackage, missingPeer } from "./peers";

export interface GcpLocation {
  /** projects/<project>/secrets/<id>, optionally with /versions/<n|latest>. */
  readonly secret: string;
  readonly endpoint?: string;
  /** From GOOGLE_OAUTH_ACCESS_TOKEN. */
  readonly accessToken?: string;
}

type SecretManagerModule = typeof import("@google-cloud/secret-manager");

async function loadSecretManager(): Promise<SecretManagerModule> {
  try {
    return await import("@google-cloud/secret-manager");
  } catch (error) {
    if (isMissingPackage(error, GCP_SECRET_MANAGER_PEER.packageName))
      throw missingPeer("a GCP Secret Manager sink", GCP_SECRET_MANAGER_PEER);
    throw error;
  }
}

/**
 * The client's credentials, through the google-auth-library it uses itself (google-gax's): a given access token, or
 * application default credentials. Requests go through Node's own fetch: gaxios would otherwise import node-fetch.
 */
function authOptions(token: string | undefined): Record<string, unknown> {
  const fromClient = createRequire(require.resolve(GCP_SECRET_MANAGER_PEER.packageName));
  const fromGax = createRequire(fromClient.resolve("google-gax"));
  const auth = fromGax("google-auth-library") as typeof import("google-auth-library");
  const transporterOptions = { fetchImplementation: fetch };
  if (token === undefined) return { auth: new auth.GoogleAuth({ clientOptions: { transporterOptions } }) };
  const client = new auth.OAuth2Client({ transporterOptions });
  client.setCredentials({ access_token: token });
  return { auth: new auth.GoogleAuth({ authClient: client }) };
}

function endpointOptions(endpoint: string | undefined): Record<string, unknown> {
  if (endpoint === undefined) return {};
  const url = new URL(endpoint);
  const protocol = url.protocol.replace(/:$/, "");
  return { apiEndpoint: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
}

export async function readGcpDocument(location: GcpLocation): Promise<PublishedDocument> {
  const { SecretManagerServiceClient } = await loadSecretManager();
  const name = /\/versions\/[^/]+$/.test(location.secret) ? location.secret : `${location.secret}/versions/latest`;
  const from = `gcp secret ${name}`;
  const client = new SecretManagerServiceClient({
    fallback: true,
    ...endpointOptions(location.endpoint),
    ...authOptions(location.accessToken),
  });
  let data: Uint8Array | string | null | undefined;
  try {
    const [version] = await client.accessSecretVersion({ name }, { timeout: 30_000 });
    data = version.payload?.data;
  } catch (error) {
    if (statusOf(error) === "NOT_FOUND") throw new DocumentError(`${from}: no such secret or version (NOT_FOUND)`);
    throw new KeykitCliError(`${from}: ${gcpProblem(error, location.endpoint)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
  if (data === undefined || data === null) throw new DocumentError(`${from}: the version has no payload`);
  return parseDocument(typeof data === "string" ? data : Buffer.from(data).toString("utf8"), from);
}

/** gRPC codes (and, over the REST transport, the HTTP statuses) that verify tells apart. */
const STATUS: Readonly<Record<number, string>> = {
  5: "NOT_FOUND",
  404: "NOT_FOUND",
  7: "PERMISSION_DENIED",
  403: "PERMISSION_DENIED",
  16: "UNAUTHENTICATED",
  401: "UNAUTHENTICATED",
};

function statusOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? STATUS[code] : undefined;
}

/** One line from a client error: its status, never its message (which may quote the request). */
function gcpProblem(error: unknown, endpoint: string | undefined): string {
  const e = error as { code?: number | string; message?: string };
  const status = statusOf(error);
  if (status === "PERMISSION_DENIED")
    return "permission denied (PERMISSION_DENIED): the identity needs secretmanager.versions.access";
  if (status === "UNAUTHENTICATED") return "the credentials were refused (UNAUTHENTICATED)";
  if (typeof e.message === "string" && e.message.startsWith("Could not load the default credentials"))
    return "no GCP credentials found (GOOGLE_OAUTH_ACCESS_TOKEN or application default credentials)";
  if (typeof e.code === "number") return `Secret Manager answered status ${e.code}`;
  return `Secret Manager${endpoint ? ` ${originOf(endpoint)}` : ""} unreachable (${e.code ?? "error"})`;
}
