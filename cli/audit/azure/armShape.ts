import { parseArmId, T } from "../../../policies/model";
import { ArmTypeInfo, infoForArmType, infoForToken, MANAGEMENT_LOCK, unmodelledToken } from "./armTypes";

/**
 * ARM's response bodies and azure-native's view of them, both ways. ARM wraps what a resource provider returns in a
 * `properties` envelope, on the resource and on each sub-resource (an ipConfiguration, a security rule, a pool);
 * azure-native flattens every envelope and adds the names of the resource and its parents as typed inputs
 * (`networkInterfaceName`, `resourceGroupName`). `armToProps` reads a body (a REST response or a Resource Graph row) as
 * azure-native presents it, `propsToArm` writes azure-native properties back as the body ARM returns; the two are
 * inverse on what the model reads (test/unit/armShape.test.ts).
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keys ARM keeps beside the envelope, on a resource. */
const ENVELOPE = ["id", "name", "type", "location", "tags", "sku", "zones", "etag", "identity", "kind", "managedBy", "plan", "extendedLocation"];
/** Keys ARM keeps beside the envelope, on a sub-resource. */
const SUB_ENVELOPE = ["id", "name", "type", "etag"];

/**
 * Where the sub-resources of each type sit (keys under `properties`, nested the same way): what `propsToArm` wraps in
 * an envelope. A key starting with "." is a plain object on the way to sub-resources, never wrapped itself.
 */
interface Spec {
  readonly [key: string]: Spec;
}
const LEAF: Spec = {};
const IP_CONFIGS: Spec = { ipConfigurations: { publicIPAddressConfiguration: LEAF } };

const SUB_RESOURCES: Readonly<Record<string, Spec>> = {
  [T.NIC]: { ipConfigurations: LEAF },
  [T.NSG]: { securityRules: LEAF, defaultSecurityRules: LEAF },
  [T.VNet]: { subnets: LEAF, virtualNetworkPeerings: LEAF },
  [T.RouteTable]: { routes: LEAF },
  [T.LB]: {
    frontendIPConfigurations: LEAF,
    backendAddressPools: { loadBalancerBackendAddresses: LEAF },
    loadBalancingRules: LEAF,
    inboundNatRules: LEAF,
    inboundNatPools: LEAF,
    probes: LEAF,
    outboundRules: LEAF,
  },
  [T.LBPool]: { loadBalancerBackendAddresses: LEAF },
  [T.AppGW]: {
    gatewayIPConfigurations: LEAF,
    sslCertificates: LEAF,
    trustedClientCertificates: LEAF,
    trustedRootCertificates: LEAF,
    authenticationCertificates: LEAF,
    frontendIPConfigurations: LEAF,
    frontendPorts: LEAF,
    backendAddressPools: LEAF,
    backendHttpSettingsCollection: LEAF,
    backendSettingsCollection: LEAF,
    httpListeners: LEAF,
    listeners: LEAF,
    sslProfiles: LEAF,
    urlPathMaps: { pathRules: LEAF },
    requestRoutingRules: LEAF,
    routingRules: LEAF,
    rewriteRuleSets: LEAF,
    redirectConfigurations: LEAF,
    probes: LEAF,
    privateLinkConfigurations: { ipConfigurations: LEAF },
    privateEndpointConnections: LEAF,
    loadDistributionPolicies: { loadDistributionTargets: LEAF },
  },
  [T.Firewall]: {
    ipConfigurations: LEAF,
    managementIpConfiguration: LEAF,
    applicationRuleCollections: LEAF,
    natRuleCollections: LEAF,
    networkRuleCollections: LEAF,
  },
  [T.Bastion]: { ipConfigurations: LEAF },
  [T.PLS]: { ipConfigurations: LEAF, loadBalancerFrontendIpConfigurations: LEAF, privateEndpointConnections: LEAF },
  [T.VM]: { ".networkProfile": { networkInterfaces: LEAF, networkInterfaceConfigurations: IP_CONFIGS } },
  [T.VMSS]: { ".virtualMachineProfile": { ".networkProfile": { networkInterfaceConfigurations: IP_CONFIGS } } },
};

/** Names and the resource group: inputs azure-native adds, which ARM carries in the id only. */
const DERIVED = new Set(["resourceGroupName", "resourceId", "recordType", "azureApiVersion"]);

export interface ArmIdentity {
  /** Resource Graph's `resourceGroup` column, when the row has one. */
  readonly resourceGroup?: string;
}

export interface AzureNativeView {
  readonly token: string;
  /** False for a type the model has no token for: its body is kept as it is. */
  readonly modelled: boolean;
  readonly name: string;
  readonly props: Obj;
}

/** Flattens every sub-resource envelope below `v` (an object with `properties` and an `id` or `name`). */
function flattenSubResources(v: unknown, depth = 0): unknown {
  if (depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => flattenSubResources(x, depth + 1));
  if (!isObj(v)) return v;
  const out: Obj = {};
  const envelope = isObj(v.properties) && (typeof v.id === "string" || typeof v.name === "string");
  for (const [k, x] of Object.entries(v)) {
    if (envelope && k === "properties") continue;
    out[k] = flattenSubResources(x, depth + 1);
  }
  if (envelope) {
    for (const [k, x] of Object.entries(v.properties as Obj)) {
      // ARM's own key wins where a provider reuses its name (an extension's `type`).
      if (!(k in out)) out[k] = flattenSubResources(x, depth + 1);
    }
  }
  return out;
}

