/**
 * `keykit verify` reading the Kubernetes, Azure Key Vault and GCP Secret Manager sinks through their real clients
 * (the kit's HTTPS reader, `@azure/keyvault-secrets`, `@google-cloud/secret-manager`) pointed at loopback
 * stand-ins on 127.0.0.1: an HTTPS one (a certificate made for this run by openssl) for the API server and Key
 * Vault, a plain HTTP one for Secret Manager's REST transport and the Cloud API the key is probed against.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVerifyCommand, type VerifyDependencies } from "../../cli/commands/verify";
import { KeykitCliError } from "../../cli/errors";
import { runPath } from "../helpers/run-dir";

const SECRET = "published-secret-Kx81xLmN0pQrStUvWxYz0123456789abcdefABCDEF";
const KUBE_TOKEN = "kube-token-7d1e2f3a4b5c";
const AZURE_TOKEN = "azure-access-token-19af3c";
const GCP_TOKEN = "ya29.gcp-access-token-55be01";
const MAX_REQUESTS = 200;
const VERIFIED_AT = "2026-05-11T08:00:00.000Z";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Route = (path: string, request: IncomingMessage) => Reply;
interface Seen {
  readonly server: "https" | "http";
  readonly path: string;
  readonly authorization?: string;
}

const root = runPath("verify-stores-tests");
let tls: { cert: string; key: string };
let httpsServer: HttpsServer;
let httpServer: Server;
let httpsBase: string;
let httpBase: string;
let httpsRoute: Route = () => ({ status: 404 });
let httpRoute: Route = () => ({ status: 404 });
let served = 0;
const seen: Seen[] = [];

function handler(server: Seen["server"], route: () => Route) {
  return (request: IncomingMessage, response: ServerResponse) => {
    // Bounded: a runaway client loop fails the test instead of spinning.
    if (++served > MAX_REQUESTS) {
      response.writeHead(500).end();
      return;
    }
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    seen.push({ server, path, authorization: request.headers.authorization });
    request.resume();
    request.on("end", () => {
      const reply = route()(path, request);
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  };
}

function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: "ignore" },
  );
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  tls = makeCertificate(mkdtempSync(join(root, "tls-")));
  httpsServer = createHttpsServer(
    { cert: tls.cert, key: tls.key },
    handler("https", () => httpsRoute),
  );
  httpServer = createServer(handler("http", () => httpRoute));
  for (const s of [httpsServer, httpServer]) s.requestTimeout = 5000;
  await new Promise<void>((done) => httpsServer.listen(0, "127.0.0.1", done));
  await new Promise<void>((done) => httpServer.listen(0, "127.0.0.1", done));
  httpsBase = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;
  httpBase = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  httpsServer.closeAllConnections();
  httpServer.closeAllConnections();
  await new Promise<void>((done) => httpsServer.close(() => done()));
  await new Promise<void>((done) => httpServer.close(() => done()));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  httpsRoute = () => ({ status: 404 });
  httpRoute = () => ({ status: 404 });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const DOCUMENT = JSON.stringify({ key_id: "GREENKEY01", secret: SECRET, slot: "green" });

/** A project whose rotation `orders` is under way (green published), and the Cloud API answering for GREENKEY01. */
function rotatingDir(): string {
  const dir = mkdtempSync(join(root, "project-"));
  const slots = {
    blue: { status: "retained", deactivatedAt: "2026-05-10T00:00:00Z" },
    green: { status: "active", createdAt: "2026-05-10T00:00:00Z", activatedAt: "2026-05-10T00:00:00Z" },
  };
  const state = { version: 1, keys: { orders: { active: "green", rotations: 1, slots } } };
  writeFileSync(join(dir, "keykit.rotation.json"), JSON.stringify(state, null, 2));
  return dir;
}

function cloudApi(path: string, request: IncomingMessage): Reply | undefined {
  if (path !== "/org/v2/environments") return undefined;
  return request.headers.authorization === basic("GREENKEY01", SECRET)
    ? { status: 200, body: { data: [] } }
    : { status: 401, body: { error_code: 401 } };
}

