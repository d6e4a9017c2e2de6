/**
 * Acknowledgements: an accepted finding, with a reason (≥ 10 characters) and an expiry date.
 *
 * Two sources: in code on a construct (carried into cdk.tf.json as `"//".keykit.acknowledgements`, see
 * metadata.ts) and a central reviewable file for plan/HCL runs (`keykit.acknowledgements.json`):
 *
 *     { "version": 1,
 *       "acknowledgements": [
 *         { "rule": "KK003", "resource": "confluent_api_key.legacy_*", "reason": "…", "expires": "2026-12-31" } ] }
 *
 * `resource` is a glob (`*` any run of characters, `?` one character) matched against the finding's Terraform
 * address and its construct path.
 */
import { isCalendarDate } from "./dates";
import { nestsDeeperThan } from "./loaders/util";
import type { AcknowledgementRecord } from "./metadata";

export const ACKNOWLEDGEMENTS_FILE_VERSION = 1;
export const MIN_REASON_LENGTH = 10;
/** Deepest nesting an acknowledgements file may have (the format itself needs 3 levels). */
export const MAX_ACKNOWLEDGEMENTS_DEPTH = 64;

/** An acknowledgement from the central file. */
export interface FileAcknowledgement extends AcknowledgementRecord {
  /** Glob over Terraform addresses and construct paths. */
  readonly resource: string;
  /** The file it came from (for reports). */
  readonly declaredIn?: string;
}

export interface AcknowledgementsFile {
  readonly version: number;
  readonly acknowledgements: readonly FileAcknowledgement[];
}

/** Thrown for a malformed acknowledgements file (the CLI turns it into exit 2). */
export class AcknowledgementsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AcknowledgementsFileError";
  }
}

/** Whether `text` is a real calendar date written YYYY-MM-DD (the kit's one date parser, policies/dates.ts). */
export function isIsoDate(text: string): boolean {
  return isCalendarDate(text);
}

/** Why an acknowledgement is invalid, or undefined when it is well-formed. */
export function acknowledgementProblem(ack: AcknowledgementRecord): string | undefined {
  if (typeof ack.rule !== "string" || !/^KK\d{3}$/.test(ack.rule))
    return `rule '${typeof ack.rule === "string" ? ack.rule : scalarText(ack.rule)}' is not a rule ID (KK000)`;
  if (typeof ack.reason !== "string" || ack.reason.trim().length < MIN_REASON_LENGTH) {
    return `reason must be at least ${MIN_REASON_LENGTH} characters`;
  }
  if (typeof ack.expires !== "string" || !isIsoDate(ack.expires)) {
    return `expires '${typeof ack.expires === "string" ? ack.expires : scalarText(ack.expires)}' is not a date (YYYY-MM-DD)`;
  }
  return undefined;
}

/** True when `now` is after the whole expiry day (UTC): an acknowledgement applies through its expiry date. */
export function isExpired(ack: AcknowledgementRecord, now: Date): boolean {
  return now.toISOString().slice(0, 10) > ack.expires;
}

/** Counts the steps of glob matches (tests assert the match is bounded by text × pattern length). */
export interface GlobSteps {
  steps: number;
}

/**
 * Whether `text` matches `glob` as a whole (`*` any run of characters, `?` one character, anything else itself).
 * A two-pointer wildcard match: on a mismatch it only moves the last `*` one character on, so it takes at most
 * (text length + 1) × (glob length + 1) steps. A regular expression of `.*` runs backtracks exponentially: ten `*`
 * against a 58-character address took 37 s.
 */
export function globMatches(glob: string, text: string, counter?: GlobSteps): boolean {
  let g = 0;
  let t = 0;
  let star = -1; // position in the glob just after the last `*` seen
  let resume = 0; // position in the text that `*` has consumed up to
  let steps = 0;
  while (t < text.length) {
    steps++;
    const c = glob.charCodeAt(g);
    if (g < glob.length && c !== 0x2a /* * */ && (c === 0x3f /* ? */ || c === text.charCodeAt(t))) {
      g++;
      t++;
    } else if (g < glob.length && c === 0x2a) {
      star = ++g;
      resume = t;
    } else if (star !== -1) {
      g = star;
      t = ++resume;
    } else {
      if (counter) counter.steps += steps;
      return false;
    }
  }
  while (g < glob.length && glob.charCodeAt(g) === 0x2a) g++;
  if (counter) counter.steps += steps;
  return g === glob.length;
}

/** A matcher for one glob, for matching it against many addresses. */
export function compileGlob(glob: string): (text: string) => boolean {
  // Runs of `*` match what one `*` does: collapsing them keeps the bound in the glob's real length.
  const collapsed = glob.replace(/\*{2,}/g, "*");
  return (text) => globMatches(collapsed, text);
}

/**
 * Parses the central acknowledgements file. Structural problems throw (bad input); per-entry problems
 * (short reason, bad date) are kept so the report can name them as rejected.
 */
export function parseAcknowledgementsFile(json: unknown, declaredIn?: string): FileAcknowledgement[] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AcknowledgementsFileError(
      "acknowledgements file must be a JSON object with 'version' and 'acknowledgements'",
    );
  }
  if (nestsDeeperThan(json, MAX_ACKNOWLEDGEMENTS_DEPTH)) {
    throw new AcknowledgementsFileError(
      `acknowledgements file nests deeper than ${MAX_ACKNOWLEDGEMENTS_DEPTH} levels (the format needs 3)`,
    );
  }
  const file = json as Record<string, unknown>;
  if (file.version !== ACKNOWLEDGEMENTS_FILE_VERSION) {
    throw new AcknowledgementsFileError(
      `acknowledgements file version ${scalarText(file.version)} is not supported (expected ${ACKNOWLEDGEMENTS_FILE_VERSION})`,
    );
  }
  if (!Array.isArray(file.acknowledgements)) {
    throw new AcknowledgementsFileError("acknowledgements file: 'acknowledgements' must be an array");
  }
  return file.acknowledgements.map((entry, index) => {
    if (typeof entry !== "object" || entry === null) {
      throw new AcknowledgementsFileError(`acknowledgements file: entry ${index} is not an object`);
    }
    const e = entry as Record<string, unknown>;
    if (typeof e.resource !== "string" || e.resource.length === 0) {
      throw new AcknowledgementsFileError(`acknowledgements file: entry ${index} needs a 'resource' glob`);
    }
    return {
      rule: typeof e.rule === "string" ? e.rule : scalarText(e.rule),
      reason: typeof e.reason === "string" ? e.reason : "",
      expires: typeof e.expires === "string" ? e.expires : "",
      resource: e.resource,
      declaredIn,
    };
  });
}

/** A value for a message: a number or a short string as written, anything else by its type (never walked). */
function scalarText(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (value === undefined) return "undefined";
  return value === null ? "null" : Array.isArray(value) ? "(an array)" : "(an object)";
}
