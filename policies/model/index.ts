/**
 * The model's surface for the rest of the project: `stacks/` and `cli/` import the model from here only (an ESLint
 * rule holds them to it), so the stacks' plan and the pack's gate are the same functions, and what the pack
 * considers internal can change without touching them. The policies themselves (`rules/`) use the modules directly.
 */
export { INTERNET, parseAddressPrefix } from "./addresses";
export { normalizeId, parseArmId } from "./armIds";
export {
  ASSESSMENT_KIND,
  assessmentStatus,
  CHECK_IDS,
  CVE_CHECKS,
  formatInstant,
  makeRecord,
  MSERT_FULL_SCAN,
  readRecordText,
  recordFileName,
  recordGeneration,
  recordText,
  WEBSHELL_SCAN,
  type AssessmentData,
  type AssessmentRecord,
  type CheckId,
  type RecordReading,
  type RecordVerdict,
  type WrittenRecord,
} from "./assessmentRecord";
export { StackAnalysis } from "./analysis";
export {
  CLOCK_SKEW_MS,
  GENERATION_RULE,
  isGeneration,
  newestFirst,
  parseInstant,
  readAssessmentRecord,
  type AssessmentFinding,
  type AssessmentLink,
  type AssessmentView,
} from "./assessments";
export { GATE_HOME, prefixSet, resolveClientPorts, resolveGate } from "./config";
export { EVIDENCE_PURPOSE, EVIDENCE_TAG, evidenceSnapshotName, generationName, hostOfName, osDiskName, parseGenerationName } from "./generationNames";
export { ENFORCEMENT_LEVELS, isEnforcementLevel, levelOfNumber, numberOfLevel, type EnforcementLevel } from "./enforcementLevels";
export { configMistakes, didYouMean } from "./configAudit";
export { NO_PUBLIC_IP_ON_NICS, NO_PUBLIC_IP_ON_NICS_NAME } from "./controlPlane";
export { describeService } from "./describe";
export { openToInternet, type Hop, type HopKind, type HopResource } from "./exposure";
export {
  explainHost,
  type ClosedBy,
  type FlowGroup,
  type HostPaths,
  type PathExplanation,
  type PathOrigin,
  type RuleStep,
  type Verdict,
} from "./explain";
export { includesWave, isKnownWave, parseExchangeBuild, WAVES, type Wave } from "./exchangeBuilds";
export { assessmentFindings, buildFindings, describeNewest, provenanceFinding, type GateConfig, type HostGate } from "./gate";
export { renderGateFinding, type GateFinding } from "./gateFindings";
export type { ResourceInput } from "./graph";
export { toResourceInput, toResourceInputs, type EngineResourceShape } from "./resourceInputs";
export type { Host, HostState } from "./hosts";
export { renderHostStateWhy, type HostStateWhy } from "./stateNotes";
export { imageReferenceVerdict } from "./images";
export { judgePlannedHosts, type PlannedGateHost } from "./plannedGate";
export type { Grant } from "./nsgEvaluator";
export type { IntervalSet } from "./intervalSet";
export { configImageProvenance, type CompromiseWitness } from "./provenance";
export { canonicalType, T, TYPE_INFO } from "./resourceTypes";
export { SECRET_SIG, SECRET_SIG_KEY, unwrapSecrets } from "./values";
