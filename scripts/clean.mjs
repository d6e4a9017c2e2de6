#!/usr/bin/env node
// Removes the given directories (portable `rm -rf`): `cdktf synth` never cleans cdktf.out, so a
// stack deleted from main.ts would otherwise survive as stale JSON and be reviewed by mistake.
import { rmSync } from "node:fs";
for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
