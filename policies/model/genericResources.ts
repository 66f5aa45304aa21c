import type { ResourceInput } from "./graph";
import { canonicalType, T, TYPE_INFO } from "./resourceTypes";
import { field, isUnknownSentinel, str, UNKNOWN_AT_DEPTH } from "./values";

/**
 * azure-native's generic ARM write: ARM's PUT by provider namespace, parent path, type and name, with the body's
 * `properties` passed through untouched. Versioned tokens (`azure-native:resources/v20240301:Resource`) canonicalise to it.
 */
export const GENERIC_RESOURCE = "azure-native:resources:Resource";

/** Where a typed azure-native resource keeps the names an ARM path carries. */
interface TypedShape {
  readonly token: string;
  readonly nameKey: string;
  readonly parentKeys: readonly string[];
  /** Inputs the typed resource takes from the path itself (a Private DNS record set's type segment). */
  readonly fromPath?: (armTypeSegments: readonly string[]) => Record<string, string>;
}

const RECORD_TYPES = ["a", "aaaa", "cname", "mx", "ptr", "soa", "srv", "txt"];

/** ARM types the model reads that TYPE_INFO does not list (it lists the ones other resources reference by name). */
const EXTRA_SHAPES: ReadonlyArray<readonly [string, TypedShape]> = [
  ["microsoft.compute/virtualmachinescalesets", { token: T.VMSS, nameKey: "vmScaleSetName", parentKeys: [] }],
  [
    "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules",
    { token: T.AdminRule, nameKey: "ruleName", parentKeys: ["networkManagerName", "configurationName", "ruleCollectionName"] },
  ],
  ["microsoft.cdn/profiles/origingroups/origins", { token: T.AFDOrigin, nameKey: "originName", parentKeys: ["profileName", "originGroupName"] }],
  ["microsoft.cdn/profiles/endpoints/origins", { token: T.CdnOrigin, nameKey: "originName", parentKeys: ["profileName", "endpointName"] }],
  ["microsoft.network/frontdoors", { token: T.FrontDoor, nameKey: "frontDoorName", parentKeys: [] }],
  ["microsoft.network/privatednszones", { token: T.PrivateZone, nameKey: "privateZoneName", parentKeys: [] }],
  ...RECORD_TYPES.map(
    (rt) =>
      [
        `microsoft.network/privatednszones/${rt}`,
        {
          token: T.PrivateRecordSet,
          nameKey: "relativeRecordSetName",
          parentKeys: ["privateZoneName"],
          fromPath: (segs: readonly string[]) => ({ recordType: segs[segs.length - 1].toUpperCase() }),
        },
      ] as const,
  ),
  ["microsoft.apimanagement/service", { token: T.Apim, nameKey: "serviceName", parentKeys: [] }],
  ["microsoft.apimanagement/service/apis", { token: T.ApimApi, nameKey: "apiId", parentKeys: ["serviceName"] }],
  ["microsoft.apimanagement/service/backends", { token: T.ApimBackend, nameKey: "backendId", parentKeys: ["serviceName"] }],
  ["microsoft.apimanagement/service/policies", { token: T.ApimPolicy, nameKey: "policyId", parentKeys: ["serviceName"] }],
  ["microsoft.apimanagement/service/apis/policies", { token: T.ApimApiPolicy, nameKey: "policyId", parentKeys: ["serviceName", "apiId"] }],
  [
    "microsoft.apimanagement/service/apis/operations/policies",
    { token: T.ApimApiOperationPolicy, nameKey: "policyId", parentKeys: ["serviceName", "apiId", "operationId"] },
  ],
  [
    "microsoft.apimanagement/service/products/policies",
    { token: T.ApimProductPolicy, nameKey: "policyId", parentKeys: ["serviceName", "productId"] },
  ],
  ["microsoft.apimanagement/service/workspaces/apis", { token: T.ApimWorkspaceApi, nameKey: "apiId", parentKeys: ["serviceName", "workspaceId"] }],
  [
    "microsoft.apimanagement/service/workspaces/backends",
    { token: T.ApimWorkspaceBackend, nameKey: "backendId", parentKeys: ["serviceName", "workspaceId"] },
  ],
  [
    "microsoft.apimanagement/service/workspaces/policies",
    { token: T.ApimWorkspacePolicy, nameKey: "policyId", parentKeys: ["serviceName", "workspaceId"] },
  ],
  [
    "microsoft.apimanagement/service/workspaces/apis/policies",
    { token: T.ApimWorkspaceApiPolicy, nameKey: "policyId", parentKeys: ["serviceName", "workspaceId", "apiId"] },
  ],
  [
    "microsoft.apimanagement/service/workspaces/apis/operations/policies",
    { token: T.ApimWorkspaceApiOperationPolicy, nameKey: "policyId", parentKeys: ["serviceName", "workspaceId", "apiId", "operationId"] },
  ],
];

