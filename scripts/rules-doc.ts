/** Writes RULES.md from the rule metadata (`npm run rules:doc`). __tests__/policies/rules-doc.test.ts fails when stale. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderRulesMarkdown } from "../policies/rules-doc";
import { ALL_RULES } from "../policies/rules";

writeFileSync(join(__dirname, "..", "RULES.md"), renderRulesMarkdown(ALL_RULES));
