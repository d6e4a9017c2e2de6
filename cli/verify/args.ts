/** `keykit verify`'s arguments: its flags are declared in cli/grammar.ts; the cross-flag rules live here. */
import { KeykitCliError } from "../errors";
import { type CommandSpec, commandSpec, parseCommandLine, renderCommandHelp } from "../grammar";
import { API_KEY_ID_PATTERN, DEFAULT_ROTATION_STATE_FILE, validateKeyName } from "../../policies/rotation-state";
import type { ProbeScope } from "./probes";
import { type StoreSink, STORE_FLAGS, storeSinkOf } from "./store-args";

export interface VerifyArgs {
  readonly help: boolean;
  readonly name: string;
  readonly rotationState: string;
  readonly sink:
    | { readonly kind: "vault"; readonly mount: string; readonly secretName: string }
    | { readonly kind: "output"; readonly file: string; readonly outputName?: string }
    | { readonly kind: "aws"; readonly secretId: string; readonly endpoint?: string; readonly region?: string }
    | StoreSink;
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
  /** `--allow-http`: plain http to a non-loopback host is allowed (the operator's choice, never the input's). */
  readonly allowHttp: boolean;
}

const VERIFY_SPEC = commandSpec("verify") as CommandSpec;

export const VERIFY_USAGE = renderCommandHelp(VERIFY_SPEC);

/** `defaults`: keykit.config.json / KEYKIT_ROTATION_STATE, below the flags (as for `rotate`). */
export function parseVerifyArgs(
  argv: readonly string[],
  defaults: { readonly rotationState?: string } = {},
): VerifyArgs | "help" {
  const line = parseCommandLine(VERIFY_SPEC, argv);
  if (line.help) return "help";
  const values = line.values;
  const positional = line.positionals;
  if (positional.length !== 1)
    throw new KeykitCliError("verify needs exactly one rotation name (the BlueGreenApiKey's name)");
  const name = positional[0];
  const problem = validateKeyName(name);
  if (problem !== undefined) throw new KeykitCliError(`verify: ${problem}`);
  const retired = values["--retired-key-id"];
  if (retired !== undefined && !API_KEY_ID_PATTERN.test(retired))
    throw new KeykitCliError("--retired-key-id must be an API key id (letters, digits, '_', '.', ':' or '-')");
  const scope = values["--scope"] as ProbeScope | undefined; // one of PROBE_SCOPES: the grammar checks it
  for (const flag of [
    "--rest-endpoint",
    "--schema-registry-endpoint",
    "--flink-endpoint",
    "--base-url",
    "--aws-endpoint",
    "--azure-vault-url",
    "--gcp-endpoint",
  ])
    if (values[flag] !== undefined && !/^https?:\/\/[^\s/]/.test(values[flag]))
      throw new KeykitCliError(`${flag} must be an http(s) URL`);
  return {
    help: false,
    name,
    rotationState: values["--rotation-state"] ?? defaults.rotationState ?? DEFAULT_ROTATION_STATE_FILE,
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
    allowHttp: line.switches.has("--allow-http"),
  };
}

function sinkOf(values: Readonly<Record<string, string>>): VerifyArgs["sink"] {
  const vault = values["--vault-mount"] !== undefined || values["--vault-name"] !== undefined;
  const output = values["--output-json"] !== undefined;
  const aws = values["--aws-secret"] !== undefined;
  const store = STORE_FLAGS.filter((flag) => values[flag] !== undefined);
  if ([vault, output, aws, ...store].filter(Boolean).length !== 1)
    throw new KeykitCliError(
      "verify needs one sink: --vault-mount and --vault-name, --aws-secret, --kubernetes-secret, --azure-secret, " +
        "--gcp-secret, or --output-json <terraform output -json file>",
    );
  const other = storeSinkOf(values);
  if (other) return other;
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
