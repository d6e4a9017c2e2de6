/** Argument parsing of `keykit verify` (no dependency: the flag set is small and fixed). */
import { KeykitCliError } from "../errors";
import { DEFAULT_ROTATION_STATE_FILE, validateKeyName } from "../../policies/rotation-state";
import { PROBE_SCOPES, type ProbeScope } from "./probes";

export interface VerifyArgs {
  readonly help: boolean;
  readonly name: string;
  readonly rotationState: string;
  readonly sink:
    | { readonly kind: "vault"; readonly mount: string; readonly secretName: string }
    | { readonly kind: "output"; readonly file: string; readonly outputName?: string }
    | { readonly kind: "aws"; readonly secretId: string; readonly endpoint?: string; readonly region?: string };
  readonly state?: string;
  readonly scope?: ProbeScope;
  readonly restEndpoint?: string;
  readonly cluster?: string;
  readonly schemaRegistryEndpoint?: string;
  readonly flinkEndpoint?: string;
  readonly organization?: string;
  readonly environment?: string;
  readonly baseUrl?: string;
  readonly retiredKeyId?: string;
  readonly waitMs: number;
}

export const VERIFY_USAGE = `usage: keykit verify <rotation-name> (--vault-mount <mount> --vault-name <name> | --output-json <file> [--output-name <name>]
                     | --aws-secret <name|arn> [--aws-region R] [--aws-endpoint URL])
                     [--rotation-state <file>] [--state <terraform state JSON>] [--wait 5m]
                     [--scope kafka|schema-registry|cloud|global|flink|ksqldb|tableflow]
                     [--rest-endpoint URL --cluster lkc-…] [--schema-registry-endpoint URL]
                     [--flink-endpoint URL --organization ID --environment env-…]
                     [--base-url URL] [--retired-key-id ID]

Proves the published credentials of a blue/green key work and, after 'keykit rotate finish', that the retired
slot is gone. Reads the published document (key_id, secret, slot) from Vault KV v2 (VAULT_ADDR, VAULT_TOKEN,
VAULT_NAMESPACE), AWS Secrets Manager (the AWS SDK's default credential chain and region) or from
'terraform output -json' (the sensitive-output sink); checks the slot is the active one
and, with --state, that key_id is that slot's resource; authenticates with it (Kafka REST, Schema Registry, the
Cloud API, Flink; 401/403 are retried with backoff up to --wait, since new keys take minutes to propagate); after
finish, asks the Cloud API (CONFLUENT_CLOUD_API_KEY / _SECRET) whether --retired-key-id is gone (404 or 403).
The secret is never printed. What was proven is recorded in the rotation-state file (verifiedAt and
verification on the slot), which 'keykit rotate finish' requires and the audit's cleanup script reads.
Exit codes: 0 proven, 1 not working or not gone, 2 bad usage or unreachable.
`;

const FLAGS = new Set([
  "--rotation-state",
  "--vault-mount",
  "--vault-name",
  "--output-json",
  "--output-name",
  "--aws-secret",
  "--aws-endpoint",
  "--aws-region",
  "--state",
  "--scope",
  "--rest-endpoint",
  "--cluster",
  "--schema-registry-endpoint",
  "--flink-endpoint",
  "--organization",
  "--environment",
  "--base-url",
  "--retired-key-id",
  "--wait",
]);

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs | "help" {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "" || (eq < 0 && value.startsWith("--")))
        throw new KeykitCliError(`${flag} needs a value`);
      if (values[flag] !== undefined) throw new KeykitCliError(`${flag} given twice`);
      values[flag] = value;
    } else if (arg.startsWith("-"))
      throw new KeykitCliError(`verify: unknown option '${flag}'; run 'keykit verify --help'`);
    else positional.push(arg);
  }
  if (positional.length !== 1)
    throw new KeykitCliError("verify needs exactly one rotation name (the BlueGreenApiKey's name)");
  const name = positional[0];
  const problem = validateKeyName(name);
  if (problem !== undefined) throw new KeykitCliError(`verify: ${problem}`);
  const scope = values["--scope"] as ProbeScope | undefined;
  if (scope !== undefined && !PROBE_SCOPES.includes(scope))
    throw new KeykitCliError(`--scope must be one of ${PROBE_SCOPES.join(", ")}`);
  for (const flag of [
    "--rest-endpoint",
    "--schema-registry-endpoint",
    "--flink-endpoint",
    "--base-url",
    "--aws-endpoint",
  ])
    if (values[flag] !== undefined && !/^https?:\/\/[^\s/]/.test(values[flag]))
      throw new KeykitCliError(`${flag} must be an http(s) URL`);
  return {
    help: false,
    name,
    rotationState: values["--rotation-state"] ?? DEFAULT_ROTATION_STATE_FILE,
    sink: sinkOf(values),
    state: values["--state"],
    scope,
    restEndpoint: values["--rest-endpoint"],
    cluster: values["--cluster"],
    schemaRegistryEndpoint: values["--schema-registry-endpoint"],
    flinkEndpoint: values["--flink-endpoint"],
    organization: values["--organization"],
    environment: values["--environment"],
    baseUrl: values["--base-url"],
    retiredKeyId: values["--retired-key-id"],
    waitMs: waitOf(values["--wait"]),
  };
}

function sinkOf(values: Record<string, string>): VerifyArgs["sink"] {
  const vault = values["--vault-mount"] !== undefined || values["--vault-name"] !== undefined;
  const output = values["--output-json"] !== undefined;
  const aws = values["--aws-secret"] !== undefined;
  if ([vault, output, aws].filter(Boolean).length !== 1)
    throw new KeykitCliError(
      "verify needs one sink: --vault-mount and --vault-name, --aws-secret, or --output-json <terraform output -json file>",
    );
  if (!aws && (values["--aws-endpoint"] !== undefined || values["--aws-region"] !== undefined))
    throw new KeykitCliError("--aws-endpoint and --aws-region only apply with --aws-secret");
  if (aws)
    return {
      kind: "aws",
      secretId: values["--aws-secret"],
      endpoint: values["--aws-endpoint"],
      region: values["--aws-region"],
    };
  if (output) return { kind: "output", file: values["--output-json"], outputName: values["--output-name"] };
  if (values["--vault-mount"] === undefined || values["--vault-name"] === undefined)
    throw new KeykitCliError("--vault-mount and --vault-name go together");
  return { kind: "vault", mount: values["--vault-mount"], secretName: values["--vault-name"] };
}

/** `--wait 300`, `300s`, `5m`, `1h`: how long 401/403 is retried (default 5 minutes). */
function waitOf(text: string | undefined): number {
  if (text === undefined) return 5 * 60_000;
  const match = /^(\d+)(s|m|h)?$/.exec(text);
  if (!match) throw new KeykitCliError(`--wait must be a duration like 90s, 5m or 1h (got '${text}')`);
  const unit = match[2] === "h" ? 3_600_000 : match[2] === "m" ? 60_000 : 1000;
  return Number(match[1]) * unit;
}
