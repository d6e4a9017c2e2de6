/** Terraform state JSON (`terraform show -json`) resources, shared by the audit benchmark and the audit tests. */

/** A managed resource of the Confluent provider in state JSON. */
export function stateResource(type: string, name: string, values: Record<string, unknown>): Record<string, unknown> {
  return {
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/confluentinc/confluent",
    values,
  };
}
