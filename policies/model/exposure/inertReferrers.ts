import { T } from "../resourceTypes";

/**
 * The one list of resource types that may reference an Exchange host's VM or NICs without making its exposure
 * undecidable, each with the reason (docs/threat-model.md#bypass-catalogue, row 35). An entry is either modelled by a path module (its paths are
 * judged there) or, by its Azure API reference, cannot open a network path to the VM: it reads, records, schedules,
 * authorises, tags or backs up, and carries no front end, listener, rule, route or address. Every other type that
 * names a host still fails closed (`unmodeled.ts`). An entry ending in `:*` covers a whole azure-native module.
 */
export const INERT_REFERRERS: ReadonlyArray<{ readonly type: string; readonly reason: string }> = [
  // Modelled: the path modules and the host inventory read these.
  ...[T.VM, T.NIC, T.NSG, T.SecurityRule, T.ASG, T.PublicIP, T.PublicIPPrefix, T.VNet, T.Subnet, T.Peering, T.RouteTable, T.Route].map((type) => ({
    type,
    reason: "modelled: host inventory and NSG evaluation",
  })),
  ...[T.LB, T.LBPool, T.NatRule].map((type) => ({ type, reason: "modelled: loadBalancers.ts" })),
  { type: T.AppGW, reason: "modelled: applicationGateways.ts" },
  ...[T.Firewall, T.FirewallPolicy, T.FirewallRcg].map((type) => ({ type, reason: "modelled: firewalls.ts" })),
  ...[T.PLS, T.AFDOrigin, T.CdnOrigin, T.FrontDoor, T.FrontDoorLegacy].map((type) => ({ type, reason: "modelled: privateLink.ts" })),
  ...[T.AdminRule, T.AdminRuleCollection, T.NetworkGroup, T.StaticMember].map((type) => ({ type, reason: "modelled: networkManager.ts" })),
  { type: T.Bastion, reason: "modelled: bastion.ts (shareable links are an internet path)" },
  ...[
    T.Apim,
    T.ApimApi,
    T.ApimBackend,
    T.ApimPolicy,
    T.ApimApiPolicy,
    T.ApimApiOperationPolicy,
    T.ApimProductPolicy,
    T.ApimWorkspaceApi,
    T.ApimWorkspaceBackend,
    T.ApimWorkspacePolicy,
    T.ApimWorkspaceApiPolicy,
    T.ApimWorkspaceApiOperationPolicy,
  ].map((type) => ({ type, reason: "modelled: apiManagement.ts (its gateway, APIs, backends and policies are a proxied path)" })),
  ...[T.PrivateZone, T.PrivateRecordSet, T.PrivateZoneLegacy, T.PrivateRecordSetLegacy].map((type) => ({
    type,
    reason: "modelled: dns.ts (names, not paths)",
  })),
  { type: T.Assessment, reason: "modelled: the compromise assessment (a record in Defender for Cloud, no network settings)" },
  { type: T.AssessmentMetadata, reason: "assessment metadata: a description in Defender for Cloud, no network settings" },
  { type: T.TagAtScope, reason: "modelled: hosts.ts reads it as the VM's tags; the Tags API sets tags only" },
  // Compute resources that store or place a VM, or act inside its guest (never on Azure's network path).
  ...[T.Disk, T.Snapshot, T.Image, T.GalleryImageVersion].map((type) => ({ type, reason: "disk or image: storage, no network settings" })),
  { type: "azure-native:compute:RestorePointCollection", reason: "restore points of the VM (source.id): a backup copy, no network settings" },
  { type: "azure-native:compute:RestorePoint", reason: "a restore point: a backup copy, no network settings" },
  { type: "azure-native:compute:VirtualMachineExtension", reason: "runs inside the guest; cannot change Azure networking" },
  { type: "azure-native:compute:VirtualMachineRunCommandByVirtualMachine", reason: "runs inside the guest; cannot change Azure networking" },
  { type: "azure-native:compute:AvailabilitySet", reason: "placement only" },
  { type: "azure-native:compute:ProximityPlacementGroup", reason: "placement only" },
  { type: "azure-native:compute:DedicatedHost", reason: "placement only" },
  // Monitoring of the network, never a way into it.
  ...["NetworkWatcher", "FlowLog", "ConnectionMonitor", "PacketCapture"].map((n) => ({
    type: `azure-native:network:${n}`,
    reason: "Network Watcher: observes traffic, opens nothing",
  })),
  { type: "azure-native:resources:ResourceGroup", reason: "a container, no network settings" },
  { type: "azure-native:devtestlab:GlobalSchedule", reason: "auto-shutdown schedule of the VM" },
  // Defender for Cloud records and settings about the VM.
  {
    type: "azure-native:security:ServerVulnerabilityAssessment",
    reason: "onboards the VM to Defender vulnerability scanning (resourceNamespace/resourceType/resourceName); no network settings",
  },
  { type: "azure-native:security:AdvancedThreatProtection", reason: "a Defender setting on the resource; no network settings" },
  { type: "azure-native:security:AssessmentsMetadataSubscription", reason: "assessment metadata (older token); no network settings" },
  // Whole modules that manage identity, monitoring, backup, patching and governance, never traffic.
  { type: "azure-native:authorization:*", reason: "role assignments, locks, policy: who may act, not what traffic flows" },
  { type: "azure-native:insights:*", reason: "diagnostic settings, data collection rule associations, alerts: telemetry only" },
  { type: "azure-native:monitor:*", reason: "Azure Monitor: telemetry only" },
  { type: "azure-native:maintenance:*", reason: "maintenance and patch configuration assignments: when updates run" },
  { type: "azure-native:guestconfiguration:*", reason: "guest configuration assignments: audit inside the guest" },
  { type: "azure-native:recoveryservices:*", reason: "backup protected items and vault settings: copies of data" },
  { type: "azure-native:dataprotection:*", reason: "backup instances: copies of data" },
  { type: "azure-native:automanage:*", reason: "best-practice profiles (backup, monitoring, patching)" },
  { type: "azure-native:operationalinsights:*", reason: "Log Analytics: telemetry only" },
  { type: "azure-native:managedidentity:*", reason: "identities: who the VM is, not what reaches it" },
  { type: "azure-native:keyvault:*", reason: "secrets and keys: no network path to the VM" },
];

const BY_TYPE = new Map<string, string>();
const BY_MODULE = new Map<string, string>();
for (const e of INERT_REFERRERS) {
  if (e.type.endsWith(":*")) BY_MODULE.set(e.type.slice(0, -2), e.reason);
  else BY_TYPE.set(e.type, e.reason);
}

/** Why a resource of this (canonical) type referencing a host is not a way in; undefined when it may be one. */
export function inertReason(type: string): string | undefined {
  const direct = BY_TYPE.get(type);
  if (direct !== undefined) return direct;
  const [pkg, mod] = type.split(":");
  return pkg === "azure-native" && mod !== undefined ? BY_MODULE.get(`${pkg}:${mod}`) : undefined;
}
