/**
 * `keykit verify`'s HTTP client against misbehaving loopback servers: a body far beyond the cap is abandoned while
 * it streams (never buffered), and a body that trickles in runs into the request's deadline, which is one line and
 * exit 2 — not an internal error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVerifyCommand } from "../../cli/commands/verify";
import { KeykitCliError } from "../../cli/errors";
import { httpGet, MAX_BODY_BYTES } from "../../cli/verify/http";
import { runPath } from "../helpers/run-dir";

const MIB = 1 << 20;
const root = runPath("verify-transport-tests");

let server: Server;
let base = "";
let handler: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(root, { recursive: true, force: true });
});

/** Streams up to `total` bytes of JSON-ish filler, 64 KiB at a time, honouring backpressure; counts what it wrote. */
function hugeBody(total: number) {
  const sent = { bytes: 0, closed: false };
  handler = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    response.on("close", () => (sent.closed = true));
    const pump = () => {
      while (sent.bytes < total && !sent.closed) {
        sent.bytes += chunk.length;
        if (!response.write(chunk)) return void response.once("drain", pump);
      }
      response.end();
    };
    pump();
  };
  return sent;
}

/** Sends the headers and then one byte every `everyMs`, forever (until the client goes away). */
function tricklingBody(everyMs: number) {
  handler = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write("{");
    const timer = setInterval(() => response.write(" "), everyMs);
    response.on("close", () => clearInterval(timer));
  };
}

describe("verify's HTTP client", () => {
  it("abandons a 300 MiB body at the cap while it streams: never buffered, the connection released", async () => {
    const sent = hugeBody(300 * MIB);
    const before = process.memoryUsage().rss;
    const response = await httpGet({ url: `${base}/v1/kv/data/x`, what: "Vault", timeoutMs: 20_000 });
    expect(response).toEqual({ status: 200, body: "" });
    // The server stops once the client cancels: what it wrote is the cap plus socket buffers, not 300 MiB.
    await new Promise((done) => setTimeout(done, 100));
    expect(sent.closed).toBe(true);
    expect(sent.bytes).toBeGreaterThan(MAX_BODY_BYTES);
    expect(sent.bytes).toBeLessThan(32 * MIB);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MIB);
  });

  it("reads a body under the cap whole", async () => {
    handler = (_request, response) => response.writeHead(200).end(JSON.stringify({ data: { data: { a: 1 } } }));
    expect(await httpGet({ url: `${base}/x`, what: "Vault" })).toEqual({
      status: 200,
      body: '{"data":{"data":{"a":1}}}',
    });
  });

  it("a trickling body runs into the deadline: one line naming the service and origin", async () => {
    tricklingBody(50);
    const request = httpGet({
      url: `${base}/kafka/v3/clusters/lkc-1/topics?token=abc`,
      what: "Kafka REST",
      timeoutMs: 400,
    });
    await expect(request).rejects.toThrow(KeykitCliError);
    await expect(request).rejects.toThrow(`Kafka REST: ${base} timed out`);
  });
});

describe("keykit verify over a trickling server", () => {
  it("exits 2 with one line, records nothing, never 'internal error (TimeoutError)'", async () => {
    tricklingBody(50);
    mkdirSync(root, { recursive: true });
    const dir = mkdtempSync(join(root, "trickle-"));
    const rotation = {
      version: 1,
      keys: {
        orders: {
          active: "green",
          rotations: 1,
          slots: {
            blue: { status: "retained", deactivatedAt: "2026-05-10T00:00:00Z" },
            green: { status: "active", createdAt: "2026-05-10T00:00:00Z", activatedAt: "2026-05-10T00:00:00Z" },
          },
        },
      },
    };
    writeFileSync(join(dir, "keykit.rotation.json"), JSON.stringify(rotation));
    const command = createVerifyCommand({ timeoutMs: 400 });
    let stdout = "";
    const run = command(["orders", "--vault-mount", "kv", "--vault-name", "orders", "--scope", "cloud"], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      cwd: dir,
      env: { VAULT_ADDR: base, VAULT_TOKEN: "hvs.trickle-token" },
      isTty: false,
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeykitCliError);
    expect((error as KeykitCliError).exitCode).toBe(2);
    expect((error as KeykitCliError).message).toBe(`Vault: ${base} timed out`);
    expect(stdout).not.toContain("recorded in");
  });
});
