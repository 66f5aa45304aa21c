/**
 * Control-plane resources in azure-native's shape, for exchange-control-plane-guarded: the hosts' resource group, policy
 * assignments, management locks and evidence snapshots. A reference to a resource of the estate is its ARM id in update
 * form and unknown at preview, linked by the property's dependencies, as the engine reports it.
 */
import { NO_PUBLIC_IP_ON_NICS } from "../../policies/model/controlPlane";
import { diskId, Estate, host, Res, UNKNOWN } from "./gateFixtures";

export { NO_PUBLIC_IP_ON_NICS };

export const ASSIGNMENT = "azure-native:authorization:PolicyAssignment";
export const LOCK_BY_SCOPE = "azure-native:authorization:ManagementLockByScope";
export const OTHER_SUB = "00000000-0000-0000-0000-0000000000ff";
/** The retired built-in "RDP access from the Internet should be blocked": a real built-in, not the one asked for. */
export const RDP_DEFINITION = "/providers/Microsoft.Authorization/policyDefinitions/e372f825-a257-4fb8-9175-797a8a8627d6";

export function rgId(e: Estate, name = e.rg, sub = e.sub): string {
  return `/subscriptions/${sub}/resourceGroups/${name}`;
}

/** The hosts' resource group as a resource of the stack. */
export function resourceGroup(e: Estate, name = e.rg): Res {
  return e.add("azure-native:resources:ResourceGroup", name, { resourceGroupName: name, location: "westeurope" }, {}, rgId(e, name));
}

/** A value that references `target`: its id in update form, unknown at preview with the dependency recorded. */
type Ref = Res | string;

function refValue(e: Estate, r: Ref): string {
  return typeof r === "string" ? r : e.opts.preview ? UNKNOWN : r.armId;
}

export interface AssignmentOpts {
  name?: string;
  scope: Ref;
  definition?: string;
  enforcementMode?: unknown;
  notScopes?: Ref[];
  overrides?: unknown;
  resourceSelectors?: unknown;
}

export function assignment(e: Estate, o: AssignmentOpts): Res {
  const name = o.name ?? "no-public-ip-on-nics";
  const props: Record<string, unknown> = {
    scope: refValue(e, o.scope),
    policyAssignmentName: name,
    policyDefinitionId: o.definition ?? NO_PUBLIC_IP_ON_NICS,
  };
  if (o.enforcementMode !== undefined) props.enforcementMode = o.enforcementMode;
  if (o.notScopes !== undefined) props.notScopes = o.notScopes.map((r) => refValue(e, r));
  if (o.overrides !== undefined) props.overrides = o.overrides;
  if (o.resourceSelectors !== undefined) props.resourceSelectors = o.resourceSelectors;
  const deps: Record<string, Res[]> = {};
  if (typeof o.scope !== "string") deps.scope = [o.scope];
  const notScopeRes = (o.notScopes ?? []).filter((r): r is Res => typeof r !== "string");
  if (notScopeRes.length > 0) deps.notScopes = notScopeRes;
  const id = `${typeof o.scope === "string" ? o.scope : o.scope.armId}/providers/Microsoft.Authorization/policyAssignments/${name}`;
  return e.add(ASSIGNMENT, name, props, deps, id);
}

/** A ManagementLockByScope on a resource of the estate (or a literal scope). */
export function lock(e: Estate, scope: Ref, o: { name?: string; level?: unknown } = {}): Res {
  const name = o.name ?? `lock-${typeof scope === "string" ? "scope" : scope.name}`;
  const deps: Record<string, Res[]> = typeof scope === "string" ? {} : { scope: [scope] };
  const id = `${typeof scope === "string" ? scope : scope.armId}/providers/Microsoft.Authorization/locks/${name}`;
  return e.add(LOCK_BY_SCOPE, name, { scope: refValue(e, scope), lockName: name, level: o.level ?? "CanNotDelete" }, deps, id);
}

/** A Copy snapshot of a host's OS disk (named `<vm>-osdisk`), by the disk's literal id as the stacks write it. */
export function evidenceSnapshot(e: Estate, vm: Res, name = `${vm.name}-osdisk-evidence`): Res {
  return e.add(
    "azure-native:compute:Snapshot",
    name,
    {
      snapshotName: name,
      resourceGroupName: e.rg,
      location: "westeurope",
      creationData: { createOption: "Copy", sourceResourceId: diskId(e, `${vm.name}-osdisk`) },
    },
    {},
    `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Compute/snapshots/${name}`,
  );
}

/** A compromised host with its evidence snapshot, the resource group, and nothing of the control plane yet. */
export function compromisedHost(preview: boolean): { e: Estate; rg: Res; vm: Res; nic: Res; snap: Res } {
  const e = new Estate({ preview });
  const rg = resourceGroup(e);
  const vm = host(e, { state: "compromised" });
  const nic = e.resources.find((r) => r.name === "nic-ex01")!;
  const snap = evidenceSnapshot(e, vm);
  return { e, rg, vm, nic, snap };
}
