/**
 * The input boundary module (policies/loaders/read-input-file.ts) in process: size limits before a byte is read,
 * gzip decompression limits (size and ratio) for whole-file and streamed reads, one input-error type carrying its
 * exit code, one errno table; and the audit-log splitter linear in its input whatever its content (blank padding,
 * one huge line, one huge object), chunked as gunzip chunks it.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { osReason as cliOsReason } from "../../cli/errors";
import { AuditLogSplitter } from "../../policies/inventory/audit-log";
import {
  InputFileError,
  kernelPath,
  osReason,
  readInputBytes,
  readInputText,
  readInputTextChunks,
  readOptionalInputText,
} from "../../policies/loaders/read-input-file";
import { InputError } from "../../policies/loaders/util";
import { tempDir } from "./input-helpers";

async function collect(path: string, options: Parameters<typeof readInputTextChunks>[1] = {}): Promise<string> {
  let text = "";
  for await (const chunk of readInputTextChunks(path, options)) text += chunk;
  return text;
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputFileError).exitCode).toBe(2);
    return (error as InputFileError).message;
  }
  throw new Error("expected an InputFileError");
}

async function streamProblem(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    return (error as InputFileError).message;
  }
  throw new Error("expected an InputFileError");
}

describe("whole-file reads", () => {
  it("refuse a file larger than the limit before reading it, naming the limit", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "big.json"), Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(problemOf(() => readInputText("big.json", { cwd: dir, maxBytes: 1024 * 1024 }))).toBe(
      "big.json: larger than 1 MiB; refusing to read it",
    );
    expect(readInputText("big.json", { cwd: dir, maxBytes: 2 * 1024 * 1024 })).toHaveLength(2 * 1024 * 1024);
  });

  it("decompress gzip within the limit and refuse past it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "state.json.gz"), gzipSync(Buffer.from('\uFEFF{"version":4}')));
    expect(readInputText("state.json.gz", dir)).toBe('{"version":4}');
    writeFileSync(join(dir, "bomb.json"), gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
    expect(problemOf(() => readInputBytes("bomb.json", { cwd: dir, maxBytes: 1024 * 1024 }))).toBe(
      "bomb.json: gzip file decompresses to more than 1 MiB; refusing to read it",
    );
  });

  it("name a corrupt gzip file without quoting it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cut.json"), gzipSync(Buffer.from("x".repeat(1000))).subarray(0, 20));
    expect(problemOf(() => readInputText("cut.json", dir))).toBe("cut.json: a gzip file that is corrupt or truncated");
  });

  it("read nothing at all as undefined, but a dangling link as a problem", () => {
    const dir = tempDir();
    expect(readOptionalInputText("none.json", { cwd: dir })).toBeUndefined();
    execFileSync("ln", ["-s", "gone.json", join(dir, "dangling.json")]);
    expect(problemOf(() => readOptionalInputText("dangling.json", { cwd: dir }))).toBe(
      "dangling.json: dangling symlink (its target does not exist)",
    );
  });

  it("hand `..` after a symlink to the kernel instead of folding it", () => {
    expect(kernelPath("link/../state.json", "/work")).toBe("/work/link/../state.json");
    expect(kernelPath("/abs/x", "/work")).toBe("/abs/x");
  });
});

describe("streamed reads", () => {
  it("refuse a FIFO before opening it", async () => {
    const dir = tempDir();
    execFileSync("mkfifo", [join(dir, "pipe.jsonl")]);
    expect(await streamProblem(collect("pipe.jsonl", { cwd: dir }))).toBe(
      "pipe.jsonl: is a FIFO (named pipe): only regular files and directories are read",
    );
  });

  it("decompress gzip and read UTF-16LE by its byte-order mark", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.gz"), gzipSync(Buffer.from("héllo\n".repeat(1000))));
    expect(await collect("a.gz", { cwd: dir })).toBe("héllo\n".repeat(1000));
    writeFileSync(join(dir, "b.jsonl"), Buffer.from("\uFEFFhé\n", "utf16le"));
    expect(await collect("b.jsonl", { cwd: dir })).toBe("\uFEFFhé\n");
  });

  it("refuse a gzip file past its decompressed size or its ratio", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bomb.gz"), gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x0a)));
    const size = { maxBytes: 4 * 1024 * 1024, maxRatio: 1e9, ratioFromBytes: 0 };
    expect(await streamProblem(collect("bomb.gz", { cwd: dir, gzip: size }))).toBe(
      "bomb.gz: gzip file decompresses to more than 4 MiB; refusing to read it",
    );
    const ratio = { maxBytes: 1e12, maxRatio: 100, ratioFromBytes: 1024 * 1024 };
    expect(await streamProblem(collect("bomb.gz", { cwd: dir, gzip: ratio }))).toBe(
      "bomb.gz: gzip file decompresses more than 100 times its size; refusing to read it",
    );
    // The defaults read it: blank padding is ordinary below the ratio's floor.
    expect((await collect("bomb.gz", { cwd: dir })).length).toBe(16 * 1024 * 1024);
  });

  it("name a truncated gzip stream", async () => {
    const dir = tempDir();
    const gz = gzipSync(Buffer.from("x".repeat(100_000)));
    writeFileSync(join(dir, "cut.gz"), gz.subarray(0, gz.length - 10));
    expect(await streamProblem(collect("cut.gz", { cwd: dir }))).toBe(
      "cut.gz: a gzip file that is corrupt or truncated",
    );
  });
});

describe("one errno table", () => {
  it("is the one the CLI uses, and never reads a code off the prototype", () => {
    expect(cliOsReason).toBe(osReason);
    expect(osReason({ code: "EACCES" })).toBe("permission denied");
    expect(osReason({ code: "constructor" })).toBe("constructor");
    expect(osReason(undefined)).toBe("unexpected error");
  });
});

/** Feeds `text` to a splitter in 16 KiB chunks (gunzip's size), returning the records and their lines. */
function split(text: string): [unknown, number][] {
  const out: [unknown, number][] = [];
  const splitter = new AuditLogSplitter("log", (value, line) => out.push([value, line]));
  for (let i = 0; i < text.length; i += 16384) splitter.push(text.slice(i, i + 16384));
  splitter.end();
  return out;
}

