/**
 * The plan reader parses only the members loadPlan reads (policies/loaders/json-sections.ts, plan.ts readPlanText)
 * and checks the rest for syntax. Held here: what it skips cannot change a finding; what it reads is what a whole
 * JSON.parse gives; a malformed file is refused with the same line as before, wherever the fault is.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { evaluate } from "../../policies/engine";
import { loadJsonInput, readInputs } from "../../policies/loaders/input";
import { readMembers } from "../../policies/loaders/json-sections";
import { LAZY_PLAN_MEMBERS, PLAN_MEMBERS, loadPlan, readPlanText } from "../../policies/loaders/plan";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import { formatReport } from "../../policies/reporters";
import { ALL_RULES } from "../../policies/rules";
import * as tf from "./helpers/terraform";

type Json = Record<string, unknown>;

const SA = { address: "confluent_service_account.app", type: "confluent_service_account" };

/** A plan whose findings need every member the reader parses: changes, configuration references, prior ids. */
function judgedPlan(): Json {
  return tf.plan({
    prior: [
      { ...SA, values: tf.serviceAccountValues("sa-prior") },
      {
        address: "confluent_api_key.gone",
        type: "confluent_api_key",
        values: tf.apiKeyValues({ id: "OLDKEY", owner: { id: "sa-prior" } }),
      },
    ],
    changes: [
      tf.keyCreate("confluent_api_key.user", { owner: { id: "u-1", kind: "User" }, managed: { id: "lkc-1" } }),
      tf.keyCreate("confluent_api_key.by_ref", { owner: { id: "sa-x" }, managed: { id: "lkc-1" } }, SA.address),
      tf.keyReplace(
        "confluent_api_key.rep",
        { id: "REPKEY", owner: { id: "sa-prior" }, managed: { id: "lkc-1" } },
        { owner: { id: "sa-other" }, managed: { id: "lkc-1" } },
      ),
      tf.keyDelete("confluent_api_key.gone", { id: "OLDKEY", owner: { id: "sa-prior" } }),
    ],
    config: [
      { address: "confluent_api_key.by_ref", expressions: tf.keyExpressions(SA.address, "lkc-1") },
      { address: "confluent_api_key.user", expressions: tf.keyExpressions("u-1", "lkc-1") },
    ],
    outputs: {
      leak: {
        sensitive: false,
        expression: { references: ["confluent_api_key.user.secret", "confluent_api_key.user"] },
      },
    },
  });
}

/** The members the reader skips (neither in PLAN_MEMBERS nor lazy). */
function skippedKeys(plan: Json): string[] {
  return Object.keys(plan).filter((k) => !PLAN_MEMBERS.has(k) && !LAZY_PLAN_MEMBERS.has(k));
}

function writePlan(text: string): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "keykit-sections-"));
  mkdirSync(join(cwd, "stack"));
  writeFileSync(join(cwd, "stack", "plan.json"), text);
  return { cwd, file: join("stack", "plan.json") };
}

async function reportOf(text: string): Promise<string> {
  const { cwd, file } = writePlan(text);
  const models = await readInputs([file], { cwd });
  return formatReport(evaluate(models, ALL_RULES, [], { now: "2026-11-28T00:00:00Z" }), "json", ALL_RULES);
}

/** The report without line and column: removing or changing a member moves the text after it. */
function withoutPositions(report: string): unknown {
  return JSON.parse(report, (key, value: unknown) => (key === "line" || key === "column" ? undefined : value));
}

async function refusal(text: string): Promise<string> {
  const { cwd, file } = writePlan(text);
  try {
    await readInputs([file], { cwd });
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("the plan was not refused");
}

describe("what the plan reader skips cannot change a finding", () => {
  const plan = judgedPlan();
  const compact = JSON.stringify(plan);

  it("the test plan has skipped members and findings that need changes, references and prior ids", async () => {
    expect(skippedKeys(plan)).toEqual(
      expect.arrayContaining(["planned_values", "output_changes", "resource_drift", "relevant_attributes"]),
    );
    const findings = JSON.parse(await reportOf(compact)).findings as { ruleId: string; subject: string }[];
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: "KK001", subject: "confluent_api_key.user" }),
        expect.objectContaining({ ruleId: "KK005", subject: "output.leak" }),
        expect.objectContaining({ ruleId: "KK010", subject: "confluent_api_key.rep" }),
      ]),
    );
  });

  it("the same plan with the skipped members removed gives the same report", async () => {
    const trimmed = Object.fromEntries(Object.entries(plan).filter(([k]) => !skippedKeys(plan).includes(k)));
    const text = JSON.stringify(trimmed);
    const report = await reportOf(text);
    expect(withoutPositions(report)).toEqual(withoutPositions(await reportOf(compact)));
    // The locations are the trimmed file's own: each finding's column is its resource_changes entry there.
    const rep = (JSON.parse(report).findings as { subject: string; location: { column?: number } }[]).find(
      (f) => f.subject === "confluent_api_key.rep",
    );
    expect(rep?.location.column).toBe(text.indexOf('{"address":"confluent_api_key.rep"') + 2);
  });

  it("the same plan with other content in the skipped members (a user-owned key, a leaking output) gives the same report", async () => {
    const other = tf.plan({
      changes: [tf.keyCreate("confluent_api_key.elsewhere", { owner: { id: "u-9", kind: "User" } })],
      outputs: { other: { sensitive: false, expression: { references: ["confluent_api_key.elsewhere.secret"] } } },
    });
    const swapped: Json = { ...plan };
    for (const key of skippedKeys(plan)) swapped[key] = other[key];
    swapped.planned_values = other.planned_values;
    swapped.output_changes = { other: { actions: ["create"], before: null, after: "x", after_unknown: false } };
    expect(withoutPositions(await reportOf(JSON.stringify(swapped)))).toEqual(
      withoutPositions(await reportOf(compact)),
    );
  });

  it("pretty-printed or compact, the model is the one a whole JSON.parse gives (locations included)", () => {
    for (const text of [compact, JSON.stringify(plan, null, 2)]) {
      const members = readPlanText(text);
      expect(members).toBeDefined();
      const viaSections = loadJsonInput(members, "plan.json", {}, undefined, text);
      const viaParse = loadJsonInput(JSON.parse(text), "plan.json", {}, undefined, text);
      expect(viaSections).toEqual(viaParse);
    }
  });

  it("loadPlan reads no top-level member but the ones the reader parses", () => {
    const read = new Set<string>();
    const watched = new Proxy(plan, {
      get: (target, key) => {
        if (typeof key === "string") read.add(key);
        return target[key as string];
      },
      has: (target, key) => {
        if (typeof key === "string") read.add(key);
        return key in target;
      },
    });
    loadPlan(watched, { source: "plan.json" });
    expect([...read].filter((k) => !PLAN_MEMBERS.has(k) && !LAZY_PLAN_MEMBERS.has(k))).toEqual([]);
    expect(read).toContain("resource_changes");
  });
});

