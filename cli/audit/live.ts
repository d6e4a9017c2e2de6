/**
 * `keykit audit --live`: reads the API-key and service-account lists from the Confluent Cloud API
 * (`GET /iam/v2/api-keys`, `GET /iam/v2/service-accounts`), page by page through `metadata.next`.
 *
 * Every way a server can hold the audit is bounded: a page cap and cycle detection on `next`; one deadline per
 * request that covers the headers and the whole body; a body size cap enforced while the body streams in; bounded
 * retries on 429, 5xx and network errors (exponential backoff, `Retry-After` clamped to [1 s, 120 s]) within an
 * overall retry budget. Credentials go only to the configured base URL's origin: a `next` link elsewhere and any
 * redirect are refused. Every failure is one line (KeykitCliError, exit 2) that never echoes the body.
 */
import { KeykitCliError, displayUrl } from "../errors";
import { InventoryBuilder, InventoryInputError } from "../../policies/inventory/exports";
import type { Inventory } from "../../policies/inventory/types";

export const DEFAULT_BASE_URL = "https://api.confluent.cloud";
export const DEFAULT_MAX_PAGES = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_BUDGET_MS = 10 * 60_000;
export const RETRY_AFTER_BOUNDS_MS: readonly [number, number] = [1_000, 120_000];

export interface LiveOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Items per page asked for (the API's maximum is 100). */
  readonly pageSize?: number;
  /** Pages read per list before the audit stops (default 10,000: a million keys at 100 a page). */
  readonly maxPages?: number;
  /** One deadline per request, covering the response headers and the whole body (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest response body accepted, counted while it streams in (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** Retries after the first attempt of one request, for 429, 5xx and network errors (default 5). */
  readonly maxRetries?: number;
  /** Total time all retries of the run may wait (default 10 minutes). */
  readonly retryBudgetMs?: number;
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

/** What the whole run may still spend on waiting between retries. */
interface RetryBudget {
  remainingMs: number;
  retries: number;
}

export async function fetchLiveInventory(options: LiveOptions): Promise<Inventory> {
  const base = parseBaseUrl(options.baseUrl);
  const builder = new InventoryBuilder();
  const budget: RetryBudget = { remainingMs: options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS, retries: 0 };
  for (const list of LISTS) await readList(list, base, builder, budget, options);
  return builder.build();
}

async function readList(
  list: (typeof LISTS)[number],
  base: URL,
  builder: InventoryBuilder,
  budget: RetryBudget,
  options: LiveOptions,
): Promise<void> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let url: URL | null = new URL(list.path, base);
  url.searchParams.set("page_size", String(options.pageSize ?? 100));
  const seen = new Map<string, number>(); // page URL → page number, to catch a `next` that loops back
  let items = 0;
  for (let page = 1; url; page++) {
    const where = `live ${list.path} page ${page}`;
    if (page > maxPages)
      throw new KeykitCliError(
        `live ${list.path}: more than ${maxPages} pages; stopping (metadata.next never ends? raise --max-pages if the organisation is that large)`,
      );
    seen.set(url.href, page);
    const record = pageRecord(await getJson(url, options, where, budget), where);
    // The inventory builder would report a missing last page; live mode follows every link instead.
    const next = nextLink(record, base, where);
    const repeated = next ? seen.get(next.href) : undefined;
    if (repeated !== undefined)
      throw new KeykitCliError(`${where}: metadata.next points back to page ${repeated} (a cycle); stopping`);
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

function pageRecord(body: unknown, where: string): Record<string, unknown> & { data: unknown[] } {
  if (
    typeof body !== "object" ||
    body === null ||
    Array.isArray(body) ||
    !Array.isArray((body as { data?: unknown }).data)
  )
    throw new KeykitCliError(`${where}: unexpected response (no 'data' array)`);
  return body as Record<string, unknown> & { data: unknown[] };
}

/** Only the host of a refused URL: `user:password@host` without a scheme parses with the user as the scheme. */
function hostOnly(url: URL, value: string): string {
  return url.host !== "" ? url.host : displayUrl(value.replace(/^[^@/]*@/, ""));
}

/** The base URL, refused (without echoing it: it could hold a password) unless it is a plain http(s) origin. */
function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KeykitCliError("--base-url: not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new KeykitCliError(`--base-url: must be an http(s) URL (got one for ${hostOnly(url, value)})`);
  if (url.username !== "" || url.password !== "")
    throw new KeykitCliError(
      // Worded without a `user:password@` example: the redaction of every printed line would strip it.
      `--base-url: must not contain credentials (a user name or password before the host) (got ${displayUrl(value)}); the API key comes from CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET`,
    );
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

/** One attempt's result: a parsed body, or a reason to retry (with the server's Retry-After, if any). */
type Attempt = { readonly body: unknown } | { readonly retry: string; readonly retryAfterMs?: number };

async function getJson(url: URL, options: LiveOptions, where: string, budget: RetryBudget): Promise<unknown> {
  const maxRetries = options.maxRetries ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(url, options, where);
    if ("body" in outcome) return outcome.body;
    if (attempt >= maxRetries) throw new KeykitCliError(`${where}: ${outcome.retry} after ${attempt + 1} attempts`);
    const delay = outcome.retryAfterMs ?? backoff(attempt, options);
    if (delay > budget.remainingMs)
      throw new KeykitCliError(
        `${where}: ${outcome.retry}; retry budget spent (${budget.retries} retries so far, next wait ${Math.ceil(delay / 1000)} s)`,
      );
    budget.remainingMs -= delay;
    budget.retries++;
    await sleep(delay);
  }
}

/** One request under one deadline (headers and body); throws KeykitCliError for what a retry cannot fix. */
async function attemptOnce(url: URL, options: LiveOptions, where: string): Promise<Attempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: basicAuth(options), accept: "application/json" },
        signal: controller.signal,
        // Not "follow": the credentials would go along. Not "error": that is a network error, and retried.
        redirect: "manual",
      });
    } catch {
      return { retry: controller.signal.aborted ? "timed out" : "network error" };
    }
    const status = response.status;
    if (status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      return { retry: `HTTP ${status}`, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
    }
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new KeykitCliError(
        `${where}: HTTP ${status} redirect refused (credentials never follow a redirect; give the final address as --base-url)`,
      );
    }
    if (status === 401 || status === 403) {
      throw new KeykitCliError(
        `${where}: HTTP ${status}: credentials rejected (check CONFLUENT_CLOUD_API_KEY / CONFLUENT_CLOUD_API_SECRET; a Cloud API key is needed)`,
      );
    }
    if (!response.ok) throw new KeykitCliError(`${where}: HTTP ${status}`);
    return await readJsonBody(response, controller.signal, options, where);
  } finally {
    clearTimeout(timer);
  }
}

