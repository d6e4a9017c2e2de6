/**
 * The published credentials document (`{"key_id", "secret", "slot", "endpoint"?}`, as every SecretSink writes it),
 * read from where the sink put it: Vault KV v2 over its HTTP API, or a file `terraform output -json` wrote for the
 * sensitive-output sink. The secret is kept in memory only; nothing here puts it in a message.
 */
import { InputFileError, readInputText } from "../../policies/loaders/read-input-file";
import { KeykitCliError } from "../errors";
import { type HttpGet, joinUrl, originOf } from "./http";

export interface PublishedDocument {
  readonly keyId: string;
  readonly secret: string;
  readonly slot?: "blue" | "green";
  readonly endpoint?: string;
  /** Where it was read, for the report ("vault secret/orders", "output orders_credentials in out.json"). */
  readonly from: string;
}

/** Thrown for a document that exists but is not a valid credentials document: the rotation is not proven. */
export class DocumentError extends Error {}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function parseDocument(value: unknown, from: string): PublishedDocument {
  const doc = typeof value === "string" ? parseJsonString(value, from) : value;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new DocumentError(`${from}: not a credentials document (a JSON object with key_id, secret, slot)`);
  const fields = doc as Record<string, unknown>;
  if (typeof fields.key_id !== "string" || !KEY_ID.test(fields.key_id))
    throw new DocumentError(`${from}: key_id is missing or not a key id`);
  if (typeof fields.secret !== "string" || fields.secret.length === 0)
    throw new DocumentError(`${from}: secret is missing`);
  const slot = fields.slot;
  if (slot !== undefined && slot !== "blue" && slot !== "green")
    throw new DocumentError(`${from}: slot must be "blue" or "green"`);
  return {
    keyId: fields.key_id,
    secret: fields.secret,
    ...(slot !== undefined ? { slot } : {}),
    ...(typeof fields.endpoint === "string" ? { endpoint: fields.endpoint } : {}),
    from,
  };
}

function parseJsonString(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DocumentError(`${from}: not a credentials document (a string that is not JSON)`);
  }
}

export interface VaultLocation {
  readonly mount: string;
  readonly name: string;
  readonly address: string;
  readonly token: string;
  readonly namespace?: string;
}

/** `GET /v1/<mount>/data/<name>` (KV v2): the document is the latest version's `data.data`. */
export async function readVaultDocument(vault: VaultLocation, get: HttpGet): Promise<PublishedDocument> {
  const from = `vault ${vault.mount}/${vault.name}`;
  const path = `v1/${encodePath(vault.mount)}/data/${encodePath(vault.name)}`;
  const response = await get({
    url: joinUrl(vault.address, path),
    headers: { "x-vault-token": vault.token, ...(vault.namespace ? { "x-vault-namespace": vault.namespace } : {}) },
    what: "Vault",
  });
  if (response.status === 404) throw new DocumentError(`${from}: no such secret (404 from ${originOf(vault.address)})`);
  if (response.status === 403)
    throw new KeykitCliError(`${from}: Vault refused the token (403): check VAULT_TOKEN and VAULT_NAMESPACE`);
  if (response.status !== 200) throw new KeykitCliError(`${from}: Vault answered ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new KeykitCliError(`${from}: Vault's answer is not JSON`);
  }
  const data = (body as { data?: { data?: unknown } } | null)?.data?.data;
  return parseDocument(data, from);
}

function encodePath(path: string): string {
  return path
    .split("/")
    .filter((p) => p !== "")
    .map(encodeURIComponent)
    .join("/");
}

/**
 * The sensitive-output sink: `terraform output -json > outputs.json`. `name` picks the output; without it, the only
 * output whose value is a credentials document.
 */
export function readOutputDocument(file: string, name: string | undefined, cwd: string): PublishedDocument {
  let text: string;
  try {
    // Through the input boundary, like every input: a FIFO is refused, not waited on; a BOM is read as check reads it.
    text = readInputText(file, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new KeykitCliError(error.message);
    throw error;
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    throw new KeykitCliError(`${file}: not valid JSON (expected 'terraform output -json')`);
  }
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs))
    throw new KeykitCliError(`${file}: not 'terraform output -json' (an object of outputs)`);
  const entries = Object.entries(outputs as Record<string, { value?: unknown }>);
  const candidates =
    name !== undefined ? entries.filter(([n]) => n === name) : entries.filter(([, o]) => looksLikeDocument(o?.value));
  if (candidates.length === 0)
    throw new KeykitCliError(
      name !== undefined ? `${file}: no output named '${name}'` : `${file}: no output holds a credentials document`,
    );
  if (candidates.length > 1)
    throw new KeykitCliError(
      `${file}: ${candidates.length} outputs hold credentials documents: pick one with --output-name`,
    );
  const [outputName, output] = candidates[0];
  // Output names are Terraform identifiers; anything else in a (hostile) file is not echoed.
  const shown = /^[A-Za-z0-9_-]{1,128}$/.test(outputName) ? outputName : "(unnamed)";
  return parseDocument(output?.value, `output ${shown} in ${file}`);
}

function looksLikeDocument(value: unknown): boolean {
  if (typeof value === "string") return value.includes('"key_id"');
  return typeof value === "object" && value !== null && "key_id" in value;
}
