/**
 * The Confluent provider bindings the kit's constructs use, generated offline by `npm ci` (scripts/gen-bindings.mjs)
 * from schema/schema.json into .gen/. Importing them through this module keeps the generated paths in one place.
 * Users get all of them as `keykit/confluent` (package.json `exports`); the kit itself loads only these.
 */
export { ConfluentProvider } from "../.gen/providers/confluent/provider";
export { ApiKey } from "../.gen/providers/confluent/api-key";
export { ServiceAccount } from "../.gen/providers/confluent/service-account";
export { RoleBinding } from "../.gen/providers/confluent/role-binding";
