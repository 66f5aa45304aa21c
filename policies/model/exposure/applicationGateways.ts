import { parseAddressPrefix, PRIVATE_SPACE } from "../addresses";
import { AddressIndex } from "../addressIndex";
import { ProxyVnets } from "../vnetReach";
import { ALL_PORTS, portRange, Proto } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { T } from "../resourceTypes";
import { arr, field, isIndeterminate, num, present, str } from "../values";
import { StackDns } from "./dns";
import { FlowCalculator } from "./flowCalculator";
import { childKey } from "./loadBalancers";
import { hop, resourceOf } from "./hops";
import { addressTargets, routeTo, undecidableRoute } from "./route";
import { RouteToHost } from "./types";

/** How an Application Gateway reaches one backend pool from a public listener. */
export interface AgwReach {
  readonly listener: string;
  readonly layer: "L7" | "L4";
  readonly ports: IntervalSet;
  readonly portText: string;
}

export interface AgwIndex {
  readonly node: GraphNode;
  /** Backend pool key → how public listeners reach it; "*" collects rules whose pool cannot be read. */
  readonly reach: ReadonlyMap<string, readonly AgwReach[]>;
  /** The gateway's own subnet: the source address the host's NSGs see. */
  readonly sources: IntervalSet;
  readonly sourceText: string;
  /** The gateway's VNet(s); undefined when unreadable. Backends by IP are only reached in VNets routable from here. */
  readonly vnets: ProxyVnets;
}

export interface AgwCatalog {
  readonly byUrn: ReadonlyMap<string, AgwIndex>;
  readonly ipTargets: AddressIndex<{ agw: AgwIndex; pool: string; text: string }>;
  /** Backends by FQDN the stack cannot resolve: they may be any host. */
  readonly unresolvedFqdns: ReadonlyArray<{ agw: AgwIndex; pool: string; why: string }>;
  readonly hostTargets: ReadonlyMap<string, Array<{ agw: AgwIndex; pool: string; text: string }>>;
}

function named(list: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const a = arr(list);
  for (const item of Array.isArray(a) ? a : []) {
    const n = str(field(item, "name"));
    if (typeof n === "string") out.set(n.toLowerCase(), item);
  }
  return out;
}

function settingsPorts(settings: Map<string, unknown>, ref: unknown, childType: string): { ports: IntervalSet; text: string } {
  const key = childKey(ref, childType);
  const s = key === undefined ? undefined : settings.get(key);
  const port = num(field(s, "port"));
  if (typeof port === "number" && port >= 1 && port <= 65535) return { ports: portRange(port, port), text: String(port) };
  return { ports: ALL_PORTS, text: "an unknown port" };
}

