/**
 * A hostile Cloud API stand-in on 127.0.0.1: endless pages, a `next` that points to itself or loops, an
 * ever-increasing page token, a body that trickles, a huge body, a body cut off midway, redirects, hostile
 * Retry-After values, a retry budget. Each case ends with exit 2 and one line, within a bounded number of requests;
 * limits are injected small (and sleeps recorded, not waited) so no case takes more than a few seconds.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PAGES, retryAfterMs } from "../../cli/audit/live";
import { type AuditDependencies, createAuditCommand } from "../../cli/commands/audit";
import { runCli } from "../../cli/main";
import { COMMANDS } from "../../cli/commands";
import type { Command } from "../../cli/io";
import { expectOneLine, snapshot, tempDir } from "./input-helpers";

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

const SECRET = "live-secret-PLANTED-0123456789";
const ENV = { CONFLUENT_CLOUD_API_KEY: "CLOUDKEY", CONFLUENT_CLOUD_API_SECRET: SECRET };

let server: Server;
let other: Server;
let baseUrl: string;
let otherUrl: string;
let handler: Handler;
let requests: string[] = [];
let otherRequests = 0;

function listen(s: Server): Promise<string> {
  return new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", baseUrl);
    requests.push(`${url.pathname}${url.search}`);
    // Bounded by construction: a runaway client fails the test instead of hammering the server.
    if (requests.length > 200) {
      response.writeHead(500).end();
      return;
    }
    handler(request, response, url);
  });
  other = createServer((_request, response) => {
    otherRequests++;
    response.writeHead(200, { "content-type": "application/json" }).end('{"data": []}');
  });
  baseUrl = await listen(server);
  otherUrl = await listen(other);
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([server, other].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

beforeEach(() => {
  requests = [];
  otherRequests = 0;
});

function json(response: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function page(next = ""): unknown {
  return { api_version: "iam/v2", kind: "ApiKeyList", metadata: { next }, data: [] };
}

async function audit(live: AuditDependencies["live"], argv: string[] = [], env: Record<string, string> = {}) {
  const sleeps: number[] = [];
  const dir = tempDir();
  const before = snapshot(dir);
  let stdout = "";
  let stderr = "";
  const command = createAuditCommand({ live: { sleep: async (ms) => void sleeps.push(ms), maxRetries: 2, ...live } });
  const io = {
    stdout: (t: string) => (stdout += t),
    stderr: (t: string) => (stderr += t),
    cwd: dir,
    env: { ...ENV, CONFLUENT_CLOUD_BASE_URL: baseUrl, ...env },
    isTty: false,
  };
  // Through runCli's error mapping, as the binary does: one line, exit 2.
  // The registry entry is read-only in its type; the test swaps in a command with small limits for one run.
  const entry = COMMANDS.audit as { load: () => Promise<Command> };
  const original = entry.load;
  entry.load = async () => command;
  let code: number;
  try {
    code = await runCli(["audit", "--live", "--now", "2026-06-01", ...argv], io);
  } finally {
    entry.load = original;
  }
  expect(snapshot(dir)).toEqual(before);
  expect(stdout).toBe("");
  return { code, stderr: expectOneLine(stderr, [SECRET, "PLANTED", "CLOUDKEY"]), sleeps };
}

describe("pagination that never ends", () => {
  /** Every page links to one more: page_token 1, 2, 3, … */
  const endlessPages: Handler = (_q, r, url) =>
    json(r, page(`/iam/v2/api-keys?page_token=${Number(url.searchParams.get("page_token") ?? 0) + 1}`));

  it("stops an ever-increasing page token at the page cap", async () => {
    handler = endlessPages;
    const result = await audit({ maxPages: 25 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys: more than 25 pages; stopping (metadata.next never ends? raise --max-pages if the organisation is that large)\n",
    );
    expect(requests).toHaveLength(25);
  }, 10_000);

  it("takes the cap from --max-pages", async () => {
    handler = endlessPages;
    const result = await audit({}, ["--max-pages", "7"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/more than 7 pages/);
    expect(requests).toHaveLength(7);
    expect(DEFAULT_MAX_PAGES).toBe(10_000);
  }, 10_000);

  it("refuses a bad --max-pages", async () => {
    for (const bad of ["0", "-1", "ten", "2000000"]) {
      const result = await audit({}, ["--max-pages", bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `keykit: audit: --max-pages '${bad}' must be a whole number of pages from 1 to 1000000\n`,
      );
    }
    expect(requests).toHaveLength(0);
  }, 10_000);

  it("detects a page whose next link points to itself", async () => {
    handler = (q, r) => json(r, page(q.url ?? ""));
    const result = await audit({ pageSize: 5 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys page 1: metadata.next points back to page 1 (a cycle); stopping\n",
    );
    expect(requests).toHaveLength(1);
  }, 10_000);

  it("detects a longer cycle (page 3 points back to page 2)", async () => {
    handler = (_q, r, url) => {
      const token = url.searchParams.get("page_token");
      json(r, page(token === "b" ? "/iam/v2/api-keys?page_token=c" : "/iam/v2/api-keys?page_token=b"));
    };
    const result = await audit({});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/page 3: metadata\.next points back to page 2 \(a cycle\)/);
    expect(requests).toHaveLength(3);
  }, 10_000);
});

describe("bodies", () => {
  it("a body that trickles is cut by the request deadline (which covers the body)", async () => {
    handler = (_q, r) => {
      r.writeHead(200, { "content-type": "application/json" });
      r.write('{"data": [');
      const timer = setInterval(() => r.write(" "), 50);
      r.on("close", () => clearInterval(timer));
    };
    const result = await audit({ timeoutMs: 400, maxRetries: 1 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keykit: live /iam/v2/api-keys page 1: timed out reading the body after 2 attempts\n");
    expect(requests).toHaveLength(2);
  }, 10_000);

  it("headers that never come are cut by the same deadline", async () => {
    handler = () => undefined; // never answers
    const result = await audit({ timeoutMs: 300, maxRetries: 0 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keykit: live /iam/v2/api-keys page 1: timed out after 1 attempts\n");
  }, 10_000);

  it("a huge body is stopped at the size cap while it streams", async () => {
    let written = 0;
    handler = (_q, r) => {
      r.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!r.destroyed && written < 64 * 1024 * 1024 && r.write(chunk)) written += chunk.length;
        if (!r.destroyed && written < 64 * 1024 * 1024) r.once("drain", pump);
      };
      r.on("close", () => (written = Infinity));
      pump();
    };
    const result = await audit({ maxBodyBytes: 1024 * 1024 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys page 1: response body is over the 1 MiB limit; stopped reading\n",
    );
    expect(requests).toHaveLength(1); // not retried: the same page would be as big again
    expect(DEFAULT_MAX_BODY_BYTES).toBe(64 * 1024 * 1024);
  }, 10_000);

  it("a declared Content-Length over the cap is refused before reading", async () => {
    handler = (_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "content-length": String(3 * 1024 * 1024) });
      r.write("{");
    };
    const result = await audit({ maxBodyBytes: 1024 * 1024 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys page 1: response body of 3145728 bytes is over the 1 MiB limit\n",
    );
  }, 10_000);

  it("a body cut off midway is one line, not an internal error", async () => {
    handler = (_q, r) => {
      r.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      r.write('{"data": [{"id": "PLANTED');
      setTimeout(() => r.socket?.destroy(), 20);
    };
    const result = await audit({ maxRetries: 1 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys page 1: response body cut off at byte 25 after 2 attempts\n",
    );
    expect(requests).toHaveLength(2);
  }, 10_000);
});

describe("redirects", () => {
  it.each([301, 302, 303, 307, 308])(
    "refuses HTTP %i (the credentials never follow it)",
    async (status) => {
      handler = (_q, r) => r.writeHead(status, { location: `${otherUrl}/iam/v2/api-keys` }).end();
      const result = await audit({});
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `keykit: live /iam/v2/api-keys page 1: HTTP ${status} redirect refused (credentials never follow a redirect; give the final address as --base-url)\n`,
      );
      expect(requests).toHaveLength(1);
      expect(otherRequests).toBe(0);
    },
    10_000,
  );

  it("refuses a base URL with credentials in it, without echoing them", async () => {
    const url = baseUrl.replace("http://", "http://admin:hunter2-PLANTED@");
    const result = await audit({}, [], { CONFLUENT_CLOUD_BASE_URL: url });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stderr).toMatch(
      /--base-url: must not contain credentials \(a user name or password before the host\) \(got http:\/\/127\.0\.0\.1:\d+\)/,
    );
    expect(result.stderr).not.toContain("()");
    expect(requests).toHaveLength(0);
  }, 10_000);
});

describe("Retry-After and the retry budget", () => {
  it("clamps hostile Retry-After values to [1 s, 120 s] and ignores nonsense", async () => {
    let n = 0;
    const replies = ["-5", "999999999999", "soon", "Thu, 01 Jan 1970 00:00:00 GMT", "0.001"];
    handler = (_q, r) => {
      const value = replies[n++];
      if (value !== undefined) r.writeHead(429, { "retry-after": value }).end();
      else r.writeHead(401).end(); // ends the run with one line once the retries are observed
    };
    const result = await audit({ maxRetries: 5, retryBudgetMs: 1_000_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/page 1: HTTP 401: credentials rejected/);
    expect(result.sleeps).toEqual([1_000, 120_000, 2_000, 1_000, 1_000]);
    expect(requests).toHaveLength(6);
  }, 10_000);

  it("parses Retry-After the way the clamp says", () => {
    expect(retryAfterMs("-5")).toBe(1_000);
    expect(retryAfterMs("7")).toBe(7_000);
    expect(retryAfterMs("1e9")).toBeUndefined();
    expect(retryAfterMs("Infinity")).toBeUndefined();
    expect(retryAfterMs("999999999999999999999999")).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThan(25_000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it("stops when the overall retry budget is spent", async () => {
    handler = (_q, r) => r.writeHead(429, { "retry-after": "120" }).end();
    const result = await audit({ maxRetries: 50, retryBudgetMs: 150_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "keykit: live /iam/v2/api-keys page 1: HTTP 429; retry budget spent (1 retries so far, next wait 120 s)\n",
    );
    expect(result.sleeps).toEqual([120_000]);
    expect(requests).toHaveLength(2);
  }, 10_000);
});
