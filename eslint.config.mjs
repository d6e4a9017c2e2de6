import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".gen/", "cdktf.out/", ".tmp/", "coverage/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // cdktf constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
  {
    // policies/ works on JSON only: a cdktf import there would tie the engine to a synth runtime.
    files: ["policies/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["cdktf", "cdktf/*", "constructs", "*/.gen/*", "../constructs/*"] },
      ],
    },
  },
  {
    // Every framework import of the constructs goes through constructs/cdktf.ts, whose framework module
    // (constructs/framework/cdktf.ts or, in the cdktn build, cdktn.ts) is the one file that names the framework.
    files: ["constructs/**/*.ts"],
    ignores: ["constructs/framework/cdktf.ts", "constructs/framework/cdktn.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: ["cdktf", "cdktn"], patterns: ["cdktf/*", "cdktn/*"] }],
    },
  },
);
