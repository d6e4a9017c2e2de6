/**
 * The kit's one date parser. Every date it reads (`--now`, an acknowledgement's `expires`, the rotation-state file's
 * timestamps, an export's `created`) goes through here, so "2024-02-30" is refused everywhere rather than rolled
 * over to March 1st by `Date.parse` in one place and accepted as-is in another.
 *
 * Accepted (ISO 8601 / RFC 3339 profile):
 *   - a calendar date `YYYY-MM-DD` (midnight UTC);
 *   - a timestamp `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM` (or `±HHMM`).
 * A timestamp without a zone is refused: it would mean a different instant on every machine.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** One day in milliseconds (epoch time has no leap seconds). */
export const DAY_MS = 86_400_000;

/** How far ahead of the evaluation time a recorded instant may be before it counts as "in the future" (clock skew). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRealDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): arithmetic only, any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Minutes east of UTC for `Z`, `+05:30` or `-0800`; undefined when out of range. */
function offsetMinutes(zone: string): number | undefined {
  if (zone === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

/** A calendar date written `YYYY-MM-DD` as midnight UTC, or undefined when it is not a real day. */
export function parseCalendarDate(text: string): Date | undefined {
  const m = DATE_ONLY.exec(text);
  if (!m) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (!isRealDay(year, month, day)) return undefined;
  return new Date(daysFromCivil(year, month, day) * DAY_MS);
}

/** A timestamp with a zone (see the module comment), or undefined when it is malformed or not a real instant. */
export function parseTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  // Unary + and plain arithmetic: exports carry one timestamp per key, so this runs 100,000s of times in an audit.
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const millis = m[7] === undefined ? 0 : +m[7].slice(1, 4).padEnd(3, "0");
  const millisOfDay = ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
  return new Date(daysFromCivil(year, month, day) * DAY_MS + millisOfDay);
}

/** A calendar date or a timestamp: what `--now` and export `created` values may be. */
export function parseDateOrTimestamp(text: string): Date | undefined {
  return DATE_ONLY.test(text) ? parseCalendarDate(text) : parseTimestamp(text);
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== undefined;
}

/** Whether `text` is a real timestamp with a zone. */
export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

/** Whether an instant recorded as `text` lies after `now` (beyond the clock-skew tolerance). */
export function isAfter(text: string, now: Date, toleranceMs = FUTURE_TOLERANCE_MS): boolean {
  const date = parseDateOrTimestamp(text);
  return date !== undefined && date.getTime() > now.getTime() + toleranceMs;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A strict RFC 3339 timestamp (seconds and a zone, `Z` or `±HH:MM`) as epoch milliseconds, NaN otherwise. Audit-log
 * records are read with this, never with `Date.parse`, which reads `"1"` as the year 2001. Allocates nothing but the
 * match: it runs once per audit-log record.
 */
export function rfc3339Millis(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return NaN;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return NaN;
  const millis = m[7] === undefined ? 0 : +m[7].slice(1, 4).padEnd(3, "0");
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
}
