import { renderGateFinding } from "../model/gateFindings";
import { CISA_ED_21_02, DOCS, StackRule } from "./types";

export const buildPatched: StackRule = {
  kind: "stack",
  name: "exchange-build-patched",
  description:
    "The Exchange build in a remediated host's clean assessment includes the security update of securityBaseline for its CU; a CU without such an update fails.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Install the security update for the host's CU (or upgrade to a supported CU and install its update), read the build with HealthChecker, and record a new assessment with that exchangeBuild.",
  url: `${DOCS}#exchange-build-patched`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:SI-2", "gate"],
  schemas: [],
  evaluate(a) {
    return a.hosts.flatMap((h) => a.gateOf(h).buildPatched.map((f) => ({ urn: h.urn, message: renderGateFinding(f) })));
  },
};
