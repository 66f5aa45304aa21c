import { ArmId, parseArmId } from "./armIds";
import { ArmStep, UnmappedWrite } from "./genericResources";
import { GraphNode, ResourceGraph, sameResourceGroup } from "./graph";
import { inertReason } from "./exposure/inertReferrers";
import type { Host } from "./hosts";
import { T, TYPE_INFO } from "./resourceTypes";
import { eachString } from "./values";

/** ARM types of inert azure-native types (`inertReferrers.ts`) that a generic write may also write. */
const INERT_ARM: Readonly<Record<string, string>> = {
  "microsoft.compute/virtualmachines/extensions": "azure-native:compute:VirtualMachineExtension",
  "microsoft.compute/virtualmachines/runcommands": "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
  "microsoft.compute/disks": "azure-native:compute:Disk",
  "microsoft.compute/snapshots": "azure-native:compute:Snapshot",
  "microsoft.compute/images": "azure-native:compute:Image",
  "microsoft.compute/restorepointcollections": "azure-native:compute:RestorePointCollection",
  "microsoft.compute/availabilitysets": "azure-native:compute:AvailabilitySet",
  "microsoft.compute/proximityplacementgroups": "azure-native:compute:ProximityPlacementGroup",
  // The Tags API at a resource group's scope (at a VM's or NIC's it is read as a TagAtScope): tags the group, not its resources.
  "microsoft.resources/tags": T.TagAtScope,
  "microsoft.network/networkwatchers": "azure-native:network:NetworkWatcher",
  "microsoft.network/networkwatchers/flowlogs": "azure-native:network:FlowLog",
  "microsoft.network/networkwatchers/connectionmonitors": "azure-native:network:ConnectionMonitor",
  "microsoft.network/networkwatchers/packetcaptures": "azure-native:network:PacketCapture",
};

/** Why a generic write of this ARM type cannot change a host's network; undefined when it may. */
function inertArmReason(armType: string): string | undefined {
  const token = INERT_ARM[armType];
  if (token) return inertReason(token);
  // Whole namespaces the inert list covers by azure-native module (Microsoft.Insights → insights, Microsoft.KeyVault → keyvault).
  const ns = armType.split("/")[0];
  return ns.startsWith("microsoft.") ? inertReason(`azure-native:${ns.slice("microsoft.".length)}:Generic`) : undefined;
}

const ARM_TYPE_OF = new Map<string, string>(Object.entries(TYPE_INFO).map(([token, info]) => [token, info.arm]));

/** The resources of one host's network that a write may land in: its VM, NICs, their subnets and VNets, and the NSGs on them. */
function networkOf(graph: ResourceGraph, host: Host): GraphNode[] {
  const out = new Set<GraphNode>([host.vm, ...host.nics]);
  for (const ip of host.ipConfigs) {
    out.add(ip.owner);
    const nsgKeys = ip.nicNsg.kind === "nsgs" ? ip.nicNsg.nsgs.map((n) => n.key) : [];
    for (const s of ip.subnets) {
      if (s.vnet) out.add(s.vnet);
      const sub = graph.node(s.key);
      if (sub) out.add(sub);
      if (s.nsg.kind === "nsgs") nsgKeys.push(...s.nsg.nsgs.map((n) => n.key));
    }
    for (const k of nsgKeys) {
      const n = graph.node(k);
      if (n) out.add(n);
    }
  }
  return [...out];
}

function label(n: GraphNode): string {
  const kind = n.type.split(":").pop() ?? n.type;
  return `${kind === "NetworkSecurityGroup" ? "NSG" : kind === "NetworkInterface" ? "NIC" : kind} ${n.display}`;
}

/** ARM steps named in a string holding an ARM id (a reference inside the write's body). */
function stepsOfId(id: ArmId): ArmStep[] {
  if (!id.type) return [];
  const types = id.type.split("/");
  return id.names.map((name, i) => ({ type: types.slice(0, i + 2).join("/"), name }));
}

