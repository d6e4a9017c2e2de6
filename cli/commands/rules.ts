/**
 * `keykit rules`: lists every rule of the kit (ID, severity, name, summary, and the commands that run it: check,
 * synth, audit); `--format json|markdown` for tooling and RULES.md.
 */
import { renderRulesMarkdown } from "../../policies/rules-doc";
import { RULE_CATALOGUE } from "../../policies/rules/catalogue";
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
    const rules = RULE_CATALOGUE.map(({ rule: { check: _check, ...meta }, commands }) => ({ ...meta, commands }));
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
  } else if (format === "markdown") {
    io.stdout(renderRulesMarkdown(RULE_CATALOGUE));
  } else {
    const lines = RULE_CATALOGUE.map(
      ({ rule: r, commands }) =>
        `${r.id}  ${r.severity.padEnd(7)}  ${r.name}  [${commands.join(", ")}]\n       ${r.summary}`,
    );
    io.stdout(`${lines.join("\n")}\n`);
  }
  return EXIT_OK;
};
