/**
 * `keykit verify` against loopback stand-ins on 127.0.0.1 (ephemeral port, bounded): Vault KV v2, Kafka REST v3,
 * Schema Registry, the Cloud API's org and IAM endpoints. The backoff clock is injected (sleeping advances it), so
 * slow propagation (401 then 200) and a key that never works run without waiting.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVerifyCommand, type VerifyDependencies } from "../../cli/commands/verify";
import type { HttpRequest } from "../../cli/verify/http";
import { KeykitCliError } from "../../cli/errors";
import { loadRotationSlots } from "../../cli/audit/config";
import { runKeykit, terraformShowJson } from "../audit/helpers";
import { runPath } from "../helpers/run-dir";

const SECRET = "published-secret-Zq81xLmN0pQrStUvWxYz0123456789abcdefABCDEF";
const CLOUD_SECRET = "cloud-api-secret-9f8e7d6c5b4a3928171605";
const VAULT_TOKEN = "hvs.test-token-4b3a2918";
const MAX_REQUESTS = 200;

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
let server: Server;
let base: string;
let route: (path: string, request: IncomingMessage, body: string) => Reply;
let served = 0;
const seen: { path: string; authorization?: string; token?: string; namespace?: string }[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // Bounded: a runaway client loop fails the test instead of spinning.
    if (++served > MAX_REQUESTS) {
      response.writeHead(500).end();
      return;
    }
    const path = new URL(request.url ?? "/", base).pathname;
    seen.push({
      path,
      authorization: request.headers.authorization,
      token: request.headers["x-vault-token"] as string | undefined,
      namespace: request.headers["x-vault-namespace"] as string | undefined,
    });
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const reply = route(path, request, body);
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  server.requestTimeout = 5000;
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

const root = runPath("verify-tests");
function tempDir(): string {
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, "verify-"));
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function rotationFile(dir: string, phase: "rotating" | "finished" | "stable"): string {
  const slots =
    phase === "stable"
      ? { blue: { status: "active" } }
      : {
          blue:
            phase === "rotating"
              ? { status: "retained", deactivatedAt: "2026-05-10T00:00:00Z" }
              : {
                  status: "retired",
                  // The key id the slot had when it was retired (verify recorded it while the slot was published).
                  keyId: "BLUEKEY001",
                  deactivatedAt: "2026-05-10T00:00:00Z",
                  retiredAt: "2026-05-10T12:00:00Z",
                },
          green: { status: "active", createdAt: "2026-05-10T00:00:00Z", activatedAt: "2026-05-10T00:00:00Z" },
        };
  const active = phase === "stable" ? "blue" : "green";
  const file = join(dir, "keykit.rotation.json");
  writeFileSync(file, JSON.stringify({ version: 1, keys: { orders: { active, rotations: 1, slots } } }, null, 2));
  return file;
}

/** A fresh project whose rotation `orders` is under way (green published, blue retained). */
function rotatingDir(): string {
  const dir = tempDir();
  rotationFile(dir, "rotating");
  return dir;
}

interface VaultDoc {
  key_id?: string;
  secret?: string;
  slot?: string;
}

/** Vault KV v2 `GET /v1/<mount>/data/<name>` answering the document; the other paths by `rest`. */
function serve(doc: VaultDoc, rest: (path: string, request: IncomingMessage) => Reply) {
  route = (path, request) => {
    if (path === "/v1/kv/data/teams/orders/kafka") {
      if (request.headers["x-vault-token"] !== VAULT_TOKEN)
        return { status: 403, body: { errors: ["permission denied"] } };
      return {
        status: 200,
        body: { data: { data: doc, metadata: { version: 4, created_time: "2026-05-10T00:05:00Z" } } },
      };
    }
    return rest(path, request);
  };
}

/** Answers 200 to the right basic auth after `refusals` 401s (propagation), 401 to anything else. */
function authenticated(keyId: string, secret: string, refusals = 0) {
  let refused = 0;
  return (request: IncomingMessage): Reply => {
    if (request.headers.authorization !== basic(keyId, secret)) return { status: 401, body: { error_code: 401 } };
    if (refused++ < refusals) return { status: 401, body: { error_code: 401 } };
    return { status: 200, body: { kind: "KafkaTopicList", data: [] } };
  };
}

const VERIFIED_AT = "2026-05-11T08:00:00.000Z";

async function verify(
  argv: string[],
  dir: string,
  env: Record<string, string> = {},
  deps: Pick<VerifyDependencies, "get"> = {},
) {
  let clock = 0;
  const sleeps: number[] = [];
  const command = createVerifyCommand({
    ...deps,
    clock: () => new Date(VERIFIED_AT),
    timing: {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
  });
  let stdout = "";
  let stderr = "";
  let code: number;
  try {
    code = await command(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: dir,
      env: { VAULT_ADDR: base, VAULT_TOKEN, VAULT_NAMESPACE: "admin/orders", ...env },
      isTty: false,
    });
  } catch (error) {
    if (!(error instanceof KeykitCliError)) throw error;
    stderr += `keykit: ${error.message}\n`;
    code = error.exitCode;
  }
  // Whatever happened, no secret is ever printed.
  for (const text of [stdout, stderr]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CLOUD_SECRET);
    expect(text).not.toContain(VAULT_TOKEN);
  }
  return { code, stdout, stderr, sleeps };
}

const vaultArgs = ["--vault-mount", "kv", "--vault-name", "teams/orders/kafka"];

