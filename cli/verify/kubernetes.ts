/**
 * The Kubernetes Secret sink (constructs/secret-sinks/kubernetes-secret-sink.ts): `GET
 * /api/v1/namespaces/<ns>/secrets/<name>` on the API server, the document under one data key (base64). Plain
 * HTTPS with Node's own client, no Kubernetes library: the cluster and credentials come from the kubeconfig
 * (`KUBECONFIG`, else `~/.kube/config`; the current or `--kubernetes-context` context) or, with neither, from a
 * pod's in-cluster service account. The kubeconfig is the operator's own file, not the repository's.
 */
import { execFile } from "node:child_process";
import { pathExists, readInputBytes, readInputText } from "../../policies/loaders/read-input-file";
import { InputError } from "../../policies/loaders/util";
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { KeykitCliError } from "../errors";
import { DocumentError, type PublishedDocument, parseDocument } from "./document";
import { originOf } from "./http";
import { type KubeAccess, type KubeconfigFile, kubeAccessFrom, parseKubeconfig } from "./kubeconfig";

export interface KubernetesLocation {
  readonly namespace: string;
  readonly name: string;
  /** The Secret's data key that holds the document (the sink's `key`, default `credentials.json`). */
  readonly key: string;
  readonly context?: string;
}

export const IN_CLUSTER_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 1 << 20;

export async function readKubernetesDocument(
  location: KubernetesLocation,
  env: Readonly<Record<string, string | undefined>>,
  inClusterDir = IN_CLUSTER_DIR,
): Promise<PublishedDocument> {
  const from = `kubernetes secret ${location.namespace}/${location.name} (key ${location.key})`;
  const access = await clusterAccess(location.context, env, inClusterDir);
  const path = `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/secrets/${encodeURIComponent(location.name)}`;
  const response = await getJson(access, path);
  const where = originOf(access.server);
  if (response.status === 404) throw new DocumentError(`${from}: no such secret (404 from ${where})`);
  if (response.status === 401 || response.status === 403)
    throw new KeykitCliError(
      `${from}: the API server ${where} refused the credentials (${response.status}): they need 'get' on secrets in ${location.namespace}`,
    );
  if (response.status !== 200) throw new KeykitCliError(`${from}: the API server ${where} answered ${response.status}`);
  const data = dataOf(response.body, from);
  const encoded = data[location.key];
  if (typeof encoded !== "string") throw new DocumentError(`${from}: the secret has no data key ${location.key}`);
  return parseDocument(Buffer.from(encoded, "base64").toString("utf8"), from);
}

function dataOf(body: string, from: string): Record<string, unknown> {
  let secret: unknown;
  try {
    secret = JSON.parse(body);
  } catch {
    throw new KeykitCliError(`${from}: the API server's answer is not JSON`);
  }
  const data = (secret as { data?: unknown } | null)?.data;
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The kubeconfig when there is one (as kubectl), else the pod's service account. */
async function clusterAccess(
  context: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  inClusterDir: string,
): Promise<KubeAccess> {
  const files = kubeconfigFiles(env);
  if (files.length > 0) {
    const access = kubeAccessFrom(files, context);
    return access.exec ? { ...access, token: await execToken(access.exec, access.server) } : access;
  }
  if (context !== undefined)
    throw new KeykitCliError("--kubernetes-context: no kubeconfig (KUBECONFIG, ~/.kube/config)");
  return inClusterAccess(env, inClusterDir);
}

function kubeconfigFiles(env: Readonly<Record<string, string | undefined>>): KubeconfigFile[] {
  const listed = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((p) => p !== "") : [];
  const home = env.HOME ? [join(env.HOME, ".kube", "config")] : [];
  const paths = (listed.length > 0 ? listed : home).map((p) => resolve(p)).filter((p) => pathExists(p));
  return paths.map((path) => {
    let text: string;
    try {
      text = readInputText(path);
    } catch (error) {
      if (error instanceof InputError) throw new KeykitCliError(`kubeconfig ${error.message}`);
      throw error;
    }
    return { path, dir: dirname(path), config: parseKubeconfig(text, path) };
  });
}

function inClusterAccess(env: Readonly<Record<string, string | undefined>>, dir: string): KubeAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host || !pathExists(join(dir, "token")))
    throw new KeykitCliError(
      "the Kubernetes sink needs a kubeconfig (KUBECONFIG or ~/.kube/config) or in-cluster credentials (a pod's service account)",
    );
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    server,
    token: readInputText(join(dir, "token")).trim(),
    ca: pathExists(join(dir, "ca.crt")) ? readInputBytes(join(dir, "ca.crt")) : undefined,
  };
}

/** A kubeconfig `exec` credential plugin (EKS, GKE, AKS): its ExecCredential's `status.token`. */
function execToken(exec: NonNullable<KubeAccess["exec"]>, server: string): Promise<string> {
  return new Promise((done, fail) => {
    const env = { ...process.env, ...exec.env };
    execFile(exec.command, exec.args, { env, timeout: TIMEOUT_MS, maxBuffer: MAX_BODY_BYTES }, (error, stdout) => {
      const token = error ? undefined : tokenOf(stdout);
      if (token !== undefined) return done(token);
      // The plugin's own output may hold a token: never shown.
      fail(
        new KeykitCliError(
          `kubeconfig exec plugin ${isAbsolute(exec.command) ? exec.command : `'${exec.command}'`} gave no token for ${originOf(server)}${error ? ` (${(error as NodeJS.ErrnoException).code ?? "failed"})` : ""}`,
        ),
      );
    });
  });
}

function tokenOf(stdout: string): string | undefined {
  try {
    const token = (JSON.parse(stdout) as { status?: { token?: unknown } }).status?.token;
    return typeof token === "string" && token !== "" ? token : undefined;
  } catch {
    return undefined;
  }
}

/** One GET with the access's TLS settings and bearer token; no redirects followed; bounded time and size. */
function getJson(access: KubeAccess, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path.replace(/^\//, ""), access.server.endsWith("/") ? access.server : `${access.server}/`);
  const options: RequestOptions = {
    method: "GET",
    headers: { accept: "application/json", ...(access.token ? { authorization: `Bearer ${access.token}` } : {}) },
    timeout: TIMEOUT_MS,
    ...(access.ca ? { ca: Buffer.from(access.ca) } : {}),
    ...(access.cert ? { cert: Buffer.from(access.cert), ...(access.key ? { key: Buffer.from(access.key) } : {}) } : {}),
    ...(access.insecure ? { rejectUnauthorized: false } : {}),
    ...(access.serverName ? { servername: access.serverName } : {}),
  };
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((done, fail) => {
    const unreachable = (reason: string) =>
      fail(new KeykitCliError(`Kubernetes API server ${originOf(access.server)} ${reason}`));
    const req = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      response.on("end", () =>
        done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", () => unreachable("broke off its answer"));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) =>
      unreachable(error.message === "timeout" ? "timed out" : `unreachable (${tlsOrCode(error)})`),
    );
    req.end();
  });
}

function tlsOrCode(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? "error";
}
