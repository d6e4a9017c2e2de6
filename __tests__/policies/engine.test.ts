/** The engine: acknowledgements from code and from the central file (applied, expired, unused, rejected). */
import { parseAcknowledgementsFile } from "../../policies/acknowledgements";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { findingsAtOrAbove } from "../../policies/report";
import { ALL_RULES } from "../../policies/rules";
import { type Json, compliantStack, key, meta } from "./helpers/synth";

const NOW = "2026-11-28T00:00:00Z";

function stackWith(
  resources: Record<string, Record<string, Json>>,
  tier: "production" | "development" = "production",
): Json {
  const base = compliantStack() as { resource: Record<string, Record<string, Json>> };
  const resource = { ...base.resource };
  for (const [type, byName] of Object.entries(resources)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return { ...base, "//": { keykit: { version: 1, tier } }, resource };
}

const plainKey = (acks?: Json[]) =>
  key(
    "Legacy",
    "${confluent_service_account.app.id}",
    { id: "lkc-9" },
    acks ? { construct: "X", acknowledgements: acks as never } : undefined,
  );

/** The report of a stack whose one key acknowledges KK003 in code until `expires`, and its KK003 finding. */
function legacyKeyAcknowledgedUntil(expires: string) {
  const json = stackWith({
    confluent_api_key: { legacy: plainKey([{ rule: "KK003", reason: "migrating in Q1 2027", expires }]) },
  });
  const report = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, [], { now: NOW });
  return { report, f: report.findings.find((x) => x.ruleId === "KK003") };
}

describe("code acknowledgements", () => {
  it("suppress a matching finding until the expiry date (inclusive) and report it applied", () => {
    const { report, f } = legacyKeyAcknowledgedUntil("2026-11-28");
    expect(f?.suppressed).toEqual({ reason: "migrating in Q1 2027", expires: "2026-11-28", source: "code" });
    expect(report.summary.suppressed).toBe(1);
    expect(report.summary.warnings).toBe(0);
    expect(report.acknowledgements.applied).toHaveLength(1);
  });
  it("stop applying after expiry and say so", () => {
    const { report, f } = legacyKeyAcknowledgedUntil("2026-11-27");
    expect(f?.suppressed).toBeUndefined();
    expect(f?.notes.join()).toMatch(/expired on 2026-11-27/);
    expect(report.acknowledgements.expired).toHaveLength(1);
  });
  it("are reported unused when nothing matches, rejected when malformed", () => {
    const json = stackWith({
      confluent_api_key: {
        legacy: plainKey([
          { rule: "KK009", reason: "nothing to suppress here", expires: "2027-01-01" },
          { rule: "KK003", reason: "short", expires: "2027-01-01" },
          { rule: "KK003", reason: "a valid reason but bad date", expires: "2027-02-30" },
        ]),
      },
    });
    const report = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, [], { now: NOW });
    expect(report.acknowledgements.unused.map((a) => a.rule)).toEqual(["KK009"]);
    expect(report.acknowledgements.rejected.map((a) => a.problem)).toEqual([
      "reason must be at least 10 characters",
      "expires '2027-02-30' is not a date (YYYY-MM-DD)",
    ]);
    expect(report.findings.find((x) => x.ruleId === "KK003")?.suppressed).toBeUndefined();
  });
  it("cannot acknowledge a user-owned key in production, can in development", () => {
    const userKey = key(
      "U",
      "u-1",
      { id: "lkc-1" },
      {
        construct: "X",
        rotation: { name: "u", slot: "blue", active: true },
        acknowledgements: [{ rule: "KK001", reason: "temporary developer key", expires: "2027-01-01" }],
      },
    );
    const prod = evaluate(
      loadConfiguration(stackWith({ confluent_api_key: { u: userKey } }), { source: "s" }),
      ALL_RULES,
      [],
      { now: NOW },
    );
    const f = prod.findings.find((x) => x.ruleId === "KK001");
    expect(f?.acknowledgeable).toBe(false);
    expect(f?.suppressed).toBeUndefined();
    expect(prod.acknowledgements.rejected[0].problem).toMatch(/cannot be acknowledged/);
    const dev = evaluate(
      loadConfiguration(stackWith({ confluent_api_key: { u: userKey } }, "development"), { source: "s" }),
      ALL_RULES,
      [],
      { now: NOW },
    );
    expect(dev.findings.find((x) => x.ruleId === "KK001")?.suppressed?.reason).toBe("temporary developer key");
  });
});

