import { familySet, parseAddressPrefix } from "../addresses";
import { ALL_PORTS, ALL_PROTOCOLS, parseProtocol, portRange } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { AddressIndex } from "../addressIndex";
import { ProxyVnets, VnetReach } from "../vnetReach";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { T } from "../resourceTypes";
import { arr, field, Indeterminate, isIndeterminate, num, present, str } from "../values";
import { FlowCalculator } from "./flowCalculator";
import { PublicFront, publicFronts, skuIsStandard } from "./publicIp";
import { hop, resourceOf } from "./hops";
import { frontHop } from "./publicIp";
import { addressTargets, routeTo, undecidableRoute } from "./route";
import { RouteToHost } from "./types";

export interface LbFrontend {
  readonly key: string;
  readonly display: string;
  /** Public IPs behind the front end; empty for an internal front end. */
  readonly publics: readonly PublicFront[];
}

export interface LbRule {
  readonly name: string;
  readonly kind: "load-balancing rule" | "inbound NAT rule";
  /** Front-end keys; undefined means it may use any front end. */
  readonly frontends: readonly string[] | undefined;
  /** Backend pool keys; undefined means any pool (an unreadable reference). Empty for a NAT rule v1. */
  readonly pools: readonly string[] | undefined;
  readonly protos: number;
  readonly backendPorts: IntervalSet;
  readonly portText: string;
}

export interface LbIndex {
  readonly node: GraphNode;
  readonly standard: boolean;
  readonly frontends: ReadonlyMap<string, LbFrontend>;
  /** True when the front-end list cannot be read: any front end may be public. */
  readonly frontendsUnknown: boolean;
  readonly rules: readonly LbRule[];
  readonly natRules: ReadonlyMap<string, LbRule>;
}

export interface LbCatalog {
  readonly byUrn: ReadonlyMap<string, LbIndex>;
  /** IP-based backend pool members of every load balancer. */
  readonly ipMembers: AddressIndex<{ lb: LbIndex; pool: string; text: string; vnets: ProxyVnets }>;
  /** Memberships per ipConfiguration, shared by the load balancer and Private Link paths. */
  readonly memberships: WeakMap<IpConfigView, { members: Membership[]; problems: string[] }>;
  /** Which VNets reach which: an IP-based member names a host only in a VNet routable from its own. */
  readonly reach: VnetReach;
}

/** The child name a sub-resource reference points to (`.../frontendIPConfigurations/fe1` → "fe1"), or undefined when unreadable. */
export function childKey(ref: unknown, childType: string): string | undefined {
  const id = typeof ref === "string" ? str(ref) : str(field(ref, "id"));
  if (typeof id !== "string") return undefined;
  const parts = id.split("/").filter((p) => p !== "");
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i].toLowerCase() === childType.toLowerCase()) return parts[i + 1].toLowerCase();
  }
  return undefined;
}

function portsFrom(v: unknown): { ports: IntervalSet; text: string } {
  const n = num(v);
  if (typeof n === "number" && n >= 1 && n <= 65535) return { ports: portRange(n, n), text: String(n) };
  // 0 is "any port" (HA ports); unreadable is treated the same.
  return { ports: ALL_PORTS, text: n === 0 ? "any port" : "an unknown port" };
}

function refKeys(single: unknown, many: unknown, childType: string): string[] | undefined {
  const keys: string[] = [];
  if (present(single)) {
    const k = childKey(single, childType);
    if (k === undefined) return undefined;
    keys.push(k);
  }
  const list = arr(many);
  if (isIndeterminate(list)) return undefined;
  for (const r of list ?? []) {
    const k = childKey(r, childType);
    if (k === undefined) return undefined;
    keys.push(k);
  }
  return keys;
}

