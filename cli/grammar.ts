/**
 * The one command-line grammar of `keykit`: every command's flags declared once, parsed by Node's
 * `util.parseArgs` (wrapped here, once), and the source of `--help`, `keykit help <command>` and docs/cli.md's
 * CLI reference. The same flag means the same thing in every command that takes it (see SHARED).
 */
import { parseArgs } from "node:util";
import { AUDIT_REPORT_FORMATS, REPORT_FORMATS } from "../policies/reporters";
import { EXIT_USAGE, KeykitCliError } from "./errors";
import { DEFAULT_QUIET_MINUTES, PROBE_SCOPES } from "./defaults";

export interface FlagSpec {
  /** Without the leading `--`. */
  readonly name: string;
  /** The value's placeholder (`<file>`); absent for a switch. */
  readonly value?: string;
  /** May be given more than once (each value is kept); `--flag a b` also works when `greedy`. */
  readonly multiple?: boolean;
  /**
   * Plain arguments after the flag's value are more values: always (commands without positional arguments), or
   * once the command's positional arguments are all given (`rotate finish <key> --audit-log a b`).
   */
  readonly greedy?: boolean | { readonly afterPositionals: number };
  /** Another name for the same flag (e.g. rotate's `--file` for `--rotation-state`). */
  readonly alias?: string;
  readonly choices?: readonly string[];
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** The synopsis after `keykit <name>`: positional arguments and the shape of the call. */
  readonly synopsis: readonly string[];
  readonly flags: readonly FlagSpec[];
  /** Prose after the flags: what the command does, defaults, exit codes. */
  readonly description: string;
}

export const FAIL_ON_LEVELS = ["error", "warning", "info", "none"] as const;

/** Flags shared by several commands: one definition, so one meaning. */
const SHARED = {
  format: {
    name: "format",
    value: "<format>",
    choices: REPORT_FORMATS,
    help: "report format (default: text)",
  },
  output: {
    name: "output",
    value: "<file>",
    help: "write the report to <file> (atomically; missing directories are created) instead of stdout",
  },
  failOn: {
    name: "fail-on",
    value: "<level>",
    choices: FAIL_ON_LEVELS,
    help: "lowest severity that makes the exit code 1; none never fails (default: error)",
  },
  now: { name: "now", value: "<date>", help: "evaluation time (ISO date or timestamp), for reproducible reports" },
  tier: {
    name: "tier",
    value: "<tier>",
    choices: ["production", "development"],
    help: "the tier to judge at (default: from cdk.tf.json, else production)",
  },
  maxAgeDays: { name: "max-age-days", value: "<n>", help: "maximum key / rotation-slot age in days (default: 90)" },
  quiet: { name: "quiet", help: "text report: only the summary line and the blocking findings" },
  sourceRoot: {
    name: "source-root",
    value: "<dir>",
    help: "sarif, gitlab: paths relative to <dir> (default: the repository top level)",
  },
} satisfies Record<string, FlagSpec>;

const acknowledgements = (multiple: boolean): FlagSpec => ({
  name: "acknowledgements",
  value: "<file>",
  multiple,
  greedy: multiple,
  help: "central acknowledgements (default: keykit.acknowledgements.json if present)",
});
const rotationState: FlagSpec = {
  name: "rotation-state",
  value: "<file>",
  help: "the rotation-state file (default: keykit.rotation.json if present)",
};

const CHECK: CommandSpec = {
  name: "check",
  summary: "run the key policies on plans, states, cdk.tf.json or HCL",
  synopsis: ["[<path>…] [options]"],
  flags: [
    SHARED.format,
    SHARED.output,
    SHARED.failOn,
    acknowledgements(false),
    rotationState,
    SHARED.maxAgeDays,
    SHARED.now,
    SHARED.tier,
    SHARED.quiet,
    {
      name: "synth",
      help: "synthesize the CDK app here first (its own cdktf or cdktn CLI), then check its output",
    },
    SHARED.sourceRoot,
  ],
  description: `<path> is a plan JSON (terraform show -json plan.bin), a state JSON, a cdk.tf.json, a *.tf file, or a
directory: every Terraform root (local modules followed), cdk.tf.json and cdktf.out below it, each its own input
(.terraform/, node_modules/ and hidden directories skipped). Without a path, ./cdktf.out when it exists, else the
current directory. With --synth (no <path>), the app in the current directory is synthesized first (cdktf.json's
output, default cdktf.out), so the check sees the sources as they are, not a stale output.

exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or bad input (for a directory: nothing
checkable at any depth), 3 internal error`,
};

