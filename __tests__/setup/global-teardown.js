// Removes this run's roots only: another run in the same clone keeps its own.
const { removeRunRoots } = require("./run-root");
module.exports = async () => {
  removeRunRoots({ root: process.env.KEYKIT_TEST_ROOT, shared: process.env.KEYKIT_TEST_SHARED });
};