describe("a malformed plan is refused as before, wherever the fault is", () => {
  const compact = JSON.stringify(judgedPlan());
  const inPlanned = compact.indexOf('"planned_values"') + 40;
  const inPrior = compact.indexOf('"prior_state"') + 40;
  const at = (text: string, i: number, insert: string, remove = 0) =>
    text.slice(0, i) + insert + text.slice(i + remove);
  const faults: [string, string][] = [
    ["a trailing comma in planned_values", compact.replace('"resources":[', '"resources":[{},],"x":[')],
    ["a control character in a string of planned_values", at(compact, compact.indexOf('"', inPlanned) + 1, "\u0001")],
    ["a bad escape in planned_values", at(compact, compact.indexOf('"', inPlanned) + 1, "\\x")],
    [
      "a number with a leading zero in planned_values",
      compact.replace('"planned_values":{', '"planned_values":{"n":01,'),
    ],
    ["a truncated literal in output_changes", compact.replace('"output_changes":{}', '"output_changes":tru')],
    ["an unclosed array in resource_drift", compact.replace('"resource_drift":[]', '"resource_drift":[')],
    ["a missing colon in prior_state", at(compact, compact.indexOf('":', inPrior), '"', 2)],
    ["a stray brace in resource_changes", compact.replace('"resource_changes":[', '"resource_changes":[}')],
    ["text after the plan", `${compact} x`],
    ["a second top-level value", `${compact}{}`],
  ];

  it.each(faults)("%s: the one line a whole JSON.parse gives", async (_what, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(readPlanText(text)).toBeUndefined();
    let expected = "";
    try {
      parseJsonText(text, join("stack", "plan.json"));
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/^stack\/plan\.json is not valid JSON \(line 1, column \d+\)$/);
    expect(await refusal(text)).toBe(expected);
  });

  it("a random one-character edit anywhere: the reader accepts exactly what JSON.parse accepts, with its values", () => {
    const wanted = { wanted: PLAN_MEMBERS, lazy: LAZY_PLAN_MEMBERS };
    const alphabet = ['"', "\\", ",", ":", "{", "}", "[", "]", "0", "-", ".", "e", "t", " ", "\u0000", "\n", "a"];
    fc.assert(
      fc.property(fc.nat(compact.length - 1), fc.constantFrom(...alphabet), fc.boolean(), (i, c, replace) => {
        const text = at(compact, i, c, replace ? 1 : 0);
        let full: Json | undefined;
        try {
          full = JSON.parse(text) as Json;
        } catch {
          full = undefined;
        }
        const read = readMembers(text, wanted);
        if (full === undefined) {
          expect(read).toBeUndefined();
          return;
        }
        if (read === undefined) return; // a valid text the reader leaves to JSON.parse (a duplicate wanted key)
        expect(new Set(read.keys)).toEqual(new Set(Object.keys(full)));
        for (const key of [...PLAN_MEMBERS, ...LAZY_PLAN_MEMBERS])
          if (key in full) expect(read.members[key]).toEqual(full[key]);
      }),
      { numRuns: Number(process.env.KEYKIT_FUZZ_RUNS ?? 300) },
    );
  });

  it("a duplicate member is read as JSON.parse reads it (the last one wins)", () => {
    const text = compact.replace('"errored":false', '"errored":true,"errored":false');
    expect(readPlanText(text)).toBeUndefined(); // left to the whole parse
    const skippedTwice = compact.replace('"timestamp":', '"timestamp":1,"timestamp":');
    expect(readPlanText(skippedTwice)?.errored).toBe(false);
  });
});