function parseRule(r: unknown, kind: LbRule["kind"], fallback: string): LbRule {
  const name = str(field(r, "name"));
  const proto = str(field(r, "protocol"));
  const protos = typeof proto === "string" ? (parseProtocol(proto) ?? ALL_PROTOCOLS) : ALL_PROTOCOLS;
  const front = field(r, "frontendIPConfiguration");
  const frontKey = present(front) ? childKey(front, "frontendIPConfigurations") : undefined;
  const backend = portsFrom(field(r, "backendPort"));
  const frontPort = num(field(r, "frontendPort"));
  const start = num(field(r, "frontendPortRangeStart"));
  const end = num(field(r, "frontendPortRangeEnd"));
  const frontText =
    typeof start === "number" && typeof end === "number" ? `${start}-${end}` : typeof frontPort === "number" ? String(frontPort) : "?";
  const poolSingle = field(r, "backendAddressPool");
  const poolMany = field(r, "backendAddressPools");
  const pools = present(poolSingle) || present(poolMany) ? refKeys(poolSingle, poolMany, "backendAddressPools") : [];
  return {
    name: typeof name === "string" ? name : fallback,
    kind,
    frontends: frontKey === undefined ? undefined : [frontKey],
    pools,
    protos,
    backendPorts: backend.ports,
    portText: `${protosText(protos)} ${frontText}→${backend.text}`,
  };
}

function protosText(protos: number): string {
  return protos === 1 ? "TCP" : protos === 2 ? "UDP" : "TCP/UDP";
}

