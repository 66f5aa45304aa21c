/**
 * Resource Graph output made from deployed resources, as `az graph query` writes it: the ARM body of each resource (the
 * inverse of the audit's mapping), child resources folded into their parents' bodies as ARM returns them (Resource Graph
 * has no rows for subnets, security rules or pools), one row per resource with Resource Graph's columns, cut into pages.
 */
import * as fs from "fs";
import * as path from "path";
import type { EngineResource } from "../../cli/packDriver/analyzerClient";
import { propsToArm } from "../../cli/audit/azure/armShape";

type Obj = Record<string, unknown>;

/** One resource of the "cloud": its azure-native token and the body ARM returns for it. */
export interface ArmResource {
  readonly token: string;
  readonly body: Obj;
}

/** Child types ARM returns inside their parent's body, with the parent's collection. */
const FOLDED: Readonly<Record<string, string>> = {
  "azure-native:network:Subnet": "subnets",
  "azure-native:network:SecurityRule": "securityRules",
  "azure-native:network:LoadBalancerBackendAddressPool": "backendAddressPools",
  "azure-native:network:InboundNatRule": "inboundNatRules",
  "azure-native:network:VirtualNetworkPeering": "virtualNetworkPeerings",
  "azure-native:network:Route": "routes",
};

/** Types Resource Graph's Resources and SecurityResources tables do not hold (containers, subscription-level metadata). */
const NOT_IN_GRAPH = new Set(["azure-native:resources:ResourceGroup", "azure-native:security:AssessmentMetadataInSubscription"]);

/** The ARM bodies of the Azure resources among `resources` (deployed ones: with an ARM id). */
export function armResources(resources: readonly EngineResource[]): ArmResource[] {
  return resources
    .filter((r) => r.type.startsWith("azure-native:") && !NOT_IN_GRAPH.has(r.type))
    .filter((r) => typeof r.properties.id === "string" && (r.properties.id as string).startsWith("/subscriptions/"))
    .map((r) => ({ token: r.type, body: propsToArm(r.type, r.properties) }));
}

const parentId = (id: string) => id.split("/").slice(0, -2).join("/");
const key = (id: string) => id.toLowerCase();

/** Bodies as ARM lists them: children inside their parents (a child whose parent is gone is gone too). */
export function foldChildren(arm: readonly ArmResource[]): ArmResource[] {
  const byId = new Map<string, ArmResource>();
  for (const a of arm) byId.set(key(String(a.body.id)), { token: a.token, body: structuredClone(a.body) });
  const out: ArmResource[] = [];
  for (const a of byId.values()) {
    const collection = FOLDED[a.token];
    if (!collection) {
      out.push(a);
      continue;
    }
    const parent = byId.get(key(parentId(String(a.body.id))));
    if (!parent) continue;
    const props = (parent.body.properties ??= {}) as Obj;
    const list = (Array.isArray(props[collection]) ? props[collection] : []) as Obj[];
    const child = { id: a.body.id, name: a.body.name, properties: a.body.properties };
    const at = list.findIndex((x) => String(x.name).toLowerCase() === String(a.body.name).toLowerCase());
    if (at >= 0) list[at] = child;
    else list.push(child);
    props[collection] = list;
  }
  return out;
}

export type QueryName = "resources" | "security-assessments" | "network-resources" | "locks";

/** A Resource Graph row of a body: the columns the shipped queries project, `type` lower-cased as Resource Graph writes it. */
export function rowOf(body: Obj, query: QueryName): Obj {
  const id = String(body.id);
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(id);
  const row: Obj = {
    id,
    name: body.name,
    type: String(body.type).toLowerCase(),
    kind: body.kind ?? "",
    location: typeof body.location === "string" ? body.location.toLowerCase().replace(/\s+/g, "") : "",
    resourceGroup: m?.[2]?.toLowerCase() ?? "",
    subscriptionId: m?.[1] ?? "",
    managedBy: body.managedBy ?? "",
    sku: body.sku ?? null,
    zones: body.zones ?? null,
    identity: body.identity ?? null,
    tags: body.tags ?? null,
    properties: body.properties ?? null,
    exgQuery: query,
  };
  return row;
}

/** A lock as `az lock list --output json` writes it: no envelope, `level` and `notes` beside the id. */
export function lockRow(body: Obj): Obj {
  const props = (body.properties ?? {}) as Obj;
  return {
    id: body.id,
    name: body.name,
    type: "Microsoft.Authorization/locks",
    level: props.level,
    notes: props.notes ?? null,
    owners: props.owners ?? null,
  };
}

