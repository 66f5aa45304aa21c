/**
 * The control plane around the hosts, as Azure enforces it on every caller (portal, CLI, another team's template):
 * an assignment of Microsoft's built-in "Network interfaces should not have public IPs" over the hosts' NICs, and
 * CanNotDelete (or ReadOnly) management locks over the evidence snapshots. Findings are values; the rule words them.
 */
import { ArmId, normalizeId, parseArmId } from "./armIds";
import { evidenceSnapshotsOf } from "./evidence";
import { GraphNode, ResourceGraph } from "./graph";
import { Host } from "./hosts";
import { TYPE_INFO } from "./resourceTypes";
import { arr, field, isIndeterminate, Read, str } from "./values";

/**
 * Microsoft's built-in "Network interfaces should not have public IPs": effect `deny`, fixed in the rule (the definition
 * has no parameters), for every `Microsoft.Network/networkInterfaces` with an `ipconfigurations[*].publicIpAddress.id`.
 * Azure/azure-policy, built-in-policies/policyDefinitions/Network/NetworkPublicIPNic_Deny.json at commit
 * 6123c803dec00310e7f15975156b7d5fd3de57d5.
 */
export const NO_PUBLIC_IP_ON_NICS = "/providers/Microsoft.Authorization/policyDefinitions/83a86a26-fd1f-447c-b59d-e51f44264114";
export const NO_PUBLIC_IP_ON_NICS_NAME = "Network interfaces should not have public IPs";

export const POLICY_ASSIGNMENT = "azure-native:authorization:PolicyAssignment";
export const LOCK_BY_SCOPE = "azure-native:authorization:ManagementLockByScope";
export const LOCK_AT_RESOURCE = "azure-native:authorization:ManagementLockAtResourceLevel";
export const LOCK_AT_RESOURCE_GROUP = "azure-native:authorization:ManagementLockAtResourceGroupLevel";
export const LOCK_AT_SUBSCRIPTION = "azure-native:authorization:ManagementLockAtSubscriptionLevel";
const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";
const NIC_ARM_TYPE = "microsoft.network/networkinterfaces";

/** Where the no-public-IP assignment lives when it is not in the stack (`controlPlaneAssignedAt`). */
export type AssignedAt =
  | { readonly kind: "managementGroup"; readonly id: string; readonly name: string }
  | { readonly kind: "subscription"; readonly id: string; readonly subscription: string };

const MANAGEMENT_GROUP_ID = /^providers\/microsoft\.management\/managementgroups\/([a-z0-9\-_().]{1,90})$/;
const SUBSCRIPTION_ID = /^subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `controlPlaneAssignedAt` read: a management group id or a subscription id, else an error that says which forms it takes. */
export function parseAssignedAt(v: unknown): { readonly value?: AssignedAt; readonly error?: string } {
  if (v === undefined) return {};
  const text = typeof v === "string" ? v.trim() : undefined;
  const norm = text === undefined ? "" : normalizeId(text);
  const mg = MANAGEMENT_GROUP_ID.exec(norm);
  if (text !== undefined && mg) return { value: { kind: "managementGroup", id: text, name: mg[1] } };
  const sub = SUBSCRIPTION_ID.exec(norm);
  if (text !== undefined && sub) return { value: { kind: "subscription", id: text, subscription: sub[1] } };
  return {
    error: `controlPlaneAssignedAt: ${JSON.stringify(v)} is neither a management group id (/providers/Microsoft.Management/managementGroups/<name>) nor a subscription id (/subscriptions/<subscription GUID>)`,
  };
}

/** "yes", "no", or unknown with what was not known. */
export type Holds = "yes" | "no" | { readonly unknown: string };
const unknown = (what: string): Holds => ({ unknown: what });

/** Where an assignment or lock applies, as far as the stack tells. */
type Scope =
  | { readonly kind: "node"; readonly node: GraphNode }
  | { readonly kind: "id"; readonly id: ArmId; readonly text: string }
  | { readonly kind: "managementGroup"; readonly text: string }
  | { readonly kind: "resourceGroupName"; readonly name: string }
  | { readonly kind: "named"; readonly armType: string; readonly name: string; readonly rg: { readonly name?: string; readonly node?: GraphNode } }
  | { readonly kind: "providerSubscription" }
  | { readonly kind: "unknown"; readonly what: string };