/** Load balancers of the stack with their front ends, rules, NAT rules and IP-based members, inline and standalone. */
export function indexLoadBalancers(graph: ResourceGraph, reach: VnetReach = new VnetReach(graph)): LbCatalog {
  const out = new Map<string, LbIndex>();
  const ipIndex = new AddressIndex<{ lb: LbIndex; pool: string; text: string; vnets: ProxyVnets }>();
  const standalonePools = graph.ofType(T.LBPool);
  const standaloneNat = graph.ofType(T.NatRule);
  const lbOf = (child: GraphNode): GraphNode[] => {
    const viaDeps = graph.dependencyCandidates(child, "loadBalancerName", [T.LB]);
    if (viaDeps.length > 0) return viaDeps;
    const name = child.parentNames[0];
    return name ? graph.named(T.LB, name).filter((lb) => lb.rg === undefined || child.rg === undefined || lb.rg === child.rg) : [];
  };
  const childrenByLb = new Map<string, { pools: GraphNode[]; nats: GraphNode[] }>();
  const childSlot = (urn: string) => {
    let s = childrenByLb.get(urn);
    if (!s) childrenByLb.set(urn, (s = { pools: [], nats: [] }));
    return s;
  };
  for (const p of standalonePools) for (const lb of lbOf(p)) childSlot(lb.urn).pools.push(p);
  for (const n of standaloneNat) for (const lb of lbOf(n)) childSlot(lb.urn).nats.push(n);

  for (const lb of graph.ofType(T.LB)) {
    const props = lb.props;
    const frontends = new Map<string, LbFrontend>();
    const feList = arr(field(props, "frontendIPConfigurations"));
    for (const fe of Array.isArray(feList) ? feList : []) {
      const name = str(field(fe, "name"));
      const key = typeof name === "string" ? name.toLowerCase() : `#${frontends.size}`;
      const publics: PublicFront[] = [];
      if (present(field(fe, "publicIPAddress"))) publics.push(...publicFronts(graph, lb, field(fe, "publicIPAddress"), "frontendIPConfigurations"));
      if (present(field(fe, "publicIPPrefix")))
        publics.push({ label: "a public IP prefix", standard: skuIsStandard(field(props, "sku")), family: undefined });
      if (isIndeterminate(name) || (!present(field(fe, "subnet")) && !present(field(fe, "privateIPAddress")) && publics.length === 0)) {
        // A front end that is neither clearly internal nor readable may be public.
        if (publics.length === 0) publics.push({ label: "a front end that cannot be read", standard: false, family: undefined });
      }
      frontends.set(key, { key, display: typeof name === "string" ? name : key, publics });
    }
    const rules: LbRule[] = [];
    const natRules = new Map<string, LbRule>();
    const lbRules = arr(field(props, "loadBalancingRules"));
    if (isIndeterminate(lbRules)) {
      rules.push({
        name: "(rules unknown at preview)",
        kind: "load-balancing rule",
        frontends: undefined,
        pools: undefined,
        protos: ALL_PROTOCOLS,
        backendPorts: ALL_PORTS,
        portText: "any port",
      });
    } else (lbRules ?? []).forEach((r, i) => rules.push(parseRule(r, "load-balancing rule", `rule #${i + 1}`)));
    // A NAT rule that cannot be read may forward any port to any member, through any front end.
    const addUnknownNat = (what: string) => {
      const rule: LbRule = {
        name: `${what} (unknown at preview)`,
        kind: "inbound NAT rule",
        frontends: undefined,
        pools: undefined,
        protos: ALL_PROTOCOLS,
        backendPorts: ALL_PORTS,
        portText: "any port",
      };
      natRules.set(`#unknown-${natRules.size}`, rule);
      rules.push(rule);
    };
    const addNat = (r: unknown, fallback: string) => {
      const rule = parseRule(r, "inbound NAT rule", fallback);
      if (rule.pools && rule.pools.length === 0) natRules.set(rule.name.toLowerCase(), rule);
      else rules.push(rule); // NAT rule v2: maps a port range onto every member of a pool
    };
    const inlineNat = arr(field(props, "inboundNatRules"));
    if (Array.isArray(inlineNat))
      inlineNat.forEach((r, i) =>
        isIndeterminate(r) || typeof r === "string" ? addUnknownNat(`NAT rule #${i + 1}`) : addNat(r, `NAT rule #${i + 1}`),
      );
    else if (isIndeterminate(inlineNat)) addUnknownNat("NAT rules");
    const children = childrenByLb.get(lb.urn);
    for (const n of children?.nats ?? []) addNat({ ...(n.props as object), name: n.display }, n.display);

    const index: LbIndex = {
      node: lb,
      standard: skuIsStandard(field(props, "sku")),
      frontends,
      frontendsUnknown: !Array.isArray(feList),
      rules,
      natRules,
    };
    // The VNet an IP-based member lives in (its own virtualNetwork, else the pool's): the address means something only there.
    const vnetOf = (owner: GraphNode, propKey: string, ...refs: unknown[]): ProxyVnets => {
      const ref = refs.find((r) => present(r));
      if (ref === undefined) return undefined;
      const res = graph.resolve(owner, ref, propKey, [T.VNet]);
      return res.unresolved || res.external.length > 0 || res.targets.length === 0 ? undefined : res.targets.map((t) => t.node);
    };
    const addMembers = (poolKey: string, list: unknown, owner: GraphNode, propKey: string, poolVnet: unknown) => {
      const members = arr(list);
      // Unreadable members may be any address, so they match every host.
      if (isIndeterminate(members))
        ipIndex.add(undefined, { lb: index, pool: poolKey, text: `the members of pool ${poolKey} (${members.describe()})`, vnets: undefined });
      if (!Array.isArray(members)) return;
      for (const m of members) {
        const ip = str(field(m, "ipAddress"));
        if (ip === undefined) continue;
        const set = typeof ip === "string" ? parseAddressPrefix(ip) : undefined;
        ipIndex.add(set, {
          lb: index,
          pool: poolKey,
          text: typeof ip === "string" ? ip : `an address ${(ip as Indeterminate).describe()}`,
          vnets: vnetOf(owner, propKey, field(m, "virtualNetwork"), poolVnet),
        });
      }
    };
    const pools = arr(field(props, "backendAddressPools"));
    if (isIndeterminate(pools))
      ipIndex.add(undefined, { lb: index, pool: "*", text: `the backend pools of ${lb.display} (${pools.describe()})`, vnets: undefined });
    for (const p of Array.isArray(pools) ? pools : []) {
      const name = str(field(p, "name"));
      if (typeof name === "string")
        addMembers(name.toLowerCase(), field(p, "loadBalancerBackendAddresses"), lb, "backendAddressPools", field(p, "virtualNetwork"));
      else ipIndex.add(undefined, { lb: index, pool: "*", text: `a backend pool of ${lb.display} whose name is unknown`, vnets: undefined });
    }
    for (const p of children?.pools ?? [])
      addMembers(
        p.display.toLowerCase(),
        field(p.props, "loadBalancerBackendAddresses"),
        p,
        "loadBalancerBackendAddresses",
        field(p.props, "virtualNetwork"),
      );
    out.set(lb.urn, index);
  }
  return { byUrn: out, ipMembers: ipIndex, memberships: new WeakMap(), reach };
}

