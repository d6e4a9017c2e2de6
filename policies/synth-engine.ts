/**
 * What the synth-time validation (constructs/policy-validation.ts) runs: the engine, the configuration loader and
 * the configuration rules, as one module.
 *
 * Why a module of its own: the build bundles its compiled output into one self-contained file (scripts/postbuild.mjs,
 * both frameworks' builds), so the first validating synth reads, resolves and compiles one file instead of 33. On a
 * 1,000-app stack that was ~10 ms of module loading, ~4.5 ms bundled: the synth-time policies are a fixed cost of every
 * synth. From the sources (the tests), this is a plain re-export of the same functions.
 */
export { evaluate } from "./engine";
export { loadConfiguration } from "./loaders/configuration";
export { ALL_RULES } from "./rules";
