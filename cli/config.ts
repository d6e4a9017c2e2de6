/**
 * `keykit.config.json`: the defaults a team wants every run to use, found from the working directory upwards.
 * Precedence, highest first: command-line flags > environment (KEYKIT_*) > the file > built-in defaults.
 * Paths in the file are relative to the file's directory; paths in the environment to the working directory.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { InputError } from "../policies/loaders/util";
import { readInputJson } from "../policies/loaders/read-input-file";
import type { FailOn } from "../policies/report";
import { KIT_RULE_IDS, ruleById } from "../policies/rules/catalogue";
import { EXIT_USAGE, KeykitCliError } from "./errors";
import { FAIL_ON_LEVELS } from "./grammar";
import type { CliIo } from "./io";

export const CONFIG_FILE = "keykit.config.json";

/** What a project may set; every field optional. */
export interface ProjectDefaults {
  readonly failOn?: FailOn;
  readonly maxAgeDays?: number;
  /** Relative to the working directory (as a flag's value would be). */
  readonly acknowledgements?: string;
  readonly rotationState?: string;
  readonly skipRules: readonly string[];
  /**
   * `verify.endpoints`: cluster id (lkc-…, lsrc-…) → its REST endpoint, for `keykit verify`. Repository content, so
   * verify takes one only on a Confluent Cloud host (see cli/verify/endpoints.ts).
   */
  readonly verifyEndpoints?: ReadonlyMap<string, string>;
}

const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    failOn: { enum: [...FAIL_ON_LEVELS] },
    maxAgeDays: { type: "integer", minimum: 1 },
    acknowledgements: { type: "string", minLength: 1 },
    rotationState: { type: "string", minLength: 1 },
    skipRules: { type: "array", items: { type: "string", pattern: "^KK\\d{3}$" }, uniqueItems: true },
    verify: {
      type: "object",
      additionalProperties: false,
      properties: {
        endpoints: {
          type: "object",
          propertyNames: { pattern: "^(lkc|lsrc)-[A-Za-z0-9]{1,64}$" },
          additionalProperties: { type: "string", minLength: 1, maxLength: 500 },
        },
      },
    },
  },
} as const;

interface ConfigFile {
  failOn?: FailOn;
  maxAgeDays?: number;
  acknowledgements?: string;
  rotationState?: string;
  skipRules?: string[];
  verify?: { endpoints?: Record<string, string> };
}

let compiled: ValidateFunction<ConfigFile> | undefined;

/**
 * Loaded and compiled at the first config file: loading ajv alone costs ~20 ms of every start, compiling the schema
 * more, and most runs have no file. (A `require`, not `import()`: reading the defaults is synchronous.)
 */
function configValidator(): ValidateFunction<ConfigFile> {
  if (!compiled) {
    // ajv loads only when a config file exists: most runs have none, and it is a large part of a start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    // verbose: an error carries its schema, whose properties name the fields allowed where an unknown one is.
    compiled = new Ajv({ allErrors: false, verbose: true }).compile<ConfigFile>(CONFIG_SCHEMA);
  }
  return compiled;
}

/** The nearest keykit.config.json at or above `cwd`. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function readConfigFile(path: string, cwd: string): ConfigFile {
  const shown = relative(cwd, path) || CONFIG_FILE;
  let json: unknown;
  try {
    json = readInputJson(path, { cwd, shownAs: shown });
  } catch (error) {
    if (error instanceof InputError) throw new KeykitCliError(error.message);
    throw error;
  }
  const validateConfig = configValidator();
  if (!validateConfig(json)) {
    const e = validateConfig.errors?.[0];
    // The schema's own words and the field's path: never the value, which is input.
    const where = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the file";
    const what = e?.keyword === "additionalProperties" ? unknownField(e) : (e?.message ?? "is invalid");
    throw new KeykitCliError(`${shown}: ${where} ${what}`, EXIT_USAGE);
  }
  return json;
}

/** A field name plain enough to show (a misspelt setting); anything else is input the kit does not echo. */
const PLAIN_FIELD = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** "has an unknown field 'failOnn' (allowed: …)": the field named when plain, and the fields allowed there. */
function unknownField(error: ErrorObject): string {
  const field = (error.params as { additionalProperty?: unknown }).additionalProperty;
  const named = typeof field === "string" && PLAIN_FIELD.test(field) ? ` '${field}'` : "";
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const allowed = properties ? ` (allowed: ${Object.keys(properties).join(", ")})` : "";
  return `has an unknown field${named}${allowed}`;
}

