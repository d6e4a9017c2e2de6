/**
 * The store clients `keykit verify` reads with are optional peer dependencies (package.json `peerDependenciesMeta`):
 * a user installs the one of the store they publish to. Each reader loads its client here, when that store is
 * verified, never when the CLI starts; a missing client is one line naming the package and how to install it.
 */
import { KeykitCliError } from "../errors";

export interface VerifyPeer {
  readonly packageName: string;
  readonly range: string;
}

export const AZURE_SECRETS_PEER: VerifyPeer = { packageName: "@azure/keyvault-secrets", range: "^4.11.0" };
export const AZURE_IDENTITY_PEER: VerifyPeer = { packageName: "@azure/identity", range: "^4.10.0" };
export const GCP_SECRET_MANAGER_PEER: VerifyPeer = {
  packageName: "@google-cloud/secret-manager",
  range: "^6.0.0 || ^7.0.0",
};

/** Every peer a verify reader loads, for the test that keeps these ranges equal to package.json's. */
export const VERIFY_PEERS: readonly VerifyPeer[] = [AZURE_SECRETS_PEER, AZURE_IDENTITY_PEER, GCP_SECRET_MANAGER_PEER];

/** Whether `error` says that `packageName` itself (not something inside it) could not be found. */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code === "MODULE_NOT_FOUND" && String(e.message).includes(`'${packageName}`);
}

export function missingPeer(store: string, peer: VerifyPeer): KeykitCliError {
  return new KeykitCliError(
    `verify: reading ${store} needs the optional peer dependency ${peer.packageName} (${peer.range}), ` +
      `which is not installed: npm install ${peer.packageName}@"${peer.range}"`,
  );
}