describe("keykit verify: the published credentials work", () => {
  it("reads Vault KV v2, checks the slot, and retries 401 while the new key propagates", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET, 2);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const r = await verify(
      ["orders", ...vaultArgs, "--rest-endpoint", base, "--cluster", "lkc-7r2x9q", "--scope", "kafka"],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "keykit verify orders: published slot green in keykit.rotation.json",
      "  ok    published document: vault kv/teams/orders/kafka (key_id GREENKEY01, slot green)",
      "  ok    slot: green is the active slot in keykit.rotation.json",
      `  note  endpoint: Kafka REST ${base}, from --rest-endpoint`,
      `  ok    Kafka REST ${base}: key GREENKEY01 works (200 after 3 attempt(s), 6 s); a wrong secret is refused (401)`,
      "  note  the blue slot is retained (rotation under way): the gone check runs after finish",
      `  ok    recorded in keykit.rotation.json: slot green works (key GREENKEY01), verifiedAt ${VERIFIED_AT}`,
      "verified: orders",
      "",
    ]);
    expect(r.sleeps).toEqual([2000, 4000]);
    const vault = seen.find((s) => s.path.startsWith("/v1/"));
    expect(vault).toMatchObject({ token: VAULT_TOKEN, namespace: "admin/orders" });
  });

  it("fails with the status and its meaning when the key never works within --wait", async () => {
    const dir = rotatingDir();
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 401 }));
    const r = await verify(
      ["orders", ...vaultArgs, "--rest-endpoint", base, "--cluster", "lkc-7r2x9q", "--scope", "kafka", "--wait", "30s"],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `  FAIL  Kafka REST ${base}: key GREENKEY01 still refused (401) after 5 attempt(s) over 30 s: the key id or secret is wrong, or the key was deleted or has not propagated yet`,
    );
    expect(r.stdout).toContain("not verified: 1 check(s) failed");
    expect(r.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
  });

  it("fails when the document publishes the wrong slot", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("BLUEKEY001", SECRET);
    serve({ key_id: "BLUEKEY001", secret: SECRET, slot: "blue" }, (_p, request) => kafka(request));
    const r = await verify(
      ["orders", ...vaultArgs, "--rest-endpoint", base, "--cluster", "lkc-7r2x9q", "--scope", "kafka"],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "  FAIL  slot: the document publishes the blue slot but keykit.rotation.json says green is active: apply the configuration",
    );
  });

  it("fails on a document without a secret, naming no value", async () => {
    const dir = rotatingDir();
    serve({ key_id: "GREENKEY01", slot: "green" }, () => ({ status: 404 }));
    const r = await verify(["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  FAIL  published document: vault kv/teams/orders/kafka: secret is missing");
  });

  it("reads the key, its cluster's REST endpoint and the slot from Terraform state JSON", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const state = join(dir, "state.json");
    writeFileSync(state, JSON.stringify(terraformState(base)));
    const r = await verify(["orders", ...vaultArgs, "--state", state], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  ok    state: key_id GREENKEY01 is module.orders.confluent_api_key.orders_green, the green slot`,
    );
    expect(r.stdout).toContain(`  ok    Kafka REST ${base}: key GREENKEY01 works (200 after 1 attempt(s), 0 s)`);
    // The report and the proof name where the endpoint came from: the cluster's data source.
    expect(r.stdout).toContain(
      `  note  endpoint: Kafka REST ${base}, from --state data.confluent_kafka_cluster.orders`,
    );
    const proof = JSON.parse(readFileSync(join(dir, "keykit.rotation.json"), "utf8")).keys.orders.slots.green;
    expect(proof.verification).toMatchObject({
      keyId: "GREENKEY01",
      endpoint: base,
      endpointFrom: "--state data.confluent_kafka_cluster.orders",
    });
    // A key_id that the state does not hold for the active slot fails.
    serve({ key_id: "BLUEKEY001", secret: SECRET, slot: "green" }, (_path, request) => kafka(request));
    const wrong = await verify(["orders", ...vaultArgs, "--state", state], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      "  FAIL  state: key_id BLUEKEY001 is module.orders.confluent_api_key.orders_blue, which is not the green slot",
    );
  });

  it("a wrong published secret for the key the state holds says so, not a generic 401", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: `${SECRET}-stale`, slot: "green" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const state = join(dir, "state.json");
    writeFileSync(state, JSON.stringify(terraformState(base)));
    const r = await verify(["orders", ...vaultArgs, "--state", state, "--wait", "1s"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `FAIL {2}Kafka REST ${base.replace(/[.:/]/g, "\\$&")}: key GREENKEY01 still refused \\(401\\) after \\d+ attempt\\(s\\) over \\d+ s: the published secret is not this key's \\(--state ${state.replace(/[.:/]/g, "\\$&")} holds key GREENKEY01 for the slot\\)`,
      ),
    );
    expect(r.stdout).not.toContain(SECRET);
  });

  it("reads the sensitive-output sink from 'terraform output -json' and probes Schema Registry", async () => {
    const dir = rotatingDir();
    const registry = authenticated("SRKEY00001", SECRET);
    route = (path, request) => (path === "/subjects" ? registry(request) : { status: 404 });
    const outputs = join(dir, "outputs.json");
    writeFileSync(
      outputs,
      JSON.stringify({
        orders_bootstrap: { sensitive: false, type: "string", value: "pkc-1.confluent.cloud:9092" },
        orders_Credentials_5A1B2C3D: {
          sensitive: true,
          type: "string",
          value: JSON.stringify({ key_id: "SRKEY00001", secret: SECRET, slot: "green" }),
        },
      }),
    );
    const r = await verify(
      ["orders", "--output-json", outputs, "--scope", "schema-registry", "--schema-registry-endpoint", base],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  ok    published document: output orders_Credentials_5A1B2C3D in ${outputs} (key_id SRKEY00001, slot green)`,
    );
    expect(r.stdout).toContain(`  ok    Schema Registry ${base}: key SRKEY00001 works (200 after 1 attempt(s), 0 s)`);
  });

  it("probes Cloud keys on the org API and says 'no probe' for ksqlDB", async () => {
    const dir = rotatingDir();
    const org = authenticated("CLOUDKEY01", SECRET);
    serve({ key_id: "CLOUDKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/org/v2/environments" ? org(request) : { status: 404 },
    );
    const cloud = await verify(["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base], dir);
    expect(cloud.code).toBe(0);
    expect(cloud.stdout).toContain(`  ok    Cloud API ${base}: key CLOUDKEY01 works`);
    const ksql = await verify(["orders", ...vaultArgs, "--scope", "ksqldb"], dir);
    expect(ksql.code).toBe(0);
    expect(ksql.stdout).toContain("  note  no probe: ksqldb keys have no endpoint keykit can authenticate against");
  });
});

describe("keykit verify: Flink", () => {
  it("probes the statements API of the organisation and environment", async () => {
    const dir = rotatingDir();
    const flink = authenticated("FLINKKEY01", SECRET, 1);
    serve({ key_id: "FLINKKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/sql/v1/organizations/9c1e3a52-0d4b/environments/env-q8d4k1/statements"
        ? flink(request)
        : { status: 404 },
    );
    const argv = ["orders", ...vaultArgs, "--scope", "flink", "--flink-endpoint", base];
    const missing = await verify(argv, dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/a Flink key needs --flink-endpoint, --organization and --environment/);
    const r = await verify([...argv, "--organization", "9c1e3a52-0d4b", "--environment", "env-q8d4k1"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ok    Flink ${base}: key FLINKKEY01 works (200 after 2 attempt(s), 2 s)`);
  });

  it("a 404 from the probe fails at once, saying the endpoint or id is wrong", async () => {
    const dir = rotatingDir();
    serve({ key_id: "FLINKKEY01", secret: SECRET, slot: "green" }, () => ({ status: 404 }));
    const r = await verify(
      [
        "orders",
        ...vaultArgs,
        "--scope",
        "flink",
        "--flink-endpoint",
        base,
        "--organization",
        "o",
        "--environment",
        "e",
      ],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.sleeps).toEqual([]);
    expect(r.stdout).toContain(
      `  FAIL  Flink ${base}: answered 404 to key FLINKKEY01: the endpoint or resource id is wrong`,
    );
  });
});

