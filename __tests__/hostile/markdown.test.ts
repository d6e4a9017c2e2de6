/**
 * The Markdown report (a pull-request comment) shows hostile ids, descriptions, file names, acknowledgement
 * targets and reasons as text: no input opens a link, an image, HTML, a mention or an autolink, and a backtick
 * cannot close a code span. Checked with a small CommonMark inline scanner (code spans, backslash escapes).
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cliKeyList, type KeySpec } from "../audit/helpers";
import { evaluate } from "../../policies/engine";
import { codeSpan, escapeCell, formatMarkdown } from "../../policies/reporters/markdown";
import { expectOneLine, runKeykit, snapshot, tempDir, writeJson } from "./input-helpers";

const PAYLOADS = [
  "![pixel](https://evil.example/p.png)",
  "[click me](https://evil.example/login)",
  "<img src=x onerror=alert(1)>",
  "<a href='https://evil.example'>x</a>",
  "a`b``c",
  "`",
  "| forged | cell |",
  "see https://evil.example/x and www.evil.example",
  "ping @security-team and #42 or admin@evil.example",
  "**bold** _it_ ~~gone~~",
  "line one\nline two\r\u2028three",
  "&lt;img&gt; &#60;b&#62;",
];

type Segment = { readonly code: boolean; readonly text: string };

/** Splits Markdown inline text into code spans and the rest, as CommonMark does (runs of equal length pair up). */
function segments(line: string): Segment[] {
  const out: Segment[] = [];
  let text = "";
  let i = 0;
  while (i < line.length) {
    if (line[i] === "\\" && i + 1 < line.length) {
      text += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== "`") {
      text += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === "`") n++;
    const close = closingRun(line, i + n, n);
    if (close < 0) {
      text += line.slice(i, i + n);
      i += n;
      continue;
    }
    out.push({ code: false, text });
    text = "";
    let content = line.slice(i + n, close);
    if (content.length >= 2 && content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "")
      content = content.slice(1, -1);
    out.push({ code: true, text: content });
    i = close + n;
  }
  out.push({ code: false, text });
  return out;
}

function closingRun(line: string, from: number, n: number): number {
  for (let j = from; j < line.length;) {
    if (line[j] !== "`") {
      j++;
      continue;
    }
    let m = 0;
    while (line[j + m] === "`") m++;
    if (m === n) return j;
    j += m;
  }
  return -1;
}