/** Pool / NAT-rule memberships of one ipConfiguration: LB URN → pool keys (undefined: any pool). */
export interface Membership {
  readonly lb: LbIndex;
  readonly pool?: string;
  readonly anyPool?: boolean;
  readonly natRule?: string;
  readonly anyNatRule?: boolean;
  readonly how: string;
}

/** The load balancer pools and NAT rules an ipConfiguration belongs to, and the references that cannot be followed. */
export function memberships(graph: ResourceGraph, catalog: LbCatalog, ip: IpConfigView): { members: Membership[]; problems: string[] } {
  const cached = catalog.memberships.get(ip);
  if (cached) return cached;
  const result = { members: [] as Membership[], problems: [] as string[] };
  collectMemberships(graph, catalog, ip, result.members, result.problems);
  catalog.memberships.set(ip, result);
  return result;
}

function collectMemberships(graph: ResourceGraph, catalog: LbCatalog, ip: IpConfigView, out: Membership[], problems: string[]): void {
  const lbs = catalog.byUrn;
  const refs = (list: ReadonlyArray<unknown> | Indeterminate, what: string, childType: string, types: string[], nat: boolean) => {
    if (isIndeterminate(list)) {
      const candidates = graph.dependencyCandidates(ip.owner, ip.depKey, [T.LB, T.LBPool, T.NatRule]);
      if (candidates.length === 0) problems.push(`its ${what} list is ${list.describe()}`);
      for (const c of candidates) {
        const lb = lbs.get(c.type === T.LB ? c.urn : (lbParent(graph, c)?.urn ?? ""));
        if (lb)
          out.push(nat ? { lb, anyNatRule: true, how: `${what} (unknown at preview)` } : { lb, anyPool: true, how: `${what} (unknown at preview)` });
      }
      return;
    }
    list.forEach((ref, i) => {
      const res = graph.resolve(ip.owner, ref, ip.depKey, types, childType);
      if (res.unresolved) problems.push(`${what} #${i + 1} cannot be followed: ${res.unresolved}`);
      for (const ext of res.external)
        problems.push(`${what} #${i + 1} belongs to load balancer ${ext.split("/").slice(0, -2).pop() ?? ext}, which is not in this stack`);
      for (const t of res.targets) {
        const lbNode = t.node.type === T.LB ? t.node : lbParent(graph, t.node);
        const lb = lbNode ? lbs.get(lbNode.urn) : undefined;
        if (!lb) {
          problems.push(`${what} #${i + 1} (${t.node.display}) belongs to a load balancer that is not in this stack`);
          continue;
        }
        const key = t.node.type === T.LB ? t.child.find(([ct]) => ct === childType)?.[1]?.toLowerCase() : t.node.display.toLowerCase();
        if (nat) out.push(key === undefined ? { lb, anyNatRule: true, how: what } : { lb, natRule: key, how: what });
        else out.push(key === undefined ? { lb, anyPool: true, how: what } : { lb, pool: key, how: what });
      }
    });
  };
  refs(ip.lbPoolRefs, "backend pool reference", "backendaddresspools", [T.LB, T.LBPool], false);
  refs(ip.natRuleRefs, "inbound NAT rule reference", "inboundnatrules", [T.LB, T.NatRule], true);
  // IP-based pools name the address instead of the NIC.
  for (const { item, certain } of addressTargets(ip, catalog.ipMembers, { reach: catalog.reach, vnetsOf: (m) => m.vnets })) {
    const how = `IP-based member ${item.text}${certain ? "" : " (may be this host)"}`;
    out.push(item.pool === "*" ? { lb: item.lb, anyPool: true, how } : { lb: item.lb, pool: item.pool, how });
  }
}

