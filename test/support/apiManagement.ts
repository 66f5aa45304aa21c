/**
 * API Management resources in azure-native's shape (`apimanagement:ApiManagementService`, `Api`, `Backend`, the
 * policy resources) for the API Management path tests. Children name their service as a program does,
 * `serviceName: service.name`: known once deployed, unknown at preview and linked by its property dependency.
 */
import { Estate, Res, UNKNOWN } from "./estate";
import { armIdOf } from "./networks";

export const APIM_SUBNET = "10.0.5.0/24";

export function apimService(
  e: Estate,
  name: string,
  o: { mode?: unknown; subnet?: Res; publicNetworkAccess?: unknown; privateIPAddresses?: string[]; extra?: Record<string, unknown> } = {},
): Res {
  const props: Record<string, unknown> = {
    serviceName: name,
    resourceGroupName: e.rg,
    publisherEmail: "soc@corp.example",
    publisherName: "SOC",
    sku: { name: "Developer", capacity: 1 },
    ...(o.extra ?? {}),
  };
  if (o.mode !== undefined) props.virtualNetworkType = o.mode;
  if (o.publicNetworkAccess !== undefined) props.publicNetworkAccess = o.publicNetworkAccess;
  if (o.privateIPAddresses) props.privateIPAddresses = o.privateIPAddresses;
  const deps: Record<string, Res[]> = {};
  if (o.subnet) {
    props.virtualNetworkConfiguration = { subnetResourceId: e.ref(o.subnet).id };
    deps.virtualNetworkConfiguration = [o.subnet];
  }
  return e.add("azure-native:apimanagement:ApiManagementService", name, props, deps, armIdOf(e, "Microsoft.ApiManagement/service", name));
}

function child(e: Estate, type: string, name: string, apim: Res, props: Record<string, unknown>, childPath: string): Res {
  return e.add(
    `azure-native:apimanagement:${type}`,
    name,
    { serviceName: e.opts.preview ? UNKNOWN : apim.name, resourceGroupName: e.rg, ...props },
    { serviceName: [apim] },
    `${apim.armId}/${childPath}`,
  );
}

export function apimApi(e: Estate, apim: Res, apiId: string, serviceUrl: unknown, extra: Record<string, unknown> = {}): Res {
  return child(e, "Api", `api-${apiId}`, apim, { apiId, path: apiId, protocols: ["https"], serviceUrl, ...extra }, `apis/${apiId}`);
}

export function apimBackend(e: Estate, apim: Res, backendId: string, url: unknown): Res {
  return child(e, "Backend", `backend-${backendId}`, apim, { backendId, protocol: "http", url }, `backends/${backendId}`);
}

/** A policy document: global (`Policy`), or on an API (`ApiPolicy`). */
export function apimPolicy(e: Estate, apim: Res, value: unknown, o: { apiId?: string; format?: string; name?: string } = {}): Res {
  const props: Record<string, unknown> = { policyId: "policy", value, format: o.format ?? "xml" };
  if (o.apiId) props.apiId = o.apiId;
  return child(
    e,
    o.apiId ? "ApiPolicy" : "Policy",
    o.name ?? `policy-${o.apiId ?? "global"}`,
    apim,
    props,
    o.apiId ? `apis/${o.apiId}/policies/policy` : "policies/policy",
  );
}

/** A policy document that sends every request of its scope to `url`. */
export const setBackend = (url: string): string =>
  `<policies><inbound><base /><set-backend-service base-url="${url}" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
