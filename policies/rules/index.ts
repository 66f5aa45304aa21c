import { assessmentRecordValid } from "./assessmentRecordValid";
import { buildPatched } from "./buildPatched";
import { compromisedRebuiltFromScratch } from "./compromisedRebuiltFromScratch";
import { controlPlaneGuarded } from "./controlPlaneGuarded";
import { evidencePreserved } from "./evidencePreserved";
import { remediatedRequiresAssessment } from "./remediatedRequiresAssessment";
import { GuardRule } from "./types";
import { unverifiedIsolated } from "./unverifiedIsolated";
import { unverifiedNoPublicAttachment } from "./unverifiedNoPublicAttachment";
import { unverifiedNotInternetExposed } from "./unverifiedNotInternetExposed";
import { verifiedExposesOnlyClientPorts } from "./verifiedExposesOnlyClientPorts";

/** Every policy of the pack. The gate home comes first: the engine runs policies in this order. */
export const RULES: readonly GuardRule[] = [
  remediatedRequiresAssessment,
  buildPatched,
  compromisedRebuiltFromScratch,
  unverifiedNotInternetExposed,
  unverifiedIsolated,
  verifiedExposesOnlyClientPorts,
  evidencePreserved,
  controlPlaneGuarded,
  unverifiedNoPublicAttachment,
  assessmentRecordValid,
];

export {
  assessmentRecordValid,
  buildPatched,
  compromisedRebuiltFromScratch,
  controlPlaneGuarded,
  evidencePreserved,
  remediatedRequiresAssessment,
  unverifiedIsolated,
  unverifiedNoPublicAttachment,
  unverifiedNotInternetExposed,
  verifiedExposesOnlyClientPorts,
};
export type { GuardRule, ResourceRule, StackRule, Violation } from "./types";
