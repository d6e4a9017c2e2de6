import { type Construct, type TerraformProvider, TerraformResource, type TerraformResourceLifecycle } from "../cdktf";

/** An attribute value of a store resource: a literal or token, a map of strings, or one nested block. */
export type StoreAttribute = string | number | boolean | Readonly<Record<string, string>> | StoreBlock;

/** A nested block (e.g. Kubernetes `metadata`), written as Terraform writes a block of at most one item. */
export class StoreBlock {
  constructor(readonly attributes: Readonly<Record<string, StoreAttribute | undefined>>) {}
}

export interface StoreResourceProps {
  /** The Terraform type, e.g. `azurerm_key_vault_secret`. */
  readonly type: string;
  /** The provider's local name (`azurerm`): the stack needs a provider construct of that name. */
  readonly providerName: string;
  /** Attributes in Terraform's snake_case; undefined ones are left out. */
  readonly attributes: Readonly<Record<string, StoreAttribute | undefined>>;
  readonly provider?: TerraformProvider;
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * A resource of a store provider written on cdktf's escape hatch, with the sink's own typed props: the Azure, GCP
 * and Kubernetes provider packages are 150-310 MB each, and a sink needs one resource type of them. The JSON (and
 * HCL) written is what the generated class of the same resource writes.
 */
export class StoreResource extends TerraformResource {
  private readonly attributes: Readonly<Record<string, StoreAttribute | undefined>>;

  constructor(scope: Construct, id: string, props: StoreResourceProps) {
    super(scope, id, {
      terraformResourceType: props.type,
      terraformGeneratorMetadata: { providerName: props.providerName },
      provider: props.provider,
      lifecycle: props.lifecycle,
    });
    this.attributes = props.attributes;
  }

  /** A reference to one of the resource's attributes (e.g. `id`). */
  attribute(name: string): string {
    return this.getStringAttribute(name);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return jsonOf(this.attributes);
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return hclOf(this.attributes);
  }
}

function defined(attributes: Readonly<Record<string, StoreAttribute | undefined>>): [string, StoreAttribute][] {
  return Object.entries(attributes).filter((entry): entry is [string, StoreAttribute] => entry[1] !== undefined);
}

function jsonOf(attributes: Readonly<Record<string, StoreAttribute | undefined>>): Record<string, unknown> {
  return Object.fromEntries(
    defined(attributes).map(([name, value]) => [name, value instanceof StoreBlock ? jsonOf(value.attributes) : value]),
  );
}

/** cdktf's HCL attribute descriptors, as generated bindings write them. */
function hclOf(attributes: Readonly<Record<string, StoreAttribute | undefined>>): Record<string, unknown> {
  return Object.fromEntries(
    defined(attributes).map(([name, value]) => {
      if (value instanceof StoreBlock) {
        return [name, { value: hclOf(value.attributes), isBlock: true, type: "list", storageClassType: `${name}List` }];
      }
      if (typeof value === "object") {
        return [name, { value, isBlock: false, type: "map", storageClassType: "stringMap" }];
      }
      return [name, { value, isBlock: false, type: "simple", storageClassType: typeof value }];
    }),
  );
}