/** The id of the resource an assessment is about: `resourceDetails.id` (any case), else the id before the extension. */
function assessedResourceId(id: string, props: Obj): string | undefined {
  const details = props.resourceDetails;
  if (isObj(details)) {
    for (const [k, v] of Object.entries(details)) if (k.toLowerCase() === "id" && typeof v === "string" && v !== "") return v;
  }
  const i = id.toLowerCase().lastIndexOf("/providers/microsoft.security/assessments/");
  return i > 0 ? id.slice(0, i) : undefined;
}

function nameFromId(id: string): string {
  return id.replace(/\/+$/, "").split("/").pop() ?? id;
}

/** An ARM body (REST response or Resource Graph row) as azure-native presents the resource. */
export function armToProps(body: Obj, identity: ArmIdentity = {}): AzureNativeView {
  const id = String(body.id);
  const armType = typeof body.type === "string" ? body.type : (parseArmId(id).type ?? "");
  const info = infoForArmType(armType);
  const name = typeof body.name === "string" && body.name !== "" ? body.name : nameFromId(id);
  const parsed = parseArmId(id);
  const resourceGroup = identity.resourceGroup ?? parsed.resourceGroup;
  if (!info) {
    const props: Obj = { ...body };
    if (resourceGroup) props.resourceGroupName = resourceGroup;
    return { token: unmodelledToken(armType), modelled: false, name, props };
  }
  const props: Obj = {};
  // ARM's own keys (and any other beside the envelope, such as a VM's inline `resources`) stay at the top.
  for (const [k, v] of Object.entries(body)) if (k !== "properties" && v !== undefined && v !== null) props[k] = flattenSubResources(v);
  const inner = isObj(body.properties) ? body.properties : {};
  for (const [k, v] of Object.entries(inner)) if (!(k in props)) props[k] = flattenSubResources(v);
  props.id = id;
  props.name = name;
  addNames(info, props, id, name, resourceGroup);
  if (info.token === T.Assessment) {
    const resourceId = assessedResourceId(id, props);
    if (resourceId) props.resourceId = resourceId;
  }
  if (info.token === T.PrivateRecordSet) props.recordType = armType.split("/").pop()!.toUpperCase();
  if (info.token === MANAGEMENT_LOCK) {
    const i = id.toLowerCase().lastIndexOf("/providers/microsoft.authorization/locks/");
    if (i > 0) props.scope = id.slice(0, i);
  }
  return { token: info.token, modelled: true, name, props };
}

function addNames(info: ArmTypeInfo, props: Obj, id: string, name: string, resourceGroup: string | undefined): void {
  if (resourceGroup && info.token !== T.Assessment) props.resourceGroupName = resourceGroup;
  if (info.nameKey) props[info.nameKey] = name;
  const parents = info.parentKeys ?? [];
  if (parents.length > 0) {
    const names = parseArmId(id).names;
    // The parents' names are the id's names before the resource's own.
    const own = names.length - 1;
    parents.forEach((k, i) => {
      const n = names[own - parents.length + i];
      if (n !== undefined) props[k] = n;
    });
  }
}

/** The ARM type as the id spells it (`Microsoft.Network/networkInterfaces`), the way ARM bodies carry it. */
function armTypeFromId(id: string, fallback: string): string {
  const parts = id.split("/").filter((p) => p !== "");
  const p = parts.map((x) => x.toLowerCase()).lastIndexOf("providers");
  if (p < 0 || parts[p + 1] === undefined) return fallback;
  const types = [parts[p + 1]];
  for (let k = p + 2; k + 1 < parts.length; k += 2) types.push(parts[k]);
  return types.length > 1 ? `${types[0]}/${types.slice(1).join("/")}` : fallback;
}

function wrap(value: unknown, spec: Spec): unknown {
  if (Array.isArray(value)) return value.map((x) => wrap(x, spec));
  if (!isObj(value)) return value;
  const out: Obj = {};
  const properties: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (SUB_ENVELOPE.includes(k)) out[k] = v;
    else properties[k] = k in spec ? wrap(v, spec[k]) : `.${k}` in spec ? descend(v, spec[`.${k}`]) : v;
  }
  out.properties = properties;
  return out;
}

function descend(value: unknown, spec: Spec): unknown {
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = k in spec ? wrap(v, spec[k]) : `.${k}` in spec ? descend(v, spec[`.${k}`]) : v;
  return out;
}

/** azure-native properties (inputs or outputs, with their ARM `id`) written back as the body ARM returns for them. */
export function propsToArm(token: string, props: Obj): Obj {
  const info = infoForToken(token);
  const id = String(props.id);
  const names = new Set([...(info?.nameKey ? [info.nameKey] : []), ...(info?.parentKeys ?? [])]);
  const spec = SUB_RESOURCES[token] ?? LEAF;
  const body: Obj = { id, name: nameFromId(id), type: armTypeFromId(id, info?.arm ?? token) };
  const properties: Obj = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || k === "id" || k === "name" || k === "type" || names.has(k) || DERIVED.has(k)) continue;
    // A lock's scope is in its id.
    if (token === MANAGEMENT_LOCK && k === "scope") continue;
    if (ENVELOPE.includes(k)) body[k] = v;
    else properties[k] = k in spec ? wrap(v, spec[k]) : `.${k}` in spec ? descend(v, spec[`.${k}`]) : v;
  }
  if (token === T.Assessment && typeof props.resourceId === "string") {
    const details = isObj(properties.resourceDetails) ? properties.resourceDetails : {};
    properties.resourceDetails = { source: "Azure", ...details, id: props.resourceId };
  }
  body.properties = properties;
  return body;
}
