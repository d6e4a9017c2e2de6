/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Type errors are caught by `npm run typecheck`; transpiling only keeps the suite fast.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFiles: ["<rootDir>/__tests__/setup/env.js"],
  globalSetup: "<rootDir>/__tests__/setup/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/setup/global-teardown.js",
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker (cores - 1), which runs the files one after another: two
  // workers use both cores (the suite's files share no state: each makes its own temp directory).
  maxWorkers: 2,
};
