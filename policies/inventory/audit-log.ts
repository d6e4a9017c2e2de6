/**
 * Key usage from Confluent Cloud audit logs (the `confluent-audit-log-events` topic, as users export it): each key's
 * last successful and last failed authentication, the service accounts that act, and the time each resource's
 * records cover (per Kafka cluster, Schema Registry, ksqlDB cluster, Flink region and the Cloud API, from the
 * records' CRNs), as intervals that a silence longer than the gap breaks.
 *
 * Only trusted times count as coverage: a strict RFC 3339 timestamp with a zone (never `Date.parse`, which reads
 * `"1"` as 2001), not after the evaluation time plus clock skew, not before any Confluent audit log existed. Other
 * records are set aside (counted, first position kept, never quoted); the successes they show still count as use.
 *
 * Streamed: text arrives in chunks (any size, split anywhere) and is split incrementally into records, so memory
 * grows with the number of distinct keys, never with the number of records. Three layouts are read, detected from
 * the content: JSON lines (`confluent kafka topic consume … -o json`, kcat), a JSON array, or concatenated
 * (pretty-printed) objects. A kcat `-J` envelope (`{"topic":…,"payload":"<record>"}`) is unwrapped.
 *
 * Records are CloudEvents; two documented authentication shapes are read and unknown fields are ignored:
 * - Kafka (`io.confluent.kafka.server/authentication`): key id `data.authenticationInfo.metadata.identifier`,
 *   outcome `data.result.status`;
 * - the `cloudResources` shape (Schema Registry `io.confluent.sg.server/authentication`, ksqlDB, Flink …): key id
 *   `data.authenticationInfo.credentials.idSecretCredentials.credentialId`, outcome `data.authenticationInfo.result`.
 * Anything but `SUCCESS` is a failed attempt. Errors name the file and line, never a fragment of the input.
 */
import { DAY_MS, FUTURE_TOLERANCE_MS, rfc3339Millis } from "../dates";
import { isObject } from "../loaders/util";

/** One key's authentications in the audit log. Times are epoch milliseconds, from records whose time is trusted. */
export interface KeyUsage {
  /** Every successful authentication, including those of records whose time cannot be trusted. */
  successes: number;
  failures: number;
  /** Successes in records with a bad, future or implausibly old time: use at an unknown time. */
  untrustedSuccesses: number;
  lastSuccess?: number;
  lastFailure?: number;
  /** The resource (lkc-…, lsrc-…) of the last successful authentication, when the record names one. */
  lastSuccessResource?: string;
}

/** What a resource's records can speak for: the kinds of resource an API key is scoped to. */
export type CoverageKind = "kafka" | "schema-registry" | "ksqldb" | "flink" | "cloud";

/**
 * The time some records cover: sorted, disjoint `[starts[i], ends[i]]` intervals (epoch ms); records at most
 * `maxGapMs` apart are one interval, a longer silence breaks coverage.
 */
export interface Coverage {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly records: number;
}

/** The coverage of one resource the log speaks for. */
export interface ResourceCoverage extends Coverage {
  readonly kind: CoverageKind;
  /** lkc-…, lsrc-…, lksqlc-…, the Flink region (`aws.us-east-1`), or "cloud" for the Cloud/organisation API. */
  readonly id: string;
}

/** Records set aside, by count and the position of the first one (never their content). */
export interface SetAsideRecords {
  readonly count: number;
  readonly first?: { readonly file: string; readonly line: number };
}

/** What the audit logs say, over every file read. */
export interface AuditLogUsage {
  readonly files: readonly string[];
  /** Records read (any type) with a trusted time. */
  readonly records: number;
  /** Authentication records with a usable key id. */
  readonly authentications: number;
  /** Authentication records without a well-formed key id: not used. */
  readonly ignored: number;
  /** Records whose `time` is not a strict RFC 3339 timestamp with a zone. */
  readonly badTimes: SetAsideRecords;
  /** Records dated after the evaluation time (plus the clock-skew allowance). */
  readonly future: SetAsideRecords;
  /** Records dated before the oldest plausible audit-log record. */
  readonly ancient: SetAsideRecords;
  /** Earliest and latest trusted record time (epoch ms); undefined when no record had one. */
  readonly earliest?: number;
  readonly latest?: number;
  /** Coverage per resource the log speaks for, by `kind:id`. */
  readonly coverage: ReadonlyMap<string, ResourceCoverage>;
  /** Coverage of the whole log (every trusted record, whatever its resource). */
  readonly overall: Coverage;
  /** The silence that breaks coverage, and the evaluation time the records were judged against. */
  readonly maxGapMs: number;
  readonly now: number;
  readonly keys: ReadonlyMap<string, KeyUsage>;
  /** Service accounts (`sa-…`) that records show acting or authenticating, at any time. */
  readonly principals: ReadonlySet<string>;
}

