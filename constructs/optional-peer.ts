/**
 * The store provider packages are optional peer dependencies (package.json `peerDependenciesMeta`): an app installs
 * only the one its sink publishes to, and the kit loads it only when that sink is constructed, never on import.
 */

/** An optional peer: its package name and the version range the kit is tested with (as in package.json). */
export interface OptionalPeer {
  readonly packageName: string;
  readonly range: string;
}

export const VAULT_PROVIDER_PACKAGE: OptionalPeer = { packageName: "@cdktf/provider-vault", range: "^15.6.1" };
export const AWS_PROVIDER_PACKAGE: OptionalPeer = { packageName: "@cdktf/provider-aws", range: "^21.22.1" };
export const AZURERM_PROVIDER_PACKAGE: OptionalPeer = { packageName: "@cdktf/provider-azurerm", range: "^14.23.1" };
export const GOOGLE_PROVIDER_PACKAGE: OptionalPeer = { packageName: "@cdktf/provider-google", range: "^16.12.1" };
export const KUBERNETES_PROVIDER_PACKAGE: OptionalPeer = {
  packageName: "@cdktf/provider-kubernetes",
  range: "^12.1.1",
};

/** Every optional peer, for the test that keeps these ranges equal to package.json's. */
export const OPTIONAL_PEERS: readonly OptionalPeer[] = [
  AWS_PROVIDER_PACKAGE,
  AZURERM_PROVIDER_PACKAGE,
  GOOGLE_PROVIDER_PACKAGE,
  KUBERNETES_PROVIDER_PACKAGE,
  VAULT_PROVIDER_PACKAGE,
];

/** Thrown when a sink's provider package is not installed: one line naming the package and the range to install. */
export class MissingPeerError extends Error {
  constructor(user: string, peer: OptionalPeer) {
    super(
      `${user} needs the optional peer dependency ${peer.packageName} (${peer.range}), which is not installed: ` +
        `npm install ${peer.packageName}@"${peer.range}"`,
    );
    this.name = "MissingPeerError";
  }
}

/**
 * Loads one submodule of an optional peer (e.g. `lib/kv-secret-v2`: never the package index, which loads every
 * resource class). Only a missing package becomes a MissingPeerError; an error inside the package is rethrown.
 */
export function requireOptionalPeer<T>(peer: OptionalPeer, submodule: string, user: string): T {
  const id = `${peer.packageName}/${submodule}`;
  try {
    // A static import would load the package when the kit is imported, for every app, installed or not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as T;
  } catch (error) {
    if (isNotFound(error, peer.packageName)) throw new MissingPeerError(user, peer);
    throw error;
  }
}

function isNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.includes(`'${packageName}`);
}
