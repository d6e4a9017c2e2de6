/**
 * The flags of the Kubernetes, Azure Key Vault and GCP Secret Manager sinks of `keykit verify` (declared in
 * cli/grammar.ts): which store, and the companions that only apply to it.
 */
import { KeykitCliError } from "../errors";

export type StoreSink =
  | {
      readonly kind: "kubernetes";
      readonly namespace: string;
      readonly name: string;
      readonly key: string;
      readonly context?: string;
    }
  | { readonly kind: "azure"; readonly vaultUrl: string; readonly secretName: string }
  | { readonly kind: "gcp"; readonly secret: string; readonly endpoint?: string };

/** The flag that picks each store. */
export const STORE_FLAGS = ["--kubernetes-secret", "--azure-secret", "--gcp-secret"] as const;

const COMPANIONS: Readonly<Record<(typeof STORE_FLAGS)[number], readonly string[]>> = {
  "--kubernetes-secret": ["--kubernetes-key", "--kubernetes-context"],
  "--azure-secret": ["--azure-vault-url"],
  "--gcp-secret": ["--gcp-endpoint"],
};

/** As the KubernetesSecretSink validates them: a DNS label, a DNS subdomain, a data key. */
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DATA_KEY = /^[-._A-Za-z0-9]{1,253}$/;
const AZURE_NAME = /^[0-9A-Za-z-]{1,127}$/;
const GCP_SECRET =
  /^projects\/[A-Za-z0-9._:-]{1,100}\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|[0-9]{1,20}))?$/;

export function storeSinkOf(values: Readonly<Record<string, string>>): StoreSink | undefined {
  for (const flag of STORE_FLAGS)
    for (const companion of COMPANIONS[flag])
      if (values[companion] !== undefined && values[flag] === undefined)
        throw new KeykitCliError(`${companion} only applies with ${flag}`);
  if (values["--kubernetes-secret"] !== undefined) return kubernetesSink(values);
  if (values["--azure-secret"] !== undefined) return azureSink(values);
  if (values["--gcp-secret"] !== undefined) return gcpSink(values);
  return undefined;
}

function kubernetesSink(values: Readonly<Record<string, string>>): StoreSink {
  const [namespace, name, ...rest] = values["--kubernetes-secret"].split("/");
  if (rest.length > 0 || !NAMESPACE.test(namespace ?? "") || !SECRET_NAME.test(name ?? ""))
    throw new KeykitCliError("--kubernetes-secret must be <namespace>/<name> (a DNS label, a slash, a DNS subdomain)");
  const key = values["--kubernetes-key"] ?? "credentials.json";
  if (!DATA_KEY.test(key)) throw new KeykitCliError("--kubernetes-key must be letters, digits, '-', '_', '.'");
  return { kind: "kubernetes", namespace, name, key, context: values["--kubernetes-context"] };
}

function azureSink(values: Readonly<Record<string, string>>): StoreSink {
  const secretName = values["--azure-secret"];
  if (!AZURE_NAME.test(secretName))
    throw new KeykitCliError("--azure-secret must be letters, digits and '-' (1-127 characters)");
  const vaultUrl = values["--azure-vault-url"];
  if (vaultUrl === undefined)
    throw new KeykitCliError("--azure-secret needs --azure-vault-url https://<vault>.vault.azure.net");
  if (!vaultUrl.startsWith("https://")) throw new KeykitCliError("--azure-vault-url must be an https URL");
  return { kind: "azure", vaultUrl, secretName };
}

function gcpSink(values: Readonly<Record<string, string>>): StoreSink {
  const secret = values["--gcp-secret"];
  if (!GCP_SECRET.test(secret))
    throw new KeykitCliError("--gcp-secret must be projects/<project>/secrets/<id> (optionally /versions/<n|latest>)");
  return { kind: "gcp", secret, endpoint: values["--gcp-endpoint"] };
}