/** Application Gateways with a public front end, and which backend pools their listeners reach on which backend ports. */
export function indexApplicationGateways(graph: ResourceGraph, network: NetworkModel, dns: StackDns): AgwCatalog {
  const byUrn = new Map<string, AgwIndex>();
  const ipTargets = new AddressIndex<{ agw: AgwIndex; pool: string; text: string }>();
  const unresolvedFqdns: Array<{ agw: AgwIndex; pool: string; why: string }> = [];
  const hostTargets = new Map<string, Array<{ agw: AgwIndex; pool: string; text: string }>>();
  for (const node of graph.ofType(T.AppGW)) {
    const p = node.props;
    const frontends = arr(field(p, "frontendIPConfigurations"));
    const publicFronts = new Set<string>();
    let anyFrontPublic = !Array.isArray(frontends);
    for (const fe of Array.isArray(frontends) ? frontends : []) {
      const n = str(field(fe, "name"));
      if (present(field(fe, "publicIPAddress")) || !present(field(fe, "privateIPAddress"))) {
        if (typeof n === "string") publicFronts.add(n.toLowerCase());
        else anyFrontPublic = true;
      }
    }
    if (!anyFrontPublic && publicFronts.size === 0) continue;
    const isPublic = (feRef: unknown) => {
      const k = childKey(feRef, "frontendIPConfigurations");
      return anyFrontPublic || k === undefined || publicFronts.has(k);
    };
    const httpListeners = named(field(p, "httpListeners"));
    const l4Listeners = named(field(p, "listeners"));
    const httpSettings = named(field(p, "backendHttpSettingsCollection"));
    const l4Settings = named(field(p, "backendSettingsCollection"));
    const pathMaps = named(field(p, "urlPathMaps"));
    const reach = new Map<string, AgwReach[]>();
    const add = (poolRef: unknown, r: AgwReach) => {
      const key = present(poolRef) ? (childKey(poolRef, "backendAddressPools") ?? "*") : undefined;
      if (key === undefined) return;
      let list = reach.get(key);
      if (!list) reach.set(key, (list = []));
      list.push(r);
    };
    const rules = arr(field(p, "requestRoutingRules"));
    // An unreadable rule list may route any listener to any pool; an absent one routes nothing (L4-only gateways).
    for (const rule of isIndeterminate(rules) ? [{ httpListener: undefined, backendAddressPool: "*" }] : (rules ?? [])) {
      const lKey = childKey(field(rule, "httpListener"), "httpListeners");
      const listener = lKey === undefined ? undefined : httpListeners.get(lKey);
      if (listener !== undefined && !isPublic(field(listener, "frontendIPConfiguration"))) continue;
      const lName = lKey ?? "an unreadable listener";
      const direct = settingsPorts(httpSettings, field(rule, "backendHttpSettings"), "backendHttpSettingsCollection");
      if (present(field(rule, "backendAddressPool")))
        add(field(rule, "backendAddressPool"), { listener: lName, layer: "L7", ports: direct.ports, portText: direct.text });
      const mapKey = childKey(field(rule, "urlPathMap"), "urlPathMaps");
      if (present(field(rule, "urlPathMap"))) {
        const map = mapKey === undefined ? undefined : pathMaps.get(mapKey);
        if (map === undefined) add("*", { listener: lName, layer: "L7", ports: ALL_PORTS, portText: "an unknown port" });
        else {
          const def = settingsPorts(httpSettings, field(map, "defaultBackendHttpSettings"), "backendHttpSettingsCollection");
          add(field(map, "defaultBackendAddressPool"), { listener: lName, layer: "L7", ports: def.ports, portText: def.text });
          const pathRules = arr(field(map, "pathRules"));
          for (const pr of Array.isArray(pathRules) ? pathRules : []) {
            const s = settingsPorts(httpSettings, field(pr, "backendHttpSettings"), "backendHttpSettingsCollection");
            add(field(pr, "backendAddressPool"), { listener: lName, layer: "L7", ports: s.ports, portText: s.text });
          }
        }
      }
    }
    const l4Rules = arr(field(p, "routingRules"));
    for (const rule of isIndeterminate(l4Rules) ? [{ listener: undefined, backendAddressPool: "*" }] : (l4Rules ?? [])) {
      const lKey = childKey(field(rule, "listener"), "listeners");
      const listener = lKey === undefined ? undefined : l4Listeners.get(lKey);
      if (listener !== undefined && !isPublic(field(listener, "frontendIPConfiguration"))) continue;
      const s = settingsPorts(l4Settings, field(rule, "backendSettings"), "backendSettingsCollection");
      add(field(rule, "backendAddressPool"), { listener: lKey ?? "an unreadable listener", layer: "L4", ports: s.ports, portText: s.text });
    }
    if (reach.size === 0) continue;

    let sources = IntervalSet.EMPTY;
    let sourceText = "";
    const gwConfigs = arr(field(p, "gatewayIPConfigurations"));
    let vnets: GraphNode[] | undefined = Array.isArray(gwConfigs) && gwConfigs.length > 0 ? [] : undefined;
    for (const g of Array.isArray(gwConfigs) ? gwConfigs : []) {
      const views = network.subnetViews(node, field(g, "subnet"), "gatewayIPConfigurations");
      if (views.length === 0 || views.some((v) => v.vnet === undefined)) vnets = undefined;
      for (const v of views) {
        if (vnets && v.vnet && !vnets.includes(v.vnet)) vnets.push(v.vnet);
        if (v.prefixes) {
          sources = sources.union(v.prefixes);
          sourceText = `subnet ${v.name}`;
        }
      }
    }
    if (sources.isEmpty) {
      sources = PRIVATE_SPACE;
      sourceText = "its subnet (address unknown)";
    }
    const index: AgwIndex = { node, reach, sources, sourceText, vnets };
    byUrn.set(node.urn, index);

    const pools = arr(field(p, "backendAddressPools"));
    if (isIndeterminate(pools))
      unresolvedFqdns.push({ agw: index, pool: "*", why: `the backend pools of application gateway ${node.display} are ${pools.describe()}` });
    for (const pool of Array.isArray(pools) ? pools : []) {
      const pn = str(field(pool, "name"));
      const poolKey = typeof pn === "string" ? pn.toLowerCase() : "*";
      const addrs = arr(field(pool, "backendAddresses"));
      if (isIndeterminate(addrs)) {
        unresolvedFqdns.push({ agw: index, pool: poolKey, why: `the backend addresses of pool ${poolKey} are ${addrs.describe()}` });
        continue;
      }
      for (const a of addrs ?? []) {
        const ip = str(field(a, "ipAddress"));
        const fqdn = str(field(a, "fqdn"));
        if (typeof ip === "string") ipTargets.add(parseAddressPrefix(ip), { agw: index, pool: poolKey, text: `backend ${ip}` });
        else if (isIndeterminate(ip)) ipTargets.add(undefined, { agw: index, pool: poolKey, text: `a backend address ${ip.describe()}` });
        if (typeof fqdn === "string") {
          const ans = dns.resolve(fqdn);
          if (ans.kind === "addresses") ipTargets.add(ans.addrs, { agw: index, pool: poolKey, text: `backend ${fqdn} (${ans.via})` });
          else if (ans.kind === "hosts") {
            for (const h of ans.hosts) {
              let list = hostTargets.get(h.urn);
              if (!list) hostTargets.set(h.urn, (list = []));
              list.push({ agw: index, pool: poolKey, text: `backend ${fqdn} (${ans.via})` });
            }
          } else unresolvedFqdns.push({ agw: index, pool: poolKey, why: `backend ${fqdn}: ${ans.why}` });
        } else if (isIndeterminate(fqdn)) {
          unresolvedFqdns.push({ agw: index, pool: poolKey, why: `a backend FQDN is ${fqdn.describe()}` });
        }
      }
    }
  }
  return { byUrn, ipTargets, unresolvedFqdns, hostTargets };
}

