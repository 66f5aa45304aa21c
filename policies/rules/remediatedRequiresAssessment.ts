import { renderGateFinding } from "../model/gateFindings";
import { GATE_SCHEMA } from "../model/config";
import { CISA_ED_21_02, DOCS, StackRule } from "./types";

export const remediatedRequiresAssessment: StackRule = {
  kind: "stack",
  name: "exchange-remediated-requires-assessment",
  description:
    "A host marked remediated has a linked compromise assessment whose newest result is clean, well-formed, recent, covers every required check and reaches back to the investigation window start. This policy's config is the gate for every policy.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Run Test-ProxyLogon.ps1 and a full MSERT scan on the host, ingest the output with `exchange-guard ingest`, add the record to the host's assessments in the stack config and link the security.Assessment to the VM (resourceId: vm.id). Patched is not clean: until then keep the host unverified and isolated.",
  url: `${DOCS}#exchange-remediated-requires-assessment`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:IR-4", "nist-800-53:SI-4", "gate"],
  schemas: [GATE_SCHEMA],
  evaluate(a) {
    return a.hosts.flatMap((h) => a.gateOf(h).requiresAssessment.map((f) => ({ urn: h.urn, message: renderGateFinding(f) })));
  },
};