function scopeText(s: Scope): string {
  switch (s.kind) {
    case "node":
      return `${s.node.type.split(":").pop()} ${s.node.display}`;
    case "id":
    case "managementGroup":
      return s.text;
    case "resourceGroupName":
      return `resource group ${s.name}`;
    case "named":
      return `${s.armType} ${s.name}`;
    case "providerSubscription":
      return "its provider's subscription";
    case "unknown":
      return "an unknown scope";
  }
}

/**
 * The scope a property names: a known id (a resource of the stack when one has it), or, while it is unknown at preview,
 * the one resource the property's own dependencies name. Plain dependencies never stand in: a guess is no scope.
 */
function scopeOf(graph: ResourceGraph, from: GraphNode, value: unknown, prop: string): Scope {
  const s = str(value);
  if (typeof s === "string" && s.trim() !== "") {
    const norm = normalizeId(s);
    const node = graph.byNormalizedId(norm);
    if (node) return { kind: "node", node };
    if (MANAGEMENT_GROUP_ID.test(norm)) return { kind: "managementGroup", text: s.trim() };
    return { kind: "id", id: parseArmId(s), text: s.trim() };
  }
  if (!isIndeterminate(s)) return { kind: "unknown", what: `the ${prop} of ${from.display} is missing` };
  const own = (from.propertyDependencies[prop] ?? []).map((u) => graph.node(u)).filter((n): n is GraphNode => n !== undefined);
  const distinct = [...new Set(own)];
  if (distinct.length === 1) return { kind: "node", node: distinct[0] };
  return {
    kind: "unknown",
    what:
      distinct.length === 0
        ? `the ${prop} of ${from.display} is ${s.describe()} and no dependency of that property names it`
        : `the ${prop} of ${from.display} is ${s.describe()} and depends on ${distinct.map((n) => n.display).join(", ")}`,
  };
}

interface Place {
  readonly rg?: string;
  readonly rgNode?: GraphNode;
  readonly subscription?: string;
}

/** The resource group (by name, or the stack's ResourceGroup it depends on) and subscription of a resource. */
function placeOf(graph: ResourceGraph, n: GraphNode): Place {
  const { nodes, guessed } = graph.dependencyLinks(n, "resourceGroupName", [RESOURCE_GROUP]);
  const rgNode = !guessed && nodes.length === 1 ? nodes[0] : undefined;
  return { rg: n.rg ?? rgNode?.rg, rgNode, subscription: n.subscription ?? rgNode?.subscription };
}

/** Is the target in this resource group? Names decide, as Azure's do; subscriptions only when both are known. */
function inResourceGroup(graph: ResourceGraph, rg: { name?: string; node?: GraphNode; subscription?: string }, target: GraphNode): Holds {
  const p = placeOf(graph, target);
  if (rg.node && p.rgNode === rg.node) return "yes";
  if (rg.subscription && p.subscription && rg.subscription !== p.subscription) return "no";
  const name = rg.name ?? rg.node?.rg;
  if (name === undefined) return unknown(`the name of resource group ${rg.node?.display ?? "?"} is unknown`);
  if (p.rg === undefined) return unknown(`the resource group of ${target.display} is unknown at preview`);
  return p.rg === name.toLowerCase() ? "yes" : "no";
}

