/**
 * HTML report benchmark: `keykit audit --format html` of a generated organisation (2,000 and 50,000 keys), the
 * built bin run as users run it, then the page opened in headless Chromium (Debian's `chromium`, playwright-core):
 * file size, the bin's wall time, the time from navigation to the first drawn page of the table, and the time a
 * filter takes. Medians of --reps runs.
 *
 *   npm run build && npx tsx bench/html.ts [--sizes 2000,50000] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(__dirname, "..");
const BIN = join(ROOT, "dist", "cli", "main.js");
const NOW = "2026-11-28T00:00:00Z";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The CLI key list and service-account list of `keys` keys over `keys / 50` owners, one in ten user-owned. */
function writeOrganisation(dir: string, keys: number): string[] {
  const list = [];
  for (let i = 0; i < keys; i++) {
    const owner = i % 10 === 0 ? `u-${i % 300}` : `sa-${i % Math.max(1, Math.floor(keys / 50))}`;
    list.push({
      key: `KEY${String(i).padStart(13, "0")}`,
      description: "",
      owner,
      owner_email: owner.startsWith("sa-") ? "<service account>" : "someone@example.com",
      resource_type: "kafka",
      resource: `lkc-${i % 40}`,
      created: i % 3 === 0 ? "2025-01-01T00:00:00Z" : "2026-11-01T00:00:00Z",
    });
  }
  const accounts = Array.from({ length: Math.floor(keys / 50) + 1 }, (_, i) => ({
    id: `sa-${i}`,
    name: `app-${i}`,
    description: "",
  }));
  const keyFile = join(dir, "api-keys.json");
  const accountFile = join(dir, "service-accounts.json");
  writeFileSync(keyFile, JSON.stringify(list));
  writeFileSync(accountFile, JSON.stringify(accounts));
  return [keyFile, accountFile];
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error("run `npm run build` first");
  const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
  if (!chromiumPath) throw new Error("no Chromium (apt-get install chromium)");
  const { chromium } = await import("playwright-core");
  const sizes = flag("--sizes", "2000,50000").split(",").map(Number);
  const reps = Number(flag("--reps", "3"));
  const dir = mkdtempSync(join(tmpdir(), "keykit-bench-html-"));
  mkdirSync(dir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  console.log("| keys | file (MiB) | keykit audit (ms) | open + first page (ms) | filter (ms) |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const keys of sizes) {
    const inventory = writeOrganisation(dir, keys);
    const out = join(dir, `audit-${keys}.html`);
    const runs: number[] = [];
    const opens: number[] = [];
    const filters: number[] = [];
    for (let r = 0; r < reps; r++) {
      const started = performance.now();
      const run = spawnSync(
        process.execPath,
        [BIN, "audit", "--inventory", ...inventory, "--format", "html", "--output", out, "--now", NOW],
        { encoding: "utf8" },
      );
      runs.push(performance.now() - started);
      if (run.status !== 0 && run.status !== 1) throw new Error(`keykit audit exited ${run.status}: ${run.stderr}`);
      const page = await browser.newPage();
      const opened = performance.now();
      await page.goto(pathToFileURL(out).href);
      await page.waitForFunction(() => /shown$/.test(document.getElementById("count")?.textContent ?? ""));
      opens.push(performance.now() - opened);
      const filtering = performance.now();
      await page.selectOption("#filter-finding", "KK001");
      await page.waitForFunction(
        () => !/^(\d+) of \1 shown$/.test(document.getElementById("count")?.textContent ?? ""),
      );
      filters.push(performance.now() - filtering);
      await page.close();
    }
    const mib = statSync(out).size / 1024 / 1024;
    console.log(
      `| ${keys} | ${mib.toFixed(1)} | ${median(runs).toFixed(0)} | ${median(opens).toFixed(0)} | ${median(filters).toFixed(0)} |`,
    );
  }
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