/** `text` with each backslash escape and character reference replaced by a placeholder: what is left is syntax. */
function unescaped(text: string): string {
  return text.replace(/\\[\s\S]|&(#\d+|[a-z]+);/g, "\u0001");
}

/** The kit's own markup: marker, rule links, line breaks in cells, the details block, the heading, block quotes. */
function withoutKitMarkup(line: string): string {
  return line
    .replace(/\[KK\d{3}\]\(https:\/\/docs\.confluent\.io\/[^)\s]*\)/g, "")
    .replace(/^<!-- keykit:(check|audit) -->$/, "")
    .replace(/<br>|<\/?details>|<details open>|<summary>|<\/summary>/g, "")
    .replace(/^#{1,6} /, "")
    .replace(/^> /, "");
}

/** A label of the key graph: only the safe set, entity codes (`#60;`) and the kit's own line breaks. */
const SAFE_LABEL = /^"[A-Za-z0-9 _.,:/#;\u2026-]*(?:<br>[A-Za-z0-9 _.,:/#;\u2026-]*)*"$/;
/** A line of the key graph once its labels are taken out: the kit's own flowchart syntax only. */
const GRAPH_SYNTAX =
  /^(?:flowchart LR| {2}[a-z]+\d*(?:\(\[L\]\)|\[\(L\)\]|\[L\])| {2}[a-z]+\d* -->(?:\|\d+\|)? [a-z]+\d*| {2}classDef [a-z]+ [a-z0-9:#,. -]+| {2}class [a-z0-9,]+ [a-z]+)$/;

/** The Mermaid block is drawn by Mermaid, not Markdown: each label is in the safe set, the rest is the kit's syntax. */
function expectGraphInert(lines: readonly string[]): void {
  for (const line of lines) {
    const labels = line.match(/"[^"]*"/g) ?? [];
    for (const label of labels) expect(label).toMatch(SAFE_LABEL);
    expect(line.replace(/"[^"]*"/g, "L")).toMatch(GRAPH_SYNTAX);
  }
}

function expectInert(markdown: string): void {
  const all = markdown.split("\n");
  const open = all.indexOf("```mermaid");
  const close = open >= 0 ? all.indexOf("```", open + 1) : -1;
  if (open >= 0) expectGraphInert(all.slice(open + 1, close));
  const prose = open >= 0 ? [...all.slice(0, open), ...all.slice(close + 1)] : all;
  for (const line of prose) {
    for (const s of segments(withoutKitMarkup(line))) {
      if (s.code) continue;
      const bare = unescaped(s.text);
      expect(bare).not.toMatch(/[[\]<@#]/);
      expect(bare).not.toMatch(/:\/\/|www\./i);
    }
  }
}

describe("Markdown report of a hostile inventory", () => {
  it("renders every payload inert", async () => {
    const dir = tempDir();
    const keys: KeySpec[] = PAYLOADS.map((p, i) => ({ id: `${p}${i}`, owner: "u-1", description: p }));
    const keyFile = "keys`` <b>[x](https:e.example)@me.json";
    writeJson(join(dir, keyFile), cliKeyList(keys));
    writeJson(join(dir, "acks.json"), {
      version: 1,
      acknowledgements: PAYLOADS.map((p) => ({ rule: "KK001", resource: p, reason: p, expires: "2030-01-01" })),
    });
    const before = snapshot(dir);
    const result = await runKeykit(
      ["audit", "--inventory", keyFile, "--acknowledgements", "acks.json", "--format", "markdown", "--output", "r.md"],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, ["evil", "<img", "click me"]);
    const markdown = readFileSync(join(dir, "r.md"), "utf8");
    // The payloads are all there (as findings, notes and acknowledgements) but none of them is markup.
    expect(markdown).toContain("\\[click me\\]");
    expect(markdown).toContain("&lt;img src=x onerror=alert\\(1\\)&gt;");
    expect(markdown).toContain("https&#58;//evil.example/x and www&#46;evil.example");
    expect(markdown).toContain("ping `@`security-team and `#`42 or admin`@`evil.example");
    expectInert(markdown);
    // Table rows keep their four cells: a pipe or a line break in input cannot add or end one.
    for (const row of markdown.split("\n").filter((l) => l.startsWith("| error") || l.startsWith("| warning")))
      expect(unescaped(row).split("|").length).toBe(6);
    const after = snapshot(dir);
    expect(Object.keys(after).filter((f) => !(f in before))).toEqual(["r.md"]);
  });
});

describe("codeSpan", () => {
  it("puts backticks in a longer fence", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("``x")).toBe("``` ``x ```");
    expect(codeSpan("")).toBe("` `");
    expect(codeSpan("  ")).toBe("`  `");
    expect(codeSpan("a|b", true)).toBe("`a\\|b`");
  });

  it("reads back as exactly its text, for any text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("`", " ", "a", "\\", "|", "*", "\n", "<"), minLength: 1 }),
        (text) => {
          const span = codeSpan(text);
          const parsed = segments(`x ${span} y`);
          const code = parsed.filter((s) => s.code);
          expect(code).toHaveLength(1);
          expect(code[0].text).toBe(text.replace(/\n/g, " "));
          expect(parsed.filter((s) => !s.code).map((s) => s.text)).toEqual(["x ", " y"]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("escapeCell leaves no unescaped markup for any text", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("`", "[", "]", "(", ")", "!", "<", "@", "#", "w", ".", ":", "/", "\\", "|", "a"),
        }),
        (text) => {
          const escaped = escapeCell(text);
          expect(escaped).not.toMatch(/\n/);
          expectInert(`x ${escaped} y`);
          // A pipe is always escaped, so a cell cannot be split.
          expect(unescaped(escaped)).not.toContain("|");
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("accepted opt-ins in the Markdown report", () => {
  it("shows the key and owner as code spans: underscores without literal backslashes", () => {
    const report = {
      ...evaluate([], [], []),
      optIns: [
        {
          rule: "KK001",
          subject: "confluent_api_key.dev_sandbox_key",
          owner: "u-dev_1",
          reason: "a *sandbox* key",
          tier: "development" as const,
          source: "cdk.tf.json",
        },
      ],
    };
    const line = formatMarkdown(report, [])
      .split("\n")
      .find((l) => l.startsWith("- KK001"));
    expect(line).toBe(
      "- KK001 `confluent_api_key.dev_sandbox_key`: owner `u-dev_1` (development): a \\*sandbox\\* key",
    );
    // As CommonMark reads it: the names are code (shown as written), the reason is text with its `*` escaped.
    expect(
      segments(line ?? "")
        .filter((s) => s.code)
        .map((s) => s.text),
    ).toEqual(["confluent_api_key.dev_sandbox_key", "u-dev_1"]);
  });
});