const RULES: CommandSpec = {
  name: "rules",
  summary: "list the policy rules, or show the named rules in full",
  synopsis: ["[<rule-id>…] [--format text|json|markdown]"],
  flags: [{ name: "format", value: "<format>", choices: ["text", "json", "markdown"], help: "output format" }],
  description: `Without an ID, one line per rule (ID, severity, name, the commands that run it). With IDs (KK003 …),
each named rule in full: rationale, fix and link.

exit codes: 0 listed, 2 bad usage or an unknown rule ID`,
};

const ROTATE: CommandSpec = {
  name: "rotate",
  summary: "start|finish|status: the reviewed two-apply rollover of a blue/green key",
  synopsis: [
    "<start|finish|status> [<key>] [--rotation-state <file>] [--init] [--synth-dir <dir>]",
    'finish <key> [--state <terraform state JSON>] [--audit-log <file>…] [--quiet-minutes N] [--force "<reason>"]',
    "status [<key>] [--format text|json]",
    "verify <key> …   (keykit verify --help)",
  ],
  flags: [
    {
      name: "rotation-state",
      alias: "file",
      value: "<file>",
      help: "the rotation-state file (default: keykit.rotation.json); one that does not exist is refused unless --init",
    },
    { name: "init", help: "create the --rotation-state file if it does not exist" },
    {
      name: "synth-dir",
      value: "<dir>",
      help: "synthesized output to find keys declared in code (default: cdktf.out)",
    },
    {
      name: "state",
      value: "<file>",
      help: "finish: Terraform state JSON: the key ids of the slots (the proof must be for the published one's)",
    },
    {
      name: "audit-log",
      value: "<file>",
      multiple: true,
      greedy: { afterPositionals: 2 },
      help: "finish: Confluent audit-log exports; the retained slot must not have authenticated for --quiet-minutes",
    },
    {
      name: "quiet-minutes",
      value: "<n>",
      help: `finish: quiet period of the retained slot (default: ${DEFAULT_QUIET_MINUTES})`,
    },
    {
      name: "force",
      value: "<reason>",
      help: "finish: record the step although a gate is not met; the reason is kept",
    },
    { name: "format", value: "<format>", choices: ["text", "json"], help: "status: a table (default) or JSON" },
  ],
  description: `  start <key>      create the inactive slot of <key> and publish it (the active slot is retained)
  finish <key>     delete the retained slot of <key> (after clients moved to the published one)
  status [<key>]   show each key's slots, which one is published, and the next step
  verify <key> …   prove the published credentials work and the retired slot is gone (keykit verify --help)

finish is refused unless 'keykit verify' proved the published slot works after its start, with no failed verify
since (--state alone is no proof).
Steps hold the lock <file>.lock while they read, decide and write, so concurrent steps run one after the other.

exit codes: 0 done, 1 step refused (out of order, a gate not met, unknown key, or the file stayed locked by another
            step), 2 bad usage, a missing --rotation-state file without --init, a malformed or unreadable file, or a
            failed write (the file is then unchanged), 3 internal error`,
};

