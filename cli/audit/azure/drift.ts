import type { EngineResource } from "../../packDriver/analyzerClient";
import { GateConfig, normalizeId, parseArmId, StackAnalysis, T, toResourceInputs } from "../../../policies/model";

/**
 * Drift that matters for Exchange hosts: what Azure holds and the stack does not, or holds differently, on the paths the
 * policies judge (host VMs, their NICs and NSGs, public IPs, pools and proxies). Findings are values; `renderDrift`
 * words them once. Drift is a report, not a verdict: the policies judge the live estate on their own.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export type Attachment = "public IP" | "load balancer pools" | "NAT rules" | "application gateway pools" | "subnet";

export interface RuleFacts {
  readonly priority: string;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: string;
  readonly destinations: string;
  readonly ports: string;
}

export type DriftFinding =
  | {
      readonly kind: "only-in-azure";
      readonly what: string;
      readonly name: string;
      readonly id: string;
      readonly host?: string;
      readonly why?: string;
    }
  | { readonly kind: "only-in-stack"; readonly what: string; readonly name: string; readonly id: string; readonly host?: string }
  | {
      readonly kind: "ip-config";
      readonly name: string;
      readonly id: string;
      readonly host?: string;
      readonly ipConfig: string;
      readonly attachment: Attachment;
      readonly azure: readonly string[];
      readonly stack: readonly string[];
    }
  | {
      readonly kind: "ip-config-only";
      readonly name: string;
      readonly id: string;
      readonly host?: string;
      readonly ipConfig: string;
      readonly side: "azure" | "stack";
    }
  | { readonly kind: "nic-nsg"; readonly name: string; readonly id: string; readonly host?: string; readonly azure?: string; readonly stack?: string }
  | {
      readonly kind: "nsg-rule";
      readonly name: string;
      readonly id: string;
      readonly host?: string;
      readonly rule: string;
      readonly azure?: RuleFacts;
      readonly stack?: RuleFacts;
    }
  | {
      readonly kind: "pool-addresses";
      readonly name: string;
      readonly id: string;
      readonly pool: string;
      readonly azure: readonly string[];
      readonly stack: readonly string[];
    }
  | {
      readonly kind: "host-tag";
      readonly name: string;
      readonly id: string;
      readonly host: string;
      readonly tag: string;
      readonly azure?: string;
      readonly stack?: string;
    };

/** What each compared type is called in words. */
const WHAT: Readonly<Record<string, string>> = {
  [T.VM]: "VM",
  [T.NIC]: "NIC",
  [T.NSG]: "NSG",
  [T.PublicIP]: "public IP",
  [T.LB]: "load balancer",
  [T.AppGW]: "application gateway",
  [T.Firewall]: "Azure Firewall",
  [T.FirewallPolicy]: "Firewall Policy",
  [T.Bastion]: "Bastion",
  [T.FrontDoor]: "Front Door (classic)",
  [T.PLS]: "Private Link service",
  "azure-native:cdn:Profile": "Front Door / CDN profile",
  "azure-native:cdn:Endpoint": "CDN endpoint",
  "azure-native:apimanagement:ApiManagementService": "API Management",
};
const PROXIES = new Set([
  T.LB,
  T.AppGW,
  T.Firewall,
  T.FirewallPolicy,
  T.Bastion,
  T.FrontDoor,
  T.PLS,
  T.PublicIP,
  "azure-native:cdn:Profile",
  "azure-native:cdn:Endpoint",
  "azure-native:apimanagement:ApiManagementService",
]);

interface Side {
  readonly byId: Map<string, EngineResource>;
  readonly hosts: ReadonlyArray<{ name: string; vmId?: string; nicIds: string[]; identities: ReadonlySet<string> }>;
  readonly resources: readonly EngineResource[];
}

function idOf(r: EngineResource): string | undefined {
  const id = r.properties.id;
  return typeof id === "string" && id.trim() !== "" ? normalizeId(id) : undefined;
}

