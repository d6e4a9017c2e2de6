/**
 * Writes the README's generated CLI reference from the grammar (`npm run cli:doc`), between the
 * `<!-- cli-reference:start -->` and `<!-- cli-reference:end -->` markers. __tests__/cli/grammar.test.ts fails when stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCliReference } from "../cli/cli-reference";

const readme = join(__dirname, "..", "README.md");
writeFileSync(readme, withCliReference(readFileSync(readme, "utf8")));