export function reachOf(agw: AgwIndex, pool: string): AgwReach[] {
  if (pool === "*") return [...new Set([...agw.reach.values()].flat())];
  return [...new Set([...(agw.reach.get(pool) ?? []), ...(agw.reach.get("*") ?? [])])];
}

/** Path 3: public Application Gateways, L7 and L4, with backends by NIC, IP or FQDN. The host's NSGs see the gateway's subnet as the source. */
export function applicationGatewayRoutes(
  graph: ResourceGraph,
  calc: FlowCalculator,
  catalog: AgwCatalog,
  host: Host,
  ip: IpConfigView,
): RouteToHost[] {
  if (catalog.byUrn.size === 0) return [];
  const targets: Array<{ agw: AgwIndex; pool: string; how: string }> = [];
  const problems: string[] = [];
  const refs = ip.agwPoolRefs;
  if (isIndeterminate(refs)) {
    for (const c of graph.dependencyCandidates(ip.owner, ip.depKey, [T.AppGW])) {
      const agw = catalog.byUrn.get(c.urn);
      if (agw) targets.push({ agw, pool: "*", how: "NIC backend pool list unknown at preview" });
    }
  } else {
    refs.forEach((ref, i) => {
      const res = graph.resolve(ip.owner, ref, ip.depKey, [T.AppGW], "backendaddresspools");
      if (res.unresolved) problems.push(`application gateway pool reference #${i + 1} cannot be followed: ${res.unresolved}`);
      for (const ext of res.external) problems.push(`application gateway pool reference #${i + 1} points to ${ext}, which is not in this stack`);
      for (const t of res.targets) {
        const agw = catalog.byUrn.get(t.node.urn);
        const pool = t.child.find(([ct]) => ct === "backendaddresspools")?.[1]?.toLowerCase() ?? "*";
        if (agw) targets.push({ agw, pool, how: "NIC in backend pool" });
      }
    });
  }
  for (const { item, certain } of addressTargets(ip, catalog.ipTargets, { reach: calc.network.reach, vnetsOf: (t) => t.agw.vnets })) {
    targets.push({ agw: item.agw, pool: item.pool, how: `${item.text}${certain ? "" : " (may be this host: its address is not known)"}` });
  }
  for (const t of catalog.hostTargets.get(host.urn) ?? []) targets.push({ agw: t.agw, pool: t.pool, how: t.text });
  for (const u of catalog.unresolvedFqdns) targets.push({ agw: u.agw, pool: u.pool, how: u.why });

  const routes: RouteToHost[] = [];
  for (const t of targets) {
    for (const r of reachOf(t.agw, t.pool)) {
      routes.push(
        routeTo(calc, host, ip, {
          kind: "application gateway",
          path: [
            hop("application gateway", `public application gateway ${t.agw.node.display} ${r.layer} listener ${r.listener}`, {
              resource: resourceOf(t.agw.node),
              via: `${r.layer} listener ${r.listener}`,
            }),
            hop("backend pool", `backend pool ${t.pool === "*" ? "(any)" : t.pool} → port ${r.portText} (${t.how})`, {
              resource: resourceOf(t.agw.node),
              via: `backend pool ${t.pool === "*" ? "(any)" : t.pool}`,
              ports: r.portText,
              note: t.how,
            }),
          ],
          direct: false,
          query: { addrs: t.agw.sources, ports: r.ports, protos: Proto.TCP },
          sourceLabel: `application gateway ${t.agw.node.display} (${t.agw.sourceText})`,
        }),
      );
    }
  }
  for (const p of problems)
    routes.push(undecidableRoute(host, ip, "application gateway", [], p, { addrs: PRIVATE_SPACE, ports: ALL_PORTS, protos: Proto.TCP }));
  return routes;
}