function side(resources: readonly EngineResource[], gate: GateConfig): Side {
  const byId = new Map<string, EngineResource>();
  for (const r of resources) {
    const id = idOf(r);
    if (id) byId.set(id, r);
  }
  const analysis = new StackAnalysis(toResourceInputs(resources, new Set()), gate, new Date());
  const hosts = analysis.hosts.map((h) => ({
    name: h.name,
    vmId: h.vm.id,
    nicIds: h.nics.map((n) => n.id).filter((x): x is string => x !== undefined),
    identities: h.identities,
  }));
  return { byId, hosts, resources };
}

const refId = (v: unknown): string | undefined =>
  isObj(v) && typeof v.id === "string" ? normalizeId(v.id) : typeof v === "string" ? normalizeId(v) : undefined;
const refIds = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .map(refId)
        .filter((x): x is string => x !== undefined)
        .sort()
    : [];
const lastName = (id: string | undefined) => (id ? (parseArmId(id).names.slice(-1)[0] ?? id) : "none");
const display = (r: EngineResource) => (typeof r.properties.name === "string" ? r.properties.name : r.name);

function ipConfigs(nic: EngineResource): Map<string, Obj> {
  const out = new Map<string, Obj>();
  const list = nic.properties.ipConfigurations;
  if (Array.isArray(list)) for (const c of list) if (isObj(c) && typeof c.name === "string") out.set(c.name.toLowerCase(), c);
  return out;
}

const ATTACHMENTS: ReadonlyArray<[Attachment, (c: Obj) => string[]]> = [
  ["public IP", (c) => [refId(c.publicIPAddress)].filter((x): x is string => x !== undefined)],
  ["load balancer pools", (c) => refIds(c.loadBalancerBackendAddressPools)],
  ["NAT rules", (c) => refIds(c.loadBalancerInboundNatRules)],
  ["application gateway pools", (c) => refIds(c.applicationGatewayBackendAddressPools)],
  ["subnet", (c) => [refId(c.subnet)].filter((x): x is string => x !== undefined)],
];

function list(v: unknown, single: unknown): string {
  const all = [...(typeof single === "string" && single !== "" ? [single] : []), ...(Array.isArray(v) ? v.filter((x) => typeof x === "string") : [])];
  return all.length > 0 ? all.map((s) => String(s)).join(", ") : "none";
}

function ruleFacts(r: Obj): RuleFacts {
  const asgs = (k: string) => refIds(r[k]).map(lastName);
  const sources = [list(r.sourceAddressPrefixes, r.sourceAddressPrefix), ...asgs("sourceApplicationSecurityGroups")].filter((s) => s !== "none");
  const destinations = [list(r.destinationAddressPrefixes, r.destinationAddressPrefix), ...asgs("destinationApplicationSecurityGroups")].filter(
    (s) => s !== "none",
  );
  return {
    priority: String(r.priority ?? "?"),
    direction: String(r.direction ?? "?"),
    access: String(r.access ?? "?"),
    protocol: String(r.protocol ?? "*").toUpperCase(),
    sources: sources.join(", ") || "none",
    destinations: destinations.join(", ") || "none",
    ports: list(r.destinationPortRanges, r.destinationPortRange),
  };
}

const sameRule = (a: RuleFacts, b: RuleFacts) =>
  (Object.keys(a) as (keyof RuleFacts)[]).every((k) => a[k].toLowerCase().split(", ").sort().join() === b[k].toLowerCase().split(", ").sort().join());

/** Every rule of an NSG: its inline rules and, in a stack, its standalone SecurityRule resources. */
function rulesOf(nsgId: string, s: Side): Map<string, RuleFacts> {
  const out = new Map<string, RuleFacts>();
  const nsg = s.byId.get(nsgId);
  const inline = nsg?.properties.securityRules;
  if (Array.isArray(inline)) for (const r of inline) if (isObj(r) && typeof r.name === "string") out.set(r.name.toLowerCase(), ruleFacts(r));
  for (const r of s.resources) {
    const id = idOf(r);
    if (r.type === T.SecurityRule && id?.startsWith(`${nsgId}/securityrules/`)) out.set(lastName(id).toLowerCase(), ruleFacts(r.properties));
  }
  return out;
}