export function lbParent(graph: ResourceGraph, child: GraphNode): GraphNode | undefined {
  const viaDeps = graph.dependencyCandidates(child, "loadBalancerName", [T.LB]);
  if (viaDeps.length > 0) return viaDeps[0];
  const name = child.parentNames[0];
  return name ? graph.named(T.LB, name)[0] : undefined;
}

export function frontsOf(lb: LbIndex, keys: readonly string[] | undefined): LbFrontend[] {
  if (keys === undefined) return [...lb.frontends.values()];
  return keys.map(
    (k) => lb.frontends.get(k) ?? { key: k, display: k, publics: [{ label: `front end ${k} (not found)`, standard: false, family: undefined }] },
  );
}

/** Paths 2: public load balancer rules, NAT rules v1 (NIC-side) and v2 (pool-based), by NIC or by IP membership. */
export function loadBalancerRoutes(graph: ResourceGraph, calc: FlowCalculator, lbs: LbCatalog, host: Host, ip: IpConfigView): RouteToHost[] {
  const { members, problems } = memberships(graph, lbs, ip);
  const routes: RouteToHost[] = [];
  for (const m of members) {
    const lb = m.lb;
    const candidates: Array<{ rule: LbRule; via: string }> = [];
    if (m.pool !== undefined || m.anyPool) {
      for (const rule of lb.rules) {
        if (rule.pools === undefined || m.anyPool || rule.pools.includes(m.pool!))
          candidates.push({ rule, via: `backend pool ${m.anyPool ? "(any)" : m.pool}` });
      }
    }
    if (m.natRule !== undefined || m.anyNatRule) {
      const nats = m.anyNatRule ? [...lb.natRules.values()] : [lb.natRules.get(m.natRule!)].filter((r): r is LbRule => r !== undefined);
      if (!m.anyNatRule && nats.length === 0) problems.push(`inbound NAT rule ${m.natRule} of load balancer ${lb.node.display} cannot be found`);
      for (const rule of nats) candidates.push({ rule, via: "NAT rule membership" });
    }
    for (const { rule, via } of candidates) {
      const fronts = frontsOf(lb, lb.frontendsUnknown ? undefined : rule.frontends);
      const publics = lb.frontendsUnknown
        ? [{ label: "front ends unknown at preview", standard: false, family: undefined }]
        : fronts.flatMap((f) => f.publics.map((p) => ({ ...p, fe: f.display })));
      for (const pub of publics) {
        routes.push(
          routeTo(calc, host, ip, {
            kind: "load balancer",
            path: [
              frontHop(pub),
              hop(
                "load balancer",
                `load balancer ${lb.node.display} (${lb.standard ? "Standard" : "Basic or unknown SKU"}) ${rule.kind} ${rule.name} ${rule.portText}`,
                {
                  resource: resourceOf(lb.node),
                  via: `${rule.kind} ${rule.name}`,
                  ports: rule.portText,
                },
              ),
              hop("backend pool", `${via} (${m.how})`, { via, note: m.how }),
            ],
            direct: true,
            closedWithoutNsg: lb.standard,
            query: { addrs: familySet(pub.family), ports: rule.backendPorts, protos: rule.protos },
            sourceLabel: "the internet",
          }),
        );
      }
    }
  }
  for (const p of problems) {
    routes.push(undecidableRoute(host, ip, "load balancer", [], p, { addrs: familySet(ip.family), ports: ALL_PORTS, protos: ALL_PROTOCOLS }));
  }
  return routes;
}
