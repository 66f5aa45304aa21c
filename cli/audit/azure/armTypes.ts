import { T, TYPE_INFO } from "../../../policies/model";

export const MANAGEMENT_LOCK = "azure-native:authorization:ManagementLockByScope";

/** How an ARM resource type reads as an azure-native resource: its token and the inputs that carry its names. */
export interface ArmTypeInfo {
  /** Lower-case ARM type, as Resource Graph writes it: "microsoft.network/networkinterfaces". */
  readonly arm: string;
  /** Canonical azure-native token. */
  readonly token: string;
  /** Input holding the resource's own name. */
  readonly nameKey?: string;
  /** Inputs naming its parents, outermost first. */
  readonly parentKeys?: readonly string[];
}

/**
 * Types the model reads beyond TYPE_INFO, and the inert types its exposure model lists by token (extensions, watchers,
 * policy assignments, …), so a live estate names them as a stack export would.
 */
const EXTRA: readonly ArmTypeInfo[] = [
  { arm: "microsoft.compute/virtualmachinescalesets", token: T.VMSS, nameKey: "vmScaleSetName" },
  { arm: "microsoft.network/privatednszones", token: T.PrivateZone, nameKey: "privateZoneName" },
  { arm: "microsoft.network/frontdoors", token: T.FrontDoor, nameKey: "frontDoorName" },
  { arm: "microsoft.cdn/profiles/origingroups/origins", token: T.AFDOrigin, nameKey: "originName", parentKeys: ["profileName", "originGroupName"] },
  { arm: "microsoft.cdn/profiles/endpoints/origins", token: T.CdnOrigin, nameKey: "originName", parentKeys: ["profileName", "endpointName"] },
  { arm: "microsoft.cdn/profiles", token: "azure-native:cdn:Profile", nameKey: "profileName" },
  { arm: "microsoft.cdn/profiles/endpoints", token: "azure-native:cdn:Endpoint", nameKey: "endpointName", parentKeys: ["profileName"] },
  { arm: "microsoft.cdn/profiles/afdendpoints", token: "azure-native:cdn:AFDEndpoint", nameKey: "endpointName", parentKeys: ["profileName"] },
  { arm: "microsoft.apimanagement/service", token: "azure-native:apimanagement:ApiManagementService", nameKey: "serviceName" },
  {
    arm: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules",
    token: T.AdminRule,
    nameKey: "ruleName",
    parentKeys: ["networkManagerName", "configurationName", "ruleCollectionName"],
  },
  { arm: "microsoft.authorization/policyassignments", token: "azure-native:authorization:PolicyAssignment", nameKey: "policyAssignmentName" },
  // A management lock at any scope (as `az lock list` lists them): its `scope` is the id before the lock's own segment.
  { arm: "microsoft.authorization/locks", token: MANAGEMENT_LOCK, nameKey: "lockName" },
  {
    arm: "microsoft.compute/virtualmachines/extensions",
    token: "azure-native:compute:VirtualMachineExtension",
    nameKey: "vmExtensionName",
    parentKeys: ["vmName"],
  },
  {
    arm: "microsoft.compute/virtualmachines/runcommands",
    token: "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
    nameKey: "runCommandName",
    parentKeys: ["vmName"],
  },
  { arm: "microsoft.compute/restorepointcollections", token: "azure-native:compute:RestorePointCollection", nameKey: "restorePointCollectionName" },
  { arm: "microsoft.compute/availabilitysets", token: "azure-native:compute:AvailabilitySet", nameKey: "availabilitySetName" },
  {
    arm: "microsoft.compute/proximityplacementgroups",
    token: "azure-native:compute:ProximityPlacementGroup",
    nameKey: "proximityPlacementGroupName",
  },
  { arm: "microsoft.compute/hostgroups/hosts", token: "azure-native:compute:DedicatedHost", nameKey: "hostName", parentKeys: ["hostGroupName"] },
  { arm: "microsoft.network/networkwatchers", token: "azure-native:network:NetworkWatcher", nameKey: "networkWatcherName" },
  {
    arm: "microsoft.network/networkwatchers/flowlogs",
    token: "azure-native:network:FlowLog",
    nameKey: "flowLogName",
    parentKeys: ["networkWatcherName"],
  },
  {
    arm: "microsoft.network/networkwatchers/connectionmonitors",
    token: "azure-native:network:ConnectionMonitor",
    nameKey: "connectionMonitorName",
    parentKeys: ["networkWatcherName"],
  },
  {
    arm: "microsoft.network/networkwatchers/packetcaptures",
    token: "azure-native:network:PacketCapture",
    nameKey: "packetCaptureName",
    parentKeys: ["networkWatcherName"],
  },
  { arm: "microsoft.devtestlab/schedules", token: "azure-native:devtestlab:GlobalSchedule", nameKey: "name" },
  { arm: "microsoft.resources/subscriptions/resourcegroups", token: "azure-native:resources:ResourceGroup", nameKey: "resourceGroupName" },
];

/** Private DNS record sets: one ARM type per record type, one azure-native resource for all of them. */
const PRIVATE_RECORD_TYPE = /^microsoft\.network\/privatednszones\/(a|aaaa|cname|mx|ptr|soa|srv|txt)$/;

export const ASSESSMENT_ARM = "microsoft.security/assessments";
export const ASSESSMENT_METADATA_ARM = "microsoft.security/assessmentmetadata";

const BY_ARM = new Map<string, ArmTypeInfo>();
const BY_TOKEN = new Map<string, ArmTypeInfo>();
for (const [token, info] of Object.entries(TYPE_INFO)) {
  const entry = { arm: info.arm, token, nameKey: info.nameKey, parentKeys: info.parentKeys };
  BY_ARM.set(info.arm, entry);
  BY_TOKEN.set(token, entry);
}
for (const e of EXTRA) {
  BY_ARM.set(e.arm, e);
  BY_TOKEN.set(e.token, e);
}

/** What the model calls a resource of this ARM type (any case); undefined for types it has no token for. */
export function infoForArmType(armType: string): ArmTypeInfo | undefined {
  const arm = armType.toLowerCase();
  const known = BY_ARM.get(arm);
  if (known) return known;
  const record = PRIVATE_RECORD_TYPE.exec(arm);
  if (record) return { arm, token: T.PrivateRecordSet, nameKey: "relativeRecordSetName", parentKeys: ["privateZoneName"] };
  if (arm === ASSESSMENT_ARM) return { arm, token: T.Assessment, nameKey: "assessmentName" };
  if (arm === ASSESSMENT_METADATA_ARM) return { arm, token: T.AssessmentMetadata, nameKey: "assessmentMetadataName" };
  return undefined;
}

export function infoForToken(token: string): ArmTypeInfo | undefined {
  return BY_TOKEN.get(token) ?? (token === T.Assessment ? infoForArmType(ASSESSMENT_ARM) : undefined);
}

/**
 * The token a type the model does not know is kept under: its provider namespace as the module and its ARM type path as
 * the resource (`microsoft.web/sites` → `azure-native:web:sites`). Being an azure-native token, the exposure model scans
 * it for references to a host and fails closed on one, and module-wide inert entries (`azure-native:insights:*`) apply.
 */
export function unmodelledToken(armType: string): string {
  const [namespace, ...rest] = armType.toLowerCase().split("/");
  const module = namespace.replace(/^microsoft\./, "").replace(/[^a-z0-9]/g, "");
  return `azure-native:${module || "unknown"}:${rest.join("/") || "resource"}`;
}
