/** keykit/policies: the pure rule engine (no cdktf import), its model, rules, loaders and reporters. */
export * from "./metadata";
export * from "./model";
export * from "./rule";
export * from "./report";
export * from "./engine";
export * from "./acknowledgements";