/** Does the scope hold the target (the resource itself, a parent resource, its resource group or subscription)? */
function holds(graph: ResourceGraph, scope: Scope, target: GraphNode): Holds {
  switch (scope.kind) {
    case "unknown":
      return unknown(scope.what);
    case "providerSubscription":
      return "yes";
    case "managementGroup":
      return unknown(`management group ${scope.text} may or may not hold ${target.display}'s subscription`);
    case "resourceGroupName":
      return inResourceGroup(graph, { name: scope.name }, target);
    case "named":
      if (TYPE_INFO[target.type]?.arm !== scope.armType) return "no";
      if (target.azName === undefined) return unknown(`the name of ${target.display} is unknown at preview`);
      return target.azName.toLowerCase() === scope.name.toLowerCase() ? inResourceGroup(graph, scope.rg, target) : "no";
    case "node": {
      const n = scope.node;
      if (n === target) return "yes";
      if (n.type === RESOURCE_GROUP) return inResourceGroup(graph, { node: n, subscription: n.subscription }, target);
      if (n.id !== undefined && target.id !== undefined) return target.id.startsWith(`${n.id}/`) ? "yes" : "no";
      return "no";
    }
    case "id": {
      const id = scope.id;
      if (id.type !== undefined) {
        if (target.id !== undefined) return target.id === id.normalized || target.id.startsWith(`${id.normalized}/`) ? "yes" : "no";
        if (TYPE_INFO[target.type]?.arm !== id.type) return "no";
        if (target.azName === undefined) return unknown(`the name of ${target.display} is unknown at preview`);
        if (id.names[id.names.length - 1]?.toLowerCase() !== target.azName.toLowerCase()) return "no";
        return id.resourceGroup === undefined ? "no" : inResourceGroup(graph, { name: id.resourceGroup, subscription: id.subscription }, target);
      }
      if (id.resourceGroup !== undefined) return inResourceGroup(graph, { name: id.resourceGroup, subscription: id.subscription }, target);
      if (id.subscription !== undefined) {
        const sub = placeOf(graph, target).subscription;
        if (sub === undefined) return unknown(`the subscription of ${target.display} is unknown at preview`);
        return sub === id.subscription ? "yes" : "no";
      }
      return "no";
    }
  }
}

/** Why an assignment does not guard one place of a host's NICs. */
export type AssignmentMiss =
  | { readonly kind: "definition-unknown"; readonly what: string }
  | { readonly kind: "not-enforced"; readonly mode: string }
  | { readonly kind: "enforcement-unknown"; readonly what: string }
  | { readonly kind: "effect-overridden"; readonly value: string }
  | { readonly kind: "overrides-unknown"; readonly what: string }
  | { readonly kind: "scope-elsewhere"; readonly scope: string }
  | { readonly kind: "scope-management-group"; readonly scope: string }
  | { readonly kind: "scope-unknown"; readonly what: string }
  | { readonly kind: "excluded"; readonly notScope: string }
  | { readonly kind: "exclusion-unknown"; readonly what: string }
  | { readonly kind: "not-selected"; readonly why: string }
  | { readonly kind: "config-other-subscription"; readonly assignedAt: string; readonly subscription: string };

/** Why a lock does not keep one evidence snapshot. */
export type LockMiss =
  | { readonly kind: "level-too-weak"; readonly level: string }
  | { readonly kind: "level-unknown"; readonly what: string }
  | { readonly kind: "scope-unknown"; readonly what: string };

export type ControlPlaneFinding =
  /** Hosts, but no assignment of the built-in in the stack and none declared by config: reported on the stack. */
  | { readonly kind: "no-assignment"; readonly hosts: readonly string[] }
  /** A host's NIC (or the resource group where its VM makes them) that no assignment guards: on the host's VM. */
  | {
      readonly kind: "nic-unguarded";
      readonly host: Host;
      readonly nic: string;
      readonly misses: ReadonlyArray<{ readonly assignment: string; readonly miss: AssignmentMiss }>;
    }
  /** An evidence snapshot of a host that no CanNotDelete / ReadOnly lock keeps: on the host's VM. */
  | {
      readonly kind: "evidence-unlocked";
      readonly host: Host;
      readonly snapshot: string;
      readonly misses: ReadonlyArray<{ readonly lock: string; readonly miss: LockMiss }>;
    };

/** Is this policyDefinitionId the built-in (compared as ARM compares ids)? Unknown at preview: maybe. */
function definitionOf(n: GraphNode): "built-in" | "other" | { unknown: string } {
  const d = str(field(n.props, "policyDefinitionId"));
  if (typeof d === "string") return normalizeId(d) === normalizeId(NO_PUBLIC_IP_ON_NICS) ? "built-in" : "other";
  if (isIndeterminate(d)) return { unknown: `the policyDefinitionId of ${n.display} is ${d.describe()}` };
  return "other";
}

const lower = (v: unknown): Read<string> => {
  const s = str(v);
  return typeof s === "string" ? s.trim().toLowerCase() : s;
};