describe("keykit verify: after finish, the retired slot is gone", () => {
  const cloudEnv = { CONFLUENT_CLOUD_API_KEY: "CLOUDADMIN", CONFLUENT_CLOUD_API_SECRET: CLOUD_SECRET };

  it.each([
    [404, 0, "  ok    retired key BLUEKEY001 is gone (404 from"],
    [403, 0, "  ok    retired key BLUEKEY001 is gone (403 from"],
    [200, 1, "  FAIL  retired key BLUEKEY001 still exists (200 from"],
  ])("IAM answers %d: exit %d", async (status, code, line) => {
    const dir = tempDir();
    rotationFile(dir, "finished");
    const org = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) => {
      if (path === "/iam/v2/api-keys/BLUEKEY001")
        return request.headers.authorization === basic("CLOUDADMIN", CLOUD_SECRET) ? { status } : { status: 401 };
      return path === "/org/v2/environments" ? org(request) : { status: 404 };
    });
    const r = await verify(
      ["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base, "--retired-key-id", "BLUEKEY001"],
      dir,
      cloudEnv,
    );
    expect(r.code).toBe(code);
    expect(r.stdout).toContain(line);
  });

  it("needs the retired key id and a Cloud API key for the gone check", async () => {
    const dir = tempDir();
    rotationFile(dir, "finished");
    const org = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (_p, request) => org(request));
    const noId = await verify(["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base], dir, cloudEnv);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/^keykit: after finish, verify needs --retired-key-id/);
    const noKey = await verify(
      ["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base, "--retired-key-id", "BLUEKEY001"],
      dir,
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/needs CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET/);
  });
});

describe("keykit verify: AWS Secrets Manager through the AWS SDK v3 client", () => {
  const awsEnv = {
    AWS_ACCESS_KEY_ID: "AKIAEXAMPLE0000TEST",
    AWS_SECRET_ACCESS_KEY: CLOUD_SECRET,
    AWS_REGION: "eu-west-1",
  };
  /** Secrets Manager's JSON 1.1 protocol: POST / with X-Amz-Target, as the real client sends it. */
  function secretsManager(secrets: Record<string, string>) {
    return (_path: string, request: IncomingMessage, body: string): Reply | undefined => {
      if (request.method !== "POST" || request.headers["x-amz-target"] !== "secretsmanager.GetSecretValue")
        return undefined;
      if (!String(request.headers.authorization).startsWith("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE0000TEST/"))
        return { status: 400, body: { __type: "UnrecognizedClientException", message: "bad signature" } };
      const id = (JSON.parse(body) as { SecretId: string }).SecretId;
      const value = secrets[id];
      if (value === undefined)
        return {
          status: 400,
          headers: { "x-amzn-errortype": "ResourceNotFoundException" },
          body: { __type: "ResourceNotFoundException", message: `Secrets Manager can't find ${id}` },
        };
      return {
        status: 200,
        body: {
          ARN: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${id}-AbCdEf`,
          Name: id,
          SecretString: value,
          VersionId: "v-7",
          VersionStages: ["AWSCURRENT"],
          CreatedDate: 1780000000,
        },
      };
    };
  }

  it("reads the published document with the real client and probes the key", async () => {
    const dir = rotatingDir();
    const aws = secretsManager({
      "orders/kafka": JSON.stringify({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }),
    });
    const org = authenticated("GREENKEY01", SECRET);
    route = (path, request, body) =>
      aws(path, request, body) ?? (path === "/org/v2/environments" ? org(request) : { status: 404 });
    const r = await verify(
      ["orders", "--aws-secret", "orders/kafka", "--aws-endpoint", base, "--scope", "cloud", "--base-url", base],
      dir,
      awsEnv,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  ok    published document: aws secret orders/kafka (key_id GREENKEY01, slot green)");
    expect(r.stdout).toContain(`  ok    Cloud API ${base}: key GREENKEY01 works`);
  });

  it("a missing secret is one line, exit 2", async () => {
    const dir = rotatingDir();
    const aws = secretsManager({});
    route = (path, request, body) => aws(path, request, body) ?? { status: 404 };
    const r = await verify(
      ["orders", "--aws-secret", "orders/nope", "--aws-endpoint", base, "--scope", "cloud"],
      dir,
      awsEnv,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("keykit: aws secret orders/nope: no such secret (ResourceNotFoundException)\n");
  });
});

describe("keykit verify: bad usage and unreachable servers exit 2 with one line", () => {
  it.each([
    [["orders"], /verify needs one sink/],
    [["orders", "--output-json", "o.json", "--aws-region", "eu-west-1"], /only apply with --aws-secret/],
    [["--vault-mount", "kv", "--vault-name", "x"], /exactly one rotation name/],
    [["Orders!", "--vault-mount", "kv", "--vault-name", "x"], /must be 1-128 characters/],
    [["orders", "--vault-mount", "kv"], /--vault-mount and --vault-name go together/],
    [["orders", ...vaultArgs, "--wait", "soon"], /--wait must be a duration/],
    [["orders", ...vaultArgs, "--scope", "mainframe"], /--scope 'mainframe' must be one of kafka/],
    [["orders", ...vaultArgs, "--rotation-state", "nope.json"], /--rotation-state: nope\.json: no such file/],
  ])("%p", async (argv, pattern) => {
    const dir = rotatingDir();
    const r = await verify(argv, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/^keykit: [^\n]+\n$/);
  });

  it("an unreachable Kafka REST endpoint proves nothing: exit 2", async () => {
    const dir = rotatingDir();
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 404 }));
    // A port nothing listens on: a server opened and closed again.
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const r = await verify(
      [
        "orders",
        ...vaultArgs,
        "--scope",
        "kafka",
        "--cluster",
        "lkc-7r2x9q",
        "--rest-endpoint",
        `http://127.0.0.1:${port}`,
      ],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`keykit: Kafka REST: http://127.0.0.1:${port} unreachable\n`);
  });

  it.each(["payments", "constructor"])(
    "a rotation the state file does not hold (%s) is refused before anything is sent",
    async (name) => {
      const dir = rotatingDir();
      serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 200, body: {} }));
      const r = await verify([name, ...vaultArgs, "--scope", "cloud", "--base-url", base], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `keykit: verify: '${name}' has no rotation in keykit.rotation.json and no BlueGreenApiKey with that rotationName in cdktf.out\n`,
      );
      expect(seen).toEqual([]);
    },
  );

  it("a key declared in code that never rotated (no state file yet) is verified in its initial state: blue, recorded", async () => {
    const dir = tempDir();
    const stack = join(dir, "cdktf.out", "stacks", "app");
    mkdirSync(stack, { recursive: true });
    const slot = (name: string, active: boolean) => ({
      "//": {
        metadata: { path: `app/Orders/${name}` },
        keykit: { version: 1, construct: "BlueGreenApiKey", rotation: { name: "orders", slot: name, active } },
      },
      display_name: `orders (${name})`,
      owner: { id: "sa-1", api_version: "iam/v2", kind: "ServiceAccount" },
    });
    writeFileSync(
      join(stack, "cdk.tf.json"),
      JSON.stringify({ resource: { confluent_api_key: { orders_blue: slot("blue", true) } } }),
    );
    const kafka = authenticated("BLUEKEY001", SECRET, 0);
    serve({ key_id: "BLUEKEY001", secret: SECRET, slot: "blue" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const r = await verify(
      ["orders", ...vaultArgs, "--rest-endpoint", base, "--cluster", "lkc-7r2x9q", "--scope", "kafka"],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, "keykit.rotation.json"), "utf8"));
    expect(state.keys.orders.active).toBe("blue");
    expect(state.keys.orders.slots.blue).toMatchObject({ status: "active", keyId: "BLUEKEY001" });
    expect(state.keys.orders.slots.blue.verification).toMatchObject({ proved: "works", keyId: "BLUEKEY001" });
  });
});

