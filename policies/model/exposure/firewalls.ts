import { ALL_ADDRESSES, INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "../addresses";
import { AddressIndex } from "../addressIndex";
import { ProxyVnets } from "../vnetReach";
import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, parseProtocol, Proto } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { T } from "../resourceTypes";
import { arr, field, isIndeterminate, present, str } from "../values";
import { StackDns } from "./dns";
import { FlowCalculator } from "./flowCalculator";
import { hop, HopResource, resourceOf } from "./hops";
import { addressTargets, routeTo } from "./route";
import { RouteToHost } from "./types";

/** One DNAT rule that can forward internet traffic into the virtual network. */
export interface DnatRule {
  readonly label: string;
  /** The firewall that translates (or the policy, when no firewall of the stack uses it). */
  readonly resource?: HopResource;
  /** Internet sources allowed to use the rule. */
  readonly sources: IntervalSet;
  readonly ports: IntervalSet;
  readonly portText: string;
  readonly protos: number;
  /** The firewall's subnet: what the host's NSGs see as the source after SNAT. */
  readonly proxySources: IntervalSet;
  readonly proxyText: string;
  /** The firewall's VNet(s): translated addresses are only reached in VNets routable from there. */
  readonly proxyVnets: ProxyVnets;
  readonly note?: string;
}

export interface DnatCatalog {
  readonly byAddress: AddressIndex<DnatRule>;
  readonly byHost: ReadonlyMap<string, DnatRule[]>;
  /** Rules whose target cannot be resolved: they may reach any host. */
  readonly anywhere: readonly DnatRule[];
}

function list(v: unknown): { items: string[]; unknown: boolean } {
  const a = arr(v);
  if (isIndeterminate(a)) return { items: [], unknown: true };
  const items: string[] = [];
  let unknown = false;
  for (const x of a ?? []) {
    const s = typeof x === "number" ? String(x) : str(x);
    if (typeof s === "string") items.push(s);
    else unknown = true;
  }
  return { items, unknown };
}

function sourceSet(rule: unknown): IntervalSet {
  const src = list(field(rule, "sourceAddresses"));
  const groups = arr(field(rule, "sourceIpGroups"));
  // IP groups live in other resources; their contents are not read here, so they may hold any address.
  if (src.unknown || isIndeterminate(groups) || (Array.isArray(groups) && groups.length > 0)) return ALL_ADDRESSES;
  if (src.items.length === 0) return ALL_ADDRESSES;
  let out = IntervalSet.EMPTY;
  for (const s of src.items) {
    const t = s.trim();
    if (t === "*") return ALL_ADDRESSES;
    out = out.union(parseAddressPrefix(t) ?? INTERNET);
  }
  return out;
}

function protosOf(v: unknown): number {
  const p = list(v);
  if (p.unknown || p.items.length === 0) return ALL_PROTOCOLS;
  let bits = 0;
  for (const s of p.items) bits |= parseProtocol(s) ?? ALL_PROTOCOLS;
  return bits;
}

function firewallSubnet(network: NetworkModel, fw: GraphNode): { set: IntervalSet; text: string; vnets: ProxyVnets } {
  let set = IntervalSet.EMPTY;
  const cfgs = arr(field(fw.props, "ipConfigurations"));
  // A firewall in a virtual hub (no ipConfigurations) or with an unreadable subnet may forward into any VNet.
  let vnets: GraphNode[] | undefined = Array.isArray(cfgs) && cfgs.length > 0 ? [] : undefined;
  for (const c of Array.isArray(cfgs) ? cfgs : []) {
    const views = network.subnetViews(fw, field(c, "subnet"), "ipConfigurations");
    if (views.length === 0) vnets = undefined;
    for (const v of views) {
      if (v.prefixes) set = set.union(v.prefixes);
      if (!v.vnet) vnets = undefined;
      else if (vnets && !vnets.includes(v.vnet)) vnets.push(v.vnet);
    }
  }
  return set.isEmpty ? { set: PRIVATE_SPACE, text: "AzureFirewallSubnet (address unknown)", vnets } : { set, text: "AzureFirewallSubnet", vnets };
}