const AUDIT: CommandSpec = {
  name: "audit",
  summary: "find unmanaged, user-owned, stale and orphaned keys in Confluent Cloud; emit a cleanup script",
  synopsis: ["(--inventory <file>… | --live [--base-url URL] [--max-pages N]) [--config <file>…] [options]"],
  flags: [
    { name: "live", help: "read the inventory from the Confluent Cloud API (CONFLUENT_CLOUD_API_KEY / _SECRET)" },
    { name: "base-url", value: "<url>", help: "--live: the Cloud API base URL (default: CONFLUENT_CLOUD_BASE_URL)" },
    { name: "max-pages", value: "<n>", help: "--live: pages read per list before the audit stops (default: 10000)" },
    {
      name: "inventory",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "CLI exports (confluent api-key list -o json, iam service-account list) or Cloud API list pages",
    },
    {
      name: "config",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "the configuration: cdk.tf.json, state or plan JSON",
    },
    rotationState,
    {
      ...SHARED.format,
      choices: AUDIT_REPORT_FORMATS,
      help: "report format (default: text); html is one self-contained page to browse",
    },
    SHARED.output,
    SHARED.failOn,
    acknowledgements(true),
    { name: "emit-cleanup", value: "<file>", help: "write a reviewable bash script of delete commands (never run)" },
    SHARED.maxAgeDays,
    SHARED.now,
    { ...SHARED.tier, help: "the tier of keys that match no configured key (default: production)" },
    {
      name: "audit-log",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "Confluent audit-log exports (JSON lines, array or concatenated objects; gzip accepted)",
    },
    {
      name: "unused-days",
      value: "<n>",
      help: "--audit-log: coverage of a key's resource without a success that makes it unused (90)",
    },
    {
      name: "max-gap-hours",
      value: "<n>",
      help: "--audit-log: a silence longer than this in a resource's records breaks its coverage (24)",
    },
    {
      name: "role-bindings",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "per-account role-binding exports (role-bindings.sa-….json): evidence for service-account deletes",
    },
    {
      name: "connectors",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "connector exports with their configuration: accounts a connector runs as are in use",
    },
    {
      name: "flink-statements",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "Flink statement exports: accounts a statement runs as are in use",
    },
    {
      name: "ksqldb-clusters",
      value: "<file>",
      multiple: true,
      greedy: true,
      help: "ksqlDB cluster exports: accounts a cluster runs as are in use",
    },
    SHARED.quiet,
    SHARED.sourceRoot,
  ],
  description: `Compares the keys and service accounts that exist in Confluent Cloud with the configuration, and
reports unmanaged, user-owned, stale and orphaned items. --emit-cleanup writes a reviewable bash script; keykit never
runs it. Redirects are refused in --live mode. A matched key is judged at its stack's tier, with its opt-ins. A key
with no successful authentication over --unused-days of audit-log coverage of its own resource is unused; the cleanup
script deletes only on evidence (a service account needs its --role-bindings export and an audit log).

exit codes: 0 clean, 1 findings at or above --fail-on (default error), 2 bad usage or input, 3 internal error`,
};

const VERIFY: CommandSpec = {
  name: "verify",
  summary: "prove a rotation's published credentials work and its retired slot is gone",
  synopsis: [
    "<rotation-name> (--vault-mount <mount> --vault-name <name> | --output-json <file> [--output-name <name>]",
    "                 | --aws-secret <name|arn> [--aws-region R] [--aws-endpoint URL]",
    "                 | --kubernetes-secret <namespace>/<name> [--kubernetes-key K] [--kubernetes-context C]",
    "                 | --azure-secret <name> --azure-vault-url URL",
    "                 | --gcp-secret projects/<p>/secrets/<id> [--gcp-endpoint URL]) [options]",
  ],
  flags: [
    rotationState,
    { name: "vault-mount", value: "<mount>", help: "Vault KV v2 mount (VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE)" },
    { name: "vault-name", value: "<name>", help: "the secret's name under --vault-mount" },
    { name: "output-json", value: "<file>", help: "'terraform output -json' of the sensitive-output sink" },
    { name: "output-name", value: "<name>", help: "the output's name in --output-json" },
    { name: "aws-secret", value: "<id>", help: "AWS Secrets Manager secret name or ARN (default credential chain)" },
    { name: "aws-endpoint", value: "<url>", help: "--aws-secret: the Secrets Manager endpoint" },
    { name: "aws-region", value: "<region>", help: "--aws-secret: the region" },
    {
      name: "kubernetes-secret",
      value: "<ns/name>",
      help: "Kubernetes Secret (kubeconfig: KUBECONFIG or ~/.kube/config; else in-cluster)",
    },
    { name: "kubernetes-key", value: "<key>", help: "--kubernetes-secret: the data key (default: credentials.json)" },
    { name: "kubernetes-context", value: "<name>", help: "--kubernetes-secret: the kubeconfig context" },
    { name: "azure-secret", value: "<name>", help: "Azure Key Vault secret name (DefaultAzureCredential)" },
    { name: "azure-vault-url", value: "<url>", help: "--azure-secret: the vault, https://<vault>.vault.azure.net" },
    {
      name: "gcp-secret",
      value: "<name>",
      help: "GCP Secret Manager secret, projects/<p>/secrets/<id> (application default credentials)",
    },
    { name: "gcp-endpoint", value: "<url>", help: "--gcp-secret: the Secret Manager endpoint" },
    { name: "state", value: "<file>", help: "Terraform state JSON: key_id must be the active slot's resource" },
    {
      name: "scope",
      value: "<scope>",
      choices: PROBE_SCOPES,
      help: "what the key authenticates to",
    },
    { name: "rest-endpoint", value: "<url>", help: "Kafka REST endpoint (with --cluster)" },
    { name: "cluster", value: "<lkc-id>", help: "the Kafka cluster ID" },
    { name: "schema-registry-endpoint", value: "<url>", help: "Schema Registry endpoint" },
    { name: "flink-endpoint", value: "<url>", help: "Flink endpoint (with --organization and --environment)" },
    { name: "organization", value: "<id>", help: "the organization ID (Flink)" },
    { name: "environment", value: "<env-id>", help: "the environment ID (Flink)" },
    { name: "base-url", value: "<url>", help: "the Cloud API base URL" },
    { name: "retired-key-id", value: "<id>", help: "after finish: the retired key that must be gone (404 or 403)" },
    { name: "wait", value: "<duration>", help: "how long 401/403 is retried: 90s, 5m, 1h (default: 5m)" },
    { name: "allow-http", help: "send credentials over plain http to a non-loopback host (a trusted network only)" },
  ],
  description: `Proves the published credentials of a blue/green key work and, after 'keykit rotate finish', that the
retired slot is gone. Checks the published slot is the active one and, with --state, that key_id is that slot's
resource; authenticates with it (401/403 are retried with backoff up to --wait, since new keys take minutes to
propagate), then checks a wrong secret for the same key id is refused (a server that accepts both proves nothing).
Endpoints come from flags, or from the state resource that defines them (confluent_kafka_cluster, the
confluent_schema_registry_cluster data source); https only, except loopback or --allow-http. The secret is never
printed. What was proven, or what failed, is recorded in the rotation-state file (on the slot), which 'keykit
rotate finish' requires and the audit's cleanup script reads.

exit codes: 0 proven, 1 not working or not gone, 2 bad usage or unreachable, 3 internal error`,
};

