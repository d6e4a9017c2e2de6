/**
 * Confluent Cloud audit-log authentication records in the two documented CloudEvents shapes, shared by the audit
 * benchmark's generator and the audit-log tests' fixtures: the Kafka authentication event
 * (`data.authenticationInfo.metadata.identifier`, `data.result.status`) and the newer cloudResources shape of Schema
 * Registry / Flink (`data.authenticationInfo.credentials.idSecretCredentials.credentialId`,
 * `data.authenticationInfo.result`). Fields the kit does not read are filled in as the service writes them.
 */

/** What varies between two authentication records of either shape. */
export interface AuthenticationFields {
  readonly id: string;
  readonly time: string;
  /** The API key id that authenticated. */
  readonly key: string;
  /** `SUCCESS`, or a failure such as `UNAUTHENTICATED`. */
  readonly status: string;
  /** The key's owner (`sa-…`), shown as the principal. */
  readonly serviceAccount: string;
}

/** A Kafka cluster authentication record (`io.confluent.kafka.server/authentication`) of the cluster `crn`. */
export function kafkaAuthenticationRecord(
  fields: AuthenticationFields & { readonly crn: string; readonly clientAddress: string },
  extraData: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const { crn, status } = fields;
  const success = status === "SUCCESS";
  return {
    datacontenttype: "application/json",
    data: {
      serviceName: "crn://confluent.cloud/",
      methodName: "kafka.Authentication",
      resourceName: crn,
      authenticationInfo: {
        principal: success ? `User:${fields.serviceAccount}` : "",
        metadata: { mechanism: "SASL_SSL/PLAIN", identifier: fields.key },
      },
      requestMetadata: { client_address: fields.clientAddress },
      result: { status, message: success ? "" : "Authentication failed" },
      ...extraData,
    },
    subject: crn,
    specversion: "1.0",
    id: fields.id,
    source: crn,
    time: fields.time,
    type: "io.confluent.kafka.server/authentication",
  };
}

/** A Schema Registry authentication record in the cloudResources shape (`io.confluent.sg.server/authentication`). */
export function schemaRegistryAuthenticationRecord(
  fields: AuthenticationFields & {
    /** The registry's CRN. */
    readonly subject: string;
    readonly cloudResource: Readonly<Record<string, unknown>>;
    readonly requestId: string;
    readonly clientIp: string;
  },
  extraData: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: fields.id,
    source: "crn://confluent.cloud/",
    type: "io.confluent.sg.server/authentication",
    datacontenttype: "application/json",
    subject: fields.subject,
    time: fields.time,
    data: {
      serviceName: "crn://confluent.cloud/",
      methodName: "schema-registry.Authentication",
      cloudResources: [fields.cloudResource],
      authenticationInfo: {
        principal: { confluentServiceAccount: { resourceId: fields.serviceAccount } },
        credentials: { idSecretCredentials: { credentialId: fields.key }, mechanism: "HTTP_BASIC" },
        result: fields.status,
      },
      requestMetadata: { requestId: [fields.requestId], clientAddress: [{ ip: fields.clientIp }] },
      ...extraData,
    },
  };
}
