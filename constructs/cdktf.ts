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
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
} from "cdktf";
export type { AppConfig, IAspect, IResolvable, ITerraformDependable } from "cdktf";
export { Construct } from "constructs";
export type { IConstruct } from "constructs";

import { DefaultTokenResolver, StringConcat, TerraformStack as Stack, Tokenization } from "cdktf";
import type { IConstruct as AnyConstruct } from "constructs";

/**
 * Resolves a token (e.g. `sa.id`) to its Terraform expression (`${confluent_service_account.sa.id}`) at
 * construction time, so constructs can tell what a reference points to and refuse early. Used only for
 * inspection: the value written to the JSON is still the token.
 */
export function expressionOf(scope: AnyConstruct, value: string): string {
  const resolved: unknown = Tokenization.resolve(value, {
    scope: Stack.of(scope),
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
  return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
}

/** Resolves every token in a JSON-like value to its Terraform expression, as synth would write it. */
export function resolveTokens<T>(scope: AnyConstruct, value: T): T {
  return Tokenization.resolve(value, {
    scope: Stack.of(scope),
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as T;
}
