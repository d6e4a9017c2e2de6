/** keykit/policies: the pure rule engine (no cdktf import), its model, rules, loaders and reporters. */
export * from "./metadata";
export * from "./model";
export * from "./rule";
export * from "./report";
export * from "./engine";
export * from "./acknowledgements";
export * from "./references";
export * from "./secret-destinations";
export * from "./rules";
export * from "./rules/catalogue";
export * from "./reporters";
export * from "./synth";
export { loadConfiguration, secretReferencesIn } from "./loaders/configuration";
export type { ConfigurationLoadOptions } from "./loaders/configuration";
export {
  loadPlan,
  checkFormatVersion,
  configAddress,
  existsAfter,
  stateResources,
  SUPPORTED_FORMAT_MAJOR,
} from "./loaders/plan";
export type { PlanLoadOptions } from "./loaders/plan";
export { loadState } from "./loaders/state";
export type { StateLoadOptions } from "./loaders/state";
export { loadHclDirectory, loadHclFiles, mergeHclFiles, parseHcl } from "./loaders/hcl";
export { rotationEntriesFrom, withRotationState } from "./loaders/rotation";
export * from "./rotation-state";
export { detectJsonKind, loadJsonInput, readInputs } from "./loaders/input";
export type { DetectedKind, ReadInputOptions } from "./loaders/input";
export { InputError, parseJsonText } from "./loaders/util";
export { renderRulesMarkdown } from "./rules-doc";