function envDefaults(env: CliIo["env"]): ConfigFile {
  const out: ConfigFile = {};
  const failOn = env.KEYKIT_FAIL_ON;
  if (failOn !== undefined && failOn !== "") {
    if (!(FAIL_ON_LEVELS as readonly string[]).includes(failOn))
      throw new KeykitCliError(`KEYKIT_FAIL_ON must be one of ${FAIL_ON_LEVELS.join(", ")}`);
    out.failOn = failOn as FailOn;
  }
  const maxAge = env.KEYKIT_MAX_AGE_DAYS;
  if (maxAge !== undefined && maxAge !== "") {
    if (!/^\d+$/.test(maxAge) || Number(maxAge) < 1)
      throw new KeykitCliError("KEYKIT_MAX_AGE_DAYS must be a positive whole number");
    out.maxAgeDays = Number(maxAge);
  }
  if (env.KEYKIT_ACKNOWLEDGEMENTS) out.acknowledgements = env.KEYKIT_ACKNOWLEDGEMENTS;
  if (env.KEYKIT_ROTATION_STATE) out.rotationState = env.KEYKIT_ROTATION_STATE;
  if (env.KEYKIT_SKIP_RULES) out.skipRules = env.KEYKIT_SKIP_RULES.split(",").map((s) => s.trim());
  return out;
}

/**
 * A rule that the docs call unwaivable (never acknowledgeable, or not in production) cannot be switched off by a
 * file a pull request can change: `skipRules` naming one is refused, not silently obeyed.
 */
function refuseUnskippable(skipRules: readonly string[]): void {
  const unknown = skipRules.find((id) => !KIT_RULE_IDS.has(id));
  if (unknown !== undefined) throw new KeykitCliError(`skipRules: no rule '${unknown}' (see 'keykit rules')`);
  for (const id of skipRules) {
    const acknowledgeable = ruleById(id)?.acknowledgeable;
    if (acknowledgeable === "always") continue;
    const why =
      acknowledgeable === "never" ? "it can never be acknowledged" : "it cannot be acknowledged in production";
    throw new KeykitCliError(`skipRules: ${id} cannot be skipped (${why}; see 'keykit rules')`, EXIT_USAGE);
  }
}

/** The project's defaults (environment over file); flags are applied over them by each command. */
export function loadProjectDefaults(io: Pick<CliIo, "cwd" | "env">): ProjectDefaults {
  const path = findConfigFile(io.cwd);
  const file = path ? readConfigFile(path, io.cwd) : {};
  const fromFile = (p: string | undefined) =>
    p === undefined || !path ? p : relative(io.cwd, resolve(dirname(path), p));
  const env = envDefaults(io.env);
  const skipRules = env.skipRules ?? file.skipRules ?? [];
  refuseUnskippable(skipRules);
  const acknowledgements = env.acknowledgements ?? fromFile(file.acknowledgements);
  const rotationState = env.rotationState ?? fromFile(file.rotationState);
  const failOn = env.failOn ?? file.failOn;
  const maxAgeDays = env.maxAgeDays ?? file.maxAgeDays;
  const endpoints = file.verify?.endpoints;
  return {
    skipRules,
    ...(failOn !== undefined ? { failOn } : {}),
    ...(maxAgeDays !== undefined ? { maxAgeDays } : {}),
    ...(acknowledgements !== undefined ? { acknowledgements: acknowledgements || "." } : {}),
    ...(rotationState !== undefined ? { rotationState: rotationState || "." } : {}),
    ...(endpoints !== undefined ? { verifyEndpoints: new Map(Object.entries(endpoints)) } : {}),
  };
}