function isPublicFirewall(fw: GraphNode): boolean {
  const cfgs = arr(field(fw.props, "ipConfigurations"));
  if (!Array.isArray(cfgs)) return true;
  const hub = field(fw.props, "hubIPAddresses");
  return cfgs.some((c) => present(field(c, "publicIPAddress"))) || present(field(hub, "publicIPs"));
}

/** Path 4: Azure Firewall DNAT, classic NAT rule collections and Firewall Policy rule collection groups (with base policies). */
export function indexFirewallDnat(graph: ResourceGraph, network: NetworkModel, dns: StackDns): DnatCatalog {
  const byAddress = new AddressIndex<DnatRule>();
  const byHost = new Map<string, DnatRule[]>();
  const anywhere: DnatRule[] = [];
  const addRule = (
    raw: unknown,
    label: string,
    proxy: { set: IntervalSet; text: string; vnets: ProxyVnets },
    note?: string,
    resource?: HopResource,
  ) => {
    const rawPort = field(raw, "translatedPort");
    const read = str(rawPort);
    // An unknown (sentinel) or unreadable port means all ports, and is never printed as its raw value.
    const port = typeof read === "string" ? read : typeof rawPort === "number" ? String(rawPort) : undefined;
    const ports = port === undefined ? ALL_PORTS : (parsePortSpec(port) ?? ALL_PORTS);
    const rule: DnatRule = {
      label,
      resource,
      sources: sourceSet(raw),
      ports,
      portText: port ?? "an unknown port",
      protos: protosOf(field(raw, "protocols") ?? field(raw, "ipProtocols")),
      proxySources: proxy.set,
      proxyText: proxy.text,
      proxyVnets: proxy.vnets,
      note,
    };
    const addr = str(field(raw, "translatedAddress"));
    const fqdn = str(field(raw, "translatedFqdn"));
    if (typeof addr === "string") byAddress.add(parseAddressPrefix(addr), rule);
    else if (typeof fqdn === "string") {
      const ans = dns.resolve(fqdn);
      if (ans.kind === "addresses") byAddress.add(ans.addrs, rule);
      else if (ans.kind === "hosts") {
        for (const h of ans.hosts) {
          let l = byHost.get(h.urn);
          if (!l) byHost.set(h.urn, (l = []));
          l.push(rule);
        }
      } else anywhere.push({ ...rule, note: ans.why });
    } else anywhere.push({ ...rule, note: `its translated address is ${isIndeterminate(addr) ? addr.describe() : "missing"}` });
  };

  const policiesInUse = new Map<string, { fw: GraphNode; proxy: { set: IntervalSet; text: string; vnets: ProxyVnets } }[]>();
  for (const fw of graph.ofType(T.Firewall)) {
    if (!isPublicFirewall(fw)) continue;
    const proxy = firewallSubnet(network, fw);
    const collections = arr(field(fw.props, "natRuleCollections"));
    if (isIndeterminate(collections))
      addRule(undefined, `firewall ${fw.display} NAT rule collections (${collections.describe()})`, proxy, undefined, resourceOf(fw));
    for (const c of Array.isArray(collections) ? collections : []) {
      const action = str(field(field(c, "action"), "type"));
      if (typeof action === "string" && action.toLowerCase() !== "dnat") continue;
      const cName = str(field(c, "name"));
      const rules = arr(field(c, "rules"));
      for (const r of Array.isArray(rules) ? rules : [undefined]) {
        const rName = str(field(r, "name"));
        addRule(
          r,
          `firewall ${fw.display} NAT collection ${typeof cName === "string" ? cName : "?"} rule ${typeof rName === "string" ? rName : "?"}`,
          proxy,
          undefined,
          resourceOf(fw),
        );
      }
    }
    if (present(field(fw.props, "firewallPolicy"))) {
      const res = graph.resolve(fw, field(fw.props, "firewallPolicy"), "firewallPolicy", [T.FirewallPolicy]);
      for (const t of res.targets) {
        for (const pol of policyChain(graph, t.node)) {
          let l = policiesInUse.get(pol.urn);
          if (!l) policiesInUse.set(pol.urn, (l = []));
          l.push({ fw, proxy });
        }
      }
    }
  }
  for (const rcg of graph.ofType(T.FirewallRcg)) {
    const viaDeps = graph.dependencyCandidates(rcg, "firewallPolicyName", [T.FirewallPolicy]);
    const owners = viaDeps.length > 0 ? viaDeps : rcg.parentNames[0] ? graph.named(T.FirewallPolicy, rcg.parentNames[0]) : [];
    const users = owners.flatMap((o) => policiesInUse.get(o.urn) ?? []);
    const ruleCollections = arr(field(rcg.props, "ruleCollections"));
    const unreadable = isIndeterminate(ruleCollections) ? [{ ruleCollectionType: undefined, rules: undefined }] : [];
    for (const c of Array.isArray(ruleCollections) ? ruleCollections : unreadable) {
      const type = str(field(c, "ruleCollectionType"));
      if (typeof type === "string" && type.toLowerCase() !== "firewallpolicynatrulecollection") continue;
      const cName = str(field(c, "name"));
      const rules = arr(field(c, "rules"));
      for (const r of Array.isArray(rules) ? rules : [undefined]) {
        const rType = str(field(r, "ruleType"));
        if (typeof rType === "string" && rType.toLowerCase() !== "natrule") continue;
        const rName = str(field(r, "name"));
        const label = `firewall policy ${owners[0]?.display ?? rcg.parentNames[0] ?? "?"} rule collection group ${rcg.display} collection ${typeof cName === "string" ? cName : "?"} DNAT rule ${typeof rName === "string" ? rName : "?"}`;
        if (users.length === 0) {
          // A policy no firewall here uses may still be attached by a firewall outside the stack.
          addRule(
            r,
            label,
            { set: PRIVATE_SPACE, text: "a firewall outside this stack", vnets: undefined },
            "no firewall in this stack uses this policy; one outside it may",
            owners[0] ? resourceOf(owners[0]) : undefined,
          );
        } else for (const u of users) addRule(r, `${label} on firewall ${u.fw.display}`, u.proxy, undefined, resourceOf(u.fw));
      }
    }
  }
  return { byAddress, byHost, anywhere };
}

