/**
 * The public policy names (docs/contract.md#policies-and-enforcement), written out once for the tests: users configure the policies by
 * these names, so the tests pin them as literals rather than reading them back from the rules.
 */
export const REQUIRES = "exchange-remediated-requires-assessment";
export const BUILD = "exchange-build-patched";
export const REBUILD = "exchange-compromised-rebuilt-from-scratch";
export const EXPOSED = "exchange-unverified-not-internet-exposed";
export const ISOLATED = "exchange-unverified-isolated";
export const CLIENT_PORTS = "exchange-verified-exposes-only-client-ports";
export const NO_PUBLIC_ATTACHMENT = "exchange-unverified-no-public-attachment";
export const RECORD_VALID = "exchange-assessment-record-valid";
export const EVIDENCE = "exchange-evidence-preserved";
export const CONTROL_PLANE = "exchange-control-plane-guarded";
