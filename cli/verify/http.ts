/**
 * The one HTTP call `keykit verify` makes (Node's fetch): a GET with one deadline for headers and body, no
 * redirects (credentials must not follow a `Location` to another host), and the body read chunk by chunk up to a
 * cap (a huge answer is abandoned, never buffered). An unreachable server or a timeout — a trickling body included —
 * is a KeykitCliError (exit 2, one line): it proves nothing either way.
 */
import { KeykitCliError } from "../errors";

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface HttpRequest {
  readonly url: string;
  /** Basic auth (key id and secret); never printed. */
  readonly basic?: { readonly user: string; readonly password: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** What the request is for, in the error line ("Vault", "Kafka REST"). */
  readonly what: string;
  readonly timeoutMs?: number;
}

export type HttpGet = (request: HttpRequest) => Promise<HttpResponse>;

const DEFAULT_TIMEOUT_MS = 30_000;
/** Bodies are only read for small JSON documents (Vault); anything larger is not what verify expects. */
export const MAX_BODY_BYTES = 1 << 20;

export const httpGet: HttpGet = async (request) => {
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  if (request.basic) {
    const token = Buffer.from(`${request.basic.user}:${request.basic.password}`).toString("base64");
    headers.authorization = `Basic ${token}`;
  }
  // One deadline for the whole exchange: headers and body (a server trickling its body runs into it too).
  const signal = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const response = await fetch(request.url, { headers, redirect: "manual", signal });
    return { status: response.status, body: await readCapped(response, MAX_BODY_BYTES) };
  } catch (error) {
    const reason = isTimeout(error, signal) ? "timed out" : "unreachable";
    throw new KeykitCliError(`${request.what}: ${originOf(request.url)} ${reason}`);
  }
};

function isTimeout(error: unknown, signal: AbortSignal): boolean {
  const name = (error as Error | undefined)?.name;
  return name === "TimeoutError" || (signal.aborted && (signal.reason as Error | undefined)?.name === "TimeoutError");
}

/**
 * The body as text, read chunk by chunk and abandoned at `cap` bytes (then ""): a huge body is never held in
 * memory, and the connection is released at once instead of draining it.
 */
export async function readCapped(response: Response, cap: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      return "";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The scheme, host and port of a URL: enough to say where, never a path or query that could hold a token. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}

/** `base` + `path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
