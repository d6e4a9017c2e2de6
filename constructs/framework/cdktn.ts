/**
 * The framework module of the cdktn (CDK Terrain) build: scripts/cdktn-build.mjs compiles the kit's sources with
 * ./cdktf.ts replaced by this file, so the constructs extend cdktn's classes and share the app's one copy of
 * `constructs`. Not part of the cdktf build or type-check (cdktn is installed only by `npm run test:cdktn`); the
 * two modules must export the same names (__tests__/cdktn/framework-modules.test.ts).
 */
import type { FrameworkInfo } from "./framework-info";

export {
  Annotations,
  App,
  Aspects,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from "cdktn";
export type {
  AppConfig,
  IAspect,
  IResolvable,
  ITerraformDependable,
  TerraformProviderGeneratorMetadata,
  TerraformResourceLifecycle,
} from "cdktn";
export type { FrameworkInfo } from "./framework-info";

export const FRAMEWORK: FrameworkInfo = { name: "cdktn", storeBindings: "escape-hatch" };
