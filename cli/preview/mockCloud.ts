import { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { TYPE_INFO } from "../../policies/model";

export const OFFLINE_SUBSCRIPTION = "00000000-0000-0000-0000-0000000e9c01";

/** An invoke failure as the engine reports a missing resource (the SDK reads the gRPC `details`). */
export function notFound(what: string): Error {
  return Object.assign(new Error(`ResourceNotFound: ${what}`), { details: `ResourceNotFound: ${what} could not be found` });
}

/**
 * Invokes the stacks make, answered offline: the client config, and existence probes for
 * evidence. Offline, the OS disk of an earlier generation recorded as compromised is assumed to
 * still exist (so the view shows the snapshot the stack would take before it goes); no snapshot is
 * assumed to exist already.
 */
export function offlineCall(args: MockCallArgs): Record<string, unknown> {
  switch (args.token) {
    case "azure-native:authorization:getClientConfig":
      return { subscriptionId: OFFLINE_SUBSCRIPTION, tenantId: "00000000-0000-0000-0000-00000000beef", clientId: "offline", objectId: "offline" };
    case "azure-native:compute:getSnapshot":
      throw notFound(`snapshot ${String(args.inputs.snapshotName)}`);
    case "azure-native:compute:getDisk":
      return { id: `offline-${String(args.inputs.snapshotName ?? args.inputs.diskName)}`, name: args.inputs.snapshotName ?? args.inputs.diskName };
    default:
      throw new Error(`the offline check has no answer for invoke ${args.token}`);
  }
}

const PROVIDERS: Record<string, string> = { compute: "Microsoft.Compute", network: "Microsoft.Network", security: "Microsoft.Security" };

/** The ARM id Azure would give a resource (update form of the offline view). */
export function armIdFor(args: MockResourceArgs, subscription = OFFLINE_SUBSCRIPTION): string {
  const inputs = args.inputs as Record<string, unknown>;
  const rg = String(inputs.resourceGroupName ?? "rg");
  if (args.type === "azure-native:resources:ResourceGroup") return `/subscriptions/${subscription}/resourceGroups/${rg}`;
  if (args.type === "azure-native:security:AssessmentMetadataInSubscription") {
    return `/subscriptions/${subscription}/providers/Microsoft.Security/assessmentMetadata/${String(inputs.assessmentMetadataName ?? args.name)}`;
  }
  if (args.type === "azure-native:security:Assessment") {
    return `${String(inputs.resourceId)}/providers/Microsoft.Security/assessments/${String(inputs.assessmentName ?? args.name)}`;
  }
  // Extension resources: their id is the scope's id with their own provider segment.
  if (args.type === "azure-native:authorization:ManagementLockByScope") {
    return `${String(inputs.scope)}/providers/Microsoft.Authorization/locks/${String(inputs.lockName ?? args.name)}`;
  }
  if (args.type === "azure-native:authorization:PolicyAssignment") {
    return `${String(inputs.scope)}/providers/Microsoft.Authorization/policyAssignments/${String(inputs.policyAssignmentName ?? args.name)}`;
  }
  const info = TYPE_INFO[args.type];
  const [, mod] = args.type.split(":");
  if (!info || !PROVIDERS[mod]) return `${args.name}-id`;
  const types = info.arm.split("/").slice(1);
  const names = [...(info.parentKeys ?? []).map((k) => String(inputs[k] ?? "parent")), String(inputs[info.nameKey] ?? args.name)];
  const path = types.map((t, i) => `${t}/${names[i]}`).join("/");
  return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/${PROVIDERS[mod]}/${path}`;
}

/** Outputs the cloud computes that the pack reads (update form): the Azure name and a VM's OS disk id. */
export function outputsFor(args: MockResourceArgs, id: string, subscription = OFFLINE_SUBSCRIPTION): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  const out: Record<string, unknown> = { name: id.split("/").pop() };
  if (args.type === "azure-native:compute:VirtualMachine") {
    const storage = (inputs.storageProfile ?? {}) as Record<string, Record<string, unknown>>;
    const osDisk = storage.osDisk ?? {};
    const rg = String(inputs.resourceGroupName ?? "rg");
    out.storageProfile = {
      ...storage,
      osDisk: {
        ...osDisk,
        managedDisk: {
          ...((osDisk.managedDisk as object) ?? {}),
          id: `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Compute/disks/${String(osDisk.name)}`,
        },
      },
    };
  }
  return out;
}
