/**
 * Synthesis for tests: the stack's cdk.tf.json as an object, checked against the provider schema.
 * Uses `Testing.fullSynth` (the CLI's code path: it honours error annotations and is linear in resource count,
 * unlike `Testing.synth`).
 */
import { readFileSync } from "node:fs";
import { stackFile } from "../policies/loaders/discover";
import { type TerraformStack, Testing } from "../constructs/cdktf";
import { assertValidAgainstProviderSchema } from "./provider-schema";

/** A synthesized stack (cdk.tf.json), loosely typed for assertions. */
export type SynthesizedStack = Record<string, unknown> & {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, Record<string, unknown>>;
};

/** Synthesizes `stack` and returns its cdk.tf.json; throws when it violates the committed provider schema. */
export function synthesizeStack(stack: TerraformStack): SynthesizedStack {
  const outdir = Testing.fullSynth(stack);
  const json = JSON.parse(readFileSync(stackFile(outdir, stack.node.id), "utf8")) as SynthesizedStack;
  assertValidAgainstProviderSchema(json);
  return json;
}

/** The resources of one type in a synthesized stack, as `[name, body]` pairs. */
export function resourcesOfType(stack: SynthesizedStack, type: string): [string, Record<string, unknown>][] {
  return Object.entries(stack.resource?.[type] ?? {});
}
