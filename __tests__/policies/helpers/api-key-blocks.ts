/** The nested blocks of a `confluent_api_key` in the declarative stacks of one-stack.ts. */
import { type Arg, block } from "./one-stack";

/** A key's `owner` block: a user for a `u-…` id, else a service account (an id or a reference). */
export const ownerBlock = (owner: Arg) =>
  block({
    id: owner,
    api_version: "iam/v2",
    kind: typeof owner === "string" && owner.startsWith("u-") ? "User" : "ServiceAccount",
  });

/** A key's `managed_resource` block: a Kafka cluster of `environment` unless the API version and kind say else. */
export const managedResourceBlock = (id: Arg, environment: string, apiVersion = "cmk/v2", kind = "Cluster") =>
  block({ id, api_version: apiVersion, kind, environment: block({ id: environment }) });
