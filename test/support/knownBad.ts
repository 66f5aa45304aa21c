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

/**
 * Where `pulumi up --skip-preview` of each fixture stops at admission. A host whose VM the pack can already judge is
 * refused at its VM, which is never created. A host marked remediated whose gate fails only on its assessment is
 * refused at that assessment: the assessment names its VM's id, so the engine registers it after the VM exists, and
 * until then the pack holds the host only to what is wrong either way (docs/threat-model.md, "What admission cannot stop").
 */
export const REFUSED_AT_ADMISSION: Readonly<Record<string, "VirtualMachine" | "Assessment">> = {
  "bad-stale-assessment": "Assessment",
  "bad-unpatched-build": "Assessment",
  "bad-short-logs": "Assessment",
  "bad-missing-check": "Assessment",
  "bad-unapproved-image": "VirtualMachine",
  "bad-public-forensics": "VirtualMachine",
  "bad-extra-client-port": "VirtualMachine",
};