export interface AuditLogOptions {
  /** The evaluation time (epoch ms): later records are not trusted. */
  readonly now: number;
  /** A silence longer than this breaks a resource's coverage (default one day). */
  readonly maxGapMs?: number;
}

/** Confluent keeps audit-log records this long unless they are replicated elsewhere. */
export const AUDIT_LOG_RETENTION_DAYS = 7;
export const DEFAULT_MAX_GAP_HOURS = 24;
/** Confluent Cloud audit logs did not exist before this: an older record is a forged or broken time. */
export const OLDEST_PLAUSIBLE_RECORD = Date.UTC(2019, 0, 1);

/** A malformed or truncated input: the message names the file and line only. */
export class AuditLogError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    what: string,
  ) {
    super(`${file}: line ${line}: ${what}`);
    this.name = "AuditLogError";
  }
}

const MALFORMED = "malformed or truncated audit-log record (expected JSON lines, a JSON array or concatenated objects)";
/** A JSON-lines file whose first MiB holds no newline is read as concatenated objects instead. */
const LINE_PROBE_CHARS = 1 << 20;
/** A single record larger than this is not an audit-log record (they are a few KiB): refuse instead of buffering. */
const MAX_RECORD_CHARS = 16 << 20;
/** Key ids are short words; anything else in the id field is not used (nor ever printed). */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const SERVICE_ACCOUNT = /^sa-[A-Za-z0-9]{1,64}$/;
const AUTHENTICATION_TYPE = /^io\.confluent\.[a-z0-9_.-]+\/authentication$/;
/** Distinct CRNs remembered with their resource; past this the cache starts over (memory stays bounded). */
const CRN_CACHE_LIMIT = 4096;

/** Sorted disjoint intervals of record times, merged across silences of at most `gap`. */
class IntervalSet {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  records = 0;
  /** The interval the last time fell in: records mostly arrive in order, so this is the common case. */
  private hint = 0;

  constructor(private readonly gap: number) {}

  add(t: number): void {
    this.records++;
    const { starts, ends, gap } = this;
    const n = starts.length;
    let j = this.hint; // the last interval starting at or before t, or -1
    if (!(j < n && starts[j] <= t && (j + 1 >= n || t < starts[j + 1]))) j = this.locate(t);
    if (j >= 0 && t <= ends[j] + gap) {
      if (t > ends[j]) ends[j] = t;
      if (j + 1 < starts.length && starts[j + 1] - ends[j] <= gap) this.join(j);
    } else if (j + 1 < n && starts[j + 1] - t <= gap) {
      starts[++j] = t;
      if (j > 0 && starts[j] - ends[j - 1] <= gap) this.join(--j);
    } else {
      starts.splice(++j, 0, t);
      ends.splice(j, 0, t);
    }
    this.hint = j;
  }

  /** Binary search: the last interval starting at or before t, or -1. */
  private locate(t: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Merges interval j + 1 into j. */
  private join(j: number): void {
    if (this.ends[j + 1] > this.ends[j]) this.ends[j] = this.ends[j + 1];
    this.starts.splice(j + 1, 1);
    this.ends.splice(j + 1, 1);
  }
}

interface MutableSetAside {
  count: number;
  first?: { file: string; line: number };
}

/** Accumulates usage over any number of files; `file()` returns the splitter for the next one. */
export class AuditLogAccumulator {
  private readonly files: string[] = [];
  private readonly keys = new Map<string, KeyUsage>();
  private readonly coverage = new Map<string, ResourceCoverage & IntervalSet>();
  private readonly crnCache = new Map<string, (ResourceCoverage & IntervalSet) | null>();
  private readonly principals = new Set<string>();
  private readonly overall: IntervalSet;
  private readonly badTimes: MutableSetAside = { count: 0 };
  private readonly future: MutableSetAside = { count: 0 };
  private readonly ancient: MutableSetAside = { count: 0 };
  private readonly now: number;
  private readonly latestTrusted: number;
  private readonly maxGapMs: number;
  private lastPrincipal: unknown = undefined;
  private records = 0;
  private authentications = 0;
  private ignored = 0;
  private earliest = Infinity;
  private latest = -Infinity;

