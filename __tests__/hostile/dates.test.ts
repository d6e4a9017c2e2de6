/**
 * Strict dates: `--now`, acknowledgement `expires`, rotation-state timestamps and export `created` values must be
 * real calendar dates (policies/dates.ts, the kit's one date parser); a creation time in the future is a KK004
 * finding (it cannot show that a key is fresh).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { isCalendarDate, parseCalendarDate, parseDateOrTimestamp, parseTimestamp } from "../../policies/dates";
import { expectOneLineError, keykit, project, snapshot } from "./helpers";

const STATE = "keykit.rotation.json";

describe("the date parser", () => {
  test.each([
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29", "2000-02-29T00:00:00.000Z"],
    ["2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000Z"],
    ["2022-03-23T06:16:59.527572Z", "2022-03-23T06:16:59.527Z"],
    ["2024-02-29T10:00+05:30", "2024-02-29T04:30:00.000Z"],
    ["2024-12-31T20:00:00-0800", "2025-01-01T04:00:00.000Z"],
    ["0099-06-15", "0099-06-15T00:00:00.000Z"],
  ])("accepts %s", (text, iso) => {
    expect(parseDateOrTimestamp(text)?.toISOString()).toBe(iso);
  });

  test.each([
    "2024-02-30",
    "2023-02-29",
    "2100-02-29",
    "1900-02-29",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-01T24:00:00Z",
    "2024-01-01T23:60:00Z",
    "2024-01-01T23:59:60Z",
    "2024-01-01T10:00:00",
    "2024-01-01T10:00:00+24:00",
    "2024-01-01 10:00:00Z",
    "2024-01-01t10:00:00z",
    "2024-1-1",
    "20240101",
    "yesterday",
    "",
    "2024-02-30T00:00:00Z",
  ])("refuses %j", (text) => {
    expect(parseDateOrTimestamp(text)).toBeUndefined();
  });

  test("agrees with the platform on 5,000 instants from year 1 to 9999 (the arithmetic is right)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString();
          expect(parseTimestamp(iso)?.getTime()).toBe(date.getTime());
          expect(parseCalendarDate(iso.slice(0, 10))?.getTime()).toBe(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`));
        },
      ),
      { numRuns: 5000 },
    );
  });

  test("a calendar date is only YYYY-MM-DD; a timestamp needs its time and zone", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(parseCalendarDate("2024-02-29T00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-02-29")).toBeUndefined();
  });
});

describe("impossible dates are refused with one line, nothing changed", () => {
  test.each([
    ["check --now", ["check", "cdktf.out", "--now", "2024-02-30"], /--now '2024-02-30' is not a real ISO 8601 date/],
    [
      "audit --now",
      ["audit", "--inventory", "keys.json", "--now", "2023-02-29"],
      /audit: --now .2023-02-29. is not a real ISO 8601 date/,
    ],
    ["check --now without a zone", ["check", "cdktf.out", "--now", "2026-01-01T10:00"], /--now/],
  ])("%s", async (_name, args, message) => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, "keys.json"), "[]");
    const before = snapshot(dir);
    const r = await keykit(dir, args);
    expect(r.code).toBe(2);
    expectOneLineError(r.err);
    expect(r.err).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });

  test("a leap day is a real date", async () => {
    const dir = project(["orders"]);
    const r = await keykit(dir, ["check", "cdktf.out", "--now", "2024-02-29"]);
    expect(r.code).toBeLessThan(2);
  });

  test.each([
    ["createdAt", "2024-02-30T08:00:00Z"],
    ["activatedAt", "2024-01-01T25:00:00Z"],
    ["createdAt", "2024-01-01T10:00:00"],
  ])("a rotation-state %s of %s: rotate, check and audit exit 2 without quoting it", async (field, value) => {
    const dir = project(["orders"]);
    const slot = { status: "active", [field]: value };
    writeFileSync(
      join(dir, STATE),
      `${JSON.stringify({ version: 1, keys: { orders: { active: "blue", rotations: 0, slots: { blue: slot } } } }, null, 2)}\n`,
    );
    writeFileSync(join(dir, "keys.json"), JSON.stringify([cliKey("K1", "2026-01-01T00:00:00Z")]));
    const before = snapshot(dir);
    for (const args of [
      ["rotate", "start", "orders"],
      ["rotate", "status"],
      ["check", "cdktf.out"],
      ["audit", "--inventory", "keys.json"],
    ]) {
      const r = await keykit(dir, args);
      expect(r.code).toBe(2);
      expectOneLineError(r.err, value);
      expect(r.err).toMatch(new RegExp(`slots\\.blue\\.${field}: must be a real ISO 8601 timestamp`));
    }
    expect(snapshot(dir)).toEqual(before);
  });

  test("an export whose created is 2021-02-30: audit exit 2, one line", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, "keys.json"), JSON.stringify([cliKey("K1", "2021-02-30")]));
    const r = await keykit(dir, ["audit", "--inventory", "keys.json"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.err, "2021-02-30");
    expect(r.err).toMatch(/keys\.json: entry 1: 'created' is not an ISO date/);
  });

  test("an acknowledgement that expires 2026-02-30 is rejected and suppresses nothing", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), stateWithBlueCreated("2026-01-02T00:00:00Z"));
    const ack = (expires: string) =>
      JSON.stringify({
        version: 1,
        acknowledgements: [
          { rule: "KK004", resource: "confluent_api_key.*", reason: "rotation booked for CHG-2231", expires },
        ],
      });
    writeFileSync(join(dir, "bad-acks.json"), ack("2026-02-30"));
    writeFileSync(join(dir, "good-acks.json"), ack("2026-12-31"));
    const args = ["check", "cdktf.out", "--now", "2026-11-28", "--fail-on", "warning", "--format", "json"];
    const bad = await keykit(dir, [...args, "--acknowledgements", "bad-acks.json"]);
    expect(bad.code).toBe(1);
    expect(kk004(bad.out)).toEqual([expect.objectContaining({ suppressed: false })]);
    expect(bad.out).toMatch(/is not a date/);
    const good = await keykit(dir, [...args, "--acknowledgements", "good-acks.json"]);
    expect(good.code).toBe(0);
    expect(kk004(good.out)).toEqual([expect.objectContaining({ suppressed: true })]);
  });
});

describe("a creation time in the future is a finding, never 'fresh'", () => {
  test("a rotation slot created after --now gets a KK004 finding (check)", async () => {
    const dir = project(["orders"]);
    writeFileSync(join(dir, STATE), stateWithBlueCreated("2027-03-01T00:00:00Z"));
    const r = await keykit(dir, [
      "check",
      "cdktf.out",
      "--now",
      "2026-11-28",
      "--fail-on",
      "warning",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(1);
    const [finding] = kk004(r.out);
    expect(finding.message).toMatch(/created 2027-03-01, after the evaluation time 2026-11-28/);
  });

  test("within the clock-skew tolerance (5 minutes) is not in the future; past it is", async () => {
    const dir = project(["orders"]);
    const args = ["check", "cdktf.out", "--now", "2026-11-28T12:00:00Z", "--format", "json"];
    writeFileSync(join(dir, STATE), stateWithBlueCreated("2026-11-28T12:04:00Z"));
    expect(kk004((await keykit(dir, args)).out)).toEqual([]);
    writeFileSync(join(dir, STATE), stateWithBlueCreated("2026-11-28T12:06:00Z"));
    expect(kk004((await keykit(dir, args)).out)).toHaveLength(1);
  });

  test("an exported key created in the future gets a KK004 finding (audit)", async () => {
    const dir = project(["orders"]);
    writeFileSync(
      join(dir, "keys.json"),
      JSON.stringify([cliKey("FUTURE1", "2030-01-01T00:00:00Z"), cliKey("FRESH1", "2026-11-01T00:00:00Z")]),
    );
    const r = await keykit(dir, ["audit", "--inventory", "keys.json", "--now", "2026-11-28", "--format", "json"]);
    expect(r.code).toBeLessThan(2);
    const findings = kk004(r.out);
    expect(findings.map((f) => f.subject)).toEqual(["FUTURE1"]);
    expect(findings[0].message).toMatch(/in the future/);
    expect(readFileSync(join(dir, "keys.json"), "utf8")).toContain("FUTURE1");
  });
});

function cliKey(key: string, created: string): Record<string, string> {
  return { key, description: "", owner: "sa-app01", resource_type: "kafka", resource: "lkc-a1b2c3", created };
}

function stateWithBlueCreated(createdAt: string): string {
  const blue = { status: "active", createdAt, activatedAt: createdAt };
  return `${JSON.stringify({ version: 1, keys: { orders: { active: "blue", rotations: 1, slots: { blue } } } }, null, 2)}\n`;
}

interface ReportFinding {
  readonly ruleId: string;
  readonly subject: string;
  readonly message: string;
  readonly suppressed: boolean;
}

/** The KK004 findings of a JSON report. */
function kk004(out: string): ReportFinding[] {
  const report = JSON.parse(out) as { findings: ReportFinding[] };
  return report.findings
    .filter((f) => f.ruleId === "KK004")
    .map((f) => ({ ruleId: f.ruleId, subject: f.subject, message: f.message, suppressed: Boolean(f.suppressed) }));
}