/** Every ARM type the model reads, by lower-case ARM type, with the typed resource that writes it. */
export const TYPED_BY_ARM: ReadonlyMap<string, TypedShape> = new Map<string, TypedShape>([
  ...Object.entries(TYPE_INFO).map(([token, info]) => [info.arm, { token, nameKey: info.nameKey, parentKeys: info.parentKeys ?? [] }] as const),
  ...EXTRA_SHAPES,
]);

/** One step of an ARM path: the cumulative type (`microsoft.network/networksecuritygroups/securityrules`) and the name. */
export interface ArmStep {
  readonly type: string;
  /** Undefined for the written resource's own name when azure-native picks it or it is unknown at preview. */
  readonly name: string | undefined;
}

/** Where a generic write lands in ARM: its type, the names along its path, and any scope it extends. */
export type ArmTarget =
  | {
      readonly kind: "known";
      /** Lower-case ARM type of the written resource, e.g. "microsoft.network/networksecuritygroups/securityrules". */
      readonly armType: string;
      /** Names along the type chain, outermost first; the last is the resource's own (undefined when azure-native names it). */
      readonly names: ReadonlyArray<string | undefined>;
      /** The resources the path passes through, outermost first (for an extension resource, its scope's steps too). */
      readonly steps: readonly ArmStep[];
      /** An extension resource (its path goes through another `providers` segment), e.g. tags or locks at a VM's scope. */
      readonly extension: boolean;
      readonly resourceGroup: string | undefined;
    }
  | { readonly kind: "unknown"; readonly why: string; readonly resourceGroup: string | undefined };

/** A generic write the model cannot turn into a typed resource, and why. */
export interface UnmappedWrite {
  readonly input: ResourceInput;
  readonly target: ArmTarget;
  readonly why: string;
}

/**
 * Splits an ARM path after `providers/` into its resources: `Microsoft.Network/networkSecurityGroups/nsg1/securityRules/r1`
 * gives two steps. A further `providers/<namespace>` starts an extension resource at the scope named so far. The last
 * step may lack its name (azure-native picks it, or it is unknown at preview).
 */
function stepsOf(segments: readonly string[], lastNameMissing = false): { steps: ArmStep[]; extension: boolean } | undefined {
  const steps: ArmStep[] = [];
  let chain: string[] = [];
  let extension = false;
  let i = 1;
  if (segments.length === 0) return undefined;
  chain = [segments[0].toLowerCase()];
  while (i < segments.length) {
    const type = segments[i];
    const name: string | undefined = segments[i + 1];
    if (type.toLowerCase() === "providers" && name !== undefined && steps.length > 0) {
      chain = [name.toLowerCase()];
      extension = true;
      i += 2;
      continue;
    }
    if (name === undefined && !(lastNameMissing && i === segments.length - 1)) return undefined;
    chain = [...chain, type.toLowerCase()];
    steps.push({ type: chain.join("/"), name });
    i += 2;
  }
  return steps.length === 0 ? undefined : { steps, extension };
}

function segmentsOf(v: string): string[] {
  return v.split("/").filter((s) => s.trim() !== "");
}

const INPUT_SEGMENTS = ["resourceProviderNamespace", "parentResourcePath", "resourceType"] as const;

/** Where a generic write lands: from its inputs (namespace, parent path, type, name), else its ARM id, else its output type. */
export function armTargetOf(props: unknown): ArmTarget {
  const rgRead = str(field(props, "resourceGroupName"));
  const resourceGroup = typeof rgRead === "string" && rgRead !== "" ? rgRead.toLowerCase() : undefined;
  const unknown = INPUT_SEGMENTS.find((k) => isUnknownSentinel(field(props, k)));
  if (unknown) return { kind: "unknown", why: `its ${unknown} is unknown at preview`, resourceGroup };
  if (str(field(props, "resourceProviderNamespace")) !== undefined) {
    return (
      fromInputs(props, resourceGroup) ?? { kind: "unknown", why: "its namespace, parent path, type and name do not form an ARM path", resourceGroup }
    );
  }
  // Outputs of a deployed generic write (a stack export) may carry only the response: its id, or its type and name.
  const id = str(field(props, "id"));
  if (typeof id === "string" && id.includes("/providers/")) {
    const parts = segmentsOf(id);
    const p = parts.findIndex((s) => s.toLowerCase() === "providers");
    const rgIdx = parts.findIndex((s) => s.toLowerCase() === "resourcegroups");
    const parsed = stepsOf(parts.slice(p + 1));
    if (parsed) {
      return {
        kind: "known",
        armType: parsed.steps[parsed.steps.length - 1].type,
        names: ownChain(parsed.steps).map((s) => s.name),
        steps: parsed.steps,
        extension: parsed.extension,
        resourceGroup: resourceGroup ?? (rgIdx >= 0 && parts[rgIdx + 1] ? parts[rgIdx + 1].toLowerCase() : undefined),
      };
    }
  }
  const outType = str(field(props, "type"));
  if (typeof outType === "string" && outType.includes("/")) {
    const typeSegs = segmentsOf(outType.toLowerCase());
    const outName = str(field(props, "name"));
    const names: Array<string | undefined> = typeSegs.slice(1).map(() => undefined);
    if (typeof outName === "string" && outName !== "") names[names.length - 1] = outName;
    return { kind: "known", armType: typeSegs.join("/"), names, steps: [], extension: false, resourceGroup };
  }
  return { kind: "unknown", why: "neither its ARM path nor its id can be read", resourceGroup };
}