/**
 * Generic ARM writes the graph could not read as a typed resource (an unknown type, or a type, namespace or parent
 * unknown at preview) that may land in a host's network: in its resource group, or in or by reference to its VNet,
 * subnet, NSG, NIC or VM (by names in the write's path, ids in its body, or dependencies). The pack cannot tell what
 * such a write changes, so each one is a problem of the host: its exposure and isolation cannot be decided.
 */
export function unmappedWriteProblems(graph: ResourceGraph, host: Host): string[] {
  if (graph.unmappedWrites.length === 0) return [];
  const net = networkOf(graph, host);
  const byStep = new Map<string, GraphNode>();
  for (const n of net) {
    const arm = ARM_TYPE_OF.get(n.type);
    if (arm && n.azName) byStep.set(`${arm}|${n.azName.toLowerCase()}`, n);
  }
  const urns = new Map(net.map((n) => [n.urn, n] as const));
  const out: string[] = [];
  for (const w of graph.unmappedWrites) {
    const node = graph.node(w.input.urn);
    if (!node) continue;
    const where = landsIn(graph, w, node, host, byStep, urns);
    if (where === undefined) continue;
    out.push(
      `generic ARM write ${w.input.name} (${w.input.type}) ${where}, and the pack cannot read it as the resource it writes (${w.why}); write the resource with its own azure-native type, or make its namespace, parent path and type known at preview`,
    );
  }
  return out;
}

function landsIn(
  graph: ResourceGraph,
  w: UnmappedWrite,
  node: GraphNode,
  host: Host,
  byStep: ReadonlyMap<string, GraphNode>,
  urns: ReadonlyMap<string, GraphNode>,
): string | undefined {
  // Names on the write's own path live in its resource group; an id in its body says its own group.
  const matchSteps = (steps: readonly ArmStep[], fromId?: { rg: string | undefined }): GraphNode | undefined => {
    for (const s of steps) {
      if (s.name === undefined) continue;
      const hit = byStep.get(`${s.type}|${s.name.toLowerCase()}`);
      if (!hit) continue;
      const sameGroup =
        fromId === undefined ? sameResourceGroup(graph, node, hit) !== "no" : hit.rg === undefined || fromId.rg === undefined || hit.rg === fromId.rg;
      if (sameGroup) return hit;
    }
    return undefined;
  };
  const target = w.target;
  // What the inert list says cannot open a path (a lock, a diagnostic setting, an extension) cannot, wherever it is written.
  if (target.kind === "known" && inertArmReason(target.armType) !== undefined) return undefined;
  if (target.kind === "known") {
    const onPath = matchSteps(target.steps.slice(0, -1));
    if (onPath) return `writes into ${label(onPath)} of this host`;
  }
  for (const [key, deps] of Object.entries(node.propertyDependencies)) {
    for (const u of deps) {
      const hit = urns.get(u);
      if (hit) return `names ${label(hit)} of this host (its ${key} depends on it)`;
    }
  }
  let byId: GraphNode | undefined;
  eachString(node.props, (s) => {
    if (byId === undefined && s.toLowerCase().includes("/providers/")) {
      const id = parseArmId(s);
      byId = matchSteps(stepsOfId(id), { rg: id.resourceGroup });
    }
  });
  if (byId) return `names ${label(byId)} of this host by id`;
  const rg = sameResourceGroup(graph, node, host.vm);
  if (rg === "no") return undefined;
  if (target.kind === "unknown") {
    return rg === "yes"
      ? `may write anything in this host's resource group ${host.vm.rg ?? ""}`.trimEnd()
      : "may write anything in any resource group (its resource group is unknown)";
  }
  return rg === "yes"
    ? `writes ${target.armType} into this host's resource group ${host.vm.rg ?? ""}`.trimEnd()
    : `writes ${target.armType} into a resource group that may be this host's (it is unknown)`;
}