async function verify(argv: string[], dir: string, env: Record<string, string>, stores?: VerifyDependencies["stores"]) {
  const command = createVerifyCommand({
    clock: () => new Date(VERIFIED_AT),
    timing: { now: () => 0, sleep: async () => undefined },
    stores,
  });
  let stdout = "";
  let stderr = "";
  let code: number;
  try {
    code = await command([...argv, "--scope", "cloud", "--base-url", httpBase, "--wait", "0s"], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: dir,
      env: { HOME: dir, ...env },
      isTty: false,
    });
  } catch (error) {
    if (!(error instanceof KeykitCliError)) throw error;
    stderr += `keykit: ${error.message}\n`;
    code = error.exitCode;
  }
  for (const text of [stdout, stderr])
    for (const secret of [SECRET, KUBE_TOKEN, AZURE_TOKEN, GCP_TOKEN]) expect(text).not.toContain(secret);
  return { code, stdout, stderr };
}

function recordedProof(dir: string): unknown {
  const state = JSON.parse(readFileSync(join(dir, "keykit.rotation.json"), "utf8"));
  return state.keys.orders.slots.green.verification;
}

/** The API server's `GET /api/v1/namespaces/<ns>/secrets/<name>`, for the bearer token `token`. */
function apiServer(secrets: Record<string, Record<string, string>>, token = KUBE_TOKEN): Route {
  return (path, request) => {
    if (request.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { kind: "Status" } };
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
    const data = m ? secrets[`${m[1]}/${m[2]}`] : undefined;
    if (!data) return { status: 404, body: { kind: "Status", reason: "NotFound" } };
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
    return { status: 200, body: { kind: "Secret", apiVersion: "v1", type: "Opaque", data: encoded } };
  };
}

function kubeconfig(dir: string, user: Record<string, unknown>, extra: { contexts?: unknown[] } = {}): string {
  const file = join(dir, "kubeconfig.yaml");
  const ca = Buffer.from(tls.cert).toString("base64");
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: stand-in",
      "clusters:",
      "  - name: loopback",
      "    cluster:",
      `      server: ${httpsBase}`,
      `      certificate-authority-data: ${ca}`,
      "contexts:",
      "  - name: stand-in",
      "    context: { cluster: loopback, user: operator }",
      ...(extra.contexts ?? []).map((c) => `  - ${JSON.stringify(c)}`),
      "users:",
      `  - name: operator`,
      `    user: ${JSON.stringify(user)}`,
      `  - name: other`,
      `    user: { token: wrong-token }`,
    ].join("\n"),
  );
  return file;
}

const k8sArgs = ["orders", "--kubernetes-secret", "payments/orders-kafka"];