function fromInputs(props: unknown, resourceGroup: string | undefined): ArmTarget | undefined {
  const ns = str(field(props, "resourceProviderNamespace"));
  const parent = str(field(props, "parentResourcePath"));
  const type = str(field(props, "resourceType"));
  const name = str(field(props, "resourceName"));
  if (typeof ns !== "string" || typeof type !== "string" || (parent !== undefined && typeof parent !== "string")) return undefined;
  if (name !== undefined && typeof name !== "string" && name.kind === "malformed") return undefined;
  const named = typeof name === "string" && name.trim() !== "";
  const segments = [...segmentsOf(ns), ...segmentsOf(parent ?? ""), ...segmentsOf(type), ...(named ? [name] : [])];
  const parsed = stepsOf(segments, !named);
  if (!parsed) return undefined;
  return {
    kind: "known",
    armType: parsed.steps[parsed.steps.length - 1].type,
    names: ownChain(parsed.steps).map((s) => s.name),
    steps: parsed.steps,
    extension: parsed.extension,
    resourceGroup,
  };
}

/** The steps of the written resource's own namespace (for an extension resource, those after its scope). */
function ownChain(steps: readonly ArmStep[]): readonly ArmStep[] {
  let start = steps.length - 1;
  while (start > 0 && steps[start].type.startsWith(steps[start - 1].type + "/")) start--;
  return steps.slice(start);
}

/** Keys ARM keeps on a resource's envelope; everything else of a sub-resource lives in its `properties`. */
const ENVELOPE_KEYS = new Set([
  "id",
  "name",
  "type",
  "etag",
  "location",
  "tags",
  "sku",
  "zones",
  "identity",
  "kind",
  "extendedLocation",
  "plan",
  "managedBy",
]);

/**
 * A value as azure-native presents a typed resource's properties: every ARM sub-resource envelope (`{ name, properties: {…} }`,
 * e.g. an NSG's `securityRules[]` or a NIC's `ipConfigurations[]`) flattened, at any depth. The resource provider reads
 * only a sub-resource's envelope keys and its `properties`, so anything else beside them is dropped as ARM drops it; a
 * sub-resource whose `properties` are unknown at preview is unknown as a whole.
 */
function flattenValue(v: unknown, depth: number): unknown {
  if (depth > 256) return UNKNOWN_AT_DEPTH;
  if (Array.isArray(v)) return v.map((x) => flattenValue(x, depth + 1));
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(o, "properties")) {
    const inner = o.properties;
    if (isUnknownSentinel(inner)) return inner;
    if (typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      const out: Record<string, unknown> = flattenChildren(inner as Record<string, unknown>, depth + 1);
      for (const k of Object.keys(o)) if (ENVELOPE_KEYS.has(k)) out[k] = flattenValue(o[k], depth + 1);
      return out;
    }
  }
  return flattenChildren(o, depth);
}

function flattenChildren(o: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = flattenValue(o[k], depth + 1);
  return out;
}

/** Inputs and outputs of the generic write that are the written resource's own envelope, kept as they are. */
const KEPT = ["id", "name", "type", "location", "tags", "sku", "kind", "identity", "extendedLocation", "plan", "managedBy", "zones", "etag"];

export type GenericReading = { readonly kind: "typed"; readonly input: ResourceInput } | { readonly kind: "unmapped"; readonly write: UnmappedWrite };

/**
 * The Tags API at a resource's scope written generically (`.../virtualMachines/ex01/providers/Microsoft.Resources/tags/default`)
 * is a `TagAtScope` on that resource: its tag set replaces the resource's. The scope is the write's own id up to the
 * tags (known once deployed); before that, the same path in its resource group, which names the resource by its
 * names, or, with the group unknown, only its dependencies.
 */
