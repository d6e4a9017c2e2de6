/**
 * The one place the kit's constructs import their framework from.
 *
 * cdktf 0.21.0 is final (archived upstream); CDK Terrain (`cdktn`) keeps the same API. The framework itself is
 * chosen at build time in ./framework/: the cdktf build compiles ./framework/cdktf.ts, the cdktn build
 * (scripts/cdktn-build.mjs) the same sources with ./framework/cdktn.ts in its place. ESLint forbids `cdktf` and
 * `cdktn` imports anywhere else under constructs/.
 */
// Everything the framework module exports, under the same names: a list kept here as well would be a third copy
// of the two modules' lists, to keep in step by hand.
export * from "./framework/cdktf";
export { Construct } from "constructs";
export type { IConstruct } from "constructs";

import { DefaultTokenResolver, StringConcat, TerraformStack as Stack, Token, Tokenization } from "./framework/cdktf";
import type { IConstruct as AnyConstruct } from "constructs";

/**
 * Resolves a token (e.g. `sa.id`) to its Terraform expression (`${confluent_service_account.sa.id}`) at
 * construction time, so constructs can tell what a reference points to and refuse early. Used only for
 * inspection: the value written to the JSON is still the token. A literal comes back as it is.
 */
export function expressionOf(scope: AnyConstruct, value: string): string {
  // Resolving builds a resolve context: not worth it for the literal most values are.
  if (!Token.isUnresolved(value)) return value;
  const resolved: unknown = Tokenization.resolve(value, {
    scope: Stack.of(scope),
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
  return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
}

/**
 * Resolves every token in a JSON-like value to its Terraform expression, as synth would write it. A value without
 * tokens comes back as it is (most of the kit's metadata, resolved once per resource in every synth).
 */
export function resolveTokens<T>(scope: AnyConstruct, value: T): T {
  if (!containsToken(value)) return value;
  return Tokenization.resolve(value, {
    scope: Stack.of(scope),
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as T;
}

function containsToken(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsToken);
  if (value !== null && typeof value === "object") {
    return Token.isUnresolved(value) || Object.values(value).some(containsToken);
  }
  return false;
}
