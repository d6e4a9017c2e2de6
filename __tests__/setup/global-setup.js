// One run's own temporary roots (see run-root.js); the workers jest starts after this inherit the variables.
const { makeRunRoots } = require("./run-root");
module.exports = async () => {
  const { root, shared } = makeRunRoots();
  process.env.KEYKIT_TEST_ROOT = root;
  process.env.KEYKIT_TEST_SHARED = shared;
};
