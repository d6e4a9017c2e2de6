/**
 * The pictures, looked at as a person would: the Markdown report's Mermaid graph rendered by the real `mermaid`
 * package in headless Chromium, and the audit's HTML page opened, filtered and sorted there — no console error, no
 * network request, a screenshot of each in the test output (.tmp/screenshots/).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App } from "cdktf";
import type { Browser, Page } from "playwright-core";
import { runCli } from "../../cli/main";
import { buildApp } from "../../main";
import { type KeySpec, writeInventory, writeJson } from "../audit/helpers";
import { kafkaAuthentication } from "../audit/audit-log-fixtures";
import { firstApplyPlan } from "../policies/helpers/plan-from-synth";
import { key, stack } from "../policies/helpers/synth";
import { describeInBrowser, launchChromium, screenshotPath } from "./browser";

const NOW = "2026-11-28T00:00:00Z";

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: {},
    isTty: false,
  });
  return { code, stdout, stderr };
}

/** The ```mermaid block of a Markdown report. */
function mermaidBlock(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!match) throw new Error("the report has no mermaid block");
  return match[1];
}

/** Renders `text` with the real mermaid package, as GitHub does; returns the SVG and what the page logged. */
async function renderMermaid(page: Page, text: string): Promise<string> {
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: require.resolve("mermaid/dist/mermaid.min.js") });
  return page.evaluate(async (source) => {
    const m = (
      globalThis as unknown as {
        mermaid: { initialize(c: object): void; render(id: string, t: string): Promise<{ svg: string }> };
      }
    ).mermaid;
    m.initialize({ startOnLoad: false, securityLevel: "strict" });
    const { svg } = await m.render("graph", source);
    const out = document.getElementById("out") as HTMLElement;
    out.innerHTML = svg;
    return svg;
  }, text);
}

let browser: Browser;
let dir: string;

