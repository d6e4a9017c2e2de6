// Per test file: temp files go under this run's root (global-setup.js), never the machine's /tmp nor a directory
// another run uses. cdktf's Testing.app() creates temp dirs it never removes; the global teardown removes the root.
const fs = require("node:fs");
const path = require("node:path");
if (!process.env.KEYKIT_TEST_ROOT) {
  throw new Error("KEYKIT_TEST_ROOT is not set: run the tests through jest (its global setup makes the run's root)");
}
const dir = path.join(process.env.KEYKIT_TEST_ROOT, "tmp");
fs.mkdirSync(dir, { recursive: true });
process.env.TMPDIR = dir;
process.env.CHECKPOINT_DISABLE = "1";
