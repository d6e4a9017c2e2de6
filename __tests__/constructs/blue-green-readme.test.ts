/**
 * The README's global-and-blue-green example and worked rotation, run as a new user would: the example is extracted,
 * synthesized in a scratch project, then `keykit rotate start` / `finish` run through the CLI with a synth after each;
 * the diff of consecutive cdk.tf.json must be what the README says each apply's plan shows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkAgainstProviderSchema } from "../../testing";
import { docBlockAfter, typecheck, writeExample } from "../helpers/docs";
import { BIN, requireFreshBuild } from "../cli/bin-helpers";
import { runPath } from "../helpers/run-dir";

requireFreshBuild();

const work = runPath("readme-blue-green");

type Json = { resource: Record<string, Record<string, Record<string, unknown>>>; output?: unknown };

function synth(): Json {
  const result = spawnSync(process.execPath, ["--import", "tsx", "app.ts"], {
    cwd: work,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(work, "cdktf.out", "stacks", "payments-prod", "cdk.tf.json"), "utf8")) as Json;
}

function keykit(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    encoding: "utf8",
  });
}

/** What a plan between two configurations would do, by address (ignoring "//" comments and lifecycle). */
function planOf(before: Json, after: Json): string[] {
  const strip = (body: Record<string, unknown>) => {
    const rest = { ...body };
    delete rest["//"];
    delete rest.lifecycle;
    return JSON.stringify(rest);
  };
  const actions: string[] = [];
  for (const type of new Set([...Object.keys(before.resource), ...Object.keys(after.resource)])) {
    const b = before.resource[type] ?? {};
    const a = after.resource[type] ?? {};
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (!b[name]) actions.push(`create ${type}.${name}`);
      else if (!a[name]) actions.push(`delete ${type}.${name}`);
      else if (strip(a[name]) !== strip(b[name])) actions.push(`update ${type}.${name}`);
    }
  }
  return actions.sort();
}

describe("README: global key for three resources and a blue/green key published to Vault", () => {
  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeExample(work, "app.ts", docBlockAfter("docs/constructs.md", "<!-- example: global-and-blue-green -->", "ts"));
  });

  test("the example type-checks under strict settings", () => {
    const tsc = typecheck(join(work, "app.ts"));
    expect(tsc.output).toBe("");
    expect(tsc.status).toBe(0);
  });

  test("synthesize, rotate start (only creations), rotate finish (only the old slot's deletion)", () => {
    const initial = synth();
    expect(checkAgainstProviderSchema(initial)).toEqual([]);
    const keys = initial.resource.confluent_api_key;
    const global = Object.values(keys).find((k) => (k.managed_resource as { kind?: string })?.kind === "Global");
    expect(((global?.["//"] as { keykit: { serves: unknown[] } }).keykit.serves ?? []).length).toBe(3);
    expect(Object.keys(keys)).toContain("PaymentsWriter_Blue_DF9C9644"); // the address the README shows
    expect(Object.keys(initial.resource.vault_kv_secret_v2)).toHaveLength(2);

    const status = keykit("rotate", "status");
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(docBlockAfter("docs/rotation.md", "**1. Look.**", "text").split("\n")[1]);

    const start = keykit("rotate", "start", "payments-writer");
    expect(start.stderr).toBe("");
    expect(start.status).toBe(0);
    expect(start.stdout).toBe(docBlockAfter("docs/rotation.md", "**2. Start.**", "text"));
    const started = synth();
    expect(planOf(initial, started)).toEqual([
      "create confluent_api_key.PaymentsWriter_Green_1D975759",
      "update vault_kv_secret_v2.PaymentsWriter_PublishedSecret_A4A64377",
    ]);

    // finish is gated on evidence: the proof `keykit verify` records once green authenticates after the apply.
    const file = join(work, "keykit.rotation.json");
    const rotation = JSON.parse(readFileSync(file, "utf8"));
    const green = rotation.keys["payments-writer"].slots.green;
    const verifiedAt = new Date(Date.parse(green.activatedAt) + 60_000).toISOString();
    rotation.keys["payments-writer"].slots.green = {
      ...green,
      keyId: "PWGREEN7K2Q",
      verifiedAt,
      verification: {
        proved: "works",
        keyId: "PWGREEN7K2Q",
        by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200, a wrong secret 401",
        control: 401,
      },
    };
    writeFileSync(file, JSON.stringify(rotation, null, 2));
    const finish = keykit("rotate", "finish", "payments-writer");
    expect(finish.stderr).toBe("");
    expect(finish.status).toBe(0);
    const gate = /^Gate met: .*\n/m;
    expect(finish.stdout).toMatch(
      new RegExp(
        `^Gate met: the published slot green was verified at ${verifiedAt.replace(/\./g, "\\.")} \\(keykit verify, key PWGREEN7K2Q\\)$`,
        "m",
      ),
    );
    expect(docBlockAfter("docs/rotation.md", "**4. Finish.**", "text")).toMatch(
      /^Gate met: the published slot green was verified at /m,
    );
    expect(finish.stdout.replace(gate, "")).toBe(
      docBlockAfter("docs/rotation.md", "**4. Finish.**", "text").replace(gate, ""),
    );
    const finished = synth();
    expect(planOf(started, finished)).toEqual(["delete confluent_api_key.PaymentsWriter_Blue_DF9C9644"]);

    // The documented refusals, word for word.
    const refusals = docBlockAfter("docs/rotation.md", "Out-of-order steps are refused", "text")
      .split("\n")
      .filter((l) => l.startsWith("keykit:"));
    expect(refusals).toHaveLength(3);
    const blueRetained = keykit("rotate", "finish", "payments-writer");
    expect(blueRetained.status).toBe(1);
    expect(blueRetained.stderr.trim()).toBe(refusals[0]);
    const unknown = keykit("rotate", "start", "billing");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe(refusals[2]);
  });
});