  constructor(options: AuditLogOptions) {
    this.now = options.now;
    this.latestTrusted = options.now + FUTURE_TOLERANCE_MS;
    this.maxGapMs = options.maxGapMs ?? DEFAULT_MAX_GAP_HOURS * 3_600_000;
    this.overall = new IntervalSet(this.maxGapMs);
  }

  /** A splitter for one file: feed it text chunks in order, then call `end()`. */
  file(name: string): AuditLogSplitter {
    this.files.push(name);
    return new AuditLogSplitter(name, (record, line) => this.add(record, name, line));
  }

  result(): AuditLogUsage {
    const timed = this.earliest !== Infinity;
    return {
      files: [...this.files],
      records: this.records,
      authentications: this.authentications,
      ignored: this.ignored,
      badTimes: this.badTimes,
      future: this.future,
      ancient: this.ancient,
      ...(timed ? { earliest: this.earliest, latest: this.latest } : {}),
      coverage: this.coverage,
      overall: this.overall,
      maxGapMs: this.maxGapMs,
      now: this.now,
      keys: this.keys,
      principals: this.principals,
    };
  }

  private add(value: unknown, file: string, line: number): void {
    let record = value;
    if (isObject(record) && typeof record.payload === "string" && "topic" in record) {
      // kcat -J: the record is the envelope's payload (a string holding the JSON record).
      try {
        record = JSON.parse(record.payload);
      } catch {
        throw new AuditLogError(file, line, "a kcat envelope whose payload is not a JSON audit-log record");
      }
    }
    if (!isObject(record)) throw new AuditLogError(file, line, "not an audit-log record (not a JSON object)");
    const time = typeof record.time === "string" ? rfc3339Millis(record.time) : NaN;
    // A record whose time cannot be trusted covers nothing, but what it shows in use stays in use.
    const setAside = Number.isNaN(time)
      ? this.badTimes
      : time > this.latestTrusted
        ? this.future
        : time < OLDEST_PLAUSIBLE_RECORD
          ? this.ancient
          : undefined;
    if (setAside) {
      if (setAside.count++ === 0) setAside.first = { file, line };
    } else {
      this.records++;
      if (time < this.earliest) this.earliest = time;
      if (time > this.latest) this.latest = time;
      this.overall.add(time);
      this.resourceOf(record)?.add(time);
    }
    const data = record.data;
    if (!isObject(data)) return;
    this.principal(data.authenticationInfo);
    const type = record.type;
    if (typeof type !== "string" || !type.endsWith("/authentication") || !AUTHENTICATION_TYPE.test(type)) return;
    if (this.count(data, setAside ? undefined : time)) this.authentications++;
    else this.ignored++;
  }

  /** The resource a record speaks for: its subject's CRN, else its source's (cached: records repeat them). */
  private resourceOf(record: Record<string, unknown>): IntervalSet | null {
    const subject = record.subject;
    const found = typeof subject === "string" ? this.resourceOfCrn(subject) : null;
    if (found) return found;
    const source = record.source;
    return typeof source === "string" ? this.resourceOfCrn(source) : null;
  }

  private resourceOfCrn(crn: string): (ResourceCoverage & IntervalSet) | null {
    const cached = this.crnCache.get(crn);
    if (cached !== undefined) return cached;
    const resource = crnScope(crn);
    let coverage: (ResourceCoverage & IntervalSet) | null = null;
    if (resource) {
      const key = `${resource.kind}:${resource.id}`;
      coverage = this.coverage.get(key) ?? null;
      if (!coverage) this.coverage.set(key, (coverage = Object.assign(new IntervalSet(this.maxGapMs), resource)));
    }
    if (this.crnCache.size >= CRN_CACHE_LIMIT) this.crnCache.clear();
    this.crnCache.set(crn, coverage);
    return coverage;
  }

