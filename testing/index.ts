/** Jest helpers for keykit users: synthesize stacks for assertions and check them against the provider schema. */
export {
  assertValidAgainstProviderSchema,
  checkAgainstProviderSchema,
  committedProviderSchema,
  parseProviderSchema,
} from "./provider-schema";
export type { ProviderSchema, SchemaViolation } from "./provider-schema";
export { resourcesOfType, synthesizeStack } from "./synth";
export type { SynthesizedStack } from "./synth";
