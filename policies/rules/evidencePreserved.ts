import { evidenceSnapshotsOf } from "../model/evidence";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";

export const evidencePreserved: StackRule = {
  kind: "stack",
  name: "exchange-evidence-preserved",
  description:
    "A host with a compromised assessment has a snapshot (compute.Snapshot, createOption Copy) of its OS disk, so evidence survives the rebuild.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps:
    "Before the compromised generation goes, snapshot its OS disk (compute.Snapshot with creationData.createOption Copy and sourceResourceId the OS disk id) and keep it with the memory image and logs (CISA ED 21-02: collect before changes).",
  url: `${DOCS}#exchange-evidence-preserved`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:IR-4", "nist-800-53:AU-9", "evidence"],
  schemas: [],
  evaluate(a) {
    const out: Violation[] = [];
    for (const host of a.hosts) {
      const g = a.gateOf(host);
      if (g.compromisedAssessments.length === 0) continue;
      if (evidenceSnapshotsOf(a.graph, host.vm).length > 0) continue;
      const c = g.compromisedAssessments[0].assessment;
      out.push({
        urn: host.urn,
        message: `host ${host.name} was found compromised (${c.label}) but no snapshot of its OS disk exists in this stack: add a compute.Snapshot with creationData.createOption Copy of the OS disk before rebuilding, so the evidence is kept.`,
      });
    }
    return out;
  },
};