function tagsAtScope(input: ResourceInput, target: Extract<ArmTarget, { kind: "known" }>): GenericReading {
  const props = input.props;
  const id = str(field(props, "id"));
  const marker = id === undefined || typeof id !== "string" ? -1 : id.toLowerCase().lastIndexOf("/providers/microsoft.resources/tags");
  let scope: unknown = UNKNOWN_AT_DEPTH;
  if (typeof id === "string" && marker > 0) scope = id.slice(0, marker);
  else if (target.resourceGroup !== undefined) {
    const own = target.steps.filter((s) => !s.type.startsWith("microsoft.resources/tags"));
    const ns = own[0]?.type.split("/")[0];
    const path = own.map((s) => `${s.type.split("/").pop()}/${s.name ?? ""}`).join("/");
    if (ns) scope = `/subscriptions/unknown/resourceGroups/${target.resourceGroup}/providers/${ns}/${path}`;
  }
  const typed: Record<string, unknown> = { scope, properties: field(props, "properties") };
  for (const k of KEPT) {
    const v = field(props, k);
    if (v !== undefined && !(k in typed)) typed[k] = v;
  }
  const pd = input.propertyDependencies;
  const scopeDeps = pd ? [...(pd.parentResourcePath ?? []), ...(pd.resourceGroupName ?? [])] : undefined;
  return {
    kind: "typed",
    input: {
      ...input,
      type: T.TagAtScope,
      props: typed,
      ...(pd !== undefined
        ? {
            propertyDependencies: {
              ...(scopeDeps && scopeDeps.length > 0 ? { scope: scopeDeps } : {}),
              ...(pd.properties ? { properties: pd.properties } : {}),
            },
          }
        : {}),
    },
  };
}

/**
 * A generic ARM write read as the typed resource it writes: its type from the ARM path, its names on the typed
 * resource's name and parent inputs, its `properties` envelope flattened as azure-native flattens typed inputs and
 * outputs, its envelope (tags, location, sku) kept, and each property dependency moved to the inputs it now feeds.
 * The URN stays, so dependencies on it still link. Undefined for anything that is not a generic write.
 */
export function readGenericWrite(input: ResourceInput): GenericReading | undefined {
  if (canonicalType(input.type) !== GENERIC_RESOURCE) return undefined;
  const props = input.props;
  const target = armTargetOf(props);
  const unmapped = (why: string): GenericReading => ({ kind: "unmapped", write: { input, target, why } });
  if (target.kind === "unknown") return unmapped(`the pack cannot tell what it writes: ${target.why}`);
  if (target.extension && target.armType === "microsoft.resources/tags") return tagsAtScope(input, target);
  if (target.extension)
    return unmapped(`it writes ${target.armType}, an extension resource at another resource's scope, which the pack does not map`);
  const shape = TYPED_BY_ARM.get(target.armType);
  if (!shape) return unmapped(`it writes ${target.armType}, a type the pack does not model`);
  const body = field(props, "properties");
  if (isUnknownSentinel(body)) return unmapped(`it writes ${target.armType} but its properties are unknown at preview`);
  const typed: Record<string, unknown> =
    typeof body === "object" && body !== null && !Array.isArray(body) ? flattenChildren(body as Record<string, unknown>, 1) : {};
  const flattenedKeys = Object.keys(typed);
  for (const k of KEPT) {
    const v = field(props, k);
    if (v !== undefined) typed[k] = v;
  }
  const names = target.names;
  const own = names[names.length - 1];
  if (own !== undefined) typed[shape.nameKey] = own;
  else if (isUnknownSentinel(field(props, "resourceName"))) typed[shape.nameKey] = field(props, "resourceName");
  shape.parentKeys.forEach((k, i) => {
    const n = names[names.length - 1 - shape.parentKeys.length + i];
    if (n !== undefined) typed[k] = n;
  });
  if (shape.fromPath) Object.assign(typed, shape.fromPath(target.armType.split("/")));
  const rg = field(props, "resourceGroupName");
  if (rg !== undefined) typed.resourceGroupName = rg;

  const pd = input.propertyDependencies;
  let propertyDependencies: Record<string, readonly string[]> | undefined;
  if (pd !== undefined) {
    const out: Record<string, readonly string[]> = {};
    const give = (to: string, from: readonly string[] | undefined) => {
      if (from === undefined || from.length === 0) return;
      out[to] = [...new Set([...(out[to] ?? []), ...from])];
    };
    for (const k of flattenedKeys) give(k, pd.properties);
    for (const k of KEPT) give(k, pd[k]);
    give(shape.nameKey, pd.resourceName);
    for (const k of shape.parentKeys) give(k, pd.parentResourcePath);
    give("resourceGroupName", pd.resourceGroupName);
    propertyDependencies = out;
  }
  return {
    kind: "typed",
    input: { ...input, type: shape.token, props: typed, ...(propertyDependencies !== undefined ? { propertyDependencies } : {}) },
  };
}