/** Every command, in the order `keykit --help` lists them. */
export const GRAMMAR: readonly CommandSpec[] = [CHECK, RULES, ROTATE, AUDIT, VERIFY];

export function commandSpec(name: string): CommandSpec | undefined {
  return GRAMMAR.find((c) => c.name === name);
}

/** What a command line says, keyed by the flag's canonical name with `--` (`--fail-on`). */
export interface ParsedCommandLine {
  readonly help: boolean;
  readonly positionals: readonly string[];
  /** Single-value flags. */
  readonly values: Readonly<Record<string, string>>;
  /** Multi-value flags, in the order given. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly switches: ReadonlySet<string>;
}

function usageError(spec: CommandSpec, message: string): KeykitCliError {
  return new KeykitCliError(`${spec.name}: ${message}`, EXIT_USAGE);
}

/** Parses one command's arguments by its spec; every usage mistake is one KeykitCliError (exit 2). */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const byName = flagIndex(spec);
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseArgsOptions(spec),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const state = {
    positionals: [] as string[],
    values: {} as Record<string, string>,
    lists: {} as Record<string, string[]>,
  };
  const switches = new Set<string>();
  let help = false;
  let greedyFlag: FlagSpec | undefined;
  for (const token of tokens) {
    if (token.kind === "option-terminator") {
      greedyFlag = undefined;
      continue;
    }
    if (token.kind === "positional") {
      if (greedyFlag && !afterTerminator(tokens, token.index)) state.lists[`--${greedyFlag.name}`].push(token.value);
      else state.positionals.push(token.value);
      continue;
    }
    greedyFlag = undefined;
    if (token.name === "help" || token.name === "h") {
      help = true;
      continue;
    }
    const flag = byName.get(token.name);
    if (!flag) throw usageError(spec, unknownFlagMessage(spec, token.rawName));
    const key = `--${flag.name}`;
    if (flag.value === undefined) {
      if (token.value !== undefined) throw usageError(spec, `--${token.name} takes no value`);
      switches.add(key);
      continue;
    }
    const value = valueOf(spec, flag, token);
    if (flag.multiple) {
      (state.lists[key] ??= []).push(value);
      if (isGreedyNow(flag, state.positionals.length) && !token.inlineValue) greedyFlag = flag;
    } else if (state.values[key] !== undefined) {
      throw usageError(spec, `--${flag.name} given twice`);
    } else state.values[key] = value;
  }
  return { help, ...state, switches };
}

function isGreedyNow(flag: FlagSpec, positionals: number): boolean {
  if (typeof flag.greedy === "object") return positionals >= flag.greedy.afterPositionals;
  return flag.greedy === true;
}

