import { normalizeId, parseArmId, topLevelId } from "../armIds";
import { GraphNode, ResourceGraph } from "../graph";
import { Host } from "../hosts";
import { T } from "../resourceTypes";

/** Types whose references to a VM or NIC never create an inbound path (or that the path modules already model). */
const NON_EXPOSING = new Set<string>([
  T.VM,
  T.NIC,
  T.NSG,
  T.SecurityRule,
  T.ASG,
  T.PublicIP,
  T.PublicIPPrefix,
  T.VNet,
  T.Subnet,
  T.Peering,
  T.RouteTable,
  T.Route,
  T.LB,
  T.LBPool,
  T.NatRule,
  T.AppGW,
  T.Firewall,
  T.FirewallPolicy,
  T.FirewallRcg,
  T.PLS,
  T.AFDOrigin,
  T.CdnOrigin,
  T.FrontDoor,
  T.FrontDoorLegacy,
  T.AdminRule,
  T.AdminRuleCollection,
  T.NetworkGroup,
  T.StaticMember,
  T.Bastion,
  T.Assessment,
  T.AssessmentMetadata,
  T.Disk,
  T.Snapshot,
  T.Image,
  T.GalleryImageVersion,
  T.PrivateRecordSet,
  T.PrivateRecordSetLegacy,
  T.PrivateZone,
  T.PrivateZoneLegacy,
  "azure-native:compute:VirtualMachineExtension",
  "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
  "azure-native:compute:AvailabilitySet",
  "azure-native:compute:ProximityPlacementGroup",
  "azure-native:compute:DedicatedHost",
  "azure-native:network:NetworkWatcher",
  "azure-native:network:FlowLog",
  "azure-native:network:ConnectionMonitor",
  "azure-native:network:PacketCapture",
  "azure-native:resources:ResourceGroup",
  "azure-native:resources:TagAtScope",
  "azure-native:devtestlab:GlobalSchedule",
]);

/** Whole modules of azure-native that manage identity, monitoring, backup and governance, never traffic. */
const NON_EXPOSING_MODULES = new Set([
  "authorization",
  "insights",
  "monitor",
  "maintenance",
  "guestconfiguration",
  "recoveryservices",
  "dataprotection",
  "automanage",
  "operationalinsights",
  "managedidentity",
  "keyvault",
]);

/** Providers whose resources can change Azure networking; anything else (random, tls, components) is not scanned. */
const SCANNED_PACKAGES = new Set(["azure-native", "azure", "azapi", "command"]);

function scanned(node: GraphNode): boolean {
  if (NON_EXPOSING.has(node.type)) return false;
  const [pkg, mod] = node.type.split(":");
  if (!SCANNED_PACKAGES.has(pkg.split("_")[0])) return false;
  return !(pkg === "azure-native" && NON_EXPOSING_MODULES.has(mod));
}

/**
 * Finds resources of types the pack does not model that reference an Exchange host's VM or
 * NICs (by id in any property, or by URN in their dependencies). Such a resource could be a
 * way in (a JIT policy, a classic-provider pool association, a script), so it makes the
 * host's exposure undecidable instead of passing silently.
 */
export function unmodeledReferences(graph: ResourceGraph, hosts: readonly Host[]): Map<string, Array<{ node: GraphNode; how: string }>> {
  const byIdentity = new Map<string, Host>();
  for (const h of hosts) for (const id of h.identities) byIdentity.set(id, h);
  const out = new Map<string, Array<{ node: GraphNode; how: string }>>();
  if (byIdentity.size === 0) return out;
  const record = (h: Host, node: GraphNode, how: string) => {
    let l = out.get(h.urn);
    if (!l) out.set(h.urn, (l = []));
    if (!l.some((x) => x.node === node)) l.push({ node, how });
  };
  for (const node of graph.nodes) {
    // A host's own resource naming itself is not a way in.
    if (!scanned(node) || byIdentity.has(node.urn)) continue;
    for (const [key, urns] of Object.entries(node.propertyDependencies)) {
      for (const u of urns) {
        const h = byIdentity.get(u);
        if (h) record(h, node, `its ${key} depends on ${graph.node(u)?.display ?? u}`);
      }
    }
    for (const u of node.dependencies) {
      const h = byIdentity.get(u);
      if (h) record(h, node, `it depends on ${graph.node(u)?.display ?? u}`);
    }
    walk(node.props, 0, (s) => {
      if (!s.includes("/")) return;
      const norm = normalizeId(s);
      let h = byIdentity.get(norm);
      if (!h) {
        const top = topLevelId(parseArmId(s));
        if (top) h = byIdentity.get(top);
      }
      if (h) record(h, node, `a property names ${s.split("/").slice(-2).join("/")}`);
    });
  }
  return out;
}

function walk(v: unknown, depth: number, visit: (s: string) => void): void {
  if (depth > 32) return;
  if (typeof v === "string") visit(v);
  else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1, visit);
  else if (typeof v === "object" && v !== null) for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], depth + 1, visit);
}