describe("the audit-log splitter is linear in its input", () => {
  jest.setTimeout(30_000);
  // Each case would take tens of seconds (jest's 5 s timeout fails it) if every chunk re-scanned what is held.
  const MiB = 1024 * 1024;
  it("blank lines before the first record: dropped as they arrive, line numbers kept", () => {
    expect(split(`${"\n".repeat(32 * MiB)}{"a":1}\n\n{"b":2}\n`)).toEqual([
      [{ a: 1 }, 32 * MiB + 1],
      [{ b: 2 }, 32 * MiB + 3],
    ]);
  });
  it("blank space before a JSON array", () => {
    expect(split(`${" \n".repeat(8 * MiB)}[{"a":1},\n{"b":2}]`)).toEqual([
      [{ a: 1 }, 8 * MiB + 1],
      [{ b: 2 }, 8 * MiB + 2],
    ]);
  });
  it("one 15 MiB line among JSON lines", () => {
    const long = `{"a":"${"x".repeat(15 * MiB)}"}`;
    const records = split(`{"first":1}\n${long}\n{"last":1}\n`);
    expect(records.map(([, line]) => line)).toEqual([1, 2, 3]);
    expect((records[1][0] as { a: string }).a).toHaveLength(15 * MiB);
  });
  it("one 15 MiB object among concatenated objects", () => {
    const big = `{"a":[${"1,".repeat(7 * MiB)}1]}`;
    const records = split(`{"first":1} ${big}\n{"last":1}`);
    expect(records.map(([, line]) => line)).toEqual([1, 1, 2]);
    expect((records[1][0] as { a: number[] }).a).toHaveLength(7 * MiB + 1);
  });
  it("still refuses a line or an object larger than 16 MiB", () => {
    expect(() => split(`{"first":1}\n{"a":"${"x".repeat(17 * MiB)}"}\n`)).toThrow(/line 2: a line longer than 16 MiB/);
    expect(() => split(`[{"a":"${"x".repeat(17 * MiB)}"}]`)).toThrow(/line 1: a record larger than 16 MiB/);
  });
});
