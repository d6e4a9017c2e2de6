/**
 * `keykit audit --live`: reads the API-key and service-account lists from the Confluent Cloud API
 * (`GET /iam/v2/api-keys`, `GET /iam/v2/service-accounts`), page by page through `metadata.next`,
 * with a per-request timeout and bounded retries (exponential backoff, Retry-After honoured) on 429 and 5xx.
 * Credentials go only to the configured base URL's origin: a `next` link elsewhere is refused.
 */
import { KeykitCliError } from "../errors";
import { InventoryBuilder, InventoryInputError } from "../../policies/inventory/exports";
import type { Inventory } from "../../policies/inventory/types";

export const DEFAULT_BASE_URL = "https://api.confluent.cloud";

export interface LiveOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Items per page asked for (the API's maximum is 100). */
  readonly pageSize?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx and network errors. */
  readonly maxRetries?: number;
  /** First backoff delay; doubled on each retry, capped at maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injected by tests so retries do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each page with a line of progress (drawn only on a terminal by the caller). */
  readonly onProgress?: (message: string) => void;
}

const LISTS = [
  { path: "/iam/v2/api-keys", label: "API keys" },
  { path: "/iam/v2/service-accounts", label: "service accounts" },
] as const;

export async function fetchLiveInventory(options: LiveOptions): Promise<Inventory> {
  const base = parseBaseUrl(options.baseUrl);
  const builder = new InventoryBuilder();
  for (const list of LISTS) {
    let url: URL | null = new URL(list.path, base);
    url.searchParams.set("page_size", String(options.pageSize ?? 100));
    let page = 0;
    let items = 0;
    while (url) {
      page++;
      const where = `live ${list.path} page ${page}`;
      const body = await getJson(url, options, where);
      if (
        typeof body !== "object" ||
        body === null ||
        Array.isArray(body) ||
        !Array.isArray((body as { data?: unknown }).data)
      ) {
        throw new KeykitCliError(`${where}: unexpected response (no 'data' array)`);
      }
      const record = body as Record<string, unknown> & { data: unknown[] };
      // The inventory builder would report a missing last page; live mode follows every link instead.
      const next = nextLink(record, base, where);
      try {
        builder.addApiPage({ ...record, metadata: {} }, `live ${list.path}`);
      } catch (error) {
        if (error instanceof InventoryInputError) throw new KeykitCliError(`${where}: ${error.problem}`);
        throw error;
      }
      items += record.data.length;
      options.onProgress?.(`reading ${list.label}: page ${page}, ${items} so far`);
      url = next;
    }
  }
  return builder.build();
}

function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KeykitCliError(`--base-url: not a URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new KeykitCliError(`--base-url: must be http(s): ${value}`);
  return url;
}

function nextLink(body: Record<string, unknown>, base: URL, where: string): URL | null {
  const metadata = body.metadata;
  const next =
    typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>).next : undefined;
  if (next === undefined || next === null || next === "") return null;
  if (typeof next !== "string") throw new KeykitCliError(`${where}: metadata.next is not a string`);
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    throw new KeykitCliError(`${where}: metadata.next is not a URL`);
  }
  // Never send the credentials to another host than the one the user chose.
  if (url.origin !== base.origin)
    throw new KeykitCliError(`${where}: metadata.next points to another host (${url.origin}); refusing to follow it`);
  return url;
}

async function getJson(url: URL, options: LiveOptions, where: string): Promise<unknown> {
  const maxRetries = options.maxRetries ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const authorization = `Basic ${Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString("base64")}`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization, accept: "application/json" },
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        redirect: "error",
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "network error";
      if (attempt < maxRetries) {
        await sleep(backoff(attempt, options));
        continue;
      }
      throw new KeykitCliError(`${where}: ${reason} after ${attempt + 1} attempts`);
    }
    if (response.status === 429 || response.status >= 500) {
      await response.arrayBuffer().catch(() => undefined); // drain, so the connection can be reused
      if (attempt < maxRetries) {
        await sleep(retryAfterMs(response.headers.get("retry-after"), options) ?? backoff(attempt, options));
        continue;
      }
      throw new KeykitCliError(`${where}: HTTP ${response.status} after ${attempt + 1} attempts`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new KeykitCliError(
        `${where}: HTTP ${response.status}: credentials rejected (check CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET; a Cloud API key is needed)`,
      );
    }
    if (!response.ok) throw new KeykitCliError(`${where}: HTTP ${response.status}`);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      // Never echo the body: it is not ours to print.
      throw new KeykitCliError(`${where}: malformed response body (not JSON, ${text.length} bytes)`);
    }
  }
}

function backoff(attempt: number, options: LiveOptions): number {
  return Math.min((options.baseDelayMs ?? 500) * 2 ** attempt, options.maxDelayMs ?? 30_000);
}

/** Retry-After as seconds or an HTTP date, capped so a hostile header cannot park the audit. */
function retryAfterMs(header: string | null, options: LiveOptions): number | null {
  if (header === null || header.trim() === "") return null;
  const cap = Math.max(options.maxDelayMs ?? 30_000, 60_000);
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, cap);
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.min(Math.max(date - Date.now(), 0), cap);
  return null;
}
