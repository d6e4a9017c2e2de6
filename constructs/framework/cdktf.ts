/**
 * The framework module of the cdktf build: every framework import of the kit comes from here (through
 * constructs/cdktf.ts). The cdktn build compiles the same sources with this file replaced by ./cdktn.ts
 * (scripts/cdktn-build.mjs); the two must export the same names (__tests__/cdktn/framework-modules.test.ts).
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
} from "cdktf";
export type {
  AppConfig,
  IAspect,
  IResolvable,
  ITerraformDependable,
  TerraformProviderGeneratorMetadata,
  TerraformResourceLifecycle,
} from "cdktf";
export type { FrameworkInfo } from "./framework-info";

export const FRAMEWORK: FrameworkInfo = { name: "cdktf", storeBindings: "provider-packages" };