/** `terraform show -json` of a stack with the blue/green slots in a module and the cluster's REST endpoint. */
function terraformState(restEndpoint: string): Record<string, unknown> {
  const key = (slot: string, id: string) => ({
    address: `module.orders.confluent_api_key.orders_${slot}`,
    mode: "managed",
    type: "confluent_api_key",
    name: `orders_${slot}`,
    provider_name: "registry.terraform.io/confluentinc/confluent",
    values: {
      id,
      secret: SECRET,
      display_name: `orders (${slot})`,
      description: "Managed by keykit (app/Orders), rotation orders",
      owner: [{ id: "sa-8kq2vd", api_version: "iam/v2", kind: "ServiceAccount" }],
      managed_resource: [
        { id: "lkc-7r2x9q", api_version: "cmk/v2", kind: "Cluster", environment: [{ id: "env-q8d4k1" }] },
      ],
    },
    sensitive_values: { secret: true },
  });
  return terraformShowJson({
    resources: [
      {
        address: "data.confluent_kafka_cluster.orders",
        mode: "data",
        type: "confluent_kafka_cluster",
        name: "orders",
        values: { id: "lkc-7r2x9q", rest_endpoint: restEndpoint, bootstrap_endpoint: "SASL_SSL://pkc-1:9092" },
      },
    ],
    child_modules: [{ address: "module.orders", resources: [key("blue", "BLUEKEY001"), key("green", "GREENKEY01")] }],
  });
}