/**
 * Rows of the shipped queries for a set of ARM bodies (children folded first), and the locks as `az lock list` lists
 * them (Resource Graph does not).
 */
export function resourceGraphRows(arm: readonly ArmResource[]): { resources: Obj[]; assessments: Obj[]; locks: Obj[] } {
  const resources: Obj[] = [];
  const assessments: Obj[] = [];
  const locks: Obj[] = [];
  for (const a of foldChildren(arm.filter((x) => !NOT_IN_GRAPH.has(x.token)))) {
    if (a.token === "azure-native:security:Assessment") assessments.push(rowOf(a.body, "security-assessments"));
    else if (/^microsoft\.authorization\/locks$/i.test(String(a.body.type))) locks.push(lockRow(a.body));
    else resources.push(rowOf(a.body, "resources"));
  }
  const byId = (x: Obj, y: Obj) => String(x.id).localeCompare(String(y.id));
  return { resources: resources.sort(byId), assessments: assessments.sort(byId), locks: locks.sort(byId) };
}

/** `az graph query --first <pageSize>` pages of one run: every page announces the total, all but the last a skip token. */
export function azCliPages(rows: readonly Obj[], pageSize = 1000): Obj[] {
  const pages: Obj[] = [];
  for (let i = 0; i < rows.length || (i === 0 && pages.length === 0); i += pageSize) {
    const data = rows.slice(i, i + pageSize);
    const page: Obj = { count: data.length, data, total_records: rows.length };
    if (i + pageSize < rows.length) page.skip_token = Buffer.from(JSON.stringify({ $skip: i + pageSize })).toString("base64");
    pages.push(page);
  }
  return pages;
}

/** Writes each query's pages as `<prefix>-<query>-<n>.json` in `dir`; answers the files, in order. */
export function writeResourceGraphPages(dir: string, prefix: string, rows: Record<string, readonly Obj[]>, pageSize = 1000): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [query, list] of Object.entries(rows)) {
    if (query === "locks") {
      // `az lock list` writes one array, never paged.
      if (list.length === 0) continue;
      const file = path.join(dir, `${prefix}-locks.json`);
      fs.writeFileSync(file, JSON.stringify(list, null, 2));
      files.push(file);
      continue;
    }
    azCliPages(list, pageSize).forEach((page, n) => {
      const file = path.join(dir, `${prefix}-${query}-${n + 1}.json`);
      fs.writeFileSync(file, JSON.stringify(page, null, 2));
      files.push(file);
    });
  }
  return files;
}

/** The stand-in's on-disk cloud (EXG_STANDIN_CLOUD) as ARM bodies: what it deployed, with what was changed "in the portal". */
export function cloudResources(cloudFile: string): ArmResource[] {
  const cloud = JSON.parse(fs.readFileSync(cloudFile, "utf8")) as Record<string, { type: string; id: string; arm?: Obj; managedBy?: string }>;
  return Object.values(cloud).map((e) => ({
    token: e.type,
    body: e.arm ?? { id: e.id, name: e.id.split("/").pop(), type: typeFromId(e.id), managedBy: e.managedBy, properties: {} },
  }));
}

function typeFromId(id: string): string {
  const parts = id.split("/");
  const p = parts.map((x) => x.toLowerCase()).lastIndexOf("providers");
  return `${parts[p + 1]}/${parts[p + 2]}`;
}

/**
 * What an operator might do to a quarantined host "in the portal", on ARM bodies: (a) a new public IP on its NIC's first
 * ip configuration, (b) an RDP allow from the internet on its NIC's NSG and its subnet's NSG (both levels must allow),
 * (c) a new public load balancer, outside any stack, whose pool holds that ip configuration. Answers the names used.
 */
