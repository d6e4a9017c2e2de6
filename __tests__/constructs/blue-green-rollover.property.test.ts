/**
 * The rollover's safety properties, checked on the synthesized cdk.tf.json of consecutive states (what the next
 * plan is computed from), with the steps driven through the real `keykit rotate` command and state file:
 *   - every key always has at least one slot, and its published secret points to a slot that exists;
 *   - no step deletes (or changes) the slot that was active before it;
 *   - an apply creates or deletes api keys of a key, never both;
 *   - a slot that stays is byte-for-byte the same Terraform config (no replace, no in-place update);
 *   - out-of-order steps are refused (exit 1) and leave the file untouched.
 */
import fc from "fast-check";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyScope } from "../../constructs";
import { BlueGreenApiKey } from "../../constructs/blue-green-api-key";
import {
  type KeyRotationEntry,
  type RotationState,
  type RotationStep,
  applyStep,
  emptyRotationState,
  entryFor,
  existingSlots,
  phaseOf,
  readRotationStateFile,
} from "../../policies/rotation-state";
import { VaultKvSecretSink } from "../../constructs/secret-sinks";
import { runCli } from "../../cli/main";
import type { CliIo } from "../../cli/io";
import { type SynthesizedStack, synthesizeStack } from "../../testing";
import { type Body, bgStack } from "./blue-green-helpers";

const KEYS = ["orders", "payments"] as const;
type KeyName = (typeof KEYS)[number];

function synthApp(state: RotationState): SynthesizedStack {
  const stack = bgStack({ vault: true });
  for (const name of KEYS) {
    new BlueGreenApiKey(stack, `${name}-key`, {
      rotationName: name,
      scope: KeyScope.kafkaCluster({ clusterId: `lkc-${name}`, environment: "env-abc123", type: "dedicated" }),
      roleBindings: [{ role: "DeveloperRead", crnPattern: `crn://confluent.cloud/kafka=lkc-${name}/topic=${name}` }],
      secretSink: new VaultKvSecretSink({ mount: "kv", name: `apps/${name}` }),
      rotationState: state,
    });
  }
  return synthesizeStack(stack);
}

interface KeyView {
  /** slot name → Terraform address */
  readonly slots: Map<string, string>;
  readonly active: string[];
  readonly protectedSlots: string[];
  readonly bodies: Map<string, Body>;
}

function viewOf(json: SynthesizedStack, name: KeyName): KeyView {
  const slots = new Map<string, string>();
  const active: string[] = [];
  const protectedSlots: string[] = [];
  const bodies = new Map<string, Body>();
  for (const [address, body] of Object.entries(json.resource?.confluent_api_key ?? {}) as [string, Body][]) {
    const rotation = body["//"]?.keykit?.rotation as { name: string; slot: string; active: boolean } | undefined;
    if (rotation?.name !== name) continue;
    slots.set(rotation.slot, address);
    bodies.set(address, body);
    if (rotation.active) active.push(address);
    if ((body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy) protectedSlots.push(address);
  }
  return { slots, active, protectedSlots, bodies };
}

/** What Terraform compares: everything but cdktf/keykit comments and lifecycle meta-arguments. */
function terraformConfig(body: Body | Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...body };
  delete rest["//"];
  delete rest.lifecycle;
  return rest;
}

function publishedAddress(json: SynthesizedStack, name: KeyName): string {
  const secrets = Object.values(json.resource?.vault_kv_secret_v2 ?? {}).filter((s) => s.name === `apps/${name}`);
  expect(secrets).toHaveLength(1);
  const data = String(secrets[0].data_json);
  const ids = [...data.matchAll(/confluent_api_key\.([A-Za-z0-9_-]+)\.(id|secret)/g)];
  expect(ids.map((m) => m[2]).sort()).toEqual(["id", "secret"]);
  expect(ids[0][1]).toBe(ids[1][1]); // id and secret of the same key
  return ids[0][1];
}

/** The invariants of one state. */
function checkState(json: SynthesizedStack, name: KeyName, model: KeyRotationEntry): KeyView {
  const view = viewOf(json, name);
  expect(view.slots.size).toBeGreaterThanOrEqual(1);
  expect([...view.slots.keys()].sort()).toEqual([...existingSlots(model)].sort());
  expect(view.active).toEqual([view.slots.get(model.active)]);
  // Every existing slot (above all the published one) refuses replacement and destroy at plan.
  expect(view.protectedSlots.sort()).toEqual([...view.bodies.keys()].sort());
  expect(view.protectedSlots).toContain(view.active[0]);
  const published = publishedAddress(json, name);
  expect(view.bodies.has(published)).toBe(true);
  expect(published).toBe(view.active[0]);
  return view;
}

