/**
 * The stores `keykit verify` reads beside Vault, AWS and a Terraform output: Kubernetes Secrets, Azure Key Vault
 * and GCP Secret Manager (constructs/secret-sinks/*). Each reader loads its client only when its store is used.
 */
import type { PublishedDocument } from "./document";
import type { StoreSink } from "./store-args";
import type { AzureOverrides } from "./azure";

/** Test seams per store (the in-cluster credentials' directory, Azure's token source and TLS trust). */
export interface StoreOverrides {
  readonly kubernetesInClusterDir?: string;
  readonly azure?: AzureOverrides;
}

export async function readStoreDocument(
  sink: StoreSink,
  env: Readonly<Record<string, string | undefined>>,
  overrides: StoreOverrides = {},
): Promise<PublishedDocument> {
  switch (sink.kind) {
    case "kubernetes": {
      const { readKubernetesDocument, IN_CLUSTER_DIR } = await import("./kubernetes");
      return readKubernetesDocument(sink, env, overrides.kubernetesInClusterDir ?? IN_CLUSTER_DIR);
    }
    case "azure":
      return (await import("./azure")).readAzureDocument(sink, overrides.azure);
    case "gcp":
      return (await import("./gcp")).readGcpDocument({
        secret: sink.secret,
        endpoint: sink.endpoint,
        accessToken: env.GOOGLE_OAUTH_ACCESS_TOKEN || undefined,
      });
  }
}
