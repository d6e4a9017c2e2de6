import type { Construct, TerraformProvider } from "../cdktf";
import type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
import { StoreBlock, StoreResource } from "./store-resource";
import { publicationOf, requireMatch, valueAttributes } from "./store-sink";

export interface KubernetesSecretSinkProps extends WriteOnlyOption {
  /** The Secret's name (a DNS subdomain: lower-case letters, digits, '-', '.'). */
  readonly name: string;
  /** The namespace (a DNS label). */
  readonly namespace: string;
  /**
   * The key of the Secret's data that holds the credentials document.
   * @default "credentials.json"
   */
  readonly key?: string;
  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The kubernetes provider to use (for another cluster).
   * @default - the stack's default `kubernetes` provider
   */
  readonly provider?: TerraformProvider;
}

const NAME = "KubernetesSecretSink";
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DATA_KEY = /^[-._A-Za-z0-9]{1,253}$/;

/**
 * Publishes the active key to a Kubernetes Secret: one `kubernetes_secret_v1` (construct ID `PublishedSecret`,
 * type `Opaque`) with the document under `key`. A rotation updates the Secret's data in place; pods that mount it
 * see the new document when the kubelet refreshes the volume (environment variables only on a restart). With
 * `writeOnly`, the data goes to `data_wo` (kubernetes provider 2.x; this sink follows the 2.38 schema) and `data_wo_revision` counts the rotations.
 * Written on cdktf's escape hatch: `@cdktf/provider-kubernetes` is not needed at run time; the stack needs a
 * `kubernetes` provider (e.g. `KubernetesProvider` from `@cdktf/provider-kubernetes/lib/provider`).
 */
export class KubernetesSecretSink implements SecretSink {
  /** The Secret resource, once published. */
  secret?: StoreResource;

  constructor(private readonly props: KubernetesSecretSinkProps) {
    const checks: [string, unknown, RegExp, string][] = [
      ["name", props?.name, SUBDOMAIN, "a DNS subdomain (lower-case letters, digits, '-', '.')"],
      ["namespace", props?.namespace, LABEL, "a DNS label (lower-case letters, digits, '-')"],
      ["key", props?.key ?? "credentials.json", DATA_KEY, "letters, digits, '-', '_', '.'"],
    ];
    for (const [field, value, pattern, what] of checks) requireMatch(NAME, field, value, pattern, `must be ${what}`);
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    const publication = publicationOf(this, NAME, parent, credentials, this.props.writeOnly);
    const { name, namespace, labels, provider } = this.props;
    const data = { [this.props.key ?? "credentials.json"]: publication.document };
    this.secret = new StoreResource(parent, "PublishedSecret", {
      type: "kubernetes_secret_v1",
      providerName: "kubernetes",
      provider,
      attributes: {
        metadata: new StoreBlock({ name, namespace, labels }),
        type: "Opaque",
        ...valueAttributes(publication, { plain: "data", writeOnly: "data_wo", version: "data_wo_revision" }, data),
      },
    });
  }
}
