/**
 * `keykit audit --live` against a local Cloud API stand-in on 127.0.0.1 (ephemeral port): pagination, 429 with
 * Retry-After, 500, malformed bodies, credentials. Backoff sleeps are injected and recorded, so nothing waits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuditCommand } from "../../cli/commands/audit";
import { KeykitCliError } from "../../cli/errors";
import type { Report } from "../../policies/report";
import { apiAccountItem, apiKeyItem, apiPage, type KeySpec, tempDir } from "./helpers";

let empty: string | undefined;
const emptyDir = () => (empty ??= tempDir());

type Reply = { status: number; body: string; headers?: Record<string, string> };
type Route = (url: URL, request: IncomingMessage) => Reply;

let server: Server;
let baseUrl: string;
let route: Route;
const requests: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", baseUrl);
    requests.push({ path: `${url.pathname}${url.search}`, authorization: request.headers.authorization });
    const reply = route(url, request);
    response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const ENV = { CONFLUENT_CLOUD_API_KEY: "CLOUDKEY", CONFLUENT_CLOUD_API_SECRET: "cloud-secret-value-0123456789" };

async function audit(argv: string[], options: { env?: Record<string, string>; isTty?: boolean } = {}) {
  const sleeps: number[] = [];
  let stdout = "";
  let stderr = "";
  const command = createAuditCommand({
    live: { sleep: async (ms) => void sleeps.push(ms), maxRetries: 3, timeoutMs: 5000, pageSize: 2 },
  });
  let code: number;
  try {
    code = await command(["--live", "--now", "2026-06-01", ...argv], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: emptyDir(), // never the repository: its keykit.*.json files would leak in
      env: options.env ?? { ...ENV, CONFLUENT_CLOUD_BASE_URL: baseUrl },
      isTty: options.isTty ?? false,
    });
  } catch (error) {
    if (!(error instanceof KeykitCliError)) throw error;
    stderr += `keykit: ${error.message}\n`;
    code = error.exitCode;
  }
  return { code, stdout, stderr, sleeps };
}

const ok = (value: unknown): Reply => ({ status: 200, body: JSON.stringify(value) });

/** Serves `items` in pages of `size` with metadata.next links, like the Cloud API. */
function paged(path: string, kind: "ApiKeyList" | "ServiceAccountList", items: unknown[], size = 2) {
  return (url: URL): Reply => {
    const page = Number(url.searchParams.get("page_token") ?? "0");
    const next = (page + 1) * size < items.length ? `${baseUrl}${path}?page_size=${size}&page_token=${page + 1}` : "";
    return ok(apiPage(kind, items.slice(page * size, (page + 1) * size), next));
  };
}

const KEYS: KeySpec[] = [
  { id: "K1", owner: "sa-1", created: "2026-05-01T00:00:00Z" },
  { id: "K2", owner: "u-9", created: "2026-05-01T00:00:00Z", secret: "PLANTED-LIVE-SECRET-abcdef0123" },
  { id: "K3", owner: "sa-gone", created: "2026-05-01T00:00:00Z" },
  { id: "K4", owner: "sa-1", created: "2020-01-01T00:00:00Z" },
  { id: "K5", owner: "sa-2", created: "2026-05-01T00:00:00Z" },
];
const ACCOUNTS = [
  { id: "sa-1", name: "one" },
  { id: "sa-2", name: "two" },
  { id: "sa-3", name: "unused" },
];

function standardRoutes(overrides: Record<string, (url: URL, attempt: number) => Reply | undefined> = {}): void {
  const keys = paged("/iam/v2/api-keys", "ApiKeyList", KEYS.map(apiKeyItem));
  const accounts = paged("/iam/v2/service-accounts", "ServiceAccountList", ACCOUNTS.map(apiAccountItem));
  const attempts = new Map<string, number>();
  route = (url) => {
    const id = `${url.pathname}#${url.searchParams.get("page_token") ?? "0"}`;
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    const special = overrides[id]?.(url, attempt);
    if (special) return special;
    if (url.pathname === "/iam/v2/api-keys") return keys(url);
    if (url.pathname === "/iam/v2/service-accounts") return accounts(url);
    return { status: 404, body: "{}" };
  };
}