/** The NSG of a subnet, read from its standalone resource or its VNet's inline list. */
function subnetNsg(subnetId: string, s: Side): string | undefined {
  const standalone = s.byId.get(subnetId);
  if (standalone) return refId(standalone.properties.networkSecurityGroup);
  const vnetId = subnetId.replace(/\/subnets\/[^/]+$/, "");
  const subnets = s.byId.get(vnetId)?.properties.subnets;
  if (!Array.isArray(subnets)) return undefined;
  const name = lastName(subnetId).toLowerCase();
  const sub = subnets.find((x) => isObj(x) && String(x.name).toLowerCase() === name);
  return isObj(sub) ? refId(sub.networkSecurityGroup) : undefined;
}

/** Strings anywhere in a value (ids, addresses, URLs), lower-cased. */
function strings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64) return out;
  if (typeof v === "string") out.push(v.toLowerCase());
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (isObj(v)) for (const x of Object.values(v)) strings(x, out, depth + 1);
  return out;
}

/** Compares the live estate with the stack's export, for what the policies judge about Exchange hosts. */
export function findDrift(live: readonly EngineResource[], stack: readonly EngineResource[], gate: GateConfig): DriftFinding[] {
  const azure = side(live, gate);
  const mine = side(stack, gate);
  const out: DriftFinding[] = [];
  const hostByIdentity = new Map<string, string>();
  for (const h of [...azure.hosts, ...mine.hosts]) for (const i of h.identities) if (!i.startsWith("urn:")) hostByIdentity.set(i, h.name);
  const hostOf = (id: string) => hostByIdentity.get(id);

  // Host VMs: on one side only, or with another state tag.
  const vmIds = new Set([...azure.hosts, ...mine.hosts].map((h) => h.vmId).filter((x): x is string => x !== undefined));
  for (const id of vmIds) {
    const a = azure.byId.get(id);
    const m = mine.byId.get(id);
    const host = hostOf(id) ?? lastName(id);
    if (a && !m) out.push({ kind: "only-in-azure", what: "Exchange host VM", name: display(a), id, host });
    else if (m && !a) out.push({ kind: "only-in-stack", what: "Exchange host VM", name: display(m), id, host });
    else if (a && m) {
      const tagOf = (r: EngineResource) => {
        const tags = isObj(r.properties.tags) ? r.properties.tags : {};
        const k = Object.keys(tags).find((t) => t.toLowerCase() === gate.stateTag.toLowerCase());
        return k === undefined ? undefined : String(tags[k]);
      };
      if ((tagOf(a) ?? "").trim().toLowerCase() !== (tagOf(m) ?? "").trim().toLowerCase()) {
        out.push({ kind: "host-tag", name: display(a), id, host, tag: gate.stateTag, azure: tagOf(a), stack: tagOf(m) });
      }
    }
  }

  // The hosts' NICs and the NSGs guarding them (on the NIC and on its subnets), on either side.
  const nicIds = new Set([...azure.hosts, ...mine.hosts].flatMap((h) => h.nicIds));
  const nsgIds = new Set<string>();
  for (const id of nicIds) {
    const a = azure.byId.get(id);
    const m = mine.byId.get(id);
    const host = hostOf(id);
    for (const r of [a, m]) {
      if (!r) continue;
      const nsg = refId(r.properties.networkSecurityGroup);
      if (nsg) nsgIds.add(nsg);
      for (const c of ipConfigs(r).values()) {
        const subnet = refId(c.subnet);
        const guard = subnet && (subnetNsg(subnet, azure) ?? subnetNsg(subnet, mine));
        if (guard) nsgIds.add(guard);
      }
    }
    if (a && !m) {
      out.push({ kind: "only-in-azure", what: "NIC", name: display(a), id, host });
      continue;
    }
    if (m && !a) {
      out.push({ kind: "only-in-stack", what: "NIC", name: display(m), id, host });
      continue;
    }
    if (!a || !m) continue;
    const name = display(a);
    const nsgA = refId(a.properties.networkSecurityGroup);
    const nsgM = refId(m.properties.networkSecurityGroup);
    if (nsgA !== nsgM) out.push({ kind: "nic-nsg", name, id, host, azure: nsgA, stack: nsgM });
    const ca = ipConfigs(a);
    const cm = ipConfigs(m);
    for (const key of new Set([...ca.keys(), ...cm.keys()])) {
      const x = ca.get(key);
      const y = cm.get(key);
      if (!x || !y) {
        out.push({ kind: "ip-config-only", name, id, host, ipConfig: String((x ?? y)!.name), side: x ? "azure" : "stack" });
        continue;
      }
      for (const [attachment, read] of ATTACHMENTS) {
        const ra = read(x);
        const rm = read(y);
        if (ra.join() !== rm.join()) out.push({ kind: "ip-config", name, id, host, ipConfig: String(x.name), attachment, azure: ra, stack: rm });
      }
    }
  }

  for (const id of nsgIds) {
    const a = azure.byId.get(id);
    const m = mine.byId.get(id);
    if (a && !m) {
      out.push({ kind: "only-in-azure", what: "NSG", name: display(a), id });
      continue;
    }
    if (m && !a) {
      out.push({ kind: "only-in-stack", what: "NSG", name: display(m), id });
      continue;
    }
    if (!a || !m) continue;
    const ra = rulesOf(id, azure);
    const rm = rulesOf(id, mine);
    for (const rule of new Set([...ra.keys(), ...rm.keys()])) {
      const x = ra.get(rule);
      const y = rm.get(rule);
      if (x && y && sameRule(x, y)) continue;
      out.push({ kind: "nsg-rule", name: display(a), id, rule, azure: x, stack: y });
    }
  }

  // Pools and proxies: on one side only when they touch a host; IP-based pool members where both sides have the LB.
  const hostAddresses = new Set<string>();
  const hostGroups = new Set<string>();
  for (const id of nicIds) {
    for (const c of ipConfigs(azure.byId.get(id) ?? mine.byId.get(id) ?? ({ properties: {} } as EngineResource)).values()) {
      if (typeof c.privateIPAddress === "string") hostAddresses.add(c.privateIPAddress.toLowerCase());
    }
  }
  for (const id of vmIds) {
    const rg = parseArmId(id).resourceGroup;
    if (rg) hostGroups.add(rg);
  }
  const members = new Map<string, string>();
  for (const nic of nicIds) {
    for (const c of ipConfigs(azure.byId.get(nic) ?? ({ properties: {} } as EngineResource)).values()) {
      for (const [, read] of ATTACHMENTS.slice(1, 4)) for (const ref of read(c)) members.set(ref, nic);
    }
  }
  const touches = (r: EngineResource): string | undefined => {
    const own = idOf(r);
    for (const [ref, nic] of members) {
      if (own && ref.startsWith(`${own}/`)) return `it pools NIC ${lastName(nic)}${hostOf(nic) ? ` of host ${hostOf(nic)}` : ""}`;
    }
    for (const s of strings(r.properties)) {
      for (const nic of nicIds) if (s.includes(nic)) return `it references NIC ${lastName(nic)}${hostOf(nic) ? ` of host ${hostOf(nic)}` : ""}`;
      for (const vm of vmIds) if (s.includes(vm)) return `it references host VM ${lastName(vm)}`;
      if (hostAddresses.has(s)) return `it names the host address ${s}`;
    }
    const rg = idOf(r) && parseArmId(idOf(r)!).resourceGroup;
    return rg && hostGroups.has(rg) ? `it is in the hosts' resource group ${rg}` : undefined;
  };
  for (const [id, a] of azure.byId) {
    if (!PROXIES.has(a.type) || mine.byId.has(id)) continue;
    const why = touches(a);
    if (why) out.push({ kind: "only-in-azure", what: WHAT[a.type], name: display(a), id, why });
  }
  for (const [id, m] of mine.byId) {
    if (!PROXIES.has(m.type) || azure.byId.has(id)) continue;
    if (touches(m)) out.push({ kind: "only-in-stack", what: WHAT[m.type], name: display(m), id });
  }
  for (const [id, a] of azure.byId) {
    const m = mine.byId.get(id);
    if (a.type !== T.LB || !m) continue;
    const pools = (r: EngineResource) => {
      const map = new Map<string, string[]>();
      const list = r.properties.backendAddressPools;
      if (Array.isArray(list)) {
        for (const p of list) {
          if (!isObj(p) || typeof p.name !== "string") continue;
          const addrs = Array.isArray(p.loadBalancerBackendAddresses)
            ? p.loadBalancerBackendAddresses
                .filter(isObj)
                .map((b) => String(b.ipAddress ?? ""))
                .filter((x) => x !== "")
            : [];
          map.set(p.name.toLowerCase(), addrs.sort());
        }
      }
      return map;
    };
    const pa = pools(a);
    const pm = pools(m);
    for (const pool of new Set([...pa.keys(), ...pm.keys()])) {
      const x = pa.get(pool) ?? [];
      const y = pm.get(pool) ?? [];
      if (x.join() !== y.join()) out.push({ kind: "pool-addresses", name: display(a), id, pool, azure: x, stack: y });
    }
  }
  // Findings name resources by their ARM id as Azure spells it, not the normalised key they were matched by.
  const spelled = (id: string) => String((azure.byId.get(id) ?? mine.byId.get(id))?.properties.id ?? `/${id}`);
  return out.map((f) => ({ ...f, id: spelled(f.id) }));
}

