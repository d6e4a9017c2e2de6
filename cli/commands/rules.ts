/** `keykit rules`: lists the rules (ID, severity, name, summary); `--format json|markdown` for tooling and RULES.md. */
import { renderRulesMarkdown } from "../../policies/rules-doc";
import { ALL_RULES } from "../../policies/rules";
import { EXIT_OK, KeykitCliError } from "../errors";
import type { Command } from "../io";

export const run: Command = async (args, io) => {
  let format = "text";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") {
      io.stdout("usage: keykit rules [--format text|json|markdown]\n");
      return EXIT_OK;
    }
    if (arg === "--format" || arg.startsWith("--format=")) {
      format = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (args[++i] ?? "");
      if (!["text", "json", "markdown"].includes(format))
        throw new KeykitCliError(`rules: --format '${format}' must be text, json or markdown`);
    } else {
      throw new KeykitCliError(`rules: unexpected argument '${arg}'`);
    }
  }
  if (format === "json") {
    const rules = ALL_RULES.map(({ check: _check, ...meta }) => meta);
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
  } else if (format === "markdown") {
    io.stdout(renderRulesMarkdown(ALL_RULES));
  } else {
    const lines = ALL_RULES.map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.name}\n       ${r.summary}`);
    io.stdout(`${lines.join("\n")}\n`);
  }
  return EXIT_OK;
};