describe("keykit rotate verify", () => {
  it("is keykit verify", async () => {
    const dir = rotatingDir();
    const outputs = join(dir, "outputs.json");
    const doc = { key_id: "KSQLKEY001", secret: SECRET, slot: "green" };
    writeFileSync(outputs, JSON.stringify({ creds: { sensitive: true, type: "object", value: doc } }));
    const argv = ["rotate", "verify", "orders", "--output-json", outputs, "--scope", "ksqldb"];
    const { code, stdout } = await runKeykit(argv, { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain(`  ok    published document: output creds in ${outputs} (key_id KSQLKEY001, slot green)`);
    expect(stdout).not.toContain(SECRET);
  });
});

describe("keykit verify records what it proved; rotate finish requires it", () => {
  const kafkaArgs = ["--rest-endpoint", "", "--cluster", "lkc-7r2x9q", "--scope", "kafka"];
  const argsFor = () => ["orders", ...vaultArgs, ...kafkaArgs.map((a) => (a === "" ? base : a))];

  /** A rotating state file as a person keeps it: a comment, an owner, a note on a slot (kept by every write). */
  function annotatedRotation(dir: string): string {
    const file = join(dir, "keykit.rotation.json");
    const text = `{
    "//": "reviewed by the platform team",
    "version": 1,
    "keys": {
        "orders": {
            "owner": "team-orders",
            "active": "green",
            "rotations": 1,
            "slots": {
                "blue": { "status": "retained", "deactivatedAt": "2026-05-10T00:00:00Z", "note": "OPS-77" },
                "green": { "status": "active", "createdAt": "2026-05-10T00:00:00Z", "activatedAt": "2026-05-10T00:00:00Z" }
            }
        }
    }
}
`;
    writeFileSync(file, text);
    return file;
  }

  const finish = (dir: string, ...extra: string[]) => runKeykit(["rotate", "finish", "orders", ...extra], { cwd: dir });

  it("records verifiedAt and the proof on the published slot, keeping the file's other fields; finish then passes", async () => {
    const dir = tempDir();
    const file = annotatedRotation(dir);
    const refused = await finish(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^keykit: rotate finish orders refused: the published slot green was not verified/);

    const kafka = authenticated("GREENKEY01", SECRET, 1);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const r = await verify(argsFor(), dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  ok    recorded in keykit.rotation.json: slot green works (key GREENKEY01), verifiedAt ${VERIFIED_AT}`,
    );
    const text = readFileSync(file, "utf8");
    const json = JSON.parse(text);
    expect(json["//"]).toBe("reviewed by the platform team");
    expect(json.keys.orders.owner).toBe("team-orders");
    expect(json.keys.orders.slots.blue).toEqual({
      status: "retained",
      deactivatedAt: "2026-05-10T00:00:00Z",
      note: "OPS-77",
    });
    expect(json.keys.orders.slots.green).toEqual({
      status: "active",
      keyId: "GREENKEY01",
      createdAt: "2026-05-10T00:00:00Z",
      activatedAt: "2026-05-10T00:00:00Z",
      verifiedAt: VERIFIED_AT,
      verification: {
        proved: "works",
        keyId: "GREENKEY01",
        endpoint: base,
        endpointFrom: "--rest-endpoint",
        by: `Kafka REST ${base} GET /kafka/v3/clusters/lkc-7r2x9q/topics: 200, a wrong secret 401`,
        control: 401,
        document: "vault kv/teams/orders/kafka",
      },
    });
    expect(text).toMatch(/^ {4}"\/\/"/m); // the file's 4-space indentation is kept
    expect(text).not.toContain(SECRET);

    const finished = await finish(dir);
    expect(finished.stderr).toBe("");
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain(
      `Gate met: the published slot green was verified at ${VERIFIED_AT} (keykit verify, key GREENKEY01)`,
    );
    const blue = JSON.parse(readFileSync(file, "utf8")).keys.orders.slots.blue;
    expect(blue.status).toBe("retired");
  });

  it.each([
    [
      "publishes the old slot (the start was not applied)",
      { slot: "blue", key_id: "BLUEKEY001" },
      200,
      "slot: the document publishes the blue slot but keykit.rotation.json says green is active: apply the configuration",
    ],
    [
      "never authenticates",
      { slot: "green", key_id: "GREENKEY01" },
      401,
      `Kafka REST ${"BASE"}: key GREENKEY01 still refused (401) after 3 attempt(s) over 6 s: the key id or secret is wrong, or the key was deleted or has not propagated yet`,
    ],
  ])("a verify whose document %s records the failure, and finish stays refused", async (_what, doc, status, line) => {
    const dir = tempDir();
    const file = annotatedRotation(dir);
    serve({ ...doc, secret: SECRET } as VaultDoc, () => ({ status, body: {} }));
    const r = await verify([...argsFor(), "--wait", "10s"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `  note  recorded in keykit.rotation.json: the verify of slot green failed (key ${doc.key_id}): finish stays refused until a verify succeeds, failedVerify.at ${VERIFIED_AT}`,
    );
    const green = JSON.parse(readFileSync(file, "utf8")).keys.orders.slots.green;
    expect(green.verification).toBeUndefined();
    expect(green.failedVerify).toEqual({ at: VERIFIED_AT, keyId: doc.key_id, failed: line.replace("BASE", base) });
    expect((await finish(dir)).code).toBe(1);
  });

  it("a key without a probe (ksqlDB) proves no authentication: nothing recorded", async () => {
    const dir = tempDir();
    const file = rotationFile(dir, "rotating");
    const before = readFileSync(file, "utf8");
    serve({ key_id: "KSQLKEY001", secret: SECRET, slot: "green" }, () => ({ status: 404 }));
    const r = await verify(["orders", ...vaultArgs, "--scope", "ksqldb"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("nothing recorded");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("after finish, a gone check records verifiedAt on the retired slot (the cleanup's evidence); 200 records nothing", async () => {
    const cloudEnv = { CONFLUENT_CLOUD_API_KEY: "CLOUDADMIN", CONFLUENT_CLOUD_API_SECRET: CLOUD_SECRET };
    for (const status of [200, 403]) {
      const dir = tempDir();
      const file = rotationFile(dir, "finished");
      const org = authenticated("GREENKEY01", SECRET);
      serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
        path === "/iam/v2/api-keys/BLUEKEY001" ? { status } : org(request),
      );
      const r = await verify(
        ["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base, "--retired-key-id", "BLUEKEY001"],
        dir,
        cloudEnv,
      );
      const slots = JSON.parse(readFileSync(file, "utf8")).keys.orders.slots;
      // The active slot's proof is recorded either way: it authenticated.
      expect(slots.green.verification).toMatchObject({ proved: "works", keyId: "GREENKEY01" });
      const slotFacts = loadRotationSlots(file, dir).find((s) => s.slot === "blue");
      if (status === 200) {
        expect(r.code).toBe(1);
        expect(slots.blue.verifiedAt).toBeUndefined();
        expect(slots.blue.failedVerify).toMatchObject({ at: VERIFIED_AT, keyId: "BLUEKEY001" });
        expect(slotFacts?.verifiedAt).toBeUndefined();
      } else {
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(
          `  ok    recorded in keykit.rotation.json: retired slot blue is gone (key BLUEKEY001), verifiedAt ${VERIFIED_AT}`,
        );
        expect(slots.blue).toEqual({
          status: "retired",
          keyId: "BLUEKEY001",
          deactivatedAt: "2026-05-10T00:00:00Z",
          retiredAt: "2026-05-10T12:00:00Z",
          verifiedAt: VERIFIED_AT,
          verification: {
            proved: "gone",
            keyId: "BLUEKEY001",
            endpoint: base,
            endpointFrom: "--base-url",
            by: `retired key BLUEKEY001 is gone (403 from ${base})`,
          },
        });
        expect(slotFacts?.verifiedKeyId).toBe("BLUEKEY001");
        // What the audit reads as evidence that the retired slot's key may be deleted (verified after retiring).
        expect(slotFacts?.verifiedAt).toBe(VERIFIED_AT);
        expect(Date.parse(VERIFIED_AT)).toBeGreaterThan(Date.parse(slotFacts?.retiredAt ?? ""));
      }
    }
  });

  it("a proof about a slot that changed while verify ran is not recorded", async () => {
    const dir = tempDir();
    const file = rotationFile(dir, "rotating");
    const changed = readFileSync(file, "utf8").replace(
      /"activatedAt": "2026-05-10T00:00:00Z"/,
      '"activatedAt": "2026-05-10T06:00:00Z"',
    );
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) => {
      // Another step lands between reading the state and recording (here: green was re-published).
      writeFileSync(file, changed);
      return path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 };
    });
    const r = await verify(argsFor(), dir);
    expect(r.stdout).toContain(
      "  note  not recorded: slot green works (key GREENKEY01), but keykit.rotation.json changed while verifying (run verify again)",
    );
    expect(readFileSync(file, "utf8")).toBe(changed);
  });

  it("rotate status --format json names verify, then finish, as the next step", async () => {
    const dir = rotatingDir();
    const status = async () => {
      const { code, stdout } = await runKeykit(["rotate", "status", "--format", "json"], { cwd: dir });
      expect(code).toBe(0);
      return JSON.parse(stdout) as { keys: { name: string; next: { step: string; command: string } }[] };
    };
    expect((await status()).keys[0].next).toMatchObject({ step: "verify", command: "keykit verify orders …" });
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (_p, request) => kafka(request));
    expect((await verify(argsFor(), dir)).code).toBe(0);
    expect((await status()).keys[0].next).toMatchObject({ step: "finish", command: "keykit rotate finish orders" });
  });
});

describe("keykit verify: a proof needs a server that checks credentials", () => {
  const kafkaArgs = () => [
    "orders",
    ...vaultArgs,
    "--rest-endpoint",
    base,
    "--cluster",
    "lkc-7r2x9q",
    "--scope",
    "kafka",
  ];

  it("sends the same request with a wrong secret for the same key id; a refusal (401) is the control", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (_p, request) => kafka(request));
    const r = await verify(kafkaArgs(), dir);
    expect(r.code).toBe(0);
    const probes = seen.filter((s) => s.path === "/kafka/v3/clusters/lkc-7r2x9q/topics");
    expect(probes).toHaveLength(2);
    expect(probes[0].authorization).toBe(basic("GREENKEY01", SECRET));
    const control = Buffer.from(String(probes[1].authorization).slice(6), "base64").toString("utf8");
    expect(control.startsWith("GREENKEY01:")).toBe(true);
    expect(control).not.toBe(`GREENKEY01:${SECRET}`);
    expect(control.length).toBe(`GREENKEY01:${SECRET}`.length);
  });

  it.each([
    [
      200,
      "also accepted a wrong secret for key GREENKEY01 (200): it does not check credentials, so its 200 proves nothing",
    ],
    [500, "answered 500 to a wrong secret for key GREENKEY01 (expected 401 or 403): the 200 proves nothing"],
  ])(
    "a server that answers %d to a wrong secret proves nothing: exit 1, no works proof, the failure recorded",
    async (status, line) => {
      const dir = rotatingDir();
      const file = join(dir, "keykit.rotation.json");
      serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (_p, request) =>
        request.headers.authorization === basic("GREENKEY01", SECRET) ? { status: 200, body: {} } : { status },
      );
      const r = await verify(kafkaArgs(), dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`  FAIL  Kafka REST ${base}: ${line}`);
      expect(r.stdout).not.toContain("works (key");
      const green = JSON.parse(readFileSync(file, "utf8")).keys.orders.slots.green;
      expect(green.verification).toBeUndefined();
      expect(green.verifiedAt).toBeUndefined();
      expect(green.failedVerify).toEqual({
        at: VERIFIED_AT,
        keyId: "GREENKEY01",
        failed: `Kafka REST ${base}: ${line}`,
      });
      const finish = await runKeykit(["rotate", "finish", "orders"], { cwd: dir });
      expect(finish.code).toBe(1);
      expect(finish.stderr).toContain(`a verify failed at ${VERIFIED_AT} (key GREENKEY01) and none succeeded after it`);
    },
  );
});

describe("keykit verify --retired-key-id: the retired slot's key, as the record or --state knows it", () => {
  const cloudEnv = { CONFLUENT_CLOUD_API_KEY: "CLOUDADMIN", CONFLUENT_CLOUD_API_SECRET: CLOUD_SECRET };
  const args = (id: string, ...extra: string[]) => [
    "orders",
    ...vaultArgs,
    "--scope",
    "cloud",
    "--base-url",
    base,
    "--retired-key-id",
    id,
    ...extra,
  ];

  it("a mistyped id is refused before anything is sent, and nothing is recorded", async () => {
    const dir = tempDir();
    const file = rotationFile(dir, "finished");
    const before = readFileSync(file, "utf8");
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 404 }));
    const r = await verify(args("BLUEKEY01"), dir, cloudEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "keykit: verify: --retired-key-id BLUEKEY01 is not the retired slot blue's key (the rotation record or --state knows BLUEKEY001)\n",
    );
    expect(seen).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("a retired slot whose key id is on record nowhere needs --state holding it; the id is then checked against it", async () => {
    const dir = tempDir();
    const file = rotationFile(dir, "finished");
    const json = JSON.parse(readFileSync(file, "utf8"));
    delete json.keys.orders.slots.blue.keyId;
    writeFileSync(file, JSON.stringify(json));
    const org = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/iam/v2/api-keys/BLUEKEY001" ? { status: 404 } : org(request),
    );
    const unknown = await verify(args("BLUEKEY001"), dir, cloudEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /records no key id for the retired slot blue, so --retired-key-id cannot be checked/,
    );
    expect(seen).toEqual([]);
    // The state from before the finish's apply still holds blue.
    const state = join(dir, "state.json");
    writeFileSync(state, JSON.stringify(terraformState(base)));
    const wrong = await verify(args("GREENKEY01", "--state", state), dir, cloudEnv);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /--retired-key-id GREENKEY01 is not the retired slot blue's key \(.* knows BLUEKEY001\)/,
    );
    const r = await verify(args("BLUEKEY001", "--state", state), dir, cloudEnv);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).keys.orders.slots.blue).toMatchObject({
      keyId: "BLUEKEY001",
      verification: { proved: "gone", keyId: "BLUEKEY001" },
    });
  });

  it("finish keeps the key id the slot had, so the gone check can be matched to it", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (_p, request) => kafka(request));
    expect((await verify(["orders", ...vaultArgs, "--scope", "cloud", "--base-url", base], dir)).code).toBe(0);
    const file = join(dir, "keykit.rotation.json");
    // The next rotation: blue published, green retained; then finished.
    expect((await runKeykit(["rotate", "finish", "orders"], { cwd: dir })).code).toBe(0);
    expect((await runKeykit(["rotate", "start", "orders"], { cwd: dir })).code).toBe(0);
    const started = JSON.parse(readFileSync(file, "utf8"));
    const blue = started.keys.orders.slots.blue;
    started.keys.orders.slots.blue = {
      ...blue,
      keyId: "BLUEKEY002",
      verifiedAt: new Date(Date.parse(blue.activatedAt) + 1000).toISOString(),
      verification: { proved: "works", keyId: "BLUEKEY002", by: "Cloud API: 200", control: 401 },
    };
    writeFileSync(file, JSON.stringify(started));
    expect((await runKeykit(["rotate", "finish", "orders"], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).keys.orders.slots.green).toMatchObject({
      status: "retired",
      keyId: "GREENKEY01",
    });
  });
});

describe("keykit verify: endpoints come from the operator or the one resource that defines them", () => {
  /** A state whose Kafka cluster endpoint is defined by `resources` instead of the cluster's data source. */
  function stateWith(dir: string, resources: Record<string, unknown>[], managedResource?: Record<string, unknown>) {
    const json = terraformState(base) as { values: { root_module: Record<string, unknown[]> } };
    const root = json.values.root_module;
    root.resources = resources;
    if (managedResource) {
      const modules = root.child_modules as { resources: { values: Record<string, unknown> }[] }[];
      for (const key of modules[0].resources) key.values.managed_resource = [managedResource];
    }
    const file = join(dir, "state.json");
    writeFileSync(file, JSON.stringify(json));
    return file;
  }
  const resource = (type: string, mode: "managed" | "data", values: Record<string, unknown>) => ({
    address: `${mode === "data" ? "data." : ""}${type}.x`,
    mode,
    type,
    name: "x",
    values,
  });

  it.each([
    ["a confluent_kafka_cluster_config", resource("confluent_kafka_cluster_config", "managed", { id: "lkc-7r2x9q" })],
    ["a confluent_kafka_topic data source", resource("confluent_kafka_topic", "data", { id: "lkc-7r2x9q" })],
  ])("a Kafka key never takes its endpoint from %s: refused, nothing sent to it", async (_what, other) => {
    const dir = rotatingDir();
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 200, body: {} }));
    const state = stateWith(dir, [{ ...other, values: { ...other.values, rest_endpoint: base } }]);
    const r = await verify(["orders", ...vaultArgs, "--state", state], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a Kafka key needs the cluster's REST endpoint and id/);
    expect(seen.filter((s) => !s.path.startsWith("/v1/"))).toEqual([]);
  });

  it("a Schema Registry key takes the registry data source's endpoint, never a cluster-config data source's", async () => {
    const dir = rotatingDir();
    const registry = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/subjects" ? registry(request) : { status: 404 },
    );
    const srKey = { id: "lsrc-5pq1", api_version: "srcm/v3", kind: "Cluster", environment: [{ id: "env-q8d4k1" }] };
    const config = resource("confluent_schema_registry_cluster_config", "data", {
      id: "lsrc-5pq1",
      rest_endpoint: base,
    });
    const refused = await verify(["orders", ...vaultArgs, "--state", stateWith(dir, [config], srKey)], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/a Schema Registry key needs --schema-registry-endpoint/);
    expect(seen.filter((s) => s.path === "/subjects")).toEqual([]);
    const cluster = resource("confluent_schema_registry_cluster", "data", { id: "lsrc-5pq1", rest_endpoint: base });
    const r = await verify(["orders", ...vaultArgs, "--state", stateWith(dir, [config, cluster], srKey)], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  note  endpoint: Schema Registry ${base}, from --state data.confluent_schema_registry_cluster.x`,
    );
  });

  it("two defining resources with different endpoints for one cluster are refused", async () => {
    const dir = rotatingDir();
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, () => ({ status: 200, body: {} }));
    const a = resource("confluent_kafka_cluster", "managed", { id: "lkc-7r2x9q", rest_endpoint: base });
    const b = resource("confluent_kafka_cluster", "data", { id: "lkc-7r2x9q", rest_endpoint: "https://other:443" });
    const r = await verify(["orders", ...vaultArgs, "--state", stateWith(dir, [a, b])], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the state defines 2 different REST endpoints for lkc-7r2x9q .*: name one with --rest-endpoint/,
    );
    expect(seen.filter((s) => !s.path.startsWith("/v1/"))).toEqual([]);
  });

  /** A client that records where it was asked to send what, and answers like a checking server. */
  function recordingClient() {
    const sent: { url: string; user?: string }[] = [];
    const get = async (request: HttpRequest) => {
      sent.push({ url: request.url, user: request.basic?.user });
      if (request.url.includes("/v1/kv/data/"))
        return {
          status: 200,
          body: JSON.stringify({ data: { data: { key_id: "GREENKEY01", secret: SECRET, slot: "green" } } }),
        };
      return { status: request.basic?.password === SECRET ? 200 : 401, body: "{}" };
    };
    return { sent, get };
  }

  it.each([
    [
      "--rest-endpoint",
      ["--rest-endpoint", "http://kafka.internal.example:8082", "--cluster", "lkc-1", "--scope", "kafka"],
      "Kafka REST: http://kafka.internal.example:8082 (from --rest-endpoint)",
    ],
    [
      "--base-url",
      ["--base-url", "http://api.internal.example", "--scope", "cloud"],
      "Cloud API: http://api.internal.example (from --base-url)",
    ],
  ])(
    "plain http to a non-loopback host (%s) is refused before the key is sent; --allow-http allows it",
    async (_flag, extra, where) => {
      const dir = rotatingDir();
      const client = recordingClient();
      const r = await verify(["orders", ...vaultArgs, ...extra], dir, {}, { get: client.get });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `keykit: ${where} is plain http: verify sends credentials over https only (--allow-http for a trusted network)\n`,
      );
      expect(client.sent.filter((s) => s.user !== undefined)).toEqual([]);
      const allowed = recordingClient();
      const ok = await verify(["orders", ...vaultArgs, ...extra, "--allow-http"], dir, {}, { get: allowed.get });
      expect(ok.code).toBe(0);
      expect(allowed.sent.filter((s) => s.user === "GREENKEY01")).toHaveLength(2);
    },
  );

  it("keykit.config.json may name a cluster's endpoint, on a Confluent Cloud host only; so must the state", async () => {
    const dir = rotatingDir();
    const kafka = authenticated("GREENKEY01", SECRET);
    serve({ key_id: "GREENKEY01", secret: SECRET, slot: "green" }, (path, request) =>
      path === "/kafka/v3/clusters/lkc-7r2x9q/topics" ? kafka(request) : { status: 404 },
    );
    const config = (url: string) =>
      writeFileSync(join(dir, "keykit.config.json"), JSON.stringify({ verify: { endpoints: { "lkc-7r2x9q": url } } }));
    const argv = ["orders", ...vaultArgs, "--cluster", "lkc-7r2x9q", "--scope", "kafka"];
    config(base);
    const r = await verify(argv, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  note  endpoint: Kafka REST ${base}, from keykit.config.json verify.endpoints.lkc-7r2x9q`,
    );
    // A pull request that points the endpoint elsewhere gets no secret: refused before the key is sent.
    config("https://collector.example.net/kafka");
    const client = recordingClient();
    const refused = await verify(argv, dir, {}, client);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "keykit: Kafka REST: https://collector.example.net (from keykit.config.json verify.endpoints.lkc-7r2x9q) is not a Confluent Cloud host: an endpoint read from reviewed input must be under confluent.cloud (name another one with a flag)\n",
    );
    expect(client.sent.filter((s) => s.user !== undefined)).toEqual([]);
    // The operator's flag wins over the file.
    const flagged = await verify([...argv, "--rest-endpoint", base], dir);
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toContain(`  note  endpoint: Kafka REST ${base}, from --rest-endpoint`);
    rmSync(join(dir, "keykit.config.json"));
    const cluster = resource("confluent_kafka_cluster", "data", {
      id: "lkc-7r2x9q",
      rest_endpoint: "https://pkc-evil.example.net:443",
    });
    const fromState = await verify(["orders", ...vaultArgs, "--state", stateWith(dir, [cluster])], dir, {}, client);
    expect(fromState.code).toBe(2);
    expect(fromState.stderr).toMatch(
      /https:\/\/pkc-evil\.example\.net \(from --state data\.confluent_kafka_cluster\.x\) is not a Confluent Cloud host/,
    );
    expect(client.sent.filter((s) => s.user !== undefined)).toEqual([]);
  });

  it("the Vault token is not sent over plain http either", async () => {
    const dir = rotatingDir();
    const client = recordingClient();
    const r = await verify(
      ["orders", ...vaultArgs, "--scope", "cloud"],
      dir,
      { VAULT_ADDR: "http://vault.internal:8200" },
      client,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^keykit: Vault: http:\/\/vault\.internal:8200 \(from VAULT_ADDR\) is plain http/);
    expect(client.sent).toEqual([]);
  });
});
