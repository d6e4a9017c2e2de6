/**
 * The construct tests against the cdktn build (`npm run test:cdktn`): the same test files, with the kit's modules
 * (constructs/, testing/, .gen/) resolved to the compiled cdktn build in .tmp/cdktn/build/, and `cdktf` (which the
 * tests and the prebuilt @cdktf/provider-* packages they use import) resolved to cdktn, as a migrated app would
 * import it; `constructs` is cdktn's one copy (10.7).
 * @type {import('jest').Config}
 */
const base = require("../../jest.config.js");

const toolchain = "<rootDir>/.tmp/cdktn";

module.exports = {
  ...base,
  rootDir: "../..",
  testMatch: [
    "<rootDir>/__tests__/constructs/**/*.test.ts",
    "<rootDir>/__tests__/foundation/**/*.test.ts",
    "<rootDir>/__tests__/cdktn/**/*.test.ts",
  ],
  testPathIgnorePatterns: [
    "/node_modules/",
    // These run the docs' examples and package checks on the cdktf sources through tsx; test:cdktn synthesizes
    // the docs' examples on cdktn itself, and the package files are framework-free.
    "/__tests__/constructs/blue-green-readme.test.ts",
    "/__tests__/foundation/readme.test.ts",
    "/__tests__/foundation/quick-start.test.ts",
    "/__tests__/foundation/package.test.ts",
  ],
  // cdktn's Testing.fullSynth leaves the default local backend in the stack, so a later Testing.synth of that same
  // stack writes it too (cdktf 0.21 does not): a framework difference in synthesizing one stack twice, not the kit's.
  testNamePattern: "^(?!.*the JSON written is the same with and without the validation)",
  moduleNameMapper: {
    "^(?:\\.\\./)+(constructs|testing|\\.gen)((?:/.*)?)$": `${toolchain}/build/$1$2`,
    "^cdktf$": `${toolchain}/node_modules/cdktn`,
    "^cdktn$": `${toolchain}/node_modules/cdktn`,
    "^constructs$": `${toolchain}/node_modules/constructs`,
  },
};
