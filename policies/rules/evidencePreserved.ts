import { normalizeId, parseArmId } from "../model/armIds";
import { GraphNode } from "../model/graph";
import { T } from "../model/resourceTypes";
import { field, isIndeterminate, path, str } from "../model/values";
import { StackAnalysis } from "../model/analysis";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";

/** Does this snapshot copy the host VM's OS disk? By disk id, by disk name, or by URN dependency when ids are unknown. */
function snapshotOfOsDisk(a: StackAnalysis, snap: GraphNode, vm: GraphNode): boolean {
  const creation = field(snap.props, "creationData");
  const option = str(field(creation, "createOption"));
  if (typeof option !== "string" || option.trim().toLowerCase() !== "copy") return false;
  const source = str(field(creation, "sourceResourceId"));
  const osDisk = path(vm.props, "storageProfile", "osDisk");
  const diskId = str(path(osDisk, "managedDisk", "id"));
  const diskName = str(field(osDisk, "name"));
  if (typeof source === "string") {
    if (typeof diskId === "string" && normalizeId(diskId) === normalizeId(source)) return true;
    const parsed = parseArmId(source);
    return (
      parsed.type === "microsoft.compute/disks" &&
      typeof diskName === "string" &&
      parsed.names[0]?.toLowerCase() === diskName.toLowerCase() &&
      (vm.rg === undefined || parsed.resourceGroup === undefined || vm.rg === parsed.resourceGroup)
    );
  }
  if (isIndeterminate(source)) {
    // The source is an output of the VM (its OS disk id), unknown at preview: the dependency says which VM.
    return a.graph.dependencyCandidates(snap, "creationData", [T.VM]).includes(vm);
  }
  return false;
}

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
    const snapshots = a.graph.ofType(T.Snapshot);
    const out: Violation[] = [];
    for (const host of a.hosts) {
      const g = a.gateOf(host);
      if (g.compromisedAssessments.length === 0) continue;
      if (snapshots.some((s) => snapshotOfOsDisk(a, s, host.vm))) continue;
      const c = g.compromisedAssessments[0].assessment;
      out.push({
        urn: host.urn,
        message: `host ${host.name} was found compromised (${c.label}) but no snapshot of its OS disk exists in this stack: add a compute.Snapshot with creationData.createOption Copy of the OS disk before rebuilding, so the evidence is kept.`,
      });
    }
    return out;
  },
};