describe("keykit audit --live", () => {
  it("follows every page, retries a 429 (Retry-After) and a 500, and reports the findings", async () => {
    standardRoutes({
      "/iam/v2/api-keys#1": (_u, attempt) =>
        attempt === 1 ? { status: 429, body: "{}", headers: { "retry-after": "7" } } : undefined,
      "/iam/v2/service-accounts#0": (_u, attempt) => (attempt === 1 ? { status: 500, body: "oops" } : undefined),
    });
    const result = await audit(["--format", "json"]);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId}:${f.subject}`).sort()).toEqual([
      "KK001:K2",
      "KK004:K4",
      "KK008:sa-3",
      "KK102:K3",
    ]);
    expect(result.code).toBe(1);
    // 3 key pages (one retried), 2 account pages (one retried).
    expect(requests.map((r) => r.path)).toEqual([
      "/iam/v2/api-keys?page_size=2",
      "/iam/v2/api-keys?page_size=2&page_token=1",
      "/iam/v2/api-keys?page_size=2&page_token=1",
      "/iam/v2/api-keys?page_size=2&page_token=2",
      "/iam/v2/service-accounts?page_size=2",
      "/iam/v2/service-accounts?page_size=2",
      "/iam/v2/service-accounts?page_size=2&page_token=1",
    ]);
    expect(result.sleeps).toEqual([7000, 500]); // Retry-After honoured; then the first exponential step
    const expected = `Basic ${Buffer.from(`${ENV.CONFLUENT_CLOUD_API_KEY}:${ENV.CONFLUENT_CLOUD_API_SECRET}`).toString("base64")}`;
    expect(requests.every((r) => r.authorization === expected)).toBe(true);
    expect(result.stdout).not.toContain("PLANTED-LIVE-SECRET");
    expect(result.stdout).not.toContain(ENV.CONFLUENT_CLOUD_API_SECRET);
  });

  it("gives up after a bounded number of retries with exponential backoff: exit 2, one line", async () => {
    standardRoutes({ "/iam/v2/api-keys#0": () => ({ status: 503, body: "" }) });
    const result = await audit([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keykit: live /iam/v2/api-keys page 1: HTTP 503 after 4 attempts\n");
    expect(result.sleeps).toEqual([500, 1000, 2000]);
    expect(requests).toHaveLength(4);
  });

  it("rejects a malformed body with exit 2 and one line that does not echo it", async () => {
    standardRoutes({
      "/iam/v2/api-keys#1": () => ({ status: 200, body: '{"data": [ {"id": "K9", "secret": "PLANTED' }),
    });
    const result = await audit([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^keykit: live \/iam\/v2\/api-keys page 2: malformed response body \(not JSON, \d+ bytes\)\n$/,
    );
    expect(result.stdout).toBe("");
  });

  it("rejects a body of the wrong shape with exit 2", async () => {
    standardRoutes({ "/iam/v2/service-accounts#0": () => ok({ items: [] }) });
    const result = await audit([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keykit: live /iam/v2/service-accounts page 1: unexpected response (no 'data' array)\n");
  });

  it("refuses to send credentials to a next link on another host", async () => {
    standardRoutes({
      "/iam/v2/api-keys#0": () =>
        ok(apiPage("ApiKeyList", [], "https://elsewhere.invalid/iam/v2/api-keys?page_token=1")),
    });
    const result = await audit([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/points to another host \(https:\/\/elsewhere\.invalid\); refusing to follow it\n$/);
    expect(requests).toHaveLength(1);
  });

  it("reports rejected credentials and missing credentials as exit 2", async () => {
    standardRoutes({ "/iam/v2/api-keys#0": () => ({ status: 401, body: "{}" }) });
    const rejected = await audit([]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/HTTP 401: credentials rejected/);
    expect(rejected.stderr).not.toContain(ENV.CONFLUENT_CLOUD_API_SECRET);
    const missing = await audit([], { env: { CONFLUENT_CLOUD_BASE_URL: baseUrl } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--live needs CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET/);
  });

  it("takes the base URL from --base-url as well as from CONFLUENT_CLOUD_BASE_URL", async () => {
    standardRoutes();
    const result = await audit(["--base-url", baseUrl, "--fail-on", "none"], { env: ENV });
    expect(result.code).toBe(0);
    expect(requests.length).toBe(5);
  });

  it("draws progress only when stderr is a terminal", async () => {
    standardRoutes();
    const tty = await audit(["--fail-on", "none"], { isTty: true });
    expect(tty.stderr).toContain("reading API keys: page 3, 5 so far");
    expect(tty.stderr).toContain("reading service accounts: page 2, 3 so far");
    expect(tty.stderr.endsWith("\r\x1b[2K")).toBe(true); // the line is cleared before the report
    const pipe = await audit(["--fail-on", "none"], { isTty: false });
    expect(pipe.stderr).toBe("");
  });
});
