#!/usr/bin/env node
// Installs the CDK Terrain leg's toolchain into .tmp/cdktn/ with `npm ci` from the committed lock files: Node 22
// (.tmp/cdktn/node22/) and cdktn, cdktn-cli, constructs 10.7 (.tmp/cdktn/). The main `npm ci` installs none of it.
// Prints how long each of the two installs took, and writes them to .tmp/cdktn/install-times.json.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOOLCHAIN, fail, root } from "./cdktn/toolchain.mjs";

function install(from, into) {
  mkdirSync(into, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) cpSync(join(from, file), join(into, file));
  const started = process.hrtime.bigint();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", into], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (result.status !== 0) fail(`npm ci --prefix ${into} failed (see above)`, 1);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const base = join(root, TOOLCHAIN);
const node22Seconds = install(join(root, "scripts", "cdktn", "node22"), join(base, "node22"));
const cdktnSeconds = install(join(root, "scripts", "cdktn", "toolchain"), base);
const times = { node22Seconds: Number(node22Seconds.toFixed(1)), cdktnSeconds: Number(cdktnSeconds.toFixed(1)) };
writeFileSync(join(base, "install-times.json"), `${JSON.stringify(times)}\n`);
console.log(
  `keykit: cdktn toolchain installed (Node 22 download ${times.node22Seconds} s, cdktn install ${times.cdktnSeconds} s)`,
);
