/**
 * Headless Chromium for the tests that look at a report as a person would: Debian's `chromium` driven by
 * playwright-core (never a browser download). Where no Chromium is installed the suites skip and say why;
 * `.ci/run` installs it, so CI always runs them.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { runPath } from "../helpers/run-dir";

const CANDIDATES = [process.env.KEYKIT_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The Chromium binary, or undefined (the reason is printed once). */
export const CHROMIUM = CANDIDATES.find((path): path is string => path !== undefined && existsSync(path));

/** `describe` where Chromium exists, else `describe.skip` with the reason on the console. */
export function describeInBrowser(name: string, body: () => void): void {
  if (CHROMIUM === undefined) {
    console.log(
      `skipped '${name}': no Chromium at ${CANDIDATES.filter(Boolean).join(" or ")} (apt-get install chromium)`,
    );
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

/** Chromium headless, with the flags this sandbox needs (no background networking: the network is closed). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Where the suites keep their screenshots: KEYKIT_SCREENSHOTS when set (`.ci/run` keeps them in .tmp/screenshots as
 * the run's output), else this run's own temporary root, which the run removes at its end.
 */
export function screenshotPath(name: string): string {
  const kept = process.env.KEYKIT_SCREENSHOTS;
  const dir = kept ? kept : runPath("screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
