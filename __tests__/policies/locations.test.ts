/** Source locations: every finding carries its file and line, whatever the input kind. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Annotations, App, TerraformStack } from "cdktf";
import { ApiKey } from "../../.gen/providers/confluent/api-key";
import { ConfluentProvider } from "../../.gen/providers/confluent/provider";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { readInputs } from "../../policies/loaders/input";
import { addressPositions, configurationPositions } from "../../policies/loaders/json-positions";
import { formatReport } from "../../policies/reporters";
import { ALL_RULES } from "../../policies/rules";
import * as tf from "./helpers/terraform";

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("JSON positions", () => {
  const plan = tf.plan({
    prior: [
      {
        address: "confluent_api_key.old",
        type: "confluent_api_key",
        values: tf.apiKeyValues({ owner: { id: "u-1" } }),
      },
    ],
    changes: [
      tf.keyNoop("confluent_api_key.old", { owner: { id: "u-1" } }),
      tf.keyCreate('confluent_api_key.each["a"]', { owner: { id: "u-2" } }),
    ],
  });

  it("plan/state: each resource at its resource_changes entry (pretty-printed: line; one line: column)", () => {
    const pretty = JSON.stringify(plan, null, 2);
    const at = addressPositions(pretty);
    const changes = pretty.indexOf('"resource_changes"');
    const entry = (address: string) => pretty.indexOf(`"address": ${JSON.stringify(address)}`, changes);
    expect(at.get("confluent_api_key.old")?.line).toBe(
      pretty.slice(0, entry("confluent_api_key.old")).split("\n").length,
    );
    expect(at.get('confluent_api_key.each["a"]')?.line).toBe(
      pretty.slice(0, entry('confluent_api_key.each["a"]')).split("\n").length,
    );
    const compact = JSON.stringify(plan);
    const c = addressPositions(compact).get("confluent_api_key.old");
    expect(c).toEqual({
      line: 1,
      column: compact.indexOf('"address":"confluent_api_key.old"', compact.indexOf('"resource_changes"')) + 1,
    });
  });

  it("cdk.tf.json: the key of each resource, output and provider block", () => {
    const text = JSON.stringify(
      {
        provider: { confluent: [{}] },
        resource: {
          confluent_service_account: { app: { display_name: "owner" }, owner: { display_name: "app" } },
          local_file: { f: { content: "${confluent_api_key.k.secret}", filename: "x" } },
        },
        output: { o: { value: "x" } },
      },
      null,
      2,
    );
    const at = configurationPositions(text);
    expect(at.get("confluent_service_account.app")?.line).toBe(lineOf(text, '"app": {'));
    // A resource named like an attribute of another one is found at its own key, not at the attribute.
    expect(at.get("confluent_service_account.owner")?.line).toBe(lineOf(text, '"owner": {'));
    expect(at.get("local_file.f")?.line).toBe(lineOf(text, '"f": {'));
    expect(at.get("output.o")?.line).toBe(lineOf(text, '"o": {'));
    expect(at.get("provider.confluent")?.line).toBe(lineOf(text, '"confluent": ['));
  });

  it("the CLI's findings on a plan file carry the line, and SARIF and Markdown show it", async () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "loc-"));
    const text = JSON.stringify(plan, null, 2);
    writeFileSync(join(dir, "plan.json"), text);
    const report = evaluate(await readInputs(["plan.json"], { cwd: dir }), ALL_RULES, [], { now: "2026-12-01" });
    const kk001 = report.findings.find((f) => f.ruleId === "KK001" && f.subject === "confluent_api_key.old");
    const expected = addressPositions(text).get("confluent_api_key.old")?.line;
    expect(kk001?.location).toMatchObject({ file: "plan.json", line: expected });
    const sarif = JSON.parse(formatReport(report, "sarif", ALL_RULES)) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(
      sarif.runs[0].results
        .filter((r) => r.ruleId === "KK001")
        .map((r) => r.locations[0].physicalLocation.region.startLine),
    ).toContain(expected);
    expect(formatReport(report, "markdown", ALL_RULES)).toContain(`plan.json:${expected}`);
    expect(formatReport(report, "text", ALL_RULES)).toContain(`plan.json:${expected}: confluent_api_key.old`);
  });
});

describe('the kit\'s recorded creation site ("//".keykit.origin)', () => {
  const stack = (origin: unknown) => ({
    resource: {
      confluent_api_key: {
        k: {
          "//": {
            metadata: { path: "orders/App/ApiKey", uniqueId: "k" },
            keykit: { version: 1, construct: "ServiceAccountWithKey", origin },
          },
          owner: { id: "u-1", api_version: "iam/v2", kind: "User" },
        },
      },
    },
  });
  const file = "apps/orders/cdktf.out/stacks/orders/cdk.tf.json";
  const located = (origin: unknown) =>
    loadConfiguration(stack(origin), {
      kind: "cdktf-json",
      source: file,
      positions: new Map([["confluent_api_key.k", { line: 4 }]]),
    }).apiKeys[0].location;

  it("points at the source line, relative to the directory holding cdktf.out, the synthesized file generated", () => {
    expect(located({ file: "lib/orders.ts", line: 12 })).toEqual({
      file: "apps/orders/lib/orders.ts",
      address: "confluent_api_key.k",
      constructPath: "orders/App/ApiKey",
      line: 12,
      generated: { file, line: 4 },
    });
  });

  it.each([
    [{ file: "../../etc/passwd.ts", line: 3 }],
    [{ file: "/etc/main.ts", line: 3 }],
    [{ file: "main.ts\nKK001 forged", line: 3 }],
    [{ file: "main.ts", line: 0 }],
    [{ file: "main.ts", line: 2.5 }],
    [{ file: "notes.txt", line: 3 }],
    ["main.ts:3"],
  ])("a hostile origin %p is ignored: the location stays in the synthesized file", (origin) => {
    expect(located(origin)).toEqual({
      file,
      address: "confluent_api_key.k",
      constructPath: "orders/App/ApiKey",
      line: 4,
    });
  });
});

describe("synthesized stacks", () => {
  it("carry the construct path, and with cdktf stack traces the main.ts line that created the construct", () => {
    const trace = [
      "new TerraformElement (/app/node_modules/cdktf/lib/terraform-element.js:25:19)",
      "new ApiKey (/app/.gen/providers/confluent/api-key/index.ts:40:5)",
      "new OrdersStack (/app/main.ts:17:5)",
      "Object.<anonymous> (/app/main.ts:31:1)",
    ];
    const model = loadConfiguration(
      {
        resource: {
          confluent_api_key: {
            k: {
              "//": { metadata: { path: "orders/k", uniqueId: "k", stackTrace: trace } },
              owner: { id: "u-1", api_version: "iam/v2", kind: "User" },
            },
            plain: { "//": { metadata: { path: "orders/plain", uniqueId: "plain" } }, owner: { id: "sa-1" } },
          },
        },
      },
      { kind: "synth", source: "orders" },
    );
    expect(model.apiKeys[0].location).toMatchObject({ file: "/app/main.ts", line: 17, constructPath: "orders/k" });
    expect(model.apiKeys[1].location).toEqual({
      file: "orders",
      address: "confluent_api_key.plain",
      constructPath: "orders/plain",
    });
  });
});

describe("synthesized with cdktf 0.21's stack traces enabled (a real synth, not a hand-written trace)", () => {
  // cdktf 0.21 records a resource's "stacktrace" entry with `node.addMetadata("stacktrace", "trace")` and no
  // `{ stackTrace: true }` option, and constructs 10 captures a trace only with that option: `"//".metadata.stackTrace`
  // stays absent even with `stackTraces: true`. Only annotations (Annotations.of(x).addWarning …) carry a trace, and
  // those never reach cdk.tf.json. The location then is the construct path plus the resource's line in cdk.tf.json.
  it("cdk.tf.json has no stackTrace; the location is the construct path and the cdk.tf.json line", async () => {
    const outdir = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "keykit-traces-"));
    const app = new App({ outdir, stackTraces: true });
    const stack = new TerraformStack(app, "orders");
    new ConfluentProvider(stack, "confluent", {});
    const personal = new ApiKey(stack, "personal", {
      displayName: "personal",
      owner: { id: "u-trace1", apiVersion: "iam/v2", kind: "User" },
    });
    Annotations.of(personal).addWarning("traced"); // proves traces are on: annotations get one
    app.synth();
    const warning = personal.node.metadata.find((m) => m.type === "@cdktf/warn");
    expect(warning?.trace?.some((frame) => frame.includes("locations.test.ts"))).toBe(true);
    const file = join(outdir, "stacks", "orders", "cdk.tf.json");
    const text = readFileSync(file, "utf8");
    const written = JSON.parse(text).resource.confluent_api_key.personal["//"].metadata;
    expect(written.path).toBe("orders/personal");
    expect(written).not.toHaveProperty("stackTrace");
    const [model] = await readInputs([file]);
    expect(model.apiKeys[0].location).toMatchObject({
      file,
      address: "confluent_api_key.personal",
      constructPath: "orders/personal",
      line: lineOf(text, '"personal": {'),
    });
  });
});
