import { normalizeId, parseArmId } from "./armIds";
import { GraphNode, ResourceGraph } from "./graph";
import { T } from "./resourceTypes";
import { field, isIndeterminate, path, str } from "./values";

/**
 * Does this snapshot copy the host VM's OS disk (`creationData.createOption` Copy)? By the disk id, by the disk name in
 * the same resource group, or, while the source id is unknown at preview, by the dependency of `creationData` on the VM.
 * One reading of "evidence" for every policy that asks (evidence kept, evidence locked).
 */
export function snapshotOfOsDisk(graph: ResourceGraph, snap: GraphNode, vm: GraphNode): boolean {
  const creation = field(snap.props, "creationData");
  const option = str(field(creation, "createOption"));
  if (typeof option !== "string" || option.trim().toLowerCase() !== "copy") return false;
  const source = str(field(creation, "sourceResourceId"));
  const osDisk = path(vm.props, "storageProfile", "osDisk");
  const diskId = str(path(osDisk, "managedDisk", "id"));
  const diskName = str(field(osDisk, "name"));
  if (typeof source === "string") {
    // The disk id the VM states settles it; only without one does the disk's name in the VM's resource group decide.
    if (typeof diskId === "string") return normalizeId(diskId) === normalizeId(source);
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
    return graph.dependencyCandidates(snap, "creationData", [T.VM]).includes(vm);
  }
  return false;
}

/** The evidence snapshots of a host: the stack's Copy snapshots of its VM's OS disk. */
export function evidenceSnapshotsOf(graph: ResourceGraph, vm: GraphNode): GraphNode[] {
  return graph.ofType(T.Snapshot).filter((s) => snapshotOfOsDisk(graph, s, vm));
}
