/**
 * azure-native's generic ARM write (`azure-native:resources:Resource`) as a program writes it, for the generic-write tests:
 * ARM's PUT by namespace, parent path, type and name, with the ARM body's `properties` passed through as ARM shapes it
 * (sub-resources such as an NSG's rules are `{ name, properties: {…} }` envelopes).
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "./estate";
import { baseNet, exHost, hostNic } from "./networks";

export const GENERIC = "azure-native:resources:Resource";

export interface GenericSpec {
  namespace: unknown;
  parentPath?: unknown;
  type: unknown;
  resourceName?: unknown;
  properties?: unknown;
  resourceGroupName?: unknown;
  /** Envelope inputs (tags, location, sku). */
  extra?: Record<string, unknown>;
  deps?: Record<string, Res[]>;
  /** The ARM id once deployed; by default built from the path. */
  armId?: string;
}

/** A generic write in `e` (its id unknown at preview, as for any resource created in the run). */
export function genericWrite(e: Estate, name: string, o: GenericSpec): Res {
  const props: Record<string, unknown> = {
    apiVersion: "2024-05-01",
    resourceGroupName: o.resourceGroupName ?? e.rg,
    resourceProviderNamespace: o.namespace,
    resourceType: o.type,
    ...(o.parentPath !== undefined ? { parentResourcePath: o.parentPath } : { parentResourcePath: "" }),
    ...(o.resourceName !== undefined ? { resourceName: o.resourceName } : {}),
    ...(o.properties !== undefined ? { properties: o.properties } : {}),
    ...(o.extra ?? {}),
  };
  const path = [o.parentPath, o.type, o.resourceName].filter((s) => typeof s === "string" && s !== "").join("/");
  const armId = o.armId ?? `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/${String(o.namespace)}/${path}`;
  return e.add(GENERIC, name, props, o.deps ?? {}, armId);
}

const ENVELOPE = new Set(["name", "id", "etag", "type", "location", "tags", "sku", "zones"]);

/** An azure-native (flattened) sub-resource in ARM's shape: envelope keys outside, everything else under `properties`. */
export function envelope(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (ENVELOPE.has(k)) out[k] = v;
    else properties[k] = v;
  }
  return { ...out, properties };
}

/** A security rule written generically into NSG `nsgName` (by literal parent path, or `parentPath` as given). */
export function genericSecurityRule(
  e: Estate,
  name: string,
  nsgName: string,
  flatRule: Record<string, unknown>,
  o: { parentPath?: unknown; deps?: Record<string, Res[]>; resourceName?: unknown } = {},
): Res {
  const { name: ruleName, ...body } = flatRule;
  return genericWrite(e, name, {
    namespace: "Microsoft.Network",
    parentPath: o.parentPath ?? `networkSecurityGroups/${nsgName}`,
    type: "securityRules",
    resourceName: o.resourceName ?? ruleName,
    properties: body,
    deps: o.deps,
  });
}

export const FORENSICS = ["10.9.0.0/24"];
export const ISOLATION_CONFIG = { forensicsSourcePrefixes: FORENSICS };

/** The forensics allow and the deny-everything rule of a quarantine NSG. */
export const quarantineRules = (): Array<Record<string, unknown>> => [
  rule({ name: "allow-forensics-rdp", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
  rule({ name: "deny-all-in", priority: 4000, access: "Deny", source: "*" }),
];

/** ex01 (unverified) in the quarantine: NIC NSG nsg-iso-ex01 lets only forensics in; no public path. */
export function quarantinedHost(preview: boolean, state = "unverified"): { e: Estate; vm: Res; nic: Res; nsg: Res; sub: Res; vnet: Res } {
  const e = new Estate({ preview });
  const { vnet, sub } = baseNet(e);
  const nsg = e.nsg("nsg-iso-ex01", quarantineRules(), { flushConnection: true });
  const nic = hostNic(e, sub, { nsg, tags: HOST_TAGS(state) });
  const vm = exHost(e, { nics: [nic], state });
  return { e, vm, nic, nsg, sub, vnet };
}

/** A verified ex01 with a public IP and an NSG that publishes 443 from the internet and denies everything else. */
export function publishedHost(preview: boolean) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-pub-ex01", [
    rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 4000, access: "Deny", source: "*" }),
  ]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
  const vm = exHost(e, { nics: [nic], verified: true });
  return { e, vm, nsg };
}

export { UNKNOWN };