/** Streams the body under the request's deadline and the size cap, then parses it (never echoing it). */
async function readJsonBody(
  response: Response,
  signal: AbortSignal,
  options: LiveOptions,
  where: string,
): Promise<Attempt> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new KeykitCliError(`${where}: response body of ${declared} bytes is over the ${sizeText(maxBytes)} limit`);
  }
  const body = response.body;
  if (!body) return parsed(Buffer.alloc(0), where);
  const reader = body.getReader();
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new Error("aborted"));
    signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
  });
  aborted.catch(() => undefined); // raced below; never an unhandled rejection
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes)
        throw new KeykitCliError(`${where}: response body is over the ${sizeText(maxBytes)} limit; stopped reading`);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof KeykitCliError) throw error;
    return { retry: signal.aborted ? "timed out reading the body" : `response body cut off at byte ${total}` };
  }
  return parsed(Buffer.concat(chunks), where);
}

function parsed(bytes: Buffer, where: string): Attempt {
  try {
    return { body: JSON.parse(bytes.toString("utf8")) };
  } catch {
    // Never echo the body: it is not ours to print.
    throw new KeykitCliError(`${where}: malformed response body (not JSON, ${bytes.length} bytes)`);
  }
}

function basicAuth(options: LiveOptions): string {
  return `Basic ${Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString("base64")}`;
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

function backoff(attempt: number, options: LiveOptions): number {
  return Math.min((options.baseDelayMs ?? 500) * 2 ** attempt, options.maxDelayMs ?? 30_000);
}

/**
 * Retry-After as seconds or an HTTP date, clamped to [1 s, 120 s]: `-5` or a past date cannot remove the backoff,
 * a huge value cannot park the audit. Anything else (not a number, not a date) is ignored: the backoff applies.
 */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const [min, max] = RETRY_AFTER_BOUNDS_MS;
  const text = header.trim();
  const seconds = /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - Date.now();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, min), max);
}
