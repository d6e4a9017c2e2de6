/**
 * `keykit rules [<ID>…]`: lists every rule of the kit (ID, severity, name, summary, and the commands that run it:
 * check, synth, audit), or shows the named rules in full; `--format json|markdown` for tooling and RULES.md.
 */
import { renderRulesMarkdown } from "../../policies/rules-doc";
import { type CataloguedRule, RULE_CATALOGUE } from "../../policies/rules/catalogue";
import { EXIT_OK, KeykitCliError } from "../errors";
import { type CommandSpec, commandSpec, nearestName, parseCommandLine, renderCommandHelp } from "../grammar";
import type { Command } from "../io";

const RULES_SPEC = commandSpec("rules") as CommandSpec;

/** The named rules, in the order asked; an unknown ID is a usage error with the nearest known one. */
function selectRules(ids: readonly string[]): readonly CataloguedRule[] {
  if (ids.length === 0) return RULE_CATALOGUE;
  return ids.map((id) => {
    const entry = RULE_CATALOGUE.find((e) => e.rule.id === id.toUpperCase());
    if (entry) return entry;
    const nearest = nearestName(
      id.toUpperCase(),
      RULE_CATALOGUE.map((e) => e.rule.id),
    );
    throw new KeykitCliError(`rules: no rule '${id}'${nearest ? `; did you mean '${nearest}'?` : ""}`);
  });
}

function fullText({ rule: r, commands }: CataloguedRule): string {
  return [
    `${r.id} ${r.name} [${r.severity}]  (${commands.join(", ")})`,
    `  ${r.summary}`,
    "",
    `  why: ${r.rationale}`,
    `  fix: ${r.fix}`,
    `  acknowledgeable: ${r.acknowledgeable}`,
    `  see: ${r.helpUri}`,
  ].join("\n");
}

export const run: Command = async (args, io) => {
  const line = parseCommandLine(RULES_SPEC, args);
  if (line.help) {
    io.stdout(renderCommandHelp(RULES_SPEC));
    return EXIT_OK;
  }
  const selected = selectRules(line.positionals);
  const format = line.values["--format"] ?? "text";
  if (format === "json") {
    const rules = selected.map(({ rule: { check: _check, ...meta }, commands }) => ({ ...meta, commands }));
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
  } else if (format === "markdown") {
    io.stdout(renderRulesMarkdown(selected));
  } else if (line.positionals.length > 0) {
    io.stdout(`${selected.map(fullText).join("\n\n")}\n`);
  } else {
    const lines = selected.map(
      ({ rule: r, commands }) =>
        `${r.id}  ${r.severity.padEnd(7)}  ${r.name}  [${commands.join(", ")}]\n       ${r.summary}`,
    );
    io.stdout(`${lines.join("\n")}\n`);
  }
  return EXIT_OK;
};