describeInBrowser("pictures in headless Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), "keykit-pictures-"));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders the graph of the example app's first-apply plan with mermaid: every key created, under its owner", async () => {
    const outdir = join(dir, "example");
    buildApp(new App({ outdir, stackTraces: false })).synth();
    const synth = JSON.parse(readFileSync(join(outdir, "stacks", "orders-prod", "cdk.tf.json"), "utf8"));
    writeJson(join(dir, "plan.json"), firstApplyPlan(synth));
    const run = await cli(["check", "plan.json", "--format", "markdown", "--now", NOW], dir);
    expect(run.stderr).toBe("");
    const text = mermaidBlock(run.stdout);
    const keys = Object.keys(synth.resource.confluent_api_key).map((n) => `confluent_api_key.${n}`);
    for (const k of keys) expect(text).toContain(k);
    const keyLines = text.split("\n").filter((l) => /^ {2}k\d+\[/.test(l));
    expect(keyLines).toHaveLength(keys.length);
    for (const line of keyLines) expect(line).toMatch(/<br>created\b/);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    const svg = await renderMermaid(page, text);
    expect(errors).toEqual([]);
    // Every node drawn, with its label text: the key addresses appear in the SVG.
    const nodes = await page.locator("#out g.node").count();
    expect(nodes).toBe(text.split("\n").filter((l) => /^ {2}[a-z]\d+[[(]/.test(l)).length);
    for (const k of keys) expect(svg).toContain(k);
    await page.locator("#out svg").screenshot({ path: screenshotPath("key-graph-plan.png") });
    await page.close();
  });

  it("renders the graph of the example app's synthesized stack: published slots, a global key on two resources", async () => {
    const outdir = join(dir, "example-synth");
    buildApp(new App({ outdir, stackTraces: false })).synth();
    const run = await cli(["check", outdir, "--format", "markdown", "--now", NOW], dir);
    const text = mermaidBlock(run.stdout);
    const lines = text.split("\n");
    const enricher = lines.find((l) => /^ {2}k\d+\[/.test(l) && l.includes("OrderEnricher_Blue"));
    expect(enricher).toMatch(/order-enricher blue, published/);
    const id = /^ {2}(k\d+)/.exec(enricher ?? "")?.[1];
    expect(lines.filter((l) => l.startsWith(`  ${id} --> r`))).toHaveLength(2);
    const page = await browser.newPage();
    await renderMermaid(page, text);
    await expect(page.locator("#out g.node").filter({ hasText: "published" }).count()).resolves.toBe(2);
    await page.locator("#out svg").screenshot({ path: screenshotPath("key-graph.png") });
    await page.close();
  });

  it("draws a hostile name as text inside its node: no element, no link, no extra node", async () => {
    const hostile = '<img src=x onerror="window.pwned=1">"] --> X[evil] %% `';
    const configFile = writeJson(
      join(dir, "hostile.cdk.tf.json"),
      stack({ resources: { confluent_api_key: { k: key("k", hostile, { id: "lkc-1" }) } } }),
    );
    const run = await cli(["check", configFile, "--format", "markdown", "--now", NOW], dir);
    expect(run.stdout).toContain("```mermaid");
    const text = mermaidBlock(run.stdout);
    const page = await browser.newPage();
    const svg = await renderMermaid(page, text);
    const owner = await page.locator("#out g.node").filter({ hasText: "<img src=x" });
    expect(await owner.count()).toBe(1);
    expect(await page.locator("#out img").count()).toBe(0);
    expect(await page.locator("#out a").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(svg).not.toContain("evil</");
    await page.close();
  });

  it("opens a 2,000-key audit as HTML: filters by finding and owner, sorts, pages; no request, no console error", async () => {
    const keys: KeySpec[] = [];
    for (let i = 0; i < 2_000; i++) {
      const id = `KEY${String(i).padStart(13, "0")}`;
      const owner = i % 10 === 0 ? `u-${i % 30}` : `sa-${i % 40}`;
      const created = i % 3 === 0 ? "2025-01-01T00:00:00Z" : "2026-11-01T00:00:00Z";
      keys.push({ id, owner, created, secret: `SECRET-${i}-must-not-appear` });
    }
    const accounts = Array.from({ length: 41 }, (_, i) => ({ id: `sa-${i}`, name: `app-${i}` }));
    // A hostile display name: it must stay text in the page (the data block and the cells).
    accounts[40] = {
      id: "sa-40",
      name: '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">',
    };
    const inventory = writeInventory(dir, "cli", keys, accounts);
    const log = join(dir, "audit.jsonl");
    writeFileSync(
      log,
      keys
        .slice(0, 50)
        .map((k) =>
          JSON.stringify(kafkaAuthentication({ key: k.id, time: "2026-11-27T10:00:00Z", cluster: "lkc-abc123" })),
        )
        .join("\n"),
    );
    const run = await cli(
      [
        "audit",
        "--inventory",
        ...inventory,
        "--audit-log",
        log,
        "--format",
        "html",
        "--output",
        "audit.html",
        "--now",
        NOW,
      ],
      dir,
    );
    expect(run.code).toBeLessThanOrEqual(1);
    const file = join(dir, "audit.html");
    const html = readFileSync(file, "utf8");
    expect(html).not.toMatch(/must-not-appear/);
    console.log(`HTML report of 2,000 keys: ${(statSync(file).size / 1024).toFixed(0)} KiB`);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    const started = Date.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => /of 2041 shown/.test(document.getElementById("count")?.textContent ?? ""));
    console.log(`HTML report of 2,000 keys opened and drawn in ${Date.now() - started} ms`);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await page.fill("#filter-text", "window.pwned");
    await expect(page.locator("#table tbody tr td:nth-child(3)").allTextContents()).resolves.toEqual([
      accounts[40].name,
    ]);
    expect(await page.locator("#table img").count()).toBe(0);
    await page.fill("#filter-text", "");

    // Filter by finding: KK001 (user-owned keys in production) is 1 key in 10.
    await page.selectOption("#filter-finding", "KK001");
    await expect(page.locator("#count").textContent()).resolves.toBe("200 of 2041 shown");
    const owners = await page.locator("#table tbody tr td:nth-child(3)").allTextContents();
    expect(owners.length).toBe(100);
    expect(owners.every((o) => o.endsWith("(user)"))).toBe(true);
    // And by owner.
    await page.selectOption("#filter-owner", "u-0 (user)");
    const count = await page.locator("#count").textContent();
    expect(count).toMatch(/^\d+ of 2041 shown$/);
    const shown = await page.locator("#table tbody tr td:nth-child(3)").allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((o) => o === "u-0 (user)")).toBe(true);
    await page.selectOption("#filter-owner", "");
    await page.selectOption("#filter-finding", "");

    // Sort by age, descending: the old keys (2025-01-01) first.
    await page.click('th button[data-column="5"]');
    await page.click('th button[data-column="5"]');
    const ages = (await page.locator("#table tbody tr td:nth-child(6)").allTextContents()).map(Number);
    expect(ages[0]).toBeGreaterThanOrEqual(ages[ages.length - 1]);
    expect(ages[0]).toBe(Math.floor((Date.parse(NOW) - Date.parse("2025-01-01T00:00:00Z")) / 86_400_000));
    await expect(page.locator('th[aria-sort="descending"]').count()).resolves.toBe(1);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("audit-html.png"), fullPage: false });
    // Paging.
    await page.click("#next");
    await expect(page.locator("#page").textContent()).resolves.toBe("page 2 of 21");
    expect(errors).toEqual([]);
    await page.close();
  });
});
