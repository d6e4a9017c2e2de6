/**
 * The AWS Secrets Manager sink: `GetSecretValue` (AWSCURRENT) through the AWS SDK v3 client, with the default
 * credential chain (environment, shared config, SSO, instance role …) and region resolution. `--aws-endpoint`
 * points the client elsewhere (tests, VPC endpoints). The SDK is loaded only when this sink is used.
 */
import { KeykitCliError } from "../errors";
import { DocumentError, type PublishedDocument, parseDocument } from "./document";
import { originOf } from "./http";

export interface AwsLocation {
  /** Secret name or ARN. */
  readonly secretId: string;
  readonly endpoint?: string;
  readonly region?: string;
  /** Credentials from the command's environment, when it has them; otherwise the SDK's default chain. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** The AWS SDK client is an optional peer dependency (package.json): only users of the AWS sink install it. */
export const AWS_SDK_PEER = { packageName: "@aws-sdk/client-secrets-manager", range: "^3.1164.0" } as const;

async function loadSecretsManagerSdk(): Promise<typeof import("@aws-sdk/client-secrets-manager")> {
  try {
    return await import("@aws-sdk/client-secrets-manager");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    throw new KeykitCliError(
      `verify: reading an AWS Secrets Manager sink needs the optional peer dependency ${AWS_SDK_PEER.packageName} ` +
        `(${AWS_SDK_PEER.range}), which is not installed: npm install ${AWS_SDK_PEER.packageName}@"${AWS_SDK_PEER.range}"`,
    );
  }
}

export async function readAwsDocument(aws: AwsLocation): Promise<PublishedDocument> {
  const { SecretsManagerClient, GetSecretValueCommand } = await loadSecretsManagerSdk();
  const client = new SecretsManagerClient({
    ...(aws.region ? { region: aws.region } : {}),
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
    maxAttempts: 3,
  });
  const from = `aws secret ${aws.secretId}`;
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: aws.secretId }));
    if (answer.SecretString === undefined) throw new DocumentError(`${from}: the current version has no SecretString`);
    return parseDocument(answer.SecretString, from);
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new KeykitCliError(`${from}: ${awsProblem(error, aws.endpoint)}`);
  } finally {
    client.destroy();
  }
}

/** One line from an SDK error: its name and status, never its message (which may quote the request). */
function awsProblem(error: unknown, endpoint: string | undefined): string {
  const name = (error as { name?: string }).name ?? "error";
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === "ResourceNotFoundException") return "no such secret (ResourceNotFoundException)";
  if (name === "AccessDeniedException")
    return "access denied (AccessDeniedException): check the AWS credentials and policy";
  if (name === "CredentialsProviderError") return "no AWS credentials found (default credential chain)";
  if (status === undefined) return `Secrets Manager${endpoint ? ` ${originOf(endpoint)}` : ""} unreachable (${name})`;
  return `Secrets Manager answered ${status} (${name})`;
}