type OptionToken = Extract<
  ReturnType<typeof parseArgs>["tokens"] extends (infer T)[] | undefined ? T : never,
  { kind: "option" }
>;

function valueOf(spec: CommandSpec, flag: FlagSpec, token: OptionToken): string {
  const value = token.value;
  // A value flag never swallows the next flag (`--output --fail-on warning` is a mistake, not a file name); a
  // negative number is a value, refused later by the flag's own check.
  if (value === undefined || value === "" || (!token.inlineValue && /^-(?!\d)/.test(value)))
    throw usageError(spec, `${token.rawName} needs a value`);
  if (flag.choices && !flag.choices.includes(value))
    throw usageError(spec, `--${flag.name} '${value}' must be one of ${flag.choices.join(", ")}`);
  return value;
}

function afterTerminator(tokens: readonly { kind: string; index: number }[], index: number): boolean {
  return tokens.some((t) => t.kind === "option-terminator" && t.index < index);
}

function flagIndex(spec: CommandSpec): Map<string, FlagSpec> {
  const index = new Map<string, FlagSpec>();
  for (const flag of spec.flags) {
    index.set(flag.name, flag);
    if (flag.alias) index.set(flag.alias, flag);
  }
  return index;
}

function parseArgsOptions(spec: CommandSpec): Record<string, { type: "string" | "boolean"; multiple?: boolean }> {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    help: { type: "boolean" },
    h: { type: "boolean" },
  };
  for (const flag of spec.flags) {
    const option = { type: flag.value === undefined ? ("boolean" as const) : ("string" as const), multiple: true };
    options[flag.name] = option;
    if (flag.alias) options[flag.alias] = option;
  }
  return options;
}

function unknownFlagMessage(spec: CommandSpec, raw: string): string {
  const names = spec.flags.flatMap((f) => (f.alias ? [f.name, f.alias] : [f.name])).map((n) => `--${n}`);
  const nearest = nearestName(raw.split("=")[0], [...names, "--help"]);
  const hint = nearest ? `; did you mean '${nearest}'?` : "";
  return `unknown option '${raw.split("=")[0]}'${hint} (run 'keykit ${spec.name} --help')`;
}

/** The candidate within a small edit distance of `word`, for "did you mean" hints. */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best && best.distance <= limit ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

function flagLabel(flag: FlagSpec): string {
  const alias = flag.alias ? `, --${flag.alias}` : "";
  const value = flag.choices ? flag.choices.join("|") : flag.value;
  const many = flag.multiple ? "…" : "";
  return `--${flag.name}${alias}${value ? ` ${value}${many}` : ""}`;
}

/** `keykit <command> --help`, generated from the spec. */
export function renderCommandHelp(spec: CommandSpec): string {
  const synopsis = spec.synopsis.map((s, i) => `${i === 0 ? "usage:" : "      "} keykit ${spec.name} ${s}`);
  const width = 34;
  // A label too long for the column gets its help on the next line, so the help column stays straight.
  const row = (label: string, help: string) =>
    label.length < width ? [`  ${label.padEnd(width)} ${help}`] : [`  ${label}`, `  ${" ".repeat(width)} ${help}`];
  const flags = spec.flags.flatMap((f) => row(flagLabel(f), f.help));
  return [
    ...synopsis,
    "",
    spec.summary,
    "",
    "options:",
    ...flags,
    ...row("-h, --help", "show this help"),
    "",
    spec.description,
    "",
  ].join("\n");
}

/** `keykit --help` (and, on stderr, `keykit` alone). */
export function renderMainUsage(): string {
  const lines = GRAMMAR.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return [
    "usage: keykit <command> [options]",
    "       keykit help <command> | --version",
    "",
    "commands:",
    ...lines,
    "",
    "Run `keykit <command> --help` for a command's options.",
    "exit codes: 0 ok, 1 findings or a refused step, 2 bad usage or input, 3 internal error",
    "",
  ].join("\n");
}

/** The command reference of docs/cli.md, generated from the grammar (a test fails when it is stale). */
export function renderCliReference(): string {
  const sections = GRAMMAR.map((c) => [
    `### keykit ${c.name}`,
    "",
    "```text",
    renderCommandHelp(c).trimEnd(),
    "```",
    "",
  ]);
  return ["```text", renderMainUsage().trimEnd(), "```", "", ...sections.flat()].join("\n");
}
