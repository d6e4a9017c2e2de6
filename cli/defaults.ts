/**
 * Defaults and choices the grammar shows in `--help` and the CLI reference. They live here, not in the modules that
 * use them, so that parsing a command line loads no rotate or verify code (every command parses through the grammar).
 */

/** `rotate finish --audit-log`: how long the retained slot must have been quiet. */
export const DEFAULT_QUIET_MINUTES = 15;

/** What `keykit verify --scope` can probe. */
export type ProbeScope = "kafka" | "schema-registry" | "cloud" | "global" | "flink" | "ksqldb" | "tableflow";
export const PROBE_SCOPES: readonly ProbeScope[] = [
  "kafka",
  "schema-registry",
  "cloud",
  "global",
  "flink",
  "ksqldb",
  "tableflow",
];
