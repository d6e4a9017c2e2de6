/**
 * The one place the kit's constructs import cdktf from.
 *
 * cdktf 0.21.0 is final (archived upstream); CDK Terrain (`cdktn`) keeps the same API. Switching the
 * kit over is an edit to this file (and to package.json), nothing else: ESLint forbids `cdktf`
 * imports anywhere else under constructs/.
 */
export {
  Annotations,
  App,
  Aspects,
  Fn,
  Lazy,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Token,
} from "cdktf";
export type { AppConfig, IAspect, IResolvable, ITerraformDependable } from "cdktf";
export { Construct } from "constructs";
export type { IConstruct } from "constructs";
