// The import renames a cdktf app makes to move to CDK Terrain (the fork's migration guide: rename the packages and
// imports), plus keykit's own: `keykit` becomes `keykit/cdktn`, and the store providers without a prebuilt cdktn
// package come from the kit. Used on the example app (main.ts) and the docs' cdktf examples in `npm run test:cdktn`;
// the kit's own sources are never rewritten (their framework is swapped in constructs/framework/).
const RENAMES = [
  [/from "cdktf"/g, 'from "cdktn"'],
  [
    /import \{ VaultProvider \} from "@cdktf\/provider-vault\/lib\/provider";/g,
    'import { VaultStoreProvider as VaultProvider } from "keykit";',
  ],
  [
    /import \{ AwsProvider \} from "@cdktf\/provider-aws\/lib\/provider";/g,
    'import { AwsStoreProvider as AwsProvider } from "keykit";',
  ],
  [/from "keykit((?:\/[a-z0-9/*-]+)?)"/g, 'from "keykit/cdktn$1"'],
];

/** `source` with the cdktf-to-cdktn renames applied. */
export function migrateToCdktn(source) {
  return RENAMES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), source);
}

/**
 * The reverse, for the docs' CDK Terrain examples (they use the kit's store providers, so nothing else differs):
 * `cdktn` becomes `cdktf` and `keykit/cdktn…` becomes `keykit…`. __tests__/helpers/docs.ts does the same in jest.
 */
export function migrateToCdktf(source) {
  return source
    .replace(/from "cdktn"/g, 'from "cdktf"')
    .replace(/from "keykit\/cdktn((?:\/[a-z0-9/*-]+)?)"/g, 'from "keykit$1"');
}

/** Whether an example is written for CDK Terrain (it imports the framework as `cdktn`). */
export function isCdktnExample(source) {
  return /from "cdktn"/.test(source);
}

/**
 * Points the `keykit` imports of an app at a build of the kit: `root` is the build's folder (dist/ or
 * .tmp/cdktn/build/), `framework` tells which subpaths are in use (`keykit/cdktn/…` for cdktn).
 */
export function pointAtBuild(source, root, framework) {
  const prefix = framework === "cdktn" ? "keykit/cdktn" : "keykit";
  const escaped = prefix.replace("/", "\\/");
  return source
    .replace(
      new RegExp(`from "${escaped}/confluent/lib/([a-z0-9-]+)"`, "g"),
      `from "${root}/.gen/providers/confluent/$1"`,
    )
    .replace(new RegExp(`from "${escaped}/confluent"`, "g"), `from "${root}/.gen/providers/confluent"`)
    .replace(new RegExp(`from "${escaped}/(testing|policies)"`, "g"), `from "${root}/$1"`)
    .replace(new RegExp(`from "${escaped}"`, "g"), `from "${root}/constructs"`);
}