/** A policy and its base policies: a child policy inherits every rule of its base. */
function policyChain(graph: ResourceGraph, policy: GraphNode): GraphNode[] {
  const out: GraphNode[] = [];
  let cur: GraphNode | undefined = policy;
  while (cur && !out.includes(cur)) {
    out.push(cur);
    const base = field(cur.props, "basePolicy");
    if (!present(base)) break;
    cur = graph.resolve(cur, base, "basePolicy", [T.FirewallPolicy]).targets[0]?.node;
  }
  return out;
}

export function firewallRoutes(calc: FlowCalculator, catalog: DnatCatalog, host: Host, ip: IpConfigView): RouteToHost[] {
  const hits: Array<{ rule: DnatRule; how: string }> = [];
  for (const { item, certain } of addressTargets(ip, catalog.byAddress, { reach: calc.network.reach, vnetsOf: (r) => r.proxyVnets }))
    hits.push({ rule: item, how: certain ? "translated address" : "translated address may be this host (its address is not known)" });
  for (const r of catalog.byHost.get(host.urn) ?? []) hits.push({ rule: r, how: "translated FQDN names this host" });
  for (const r of catalog.anywhere) hits.push({ rule: r, how: r.note ?? "target unknown" });
  return hits.map(({ rule, how }) =>
    routeTo(calc, host, ip, {
      kind: "firewall DNAT",
      path: [
        hop("firewall", `${rule.label} → port ${rule.portText} (${how}${rule.note && rule.note !== how ? `; ${rule.note}` : ""})`, {
          resource: rule.resource,
          via: rule.label,
          ports: rule.portText,
          note: `${how}${rule.note && rule.note !== how ? `; ${rule.note}` : ""}`,
        }),
      ],
      direct: false,
      frontSources: rule.sources,
      query: { addrs: rule.proxySources, ports: rule.ports, protos: rule.protos & (Proto.TCP | Proto.UDP | Proto.ICMP) || ALL_PROTOCOLS },
      sourceLabel: `the firewall (${rule.proxyText})`,
    }),
  );
}
