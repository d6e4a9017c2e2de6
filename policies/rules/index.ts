/**
 * The configuration rules (run by `keykit check` and at synth time), in ID order. IDs are stable: a retired rule's ID
 * is never reused. The audit's own rules are in ./audit; every rule of the kit, with its commands, in ./catalogue.
 */
import type { Rule } from "../rule";
import { ApiKeyOwnedByServiceAccount } from "./kk001-api-key-owned-by-service-account";
import { GlobalApiKeyServesSupportedResources } from "./kk002-global-api-key-serves-supported-resources";
import { ApiKeyUnderRotation } from "./kk003-api-key-under-rotation";
import { ApiKeyYoungerThanMaxAge } from "./kk004-api-key-younger-than-max-age";
import { OutputsDoNotExposeSecrets } from "./kk005-outputs-do-not-expose-secrets";
import { SecretsOnlyInSecretStores } from "./kk006-secrets-only-in-secret-stores";
import { ProviderCredentialsFromEnvironment } from "./kk007-provider-credentials-from-environment";
import { ServiceAccountInUse } from "./kk008-service-account-in-use";
import { AtMostTwoKeysPerOwnerAndScope } from "./kk009-at-most-two-keys-per-owner-and-scope";
import { ApiKeyNotReplacedInPlace } from "./kk010-api-key-not-replaced-in-place";
import { RotationSpansTwoApplies } from "./kk011-rotation-spans-two-applies";
import { ActiveRotationSlotKept } from "./kk012-active-rotation-slot-kept";
import { PublishedKeyNotDeleted } from "./kk013-published-key-not-deleted";
import { OwnerWithKeysOnSeveralResourcesUsesGlobalKey } from "./kk014-owner-with-keys-on-several-resources-uses-global-key";

export {
  ApiKeyOwnedByServiceAccount,
  GlobalApiKeyServesSupportedResources,
  ApiKeyUnderRotation,
  ApiKeyYoungerThanMaxAge,
  OutputsDoNotExposeSecrets,
  SecretsOnlyInSecretStores,
  ProviderCredentialsFromEnvironment,
  ServiceAccountInUse,
  AtMostTwoKeysPerOwnerAndScope,
  ApiKeyNotReplacedInPlace,
  RotationSpansTwoApplies,
  ActiveRotationSlotKept,
  PublishedKeyNotDeleted,
  OwnerWithKeysOnSeveralResourcesUsesGlobalKey,
};
export { unsupportedReason } from "./kk002-global-api-key-serves-supported-resources";

export const ALL_RULES: readonly Rule[] = [
  ApiKeyOwnedByServiceAccount,
  GlobalApiKeyServesSupportedResources,
  ApiKeyUnderRotation,
  ApiKeyYoungerThanMaxAge,
  OutputsDoNotExposeSecrets,
  SecretsOnlyInSecretStores,
  ProviderCredentialsFromEnvironment,
  ServiceAccountInUse,
  AtMostTwoKeysPerOwnerAndScope,
  ApiKeyNotReplacedInPlace,
  RotationSpansTwoApplies,
  ActiveRotationSlotKept,
  PublishedKeyNotDeleted,
  OwnerWithKeysOnSeveralResourcesUsesGlobalKey,
];