/** What in the assignment itself (not its scope) keeps it from denying a public IP on this NIC. */
function assignmentSelf(n: GraphNode, nic: GraphNode): AssignmentMiss | undefined {
  const mode = str(field(n.props, "enforcementMode"));
  // Default enforces; DoNotEnforce never does; Enroll only once the resource is enrolled.
  if (isIndeterminate(mode)) return { kind: "enforcement-unknown", what: `its enforcementMode is ${mode.describe()}` };
  if (typeof mode === "string" && mode.trim().toLowerCase() !== "default") return { kind: "not-enforced", mode };
  const overrides = arr(field(n.props, "overrides"));
  if (isIndeterminate(overrides)) return { kind: "overrides-unknown", what: `its overrides are ${overrides.describe()}` };
  for (const o of overrides ?? []) {
    const kind = lower(field(o, "kind"));
    if (kind === "policyversion") continue;
    const value = lower(field(o, "value"));
    if (isIndeterminate(kind) || isIndeterminate(value)) return { kind: "overrides-unknown", what: "an override's kind or value is unknown" };
    if (value !== "deny") return { kind: "effect-overridden", value: String(str(field(o, "value")) ?? "(none)") };
  }
  return selects(n, nic);
}

/** Resource selectors narrow an assignment: the NIC must meet every selector of at least one of them. */
function selects(n: GraphNode, nic: GraphNode): AssignmentMiss | undefined {
  const sel = arr(field(n.props, "resourceSelectors"));
  if (isIndeterminate(sel)) return { kind: "not-selected", why: `its resourceSelectors are ${sel.describe()}` };
  if (!sel || sel.length === 0) return undefined;
  const location = lower(field(nic.props, "location"));
  const reasons: string[] = [];
  for (const rs of sel) {
    const why = selectorMiss(arr(field(rs, "selectors")), location);
    if (why === undefined) return undefined;
    reasons.push(why);
  }
  return { kind: "not-selected", why: reasons.join("; ") };
}

/** Location names compare as ARM's short names do: "West Europe" is westeurope. */
const token = (v: unknown): Read<string> => {
  const l = lower(v);
  return typeof l === "string" ? l.replace(/\s+/g, "") : l;
};

function selectorMiss(selectors: Read<unknown[]>, location: Read<string>): string | undefined {
  if (isIndeterminate(selectors)) return `a resource selector's selectors are ${selectors.describe()}`;
  for (const s of selectors ?? []) {
    const kind = lower(field(s, "kind"));
    const inList = arr(field(s, "in"));
    const notIn = arr(field(s, "notIn"));
    if (isIndeterminate(kind) || isIndeterminate(inList) || isIndeterminate(notIn)) return "a resource selector is unknown at preview";
    const ins = (inList ?? []).map(token);
    const outs = (notIn ?? []).map(token);
    if ([...ins, ...outs].some(isIndeterminate)) return "a resource selector lists a value unknown at preview";
    const pick = (value: string, what: string): string | undefined => {
      if (inList !== undefined && !ins.includes(value)) return `its ${what} selector does not list ${value}`;
      if (outs.includes(value)) return `its ${what} selector excludes ${value}`;
      return undefined;
    };
    let why: string | undefined;
    if (kind === "resourcetype") why = pick(NIC_ARM_TYPE, "resourceType");
    else if (kind === "resourcelocation") {
      const loc = token(location);
      if (typeof loc !== "string") return "the NIC's location is unknown, so its resourceLocation selector may leave it out";
      why = pick(loc, "resourceLocation");
    } else if (kind === "resourcewithoutlocation") {
      // Only subscriptionLevelResources exists: `in` selects resources without a location, and a NIC has one.
      why = inList !== undefined ? "its resourceWithoutLocation selector selects only resources without a location" : undefined;
    } else why = `it has a selector of kind ${String(str(field(s, "kind")) ?? "(none)")}, which the pack does not know`;
    if (why !== undefined) return why;
  }
  return undefined;
}

/** Does one assignment guard this NIC place? undefined when it does, else why not. */
function assignmentMiss(graph: ResourceGraph, n: GraphNode, nic: GraphNode): AssignmentMiss | undefined {
  const def = definitionOf(n);
  if (typeof def === "object") return { kind: "definition-unknown", what: def.unknown };
  const scope = scopeOf(graph, n, field(n.props, "scope"), "scope");
  if (scope.kind === "managementGroup") return { kind: "scope-management-group", scope: scope.text };
  const held = holds(graph, scope, nic);
  if (held === "no") return { kind: "scope-elsewhere", scope: scopeText(scope) };
  if (held !== "yes") return { kind: "scope-unknown", what: held.unknown };
  const self = assignmentSelf(n, nic);
  if (self) return self;
  return exclusion(graph, n, nic);
}