  /** The service account a record shows acting: `User:sa-…` (Kafka) or `{confluentServiceAccount: {resourceId}}`. */
  private principal(info: unknown): void {
    if (!isObject(info)) return;
    const principal = info.principal;
    if (principal === this.lastPrincipal) return;
    this.lastPrincipal = principal;
    let id: unknown;
    if (typeof principal === "string") id = principal.startsWith("User:") ? principal.slice(5) : principal;
    else if (isObject(principal) && isObject(principal.confluentServiceAccount))
      id = principal.confluentServiceAccount.resourceId;
    if (typeof id === "string" && SERVICE_ACCOUNT.test(id)) this.principals.add(id);
  }

  /**
   * Counts one authentication in either documented shape; false when it has no usable key id. Hot path (a million
   * records): no object per record, the key id is validated once per key, the resource read only when it is kept.
   * `time` is undefined for a record whose time is not trusted: the use counts, its time does not.
   */
  private count(data: Record<string, unknown>, time: number | undefined): boolean {
    const info = data.authenticationInfo;
    if (!isObject(info)) return false;
    const credentials = isObject(info.credentials) ? info.credentials.idSecretCredentials : undefined;
    // The cloudResources shape has the outcome next to the credentials; the Kafka shape in data.result.
    const cloudShape = isObject(credentials);
    const keyId = cloudShape
      ? credentials.credentialId
      : isObject(info.metadata)
        ? info.metadata.identifier
        : undefined;
    if (typeof keyId !== "string") return false;
    const outcome = cloudShape ? info.result : isObject(data.result) ? data.result.status : undefined;
    let usage = this.keys.get(keyId);
    if (!usage) {
      if (!KEY_ID.test(keyId)) return false;
      this.keys.set(keyId, (usage = { successes: 0, failures: 0, untrustedSuccesses: 0 }));
    }
    // Records arrive in any order (partitions, several files): keep the latest of each outcome.
    if (outcome === "SUCCESS") {
      usage.successes++;
      if (time === undefined) usage.untrustedSuccesses++;
      else if (usage.lastSuccess === undefined || time > usage.lastSuccess) {
        usage.lastSuccess = time;
        usage.lastSuccessResource = cloudShape ? cloudResource(data.cloudResources) : crnResource(data.resourceName);
      }
    } else {
      usage.failures++;
      if (time !== undefined && (usage.lastFailure === undefined || time > usage.lastFailure)) usage.lastFailure = time;
    }
    return true;
  }
}

/** CRN segments naming a resource an API key can be scoped to; the deepest one wins (ksql= below cloud-cluster=). */
const CRN_SEGMENTS: Readonly<Record<string, CoverageKind>> = {
  kafka: "kafka",
  "cloud-cluster": "kafka",
  "schema-registry": "schema-registry",
  ksql: "ksqldb",
  "flink-region": "flink",
};

/**
 * The resource a CRN speaks for: `crn://confluent.cloud/organization=…/environment=…/cloud-cluster=lkc-1/kafka=lkc-1`
 * → kafka lkc-1; an organisation CRN naming no such resource (IAM, billing, environments) → the Cloud API.
 */
export function crnScope(crn: string): { kind: CoverageKind; id: string } | undefined {
  if (!crn.startsWith("crn://confluent.cloud/organization=")) return undefined;
  let found: { kind: CoverageKind; id: string } | undefined;
  for (const segment of crn.slice("crn://confluent.cloud/".length).split("/")) {
    const equals = segment.indexOf("=");
    const kind = equals > 0 ? CRN_SEGMENTS[segment.slice(0, equals)] : undefined;
    const id = segment.slice(equals + 1);
    if (kind !== undefined && Object.hasOwn(CRN_SEGMENTS, segment.slice(0, equals)) && KEY_ID.test(id))
      found = { kind, id };
  }
  return found ?? { kind: "cloud", id: "cloud" };
}

/** `crn://confluent.cloud/organization=…/kafka=lkc-1` → `lkc-1` (the last segment's id, when it is a plain word). */
function crnResource(crn: unknown): string | undefined {
  if (typeof crn !== "string") return undefined;
  const last = crn.slice(crn.lastIndexOf("/") + 1);
  const id = last.slice(last.indexOf("=") + 1);
  return KEY_ID.test(id) ? id : undefined;
}

function cloudResource(resources: unknown): string | undefined {
  if (!Array.isArray(resources)) return undefined;
  for (const entry of resources) {
    const resource = isObject(entry) ? entry.resource : undefined;
    if (typeof resource === "string") return crnResource(resource);
    if (isObject(resource)) {
      const id = resource.resourceId ?? resource.id;
      if (typeof id === "string" && KEY_ID.test(id)) return id;
    }
  }
  return undefined;
}

type Layout = "undecided" | "lines" | "objects";

/**
 * Splits one file's text into JSON values, incrementally. JSON lines are split at newlines and parsed a line at a
 * time (the fast path); a JSON array or concatenated objects are split by a small scanner that tracks nesting and
 * strings, holding only the record being read.
 */
export class AuditLogSplitter {
  private layout: Layout = "undecided";
  private pending = "";
  /** Line number (1-based) of the first character of `pending`. */
  private pendingLine = 1;
  /** The unfinished last line, in the parts it arrived in (JSON lines layout). */
  private tail: string[] = [];
  private tailLength = 0;
  private readonly scanner: ObjectScanner;

