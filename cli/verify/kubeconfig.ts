/**
 * What `keykit verify` needs from a kubeconfig: the context's cluster (server, CA, TLS name) and user (token, token
 * file, client certificate, or an exec plugin), as kubectl reads them. Several files (KUBECONFIG=a:b) merge as in
 * kubectl: the first file that names a context, cluster or user wins, and the first `current-context` set. Paths in
 * a file are relative to that file. Nothing read here is printed except names and the server's origin.
 */
import { readInputBytes } from "../../policies/loaders/read-input-file";
import { InputError } from "../../policies/loaders/util";
import { resolve } from "node:path";
import { KeykitCliError } from "../errors";

export interface KubeAccess {
  readonly server: string;
  readonly token?: string;
  // Uint8Array, not Buffer: the shipped declarations must not need Node's types.
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
  readonly insecure?: boolean;
  readonly serverName?: string;
  readonly exec?: { readonly command: string; readonly args: string[]; readonly env: Record<string, string> };
}

type Entry = Readonly<Record<string, unknown>>;

export interface KubeconfigFile {
  readonly path: string;
  readonly dir: string;
  readonly config: Entry;
}

/** YAML (or JSON) of one kubeconfig file; `yaml` is loaded only when a kubeconfig is read. */
export function parseKubeconfig(text: string, path: string): Entry {
  let value: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    value = (require("yaml") as typeof import("yaml")).parse(text);
  } catch {
    throw new KeykitCliError(`kubeconfig ${path}: not valid YAML`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new KeykitCliError(`kubeconfig ${path}: not a kubeconfig (an object with clusters, users, contexts)`);
  return value as Entry;
}

function named(files: readonly KubeconfigFile[], list: string, field: string, name: string) {
  for (const file of files) {
    const entries = file.config[list];
    if (!Array.isArray(entries)) continue;
    const found = entries.find((e: Entry | null) => e?.name === name) as Entry | undefined;
    const body = found?.[field];
    if (typeof body === "object" && body !== null) return { file, body: body as Entry };
  }
  return undefined;
}

const SAFE_NAME = /^[A-Za-z0-9@._:/-]{1,253}$/;
const shown = (name: string) => (SAFE_NAME.test(name) ? `'${name}'` : "(a name)");

export function kubeAccessFrom(files: readonly KubeconfigFile[], context: string | undefined): KubeAccess {
  const chosen = context ?? files.map((f) => f.config["current-context"]).find((c) => typeof c === "string" && c);
  if (typeof chosen !== "string")
    throw new KeykitCliError("kubeconfig: no current-context: pass --kubernetes-context <name>");
  const ctx = named(files, "contexts", "context", chosen);
  if (!ctx) throw new KeykitCliError(`kubeconfig: no context ${shown(chosen)}`);
  const clusterName = String(ctx.body.cluster ?? "");
  const cluster = named(files, "clusters", "cluster", clusterName);
  if (!cluster) throw new KeykitCliError(`kubeconfig: context ${shown(chosen)} names no known cluster`);
  const server = cluster.body.server;
  if (typeof server !== "string" || !/^https?:\/\/[^\s/]/.test(server))
    throw new KeykitCliError(`kubeconfig: cluster ${shown(clusterName)} has no http(s) server`);
  const userName = ctx.body.user;
  const user = typeof userName === "string" ? named(files, "users", "user", userName) : undefined;
  return {
    server,
    ...clusterTls(cluster.file, cluster.body),
    ...(user ? userCredentials(user.file, user.body) : {}),
  };
}

function clusterTls(file: KubeconfigFile, cluster: Entry): Partial<KubeAccess> {
  const ca = bytes(file, cluster, "certificate-authority");
  return {
    ...(ca ? { ca } : {}),
    ...(cluster["insecure-skip-tls-verify"] === true ? { insecure: true } : {}),
    ...(typeof cluster["tls-server-name"] === "string" ? { serverName: cluster["tls-server-name"] } : {}),
  };
}

function userCredentials(file: KubeconfigFile, user: Entry): Partial<KubeAccess> {
  const cert = bytes(file, user, "client-certificate");
  const key = bytes(file, user, "client-key");
  const tokenFile = typeof user.tokenFile === "string" ? resolve(file.dir, user.tokenFile) : undefined;
  const token =
    typeof user.token === "string" && user.token !== ""
      ? user.token
      : tokenFile !== undefined
        ? readText(tokenFile, "tokenFile").trim()
        : undefined;
  return {
    ...(token !== undefined ? { token } : {}),
    ...(cert && key ? { cert, key } : {}),
    ...(token === undefined ? execOf(user.exec) : {}),
  };
}

function execOf(exec: unknown): Partial<KubeAccess> {
  if (typeof exec !== "object" || exec === null) return {};
  const e = exec as Entry;
  if (typeof e.command !== "string" || e.command === "") return {};
  const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === "string") : [];
  const env: Record<string, string> = {};
  if (Array.isArray(e.env))
    for (const v of e.env as (Entry | null)[])
      if (typeof v?.name === "string" && typeof v.value === "string") env[v.name] = v.value;
  return { exec: { command: e.command, args, env } };
}

/** `<field>-data` (base64) or `<field>` (a file path, relative to the kubeconfig). */
function bytes(file: KubeconfigFile, entry: Entry, field: string): Uint8Array | undefined {
  const data = entry[`${field}-data`];
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  const path = entry[field];
  return typeof path === "string" && path !== "" ? readBytes(resolve(file.dir, path), field) : undefined;
}

/** Through the input boundary: a FIFO, a device or an oversized file named by a kubeconfig is refused, not read. */
function readBytes(path: string, field: string): Uint8Array {
  try {
    return readInputBytes(path);
  } catch (error) {
    if (error instanceof InputError) throw new KeykitCliError(`kubeconfig ${field}: ${error.message}`);
    throw error;
  }
}

function readText(path: string, field: string): string {
  return Buffer.from(readBytes(path, field)).toString("utf8");
}