export function applyPortalChanges(arm: ArmResource[], nicName: string): { pip: string; rule: string; lb: string; nsgs: string[] } {
  const byName = (token: string, name: string) => arm.find((a) => a.token === token && String(a.body.name).toLowerCase() === name.toLowerCase());
  const nic = byName("azure-native:network:NetworkInterface", nicName);
  if (!nic) throw new Error(`no NIC ${nicName} in the cloud`);
  const nicId = String(nic.body.id);
  const rgPrefix = nicId.split("/providers/")[0];
  const ipConfig = ((nic.body.properties as Obj).ipConfigurations as Obj[])[0];
  const ipProps = ipConfig.properties as Obj;
  const ipConfigId = typeof ipConfig.id === "string" ? ipConfig.id : `${nicId}/ipConfigurations/${String(ipConfig.name)}`;
  // (a) a public IP created and attached in the portal.
  const pipId = `${rgPrefix}/providers/Microsoft.Network/publicIPAddresses/pip-portal`;
  arm.push({
    token: "azure-native:network:PublicIPAddress",
    body: {
      id: pipId,
      name: "pip-portal",
      type: "Microsoft.Network/publicIPAddresses",
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      properties: {
        publicIPAllocationMethod: "Static",
        ipAddress: "20.50.60.70",
        publicIPAddressVersion: "IPv4",
        ipConfiguration: { id: ipConfigId },
      },
    },
  });
  ipProps.publicIPAddress = { id: pipId };
  // (b) RDP from the internet at both NSG levels.
  const nsgIds = [String(((nic.body.properties as Obj).networkSecurityGroup as Obj | undefined)?.id ?? "")];
  const subnetId = String((ipProps.subnet as Obj | undefined)?.id ?? "");
  const vnet = arm.find((a) => subnetId.toLowerCase().startsWith(String(a.body.id).toLowerCase() + "/subnets/"));
  const subnet =
    vnet &&
    ((vnet.body.properties as Obj).subnets as Obj[] | undefined)?.find((s) => subnetId.toLowerCase().endsWith(`/${String(s.name).toLowerCase()}`));
  const standalone = arm.find((a) => String(a.body.id).toLowerCase() === subnetId.toLowerCase());
  const subnetNsg = ((subnet?.properties ?? standalone?.body.properties) as Obj | undefined)?.networkSecurityGroup as Obj | undefined;
  if (subnetNsg?.id) nsgIds.push(String(subnetNsg.id));
  const rule = "portal-rdp";
  for (const id of nsgIds) {
    const nsg = arm.find((a) => String(a.body.id).toLowerCase() === id.toLowerCase());
    if (!nsg) continue;
    const props = nsg.body.properties as Obj;
    const rules = (Array.isArray(props.securityRules) ? props.securityRules : []) as Obj[];
    rules.push({
      id: `${String(nsg.body.id)}/securityRules/${rule}`,
      name: rule,
      properties: {
        priority: 105,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "3389",
      },
    });
    props.securityRules = rules;
  }
  // (c) a load balancer made outside the stack, pooling the host.
  const lbId = `${rgPrefix}/providers/Microsoft.Network/loadBalancers/lb-portal`;
  const lbPipId = `${rgPrefix}/providers/Microsoft.Network/publicIPAddresses/pip-lb-portal`;
  arm.push({
    token: "azure-native:network:PublicIPAddress",
    body: {
      id: lbPipId,
      name: "pip-lb-portal",
      type: "Microsoft.Network/publicIPAddresses",
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      properties: { publicIPAllocationMethod: "Static", ipAddress: "20.50.60.71", publicIPAddressVersion: "IPv4" },
    },
  });
  arm.push({
    token: "azure-native:network:LoadBalancer",
    body: {
      id: lbId,
      name: "lb-portal",
      type: "Microsoft.Network/loadBalancers",
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      properties: {
        frontendIPConfigurations: [{ id: `${lbId}/frontendIPConfigurations/fe`, name: "fe", properties: { publicIPAddress: { id: lbPipId } } }],
        backendAddressPools: [{ id: `${lbId}/backendAddressPools/pool`, name: "pool", properties: {} }],
        loadBalancingRules: [
          {
            id: `${lbId}/loadBalancingRules/rdp`,
            name: "rdp",
            properties: {
              frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/fe` },
              backendAddressPool: { id: `${lbId}/backendAddressPools/pool` },
              protocol: "Tcp",
              frontendPort: 3389,
              backendPort: 3389,
            },
          },
        ],
      },
    },
  });
  ipProps.loadBalancerBackendAddressPools = [
    ...((ipProps.loadBalancerBackendAddressPools as Obj[] | undefined) ?? []),
    { id: `${lbId}/backendAddressPools/pool` },
  ];
  return { pip: "pip-portal", rule, lb: "lb-portal", nsgs: nsgIds };
}