  constructor(
    private readonly file: string,
    private readonly emit: (value: unknown, line: number) => void,
  ) {
    this.scanner = new ObjectScanner(file, emit);
  }

  push(chunk: string): void {
    if (this.layout === "objects") return this.scanner.push(chunk);
    if (this.layout === "lines") return this.splitLines(chunk, false);
    // A byte-order mark (editors, PowerShell) is not part of the first record.
    this.pending += this.pending === "" && chunk.startsWith("\uFEFF") ? chunk.slice(1) : chunk;
    this.decide(false);
    if ((this.layout as Layout) === "lines") this.takePending(false);
  }

  end(): void {
    if (this.layout === "undecided") this.decide(true);
    if (this.layout === "lines") this.takePending(true);
    else if (this.layout === "objects") this.scanner.end();
  }

  private takePending(atEnd: boolean): void {
    const text = this.pending;
    this.pending = "";
    this.splitLines(text, atEnd);
  }

  /** JSON lines when the first non-blank line is a whole JSON object; a JSON array or anything else: the scanner. */
  private decide(atEnd: boolean): void {
    this.dropLeadingBlanks();
    if (this.pending === "") {
      if (atEnd) this.layout = "lines"; // an empty (or all-blank) file: no records
      return;
    }
    const start = 0;
    const newline = this.pending.indexOf("\n", start);
    if (this.pending[start] === "{" && (newline >= 0 || atEnd)) {
      const first = this.pending.slice(start, newline >= 0 ? newline : undefined).trimEnd();
      this.layout = parses(first) ? "lines" : "objects";
    } else if (this.pending[start] !== "{" || this.pending.length > LINE_PROBE_CHARS) {
      this.layout = "objects";
    } else return; // the first line is not complete yet
    if (this.layout === "objects") {
      const text = this.pending;
      this.pending = "";
      this.scanner.startAtLine(this.pendingLine);
      this.scanner.push(text);
    }
  }

  /**
   * Blank text before the first record is dropped as it arrives (its newlines counted), so a file of nothing but
   * blank lines costs one pass over it, however it is chunked: the layout is decided on what follows.
   */
  private dropLeadingBlanks(): void {
    const text = this.pending;
    let i = 0;
    let lines = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isSpace(c)) break;
      if (c === 10) lines++;
    }
    if (i === 0) return;
    this.pending = i === text.length ? "" : text.slice(i);
    this.pendingLine += lines;
  }

  /**
   * Parses every whole line of `text`; an unfinished last line is kept as parts (never re-scanned or re-joined per
   * chunk), so the cost is one pass over the input however long its lines and however it is chunked.
   */
  private splitLines(text: string, atEnd: boolean): void {
    let from = 0;
    let newline = text.indexOf("\n");
    if (newline >= 0 && this.tail.length > 0) {
      const first = this.takeTail(text.slice(0, newline));
      this.parseLine(first, 0, first.length, this.pendingLine++);
      from = newline + 1;
      newline = text.indexOf("\n", from);
    }
    for (; newline >= 0; newline = text.indexOf("\n", from)) {
      this.parseLine(text, from, newline, this.pendingLine++);
      from = newline + 1;
    }
    if (from < text.length) {
      this.tail.push(from === 0 ? text : text.slice(from));
      this.tailLength += text.length - from;
    }
    if (atEnd) {
      const last = this.takeTail("");
      this.parseLine(last, 0, last.length, this.pendingLine);
    } else if (this.tailLength > MAX_RECORD_CHARS) {
      throw new AuditLogError(this.file, this.pendingLine, "a line longer than 16 MiB is not an audit-log record");
    }
  }

  private takeTail(end: string): string {
    const text = this.tail.length === 0 ? end : this.tail.join("") + end;
    this.tail = [];
    this.tailLength = 0;
    return text;
  }

  private parseLine(text: string, from: number, to: number, line: number): void {
    let end = to;
    if (end > from && text.charCodeAt(end - 1) === 13) end--; // CRLF
    let start = from;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    if (start === end) return;
    let value: unknown;
    try {
      value = JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end));
    } catch {
      throw new AuditLogError(this.file, line, MALFORMED);
    }
    this.emit(value, line);
  }
}

