/**
 * Flag values that more than one command takes, checked once so `check`, `audit` (and any later command) refuse a
 * bad value with the same words. The grammar checks choices (`--format`, `--tier`, `--fail-on`); these are the
 * values it cannot: dates and counts.
 */
import { parseDateOrTimestamp } from "../policies/dates";
import { KeykitCliError } from "./errors";

/** `--now`: a real calendar day or timestamp in ISO 8601. */
export function nowFlag(command: string, text: string): Date {
  const now = parseDateOrTimestamp(text);
  if (now === undefined)
    throw new KeykitCliError(
      `${command}: --now '${text}' is not a real ISO 8601 date or timestamp (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`,
    );
  return now;
}

/** A count of days or pages: a whole number from 1 to `max`. */
export function wholeNumberFlag(command: string, flag: string, text: string, unit: string, max = 1_000_000): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max)
    throw new KeykitCliError(`${command}: ${flag} '${text}' must be a whole number of ${unit} from 1 to ${max}`);
  return value;
}