/** notScopes exclude a NIC held by one of them (its resource group, its subscription, the NIC itself). */
function exclusion(graph: ResourceGraph, n: GraphNode, nic: GraphNode): AssignmentMiss | undefined {
  const list = arr(field(n.props, "notScopes"));
  const depScopes = (): Scope[] =>
    (n.propertyDependencies.notScopes ?? []).map((u) => graph.node(u)).flatMap((d) => (d ? [{ kind: "node", node: d } as Scope] : []));
  const check = (scopes: readonly Scope[]): AssignmentMiss | undefined => {
    for (const s of scopes) {
      const h = holds(graph, s, nic);
      if (h === "yes") return { kind: "excluded", notScope: scopeText(s) };
      if (h !== "no") return { kind: "exclusion-unknown", what: `notScopes entry ${scopeText(s)}: ${h.unknown}` };
    }
    return undefined;
  };
  if (isIndeterminate(list)) {
    const deps = depScopes();
    if (deps.length === 0) return { kind: "exclusion-unknown", what: `its notScopes are ${list.describe()} and no dependency names them` };
    return check(deps) ?? { kind: "exclusion-unknown", what: `its notScopes are ${list.describe()}` };
  }
  const known: Scope[] = [];
  let unknownEntries = 0;
  for (const e of list ?? []) {
    if (isIndeterminate(str(e))) unknownEntries++;
    else known.push(scopeOf(graph, n, e, "notScopes"));
  }
  const found = check(known);
  if (found || unknownEntries === 0) return found;
  const deps = depScopes();
  if (deps.length === 0) return { kind: "exclusion-unknown", what: "an entry of its notScopes is unknown at preview and no dependency names it" };
  return check(deps);
}

/** The places that hold a host's NICs: its standalone NICs, and its VM (scale set) for NICs it makes itself. */
function nicPlaces(host: Host): GraphNode[] {
  const inline = host.ipConfigs.some((c) => c.owner === host.vm) || host.nics.length === 0;
  return inline ? [...host.nics, host.vm] : [...host.nics];
}

function lockLevel(n: GraphNode): LockMiss | undefined {
  const level = str(field(n.props, "level"));
  if (isIndeterminate(level)) return { kind: "level-unknown", what: `its level is ${level.describe()}` };
  const l = typeof level === "string" ? level.trim().toLowerCase() : "";
  return l === "cannotdelete" || l === "readonly" ? undefined : { kind: "level-too-weak", level: typeof level === "string" ? level : "(none)" };
}

/** The scope a management lock of any of azure-native's four lock resources applies to. */
function lockScope(graph: ResourceGraph, n: GraphNode): Scope {
  switch (n.type) {
    case LOCK_BY_SCOPE:
      return scopeOf(graph, n, field(n.props, "scope"), "scope");
    case LOCK_AT_SUBSCRIPTION:
      return { kind: "providerSubscription" };
    case LOCK_AT_RESOURCE_GROUP:
      return resourceGroupScope(graph, n);
    default:
      return resourceLevelScope(graph, n);
  }
}

function resourceGroupScope(graph: ResourceGraph, n: GraphNode): Scope {
  const name = str(field(n.props, "resourceGroupName"));
  if (typeof name === "string" && name.trim() !== "") return { kind: "resourceGroupName", name: name.trim() };
  const { nodes, guessed } = graph.dependencyLinks(n, "resourceGroupName", [RESOURCE_GROUP]);
  if (!guessed && nodes.length === 1) return { kind: "node", node: nodes[0] };
  return { kind: "unknown", what: `the resourceGroupName of ${n.display} is unknown at preview and no dependency of it names a resource group` };
}