/**
 * Splits a JSON array of objects, or objects one after another, into objects (nesting and strings tracked). Each
 * chunk is scanned once; the object being read is kept as the parts it arrived in, joined once when it closes.
 */
class ObjectScanner {
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The parts of the object being read, and its first line; `reading` is false between objects. */
  private reading = false;
  private parts: string[] = [];
  private partsLength = 0;
  private objectLine = 1;
  private array: "none" | "open" | "closed" = "none";
  private seenValue = false;

  constructor(
    private readonly file: string,
    private readonly emit: (value: unknown, line: number) => void,
  ) {}

  /** The line the scanned text starts on (blank lines before it were dropped by the splitter). */
  startAtLine(line: number): void {
    this.line = line;
  }

  push(chunk: string): void {
    let objectFrom = this.reading ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (objectFrom >= 0) {
        if (this.inObject(c) && this.depth === 0) {
          this.parts.push(chunk.slice(objectFrom, i + 1));
          this.emitObject();
          objectFrom = -1;
        }
      } else if (this.between(c)) objectFrom = i;
    }
    if (objectFrom >= 0) {
      this.parts.push(objectFrom === 0 ? chunk : chunk.slice(objectFrom));
      this.partsLength += chunk.length - objectFrom;
      if (this.partsLength > MAX_RECORD_CHARS)
        throw new AuditLogError(this.file, this.objectLine, "a record larger than 16 MiB is not an audit-log record");
    }
  }

  end(): void {
    if (this.reading) throw new AuditLogError(this.file, this.objectLine, MALFORMED);
    if (this.array === "open")
      throw new AuditLogError(this.file, this.line, `${MALFORMED}: the JSON array is not closed`);
  }

  /** One character inside an object; returns true when it closed a nesting level. */
  private inObject(c: number): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === 92) this.escaped = true;
      else if (c === 34) this.inString = false;
      return false;
    }
    if (c === 34) this.inString = true;
    else if (c === 123 || c === 91) this.depth++;
    else if (c === 125 || c === 93) {
      this.depth--;
      return true;
    }
    return false;
  }

  /** One character between objects (whitespace, the array's brackets and commas); true when it starts an object. */
  private between(c: number): boolean {
    if (isSpace(c)) return false;
    if (c === 123 && this.array !== "closed") {
      this.reading = true;
      this.objectLine = this.line;
      this.depth = 1;
      this.seenValue = true;
      return true;
    }
    if (c === 91 && this.array === "none" && !this.seenValue) this.array = "open";
    else if (c === 44 && this.array === "open" && this.seenValue) return false;
    else if (c === 93 && this.array === "open") this.array = "closed";
    else throw new AuditLogError(this.file, this.line, MALFORMED);
    return false;
  }

  private emitObject(): void {
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join("");
    this.parts = [];
    this.partsLength = 0;
    this.reading = false;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AuditLogError(this.file, this.objectLine, MALFORMED);
    }
    this.emit(value, this.objectLine);
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Whole days between two epoch-ms times, one decimal (6.9 days). */
export function spanDays(from: number, to: number): number {
  return Math.floor(((to - from) / DAY_MS) * 10) / 10;
}
