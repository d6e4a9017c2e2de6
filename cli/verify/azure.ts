/**
 * The Azure Key Vault sink (constructs/secret-sinks/azure-key-vault-sink.ts): the secret's current version through
 * `@azure/keyvault-secrets`' SecretClient, authenticated by `@azure/identity`'s DefaultAzureCredential
 * (environment, workload identity, managed identity, Azure CLI …). Both are optional peers, loaded only here.
 */
import { KeykitCliError } from "../errors";
import { DocumentError, type PublishedDocument, parseDocument } from "./document";
import { originOf } from "./http";
import { AZURE_IDENTITY_PEER, AZURE_SECRETS_PEER, isMissingPackage, missingPeer, type VerifyPeer } from "./peers";

export interface AzureLocation {
  /** https://<vault>.vault.azure.net (the sink's vault). */
  readonly vaultUrl: string;
  readonly secretName: string;
}

/** An access-token source (the shape of @azure/core-auth's TokenCredential). */
export interface AzureTokenSource {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Test seams: a token source instead of DefaultAzureCredential, extra SecretClient options (TLS trust). */
export interface AzureOverrides {
  readonly credential?: AzureTokenSource;
  readonly clientOptions?: Readonly<Record<string, unknown>>;
}

async function load<T>(peer: VerifyPeer, loader: () => Promise<T>): Promise<T> {
  try {
    return await loader();
  } catch (error) {
    if (isMissingPackage(error, peer.packageName)) throw missingPeer("an Azure Key Vault sink", peer);
    throw error;
  }
}

export async function readAzureDocument(
  location: AzureLocation,
  overrides: AzureOverrides = {},
): Promise<PublishedDocument> {
  const { SecretClient } = await load(AZURE_SECRETS_PEER, () => import("@azure/keyvault-secrets"));
  const credential =
    overrides.credential ??
    new (await load(AZURE_IDENTITY_PEER, () => import("@azure/identity"))).DefaultAzureCredential();
  const client = new SecretClient(location.vaultUrl, credential, {
    retryOptions: { maxRetries: 2 },
    ...overrides.clientOptions,
  });
  const from = `azure secret ${location.secretName} in ${originOf(location.vaultUrl)}`;
  let value: string | undefined;
  try {
    value = (await client.getSecret(location.secretName)).value;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw new DocumentError(`${from}: no such secret (404)`);
    throw new KeykitCliError(`${from}: ${azureProblem(error)}`);
  }
  if (value === undefined) throw new DocumentError(`${from}: the current version has no value`);
  return parseDocument(value, from);
}

/** One line from an SDK error: its name, code and status, never its message (which may quote the request). */
function azureProblem(error: unknown): string {
  const e = error as { name?: string; code?: string; statusCode?: number };
  if (e.name === "CredentialUnavailableError" || e.name === "AggregateAuthenticationError")
    return "no Azure credentials found (DefaultAzureCredential: environment, workload or managed identity, Azure CLI)";
  if (e.name === "AuthenticationError") return "Microsoft Entra ID refused the credentials (AuthenticationError)";
  if (e.statusCode === 401 || e.statusCode === 403)
    return `access denied (${e.statusCode}${e.code ? ` ${e.code}` : ""}): the identity needs 'get' on the vault's secrets`;
  if (e.statusCode !== undefined) return `Key Vault answered ${e.statusCode}${e.code ? ` (${e.code})` : ""}`;
  return `Key Vault unreachable (${e.code ?? e.name ?? "error"})`;
}
