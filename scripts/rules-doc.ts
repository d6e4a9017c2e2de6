/** Writes RULES.md from the rule catalogue (`npm run rules:doc`). __tests__/policies/cli-check.test.ts fails when stale. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderRulesMarkdown } from "../policies/rules-doc";
import { RULE_CATALOGUE } from "../policies/rules/catalogue";

writeFileSync(join(__dirname, "..", "RULES.md"), renderRulesMarkdown(RULE_CATALOGUE));