describe("keykit verify: a Kubernetes Secret through the API server", () => {
  it("reads the document with a kubeconfig's token over TLS (its CA), probes the key and records the proof", async () => {
    const dir = rotatingDir();
    httpsRoute = apiServer({ "payments/orders-kafka": { "credentials.json": DOCUMENT } });
    httpRoute = (path, request) => cloudApi(path, request) ?? { status: 404 };
    const r = await verify(k8sArgs, dir, { KUBECONFIG: kubeconfig(dir, { token: KUBE_TOKEN }) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  ok    published document: kubernetes secret payments/orders-kafka (key credentials.json) (key_id GREENKEY01, slot green)",
    );
    expect(r.stdout).toContain(`  ok    Cloud API ${httpBase}: key GREENKEY01 works`);
    expect(seen.filter((s) => s.server === "https")).toEqual([
      {
        server: "https",
        path: "/api/v1/namespaces/payments/secrets/orders-kafka",
        authorization: `Bearer ${KUBE_TOKEN}`,
      },
    ]);
    expect(recordedProof(dir)).toMatchObject({ proved: "works", keyId: "GREENKEY01" });
  });

  it("runs the kubeconfig's exec plugin for the token, in the context --kubernetes-context names, under another data key", async () => {
    const dir = rotatingDir();
    httpsRoute = apiServer({ "payments/orders-kafka": { "orders.json": DOCUMENT } });
    httpRoute = (path, request) => cloudApi(path, request) ?? { status: 404 };
    const credential = { kind: "ExecCredential", status: { token: KUBE_TOKEN } };
    const exec = {
      command: process.execPath,
      args: ["-e", `process.stdout.write(process.env.PLUGIN_OUTPUT)`],
      env: [{ name: "PLUGIN_OUTPUT", value: JSON.stringify(credential) }],
    };
    // The current context's user has the wrong token: only the named context's exec plugin works.
    const file = kubeconfig(dir, { token: "wrong-token" }, { contexts: [] });
    const text = readFileSync(file, "utf8").replace(
      "users:",
      "  - name: ci\n    context: { cluster: loopback, user: plugin }\nusers:\n  - name: plugin\n    user: " +
        JSON.stringify({ exec }),
    );
    writeFileSync(file, text);
    const r = await verify([...k8sArgs, "--kubernetes-context", "ci", "--kubernetes-key", "orders.json"], dir, {
      KUBECONFIG: file,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("published document: kubernetes secret payments/orders-kafka (key orders.json)");
    expect(seen.find((s) => s.server === "https")?.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
  });

  it("uses the pod's service account when there is no kubeconfig", async () => {
    const dir = rotatingDir();
    const account = join(dir, "serviceaccount");
    mkdirSync(account);
    writeFileSync(join(account, "token"), `${KUBE_TOKEN}\n`);
    writeFileSync(join(account, "ca.crt"), tls.cert);
    httpsRoute = apiServer({ "payments/orders-kafka": { "credentials.json": DOCUMENT } });
    httpRoute = (path, request) => cloudApi(path, request) ?? { status: 404 };
    const port = new URL(httpsBase).port;
    const r = await verify(
      k8sArgs,
      dir,
      { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: port },
      { kubernetesInClusterDir: account },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(seen.find((s) => s.server === "https")?.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
  });

  it("a missing Secret or data key fails the check; refused credentials and no credentials are one line, exit 2", async () => {
    const dir = rotatingDir();
    const config = kubeconfig(dir, { token: KUBE_TOKEN });
    httpsRoute = apiServer({ "payments/other": { "credentials.json": DOCUMENT } });
    const missing = await verify(k8sArgs, dir, { KUBECONFIG: config });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      `  FAIL  published document: kubernetes secret payments/orders-kafka (key credentials.json): no such secret (404 from ${httpsBase})`,
    );
    httpsRoute = apiServer({ "payments/orders-kafka": { "other.json": DOCUMENT } });
    const noKey = await verify(k8sArgs, dir, { KUBECONFIG: config });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toContain("the secret has no data key credentials.json");
    httpsRoute = apiServer({}, "another-token");
    const refused = await verify(k8sArgs, dir, { KUBECONFIG: config });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `keykit: kubernetes secret payments/orders-kafka (key credentials.json): the API server ${httpsBase} refused the credentials (401): they need 'get' on secrets in payments\n`,
    );
    const none = await verify(k8sArgs, dir, {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^keykit: the Kubernetes sink needs a kubeconfig .* or in-cluster credentials/);
  });

  it("an untrusted server certificate is refused (no CA in the kubeconfig)", async () => {
    const dir = rotatingDir();
    httpsRoute = apiServer({ "payments/orders-kafka": { "credentials.json": DOCUMENT } });
    const file = kubeconfig(dir, { token: KUBE_TOKEN });
    writeFileSync(file, readFileSync(file, "utf8").replace(/ {6}certificate-authority-data: .*\n/, ""));
    const r = await verify(k8sArgs, dir, { KUBECONFIG: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^keykit: Kubernetes API server ${httpsBase} unreachable \\([A-Z_]+\\)\\n$`));
    expect(seen.filter((s) => s.server === "https")).toEqual([]);
  });
});

/** Key Vault's `GET /secrets/<name>/`: 401 with a bearer challenge first, as the vault answers an unauthenticated call. */
function keyVault(secrets: Record<string, string>): Route {
  return (path, request) => {
    if (request.headers.authorization !== `Bearer ${AZURE_TOKEN}`)
      return {
        status: 401,
        headers: {
          "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/tenant-1", resource="https://vault.azure.net"`,
        },
        body: { error: { code: "Unauthorized" } },
      };
    const m = /^\/secrets\/([^/]+)\/?$/.exec(path);
    const value = m ? secrets[m[1]] : undefined;
    if (value === undefined) return { status: 404, body: { error: { code: "SecretNotFound", message: "not found" } } };
    return {
      status: 200,
      body: {
        value,
        id: `${httpsBase}/secrets/${m?.[1]}/0123456789abcdef`,
        attributes: { enabled: true, created: 1780000000, updated: 1780000000 },
        contentType: "application/json",
      },
    };
  };
}

describe("keykit verify: an Azure Key Vault secret through @azure/keyvault-secrets", () => {
  const scopes: string[][] = [];
  const stores = (): VerifyDependencies["stores"] => ({
    azure: {
      credential: {
        getToken: async (scope) => {
          scopes.push(([] as string[]).concat(scope));
          return { token: AZURE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      },
      // The stand-in's certificate and host (127.0.0.1 is no subdomain of vault.azure.net).
      clientOptions: { tlsOptions: { ca: tls.cert }, disableChallengeResourceVerification: true },
    },
  });

  it("reads the current version after the vault's challenge, with the vault's scope, and probes the key", async () => {
    const dir = rotatingDir();
    httpsRoute = keyVault({ "orders-kafka": DOCUMENT });
    httpRoute = (path, request) => cloudApi(path, request) ?? { status: 404 };
    const r = await verify(
      ["orders", "--azure-secret", "orders-kafka", "--azure-vault-url", httpsBase],
      dir,
      {},
      stores(),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  ok    published document: azure secret orders-kafka in ${httpsBase} (key_id GREENKEY01, slot green)`,
    );
    expect(scopes).toContainEqual(["https://vault.azure.net/.default"]);
    const calls = seen.filter((s) => s.server === "https");
    expect(calls.map((c) => c.path)).toEqual(["/secrets/orders-kafka/", "/secrets/orders-kafka/"]);
    expect(calls[1].authorization).toBe(`Bearer ${AZURE_TOKEN}`);
    expect(recordedProof(dir)).toMatchObject({ proved: "works", keyId: "GREENKEY01" });
  });

  it("a missing secret fails the check", async () => {
    const dir = rotatingDir();
    httpsRoute = keyVault({});
    const r = await verify(["orders", "--azure-secret", "nope", "--azure-vault-url", httpsBase], dir, {}, stores());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  FAIL  published document: azure secret nope in ${httpsBase}: no such secret (404)`);
  });
});

/** Secret Manager's REST transport: `GET /v1/<name>:access`. */
function secretManager(versions: Record<string, string>): Route {
  return (path, request) => {
    if (request.headers.authorization !== `Bearer ${GCP_TOKEN}`)
      return { status: 401, body: { error: { code: 401, status: "UNAUTHENTICATED", message: "no" } } };
    const m = /^\/v1\/(.+):access$/.exec(path);
    const data = m ? versions[m[1]] : undefined;
    if (data === undefined) return { status: 404, body: { error: { code: 404, status: "NOT_FOUND", message: "no" } } };
    return { status: 200, body: { name: m?.[1], payload: { data: Buffer.from(data).toString("base64") } } };
  };
}

describe("keykit verify: a GCP Secret Manager secret through @google-cloud/secret-manager", () => {
  const gcpArgs = (secret: string) => ["orders", "--gcp-secret", secret, "--gcp-endpoint", httpBase];

  it("reads the latest version with GOOGLE_OAUTH_ACCESS_TOKEN and probes the key", async () => {
    const dir = rotatingDir();
    const sm = secretManager({ "projects/shop/secrets/orders-kafka/versions/latest": DOCUMENT });
    httpRoute = (path, request) => cloudApi(path, request) ?? sm(path, request);
    const r = await verify(gcpArgs("projects/shop/secrets/orders-kafka"), dir, {
      GOOGLE_OAUTH_ACCESS_TOKEN: GCP_TOKEN,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  ok    published document: gcp secret projects/shop/secrets/orders-kafka/versions/latest (key_id GREENKEY01, slot green)",
    );
    const access = seen.find((s) => s.path.endsWith(":access"));
    expect(access).toEqual({
      server: "http",
      path: "/v1/projects/shop/secrets/orders-kafka/versions/latest:access",
      authorization: `Bearer ${GCP_TOKEN}`,
    });
    expect(recordedProof(dir)).toMatchObject({ proved: "works", keyId: "GREENKEY01" });
  });

  it("a missing version fails the check; refused credentials are one line, exit 2", async () => {
    const dir = rotatingDir();
    httpRoute = secretManager({ "projects/shop/secrets/orders-kafka/versions/3": DOCUMENT });
    const missing = await verify(gcpArgs("projects/shop/secrets/orders-kafka/versions/4"), dir, {
      GOOGLE_OAUTH_ACCESS_TOKEN: GCP_TOKEN,
    });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "  FAIL  published document: gcp secret projects/shop/secrets/orders-kafka/versions/4: no such secret or version (NOT_FOUND)",
    );
    const refused = await verify(gcpArgs("projects/shop/secrets/orders-kafka/versions/3"), dir, {
      GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.another-token",
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "keykit: gcp secret projects/shop/secrets/orders-kafka/versions/3: the credentials were refused (UNAUTHENTICATED)\n",
    );
  });
});

describe("keykit verify: a store client that is not installed is one line naming it", () => {
  const mocked: string[] = [];
  afterEach(() => {
    for (const name of mocked.splice(0)) jest.dontMock(name);
    jest.resetModules();
  });

  function notInstalled(name: string) {
    mocked.push(name);
    jest.doMock(name, () => {
      const error = new Error(`Cannot find module '${name}' from 'cli/verify'`) as NodeJS.ErrnoException;
      error.code = "MODULE_NOT_FOUND";
      throw error;
    });
  }

  it.each([
    ["@azure/keyvault-secrets", ["--azure-secret", "orders-kafka", "--azure-vault-url", "https://v.vault.azure.net"]],
    ["@azure/identity", ["--azure-secret", "orders-kafka", "--azure-vault-url", "https://v.vault.azure.net"]],
    ["@google-cloud/secret-manager", ["--gcp-secret", "projects/shop/secrets/orders-kafka"]],
  ])("%s", async (name, sinkArgs) => {
    notInstalled(name);
    let isolated: typeof import("../../cli/commands/verify") | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require("../../cli/commands/verify");
    });
    const dir = rotatingDir();
    let stderr = "";
    try {
      await isolated?.createVerifyCommand({})(["orders", ...sinkArgs, "--scope", "cloud"], {
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
        cwd: dir,
        env: { HOME: dir },
        isTty: false,
      });
    } catch (error) {
      stderr += `keykit: ${(error as Error).message}\n`;
      expect((error as KeykitCliError).exitCode).toBe(2);
    }
    expect(stderr).toMatch(
      new RegExp(
        `^keykit: verify: reading an? [A-Za-z ]+ sink needs the optional peer dependency ${name} \\(.+\\), which is not installed: npm install ${name}@"[^"]+"\\n$`,
      ),
    );
  });
});

describe("keykit verify: the store flags' usage errors", () => {
  it.each([
    [
      ["--kubernetes-key", "x.json", "--vault-mount", "kv", "--vault-name", "x"],
      /--kubernetes-key only applies with --kubernetes-secret/,
    ],
    [["--kubernetes-secret", "payments"], /--kubernetes-secret must be <namespace>\/<name>/],
    [["--kubernetes-secret", "Payments/orders"], /--kubernetes-secret must be <namespace>\/<name>/],
    [["--azure-secret", "orders-kafka"], /--azure-secret needs --azure-vault-url/],
    [
      ["--azure-secret", "orders_kafka", "--azure-vault-url", "https://v.vault.azure.net"],
      /--azure-secret must be letters/,
    ],
    [
      ["--azure-secret", "o", "--azure-vault-url", "http://v.vault.azure.net"],
      /--azure-vault-url must be an https URL/,
    ],
    [["--gcp-secret", "orders-kafka"], /--gcp-secret must be projects\/<project>\/secrets\/<id>/],
    [["--gcp-secret", "projects/p/secrets/s", "--aws-secret", "x"], /verify needs one sink/],
    [["--gcp-endpoint", "http://127.0.0.1:1", "--aws-secret", "x"], /--gcp-endpoint only applies with --gcp-secret/],
  ])("%p", async (sinkArgs, pattern) => {
    const dir = rotatingDir();
    const r = await verify(["orders", ...sinkArgs], dir, {});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/^keykit: [^\n]+\n$/);
    expect(seen).toEqual([]);
  });
});
