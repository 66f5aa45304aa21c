import { renderGateFinding } from "../model/gateFindings";
import { CISA_ED_21_02, DOCS, StackRule } from "./types";

export const compromisedRebuiltFromScratch: StackRule = {
  kind: "stack",
  name: "exchange-compromised-rebuilt-from-scratch",
  description:
    "A host with any compromised assessment is never marked remediated: it is replaced by a new VM. Every Exchange host's OS disk is created from an image (from approvedImages when set), never an attached, reused disk, and never from an image, disk or snapshot that descends from an Exchange host.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Raise the host's generation: the stacks snapshot the old OS disk for evidence, build a new VM from the trusted image with fresh credentials, and start it unverified. Never attach the old disk to the new VM, and never build the new VM from an image, snapshot, gallery version or restore point made from an Exchange host: its evidence snapshot stays evidence.",
  url: `${DOCS}#exchange-compromised-rebuilt-from-scratch`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:IR-4", "nist-800-53:CM-2", "gate"],
  schemas: [],
  evaluate(a) {
    return a.hosts.flatMap((h) => a.gateOf(h).rebuiltFromScratch.map((f) => ({ urn: h.urn, message: renderGateFinding(f) })));
  },
};