describe("central acknowledgements file", () => {
  const json = stackWith({
    confluent_api_key: { legacy: plainKey() },
    local_file: { f: { ...meta("File"), content: "${confluent_api_key.legacy.secret}" } },
  });
  it("matches by rule + address glob or construct path glob", () => {
    const byAddress = parseAcknowledgementsFile({
      version: 1,
      acknowledgements: [
        { rule: "KK003", resource: "confluent_api_key.leg*", reason: "tracked in JIRA-123", expires: "2027-01-01" },
      ],
    });
    const byPath = parseAcknowledgementsFile({
      version: 1,
      acknowledgements: [
        { rule: "KK003", resource: "app/Legacy", reason: "tracked in JIRA-123", expires: "2027-01-01" },
      ],
    });
    for (const acks of [byAddress, byPath]) {
      const report = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, acks, { now: NOW });
      expect(report.findings.find((f) => f.ruleId === "KK003")?.suppressed?.source).toBe("file");
    }
  });
  it("cannot acknowledge an exposed secret", () => {
    const acks = parseAcknowledgementsFile({
      version: 1,
      acknowledgements: [{ rule: "KK006", resource: "*", reason: "we really want this", expires: "2027-01-01" }],
    });
    const report = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, acks, { now: NOW });
    expect(findingsAtOrAbove(report, "error").map((f) => f.ruleId)).toContain("KK006");
    expect(report.acknowledgements.rejected[0].problem).toMatch(/KK006 cannot be acknowledged/);
  });
  it("rejects an unknown rule and a malformed file", () => {
    const acks = parseAcknowledgementsFile({
      version: 1,
      acknowledgements: [{ rule: "KK999", resource: "*", reason: "no such rule here", expires: "2027-01-01" }],
    });
    expect(
      evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, acks, { now: NOW }).acknowledgements.rejected[0]
        .problem,
    ).toMatch(/unknown rule/);
    expect(() => parseAcknowledgementsFile({ version: 2, acknowledgements: [] })).toThrow(/version/);
    expect(() => parseAcknowledgementsFile({ version: 1, acknowledgements: [{ rule: "KK001" }] })).toThrow(/resource/);
    expect(() => parseAcknowledgementsFile([])).toThrow(/object/);
  });
});

describe("acknowledgements of rules another command runs (knownRuleIds)", () => {
  const json = stackWith({ confluent_api_key: { legacy: plainKey() } });
  const acks = parseAcknowledgementsFile({
    version: 1,
    acknowledgements: [
      { rule: "KK101", resource: "*", reason: "an audit rule, shared file", expires: "2027-01-01" },
      { rule: "KK102", resource: "*", reason: "short", expires: "not a date" },
      { rule: "KK999", resource: "*", reason: "no such rule at all", expires: "2027-01-01" },
    ],
  });
  const run = (knownRuleIds?: string[]) =>
    evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, acks, { now: NOW, knownRuleIds }).acknowledgements;
  it("without them, every rule the evaluation does not run is unknown", () => {
    expect(run().rejected.map((a) => a.rule)).toEqual(["KK101", "KK102", "KK999"]);
  });
  it("with them, a well-formed one is neither rejected nor unused; a malformed one is still rejected", () => {
    const a = run(["KK101", "KK102"]);
    expect(a.rejected.map((x) => x.rule)).toEqual(["KK102", "KK999"]);
    expect(a.rejected.find((x) => x.rule === "KK999")?.problem).toBe("unknown rule 'KK999'");
    expect(a.rejected.find((x) => x.rule === "KK102")?.problem).not.toMatch(/unknown rule/);
    expect([...a.unused, ...a.applied, ...a.expired].map((x) => x.rule)).not.toContain("KK101");
  });
});

describe("report", () => {
  it("is deterministic for a given --now and sorted by severity then rule", () => {
    const json = stackWith({ confluent_api_key: { legacy: plainKey(), u: key("U", "u-1", { id: "lkc-1" }) } });
    const a = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, [], { now: NOW });
    const b = evaluate(loadConfiguration(json, { source: "s" }), ALL_RULES, [], { now: NOW });
    expect(a).toEqual(b);
    expect(a.evaluatedAt).toBe(NOW.replace("Z", ".000Z"));
    const severities = a.findings.map((f) => f.severity);
    expect(severities).toEqual(
      [...severities].sort((x, y) => (x === y ? 0 : x === "error" ? -1 : y === "error" ? 1 : 0)),
    );
    expect(a.findings[0].ruleId).toBe("KK001");
  });
});