/** The invariants of one apply, from the plan-relevant diff of two consecutive synthesized stacks. */
function checkTransition(
  before: SynthesizedStack,
  after: SynthesizedStack,
  name: KeyName,
  step: RotationStep | "none",
) {
  const was = viewOf(before, name);
  const now = viewOf(after, name);
  const created = [...now.bodies.keys()].filter((a) => !was.bodies.has(a));
  const deleted = [...was.bodies.keys()].filter((a) => !now.bodies.has(a));
  expect(created.length === 0 || deleted.length === 0).toBe(true);
  // The slot that was active survives, with the same Terraform config (no replace, no update).
  for (const address of was.active) expect(now.bodies.has(address)).toBe(true);
  for (const address of was.bodies.keys()) {
    if (now.bodies.has(address)) {
      expect(terraformConfig(now.bodies.get(address) as Body)).toEqual(
        terraformConfig(was.bodies.get(address) as Body),
      );
    }
  }
  if (step === "start") {
    expect([created.length, deleted.length]).toEqual([1, 0]);
  } else if (step === "finish") {
    expect([created.length, deleted.length]).toEqual([0, 1]);
  } else {
    expect([created.length, deleted.length]).toEqual([0, 0]);
  }
}

/** Every other resource and output: unchanged by a finish; only the published secret changes on a start. */
function checkRestOfStack(before: SynthesizedStack, after: SynthesizedStack, key: KeyName, step: RotationStep) {
  for (const type of new Set([...Object.keys(before.resource ?? {}), ...Object.keys(after.resource ?? {})])) {
    if (type === "confluent_api_key") continue;
    const b = before.resource?.[type] ?? {};
    const a = after.resource?.[type] ?? {};
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const address of Object.keys(b)) {
      const changed = JSON.stringify(terraformConfig(a[address])) !== JSON.stringify(terraformConfig(b[address]));
      const isPublished = type === "vault_kv_secret_v2" && b[address].name === `apps/${key}`;
      expect(changed).toBe(step === "start" && isPublished);
    }
  }
}

function cliIo(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTty: false };
}

const stepArb = fc.record({ key: fc.constantFrom(...KEYS), step: fc.constantFrom<RotationStep>("start", "finish") });

describe("blue/green rollover properties", () => {
  test("random rotate sequences through the CLI keep every key usable and every apply create-only or delete-only", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (steps) => {
        const dir = mkdtempSync(join(tmpdir(), "rollover-"));
        const file = join(dir, "keykit.rotation.json");
        // The CLI learns the declared keys from the synthesized output, as after `npm run synth`.
        let json = synthApp(emptyRotationState());
        mkdirSync(join(dir, "cdktf.out", "stacks", "test"), { recursive: true });
        writeFileSync(join(dir, "cdktf.out", "stacks", "test", "cdk.tf.json"), JSON.stringify(json));
        let model = emptyRotationState();
        for (const name of KEYS) checkState(json, name, entryFor(model, name));

        for (const { key, step } of steps) {
          const before = entryFor(model, key);
          const allowed = step === "start" ? phaseOf(before) === "stable" : phaseOf(before) === "rotating";
          const textBefore = existsSync(file) ? readFileSync(file, "utf8") : undefined;
          const io = cliIo(dir);
          // No apply runs here: finish is forced past its evidence gates (the step order is what is tested).
          const code = await runCli(
            ["rotate", step, key, ...(step === "finish" ? ["--force", "property test"] : [])],
            io,
          );
          if (!allowed) {
            expect(code).toBe(1);
            expect(io.err.join("")).toMatch(/^keykit: cannot (start|finish)/);
            expect(existsSync(file) ? readFileSync(file, "utf8") : undefined).toBe(textBefore);
            continue;
          }
          expect(io.err).toEqual([]);
          expect(code).toBe(0);
          model = { version: 1, keys: { ...model.keys, [key]: applyStep(before, step, "2026-01-01T00:00:00Z") } };
          const state = readRotationStateFile(file);
          const next = synthApp(state);
          for (const name of KEYS) {
            checkState(next, name, entryFor(model, name));
            checkTransition(json, next, name, name === key ? step : "none");
          }
          checkRestOfStack(json, next, key, step);
          json = next;
        }
      }),
      { numRuns: 50 },
    );
  });

  test("from every reachable state, each step is either refused or a safe apply", () => {
    // The reachable states of one key, up to timestamps: breadth-first over the transitions.
    const seen = new Map<string, KeyRotationEntry>();
    const shape = (e: KeyRotationEntry) => `${e.active}:${existingSlots(e).join("+")}`;
    const queue: KeyRotationEntry[] = [entryFor(emptyRotationState(), "orders")];
    while (queue.length > 0) {
      const entry = queue.shift() as KeyRotationEntry;
      if (seen.has(shape(entry))) continue;
      seen.set(shape(entry), entry);
      for (const step of ["start", "finish"] as const) {
        try {
          queue.push(applyStep(entry, step, "2026-11-01T00:00:00Z"));
        } catch {
          // refused: covered below
        }
      }
    }
    expect([...seen.keys()].sort()).toEqual(["blue:blue", "blue:blue+green", "green:green", "green:green+blue"]);

    for (const entry of seen.values()) {
      const state = { version: 1, keys: { orders: entry } };
      const json = synthApp(state);
      checkState(json, "orders", entry);
      for (const step of ["start", "finish"] as const) {
        let next: KeyRotationEntry;
        try {
          next = applyStep(entry, step, "2026-11-02T00:00:00Z", "orders");
        } catch (error) {
          expect((error as Error).name).toBe("RotationStepError");
          continue;
        }
        const after = synthApp({ version: 1, keys: { orders: next } });
        checkState(after, "orders", next);
        checkTransition(json, after, "orders", step);
        checkRestOfStack(json, after, "orders", step);
      }
    }
  });
});