const describeRule = (r: RuleFacts) =>
  `priority ${r.priority}, ${r.direction} ${r.access} ${r.protocol} ports ${r.ports} from ${r.sources} to ${r.destinations}`;
const names = (ids: readonly string[]) => (ids.length > 0 ? ids.map(lastName).join(", ") : "none");

/** The responder's sentence for a finding: what differs, where, and the two ways out. */
export function renderDrift(f: DriftFinding): string {
  const refresh = "or run pulumi refresh to take Azure's state into the stack";
  switch (f.kind) {
    case "only-in-azure":
      return `${f.what} ${f.name}: in Azure, not in the stack${f.host ? ` (host ${f.host})` : ""}${f.why ? `; ${f.why}` : ""} (created outside Pulumi: delete it, or import it into the stack with pulumi import)`;
    case "only-in-stack":
      return `${f.what} ${f.name}: in the stack, not in Azure${f.host ? ` (host ${f.host})` : ""} (deleted outside Pulumi, or outside the queried subscriptions: run pulumi up to restore it, ${refresh})`;
    case "ip-config": {
      const what = f.attachment === "public IP" ? "public IP" : f.attachment;
      const extra = f.azure.filter((x) => !f.stack.includes(x));
      const fix = extra.length > 0 ? `remove ${extra.length === 1 ? "it" : "them"}` : "run pulumi up to restore the stack's";
      return `NIC ${f.name}: ${f.ipConfig} has ${what} ${names(f.azure)} in Azure, ${names(f.stack)} in the stack (changed outside Pulumi: ${fix}, ${refresh})`;
    }
    case "ip-config-only":
      return f.side === "azure"
        ? `NIC ${f.name}: ip configuration ${f.ipConfig} is in Azure, not in the stack (added outside Pulumi: remove it, ${refresh})`
        : `NIC ${f.name}: ip configuration ${f.ipConfig} is in the stack, not in Azure (removed outside Pulumi: run pulumi up to restore it, ${refresh})`;
    case "nic-nsg":
      return `NIC ${f.name}: NSG ${lastName(f.azure)} in Azure, ${lastName(f.stack)} in the stack (changed outside Pulumi: run pulumi up to restore the stack's, ${refresh})`;
    case "nsg-rule":
      if (f.azure && !f.stack)
        return `NSG ${f.name}: rule ${f.rule} (${describeRule(f.azure)}) is in Azure, not in the stack (added outside Pulumi: delete it, ${refresh})`;
      if (f.stack && !f.azure)
        return `NSG ${f.name}: rule ${f.rule} (${describeRule(f.stack)}) is in the stack, not in Azure (deleted outside Pulumi: run pulumi up to restore it, ${refresh})`;
      return `NSG ${f.name}: rule ${f.rule} is ${describeRule(f.azure!)} in Azure, ${describeRule(f.stack!)} in the stack (changed outside Pulumi: run pulumi up to restore it, ${refresh})`;
    case "pool-addresses":
      return `load balancer ${f.name}: pool ${f.pool} has members ${f.azure.join(", ") || "none"} in Azure, ${f.stack.join(", ") || "none"} in the stack (changed outside Pulumi: run pulumi up to restore it, ${refresh})`;
    case "host-tag":
      return `VM ${f.name}: tag ${f.tag} is ${f.azure ?? "absent"} in Azure, ${f.stack ?? "absent"} in the stack (changed outside Pulumi: run pulumi up to restore it; the pack judges the live tag)`;
  }
}
