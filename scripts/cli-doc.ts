/**
 * Writes the generated CLI reference of docs/cli.md from the grammar (`npm run cli:doc`), between the
 * `<!-- cli-reference:start -->` and `<!-- cli-reference:end -->` markers. __tests__/cli/integrations.test.ts fails
 * when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCliReference } from "../cli/cli-reference";

const reference = join(__dirname, "..", "docs", "cli.md");
writeFileSync(reference, withCliReference(readFileSync(reference, "utf8")));
