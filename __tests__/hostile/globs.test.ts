/**
 * Acknowledgement globs match in bounded steps (a two-pointer wildcard match, no backtracking regular expression):
 * ten `*` against a long address finish within (text + 1) × (glob + 1) steps, and match exactly what a glob means.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cliKeyList } from "../audit/helpers";
import { compileGlob, globMatches, type GlobSteps } from "../../policies/acknowledgements";
import type { Report } from "../../policies/report";
import { expectOneLine, runKeykit, snapshot, tempDir, writeJson } from "./input-helpers";

/** What a glob means, by dynamic programming over (glob prefix, text prefix): the reference to compare with. */
function reference(glob: string, text: string): boolean {
  let row = [true, ...Array<boolean>(text.length).fill(false)];
  for (const g of glob) {
    const next = [row[0] && g === "*", ...Array<boolean>(text.length).fill(false)];
    for (let t = 1; t <= text.length; t++)
      next[t] = g === "*" ? row[t] || next[t - 1] : row[t - 1] && (g === "?" || g === text[t - 1]);
    row = next;
  }
  return row[text.length];
}

describe("globMatches", () => {
  it("means what a glob means", () => {
    expect(globMatches("confluent_api_key.legacy_*", "confluent_api_key.legacy_1")).toBe(true);
    expect(globMatches("confluent_api_key.legacy_*", "confluent_api_key.current")).toBe(false);
    expect(globMatches("LEGACY?", "LEGACY1")).toBe(true);
    expect(globMatches("LEGACY?", "LEGACY12")).toBe(false);
    expect(globMatches("*", "")).toBe(true);
    expect(globMatches("", "")).toBe(true);
    expect(globMatches("", "x")).toBe(false);
    expect(globMatches("a.b", "axb")).toBe(false); // no regular-expression meaning leaks in
    expect(globMatches("(a|b)+", "(a|b)+")).toBe(true);
  });

  it("agrees with the reference on any glob and text", () => {
    const unit = fc.constantFrom("a", "b", "*", "?", ".");
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 12 }),
        fc.string({ unit: fc.constantFrom("a", "b", "."), maxLength: 16 }),
        (glob, text) => {
          expect(globMatches(glob, text)).toBe(reference(glob, text));
          expect(compileGlob(glob)(text)).toBe(reference(glob, text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("takes bounded steps on the backtracking worst case (ten `*`, long addresses)", () => {
    const glob = "confluent_api_key.*a*a*a*a*a*a*a*a*a*a*b";
    for (const text of [`confluent_api_key.${"a".repeat(40)}`, `confluent_api_key.${"a".repeat(100_000)}`]) {
      const counter: GlobSteps = { steps: 0 };
      expect(globMatches(glob, text, counter)).toBe(false);
      expect(counter.steps).toBeLessThanOrEqual((text.length + 1) * (glob.length + 1));
    }
    const counter: GlobSteps = { steps: 0 };
    expect(globMatches("*".repeat(10_000), "x".repeat(10_000), counter)).toBe(true);
    expect(counter.steps).toBeLessThanOrEqual(10_001 * 10_001);
  });
});

describe("audit with a pathological acknowledgement glob", () => {
  it("completes, and the glob that matches nothing is reported unused", async () => {
    const dir = tempDir();
    const id = `K${"A".repeat(57)}`; // a 58-character id, as in the issue
    writeJson(join(dir, "cli-api-keys.json"), cliKeyList([{ id, owner: "u-1", created: "2025-01-01T00:00:00Z" }]));
    const glob = "*A*A*A*A*A*A*A*A*A*A*B";
    writeJson(join(dir, "acks.json"), {
      version: 1,
      acknowledgements: [
        { rule: "KK001", resource: glob, reason: "pathological glob, never matches", expires: "2030-01-01" },
        {
          rule: "KK004",
          resource: "K*A*A*A*A*A*A*A*A*A*A",
          reason: "pathological glob that matches",
          expires: "2030-01-01",
        },
      ],
    });
    const before = snapshot(dir);
    const argv = [
      "audit",
      "--inventory",
      "cli-api-keys.json",
      "--acknowledgements",
      "acks.json",
      "--now",
      "2026-06-01",
    ];
    const result = await runKeykit([...argv, "--format", "json", "--output", "r.json"], { cwd: dir });
    expect(result.code).toBe(1); // KK001 (user-owned) stays active
    expectOneLine(result.stderr, [id]);
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as Report;
    expect(report.acknowledgements.unused.map((u) => u.target)).toEqual([glob]);
    expect(report.findings.find((f) => f.ruleId === "KK004")?.suppressed?.reason).toBe(
      "pathological glob that matches",
    );
    const after = snapshot(dir);
    expect(Object.keys(after).filter((f) => !(f in before))).toEqual(["r.json"]);
  }, 10_000);
});
