import { type Construct, TerraformOutput } from "../cdktf";
import { type PublishedCredentials, type SecretSink, claimSink, credentialsDocument } from "./secret-sink";

export interface SensitiveOutputSinkProps {
  /**
   * The output's description.
   * @default - "keykit: credentials of the active key of <construct path>"
   */
  readonly description?: string;
}

/**
 * For users without a secret store: the credentials document as one sensitive Terraform output (construct ID
 * `Credentials`), read with `terraform output -json`. Terraform never prints a sensitive output's value in plans.
 */
export class SensitiveOutputSink implements SecretSink {
  /** The output, once published. */
  output?: TerraformOutput;

  constructor(private readonly props: SensitiveOutputSinkProps = {}) {}

  publish(parent: Construct, credentials: PublishedCredentials): void {
    claimSink(this, parent, "SensitiveOutputSink");
    this.output = new TerraformOutput(parent, "Credentials", {
      value: credentialsDocument(credentials),
      sensitive: true,
      description: this.props.description ?? `keykit: credentials of the active key of ${parent.node.path}`,
    });
  }
}
