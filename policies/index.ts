/**
 * keykit/policies: the pure rule engine (no framework import). Load inputs into the model, evaluate the rules,
 * format the report. Named exports only: what is here is the public API (api/keykit-policies.api.md); everything
 * else under policies/ is internal and may change.
 */

// Evaluating: a model in, a report out.
export { DEFAULT_MAX_AGE_DAYS, evaluate } from "./engine";
export type { EvaluateOptions } from "./engine";
export { checkSynthesizedStack, modelOfSynthesizedStack } from "./synth";
export type { SynthCheckOptions } from "./synth";

// Loading inputs: synthesized JSON, plans, states, HCL, or any path (detected).
export { loadConfiguration } from "./loaders/configuration";
export type { ConfigurationLoadOptions, ConfigurationModule, SourcePosition } from "./loaders/configuration";
export { loadPlan } from "./loaders/plan";
export type { PlanLoadOptions } from "./loaders/plan";
export { loadState } from "./loaders/state";
export type { StateLoadOptions } from "./loaders/state";
export { loadHclDirectory, loadHclFiles } from "./loaders/hcl";
export type { HclLoadOptions } from "./loaders/hcl";
export { withRotationState } from "./loaders/rotation";
export { detectJsonKind, loadJsonInput, readInputs } from "./loaders/input";
export type { DetectedKind, ReadInputOptions } from "./loaders/input";
export { InputError } from "./loaders/util";
export type { JsonObject } from "./loaders/util";

// Reports and their formats.
export { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, blocks, findingsAtOrAbove, summarize } from "./report";
export type {
  AcknowledgementSummary,
  AcknowledgementUse,
  FailOn,
  OptInUse,
  Report,
  ReportInput,
  ReportSummary,
  RuleSummary,
} from "./report";
export {
  REPORT_FORMATS,
  formatGitlab,
  formatJson,
  formatJunit,
  formatMarkdown,
  formatReport,
  formatSarif,
  formatText,
} from "./reporters";
export type { ReportFormat, ReportOptions } from "./reporters";

// Rules: the interface a rule implements, the kit's rules and their catalogue (RULES.md).
export { SEVERITIES, severityRank } from "./rule";
export type { Acknowledgeable, Finding, Rule, RuleContext, RuleFinding, RuleMetadata, Severity } from "./rule";
export { ALL_RULES } from "./rules";
export { KIT_RULES, KIT_RULE_IDS, RULE_CATALOGUE, RULE_COMMANDS, ruleById } from "./rules/catalogue";
export type { CataloguedRule, RuleCommand } from "./rules/catalogue";

// The model every loader builds and every rule reads.
export { emptyModel } from "./model";
export type {
  AuditFacts,
  AuditLogFacts,
  AuditedKey,
  AuditedServiceAccount,
  ConfiguredKey,
  ConfiguredServiceAccount,
  DesiredState,
  MissingKey,
  RetiredSlot,
  RotationSlotFacts,
} from "./inventory/audit-model";
export type { AuditLogUsage, KeyUsage } from "./inventory/audit-log";
export type {
  Inventory,
  InventoryApiKey,
  InventoryConflict,
  InventoryResource,
  InventoryResourceKind,
  InventoryServiceAccount,
  OwnerKind as InventoryOwnerKind,
} from "./inventory/types";
export type {
  ApiKey,
  ChangeAction,
  EntityBase,
  Grant,
  InputKind,
  KafkaCluster,
  KeyFacts,
  KeyOwner,
  KeyScope,
  KeyScopeKind,
  KeykitModel,
  LifecycleFacts,
  Output,
  OwnerKind,
  PlannedChange,
  ProviderBlock,
  ProviderCredential,
  ResolvedReference,
  RotationEntry,
  SecretSink,
  SecretStoreEntry,
  ServedResource,
  ServiceAccount,
  SourceLocation,
} from "./model";

// The "//" metadata the constructs write into cdk.tf.json.
export { KAFKA_CLUSTER_TYPES, METADATA_VERSION, TIERS } from "./metadata";
export type {
  AcknowledgementRecord,
  KafkaClusterType,
  SchemaRegistryNetworking,
  ScopeDescriptor,
  ScopeKind,
  KeykitResourceMetadata,
  KeykitStackMetadata,
  RotationSlotRecord,
  Tier,
} from "./metadata";

// Acknowledgements files.
export { AcknowledgementsFileError, parseAcknowledgementsFile } from "./acknowledgements";
export type { AcknowledgementsFile, FileAcknowledgement } from "./acknowledgements";

// Where a key's secret may go (KK006).
export { CREDENTIAL_CONSUMERS, SECRET_STORES, isCredentialConsumer, secretStoreFor } from "./secret-destinations";
export type { CredentialConsumerTable, ProviderCredentialPair, SecretStoreSpec } from "./secret-destinations";

// The rotation-state file (keykit.rotation.json).
export {
  DEFAULT_ROTATION_STATE_FILE,
  ROTATION_STATE_VERSION,
  RotationStateError,
  parseRotationState,
  phaseOf,
} from "./rotation-state";
export type {
  ForcedStep,
  KeyRotationEntry,
  RotationPhase,
  RotationState,
  SlotName,
  SlotRecord,
  SlotStatus,
  SlotVerification,
} from "./rotation-state";
