/**
 * Jest helpers for keykit users: synthesize stacks for assertions, check them against the provider schema,
 * and assert keykit findings (`toHaveNoKeykitFindings`, `toHaveKeykitFinding`; registered on import when jest is
 * running).
 */
export {
  assertValidAgainstProviderSchema,
  checkAgainstProviderSchema,
  committedProviderSchema,
  parseProviderSchema,
} from "./provider-schema";
export type {
  ProviderSchema,
  SchemaAttribute,
  SchemaBlock,
  SchemaBlockType,
  SchemaViolation,
  CtyType,
} from "./provider-schema";
export { resourcesOfType, synthesizeStack } from "./synth";
export type { SynthesizedStack } from "./synth";
export { findingsFor, keykitMatchers, keykitReport, registerKeykitMatchers } from "./policies";
export type { KeykitCheckOptions, MatcherResult } from "./policies";
