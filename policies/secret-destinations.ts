/**
 * TEMPORARY local copy (branch i9core) of the API branch i9rules owns: replaced by their file on merge.
 * Only the two stores and the top-level `credentials` consumer the kit knew before issue #9.
 */
export interface SecretStoreSpec {
  readonly type: string;
  readonly valueAttributes: readonly string[];
  readonly writeOnlyAttributes: readonly string[];
  readonly note?: string;
}

export const SECRET_STORES: readonly SecretStoreSpec[] = [
  { type: "vault_kv_secret_v2", valueAttributes: ["data_json"], writeOnlyAttributes: ["data_json_wo"] },
  {
    type: "aws_secretsmanager_secret_version",
    valueAttributes: ["secret_string"],
    writeOnlyAttributes: ["secret_string_wo"],
  },
];

/** The store spec when a resource of `type` with these (configuration/planned) values is a secret store. */
export function secretStoreFor(type: string, values: Readonly<Record<string, unknown>>): SecretStoreSpec | undefined {
  void values;
  return SECRET_STORES.find((s) => s.type === type);
}

/** Whether a key secret at `path` inside a resource/data source of `type` is a Confluent credential consumer. */
export function isCredentialConsumer(
  type: string,
  mode: "managed" | "data",
  path: readonly (string | number)[],
): boolean {
  void mode;
  return type.startsWith("confluent_") && path.includes("credentials");
}
