import * as path from "path";

/** The known-bad stack configs (test/fixtures/stacks), each with exactly the mandatory policies it must fail. */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "../fixtures/stacks");

/** The policy config every known-bad fixture is judged with (its forensics prefixes and the gate's pinned clock). */
export const KNOWN_BAD_POLICY_CONFIG = path.join(FIXTURE_STACKS_DIR, "known-bad.policy-config.json");

const EXPOSED_AND_NOT_ISOLATED = ["exchange-unverified-isolated", "exchange-unverified-not-internet-exposed"];

export const KNOWN_BAD: Readonly<Record<string, readonly string[]>> = {
  "bad-stale-assessment": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-unpatched-build": ["exchange-build-patched", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-short-logs": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-missing-check": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-unapproved-image": ["exchange-compromised-rebuilt-from-scratch", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-public-forensics": ["exchange-unverified-isolated"],
  "bad-extra-client-port": ["exchange-verified-exposes-only-client-ports"],
};
