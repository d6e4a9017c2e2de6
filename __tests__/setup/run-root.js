// Where one `npm test` run keeps its files. Every run has its own pair of directories, made by the global setup and
// removed by the global teardown, so two runs in one clone never share (or delete) each other's files:
//   KEYKIT_TEST_ROOT   <repo>/.tmp/jest-<pid>-<random>: inside the repository, so code written there resolves the
//                      repository's node_modules (cdktf's Testing.app() temp dirs land here too, via TMPDIR);
//   KEYKIT_TEST_SHARED <system tmp>/keykit-jest-<pid>-<random>, mode 0755: for the cases that run the bin as an
//                      unprivileged user, who may not be able to enter the clone (a clone under a 0700 home).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO_TMP = path.join(__dirname, "..", "..", ".tmp");

function makeRunRoots() {
  fs.mkdirSync(REPO_TMP, { recursive: true });
  const root = fs.mkdtempSync(path.join(REPO_TMP, `jest-${process.pid}-`));
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), `keykit-jest-${process.pid}-`));
  fs.chmodSync(shared, 0o755);
  return { root, shared };
}

function removeRunRoots(roots) {
  for (const dir of [roots.root, roots.shared]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

module.exports = { makeRunRoots, removeRunRoots, REPO_TMP };