/** ManagementLockAtResourceLevel names its resource by group, provider namespace, parent path, type and name. */
function resourceLevelScope(graph: ResourceGraph, n: GraphNode): Scope {
  const part = (k: string) => str(field(n.props, k));
  const [ns, type, name, parent] = [part("resourceProviderNamespace"), part("resourceType"), part("resourceName"), part("parentResourcePath")];
  if (typeof ns !== "string" || typeof type !== "string" || !(parent === undefined || typeof parent === "string")) {
    return { kind: "unknown", what: `the resource type of ${n.display} is unknown at preview` };
  }
  const armType = [ns, ...(parent ?? "").split("/").filter((_, i) => i % 2 === 0 && parent !== ""), type]
    .filter((x) => x.trim() !== "")
    .join("/")
    .toLowerCase();
  if (typeof name === "string") {
    const rg = resourceGroupScope(graph, n);
    if (rg.kind === "unknown") return rg;
    return {
      kind: "named",
      armType,
      name,
      rg: rg.kind === "node" ? { node: rg.node } : { name: rg.kind === "resourceGroupName" ? rg.name : undefined },
    };
  }
  const deps = [...new Set((n.propertyDependencies.resourceName ?? []).map((u) => graph.node(u)))].filter((d): d is GraphNode => d !== undefined);
  if (isIndeterminate(name) && deps.length === 1 && TYPE_INFO[deps[0].type]?.arm === armType) return { kind: "node", node: deps[0] };
  return { kind: "unknown", what: `the resourceName of ${n.display} is ${isIndeterminate(name) ? name.describe() : "missing"}` };
}

export const LOCK_TYPES: readonly string[] = [LOCK_BY_SCOPE, LOCK_AT_RESOURCE, LOCK_AT_RESOURCE_GROUP, LOCK_AT_SUBSCRIPTION];

/** Every control-plane finding of a stack; `assignedAt` is the validated `controlPlaneAssignedAt`. */
export function controlPlaneFindings(graph: ResourceGraph, hosts: readonly Host[], assignedAt: AssignedAt | undefined): ControlPlaneFinding[] {
  if (hosts.length === 0) return [];
  const out: ControlPlaneFinding[] = [];
  const assignments = graph.ofType(POLICY_ASSIGNMENT).filter((a) => definitionOf(a) !== "other");
  if (assignedAt === undefined && assignments.length === 0) out.push({ kind: "no-assignment", hosts: hosts.map((h) => h.name) });
  const locks = graph.ofType(...LOCK_TYPES).map((n) => ({ n, scope: lockScope(graph, n) }));
  for (const host of hosts) {
    if (assignedAt !== undefined || assignments.length > 0) {
      for (const place of nicPlaces(host)) {
        const finding = guardOf(graph, host, place, assignments, assignedAt);
        if (finding) out.push(finding);
      }
    }
    for (const snap of evidenceSnapshotsOf(graph, host.vm)) {
      const misses: Array<{ lock: string; miss: LockMiss }> = [];
      let kept = false;
      for (const { n, scope } of locks) {
        const held = holds(graph, scope, snap);
        if (held === "no") continue;
        const miss: LockMiss | undefined = held === "yes" ? lockLevel(n) : { kind: "scope-unknown", what: held.unknown };
        if (miss === undefined) {
          kept = true;
          break;
        }
        misses.push({ lock: n.display, miss });
      }
      if (!kept) out.push({ kind: "evidence-unlocked", host, snapshot: snap.display, misses });
    }
  }
  return out;
}

function guardOf(
  graph: ResourceGraph,
  host: Host,
  place: GraphNode,
  assignments: readonly GraphNode[],
  assignedAt: AssignedAt | undefined,
): ControlPlaneFinding | undefined {
  const nic = place === host.vm ? `the NICs ${host.vm.display} makes` : `NIC ${place.display}`;
  const misses: Array<{ assignment: string; miss: AssignmentMiss }> = [];
  if (assignedAt !== undefined) {
    const sub = placeOf(graph, place).subscription;
    if (assignedAt.kind === "managementGroup" || sub === undefined || sub === assignedAt.subscription) return undefined;
    misses.push({ assignment: "controlPlaneAssignedAt", miss: { kind: "config-other-subscription", assignedAt: assignedAt.id, subscription: sub } });
  }
  for (const a of assignments) {
    const miss = assignmentMiss(graph, a, place);
    if (miss === undefined) return undefined;
    misses.push({ assignment: a.display, miss });
  }
  return { kind: "nic-unguarded", host, nic, misses };
}
