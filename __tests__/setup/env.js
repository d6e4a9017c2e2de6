// cdktf's Testing.app() creates temp dirs it never removes: keep them inside the project
// (.tmp/jest, removed by the global teardown) rather than littering the machine's /tmp.
const path = require("node:path");
const fs = require("node:fs");
const dir = path.join(__dirname, "..", "..", ".tmp", "jest");
fs.mkdirSync(dir, { recursive: true });
process.env.TMPDIR = dir;
process.env.CHECKPOINT_DISABLE = "1";
