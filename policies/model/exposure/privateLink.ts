import { ALL_PORTS, ALL_PROTOCOLS } from "../flows";
import { PRIVATE_SPACE } from "../addresses";
import { GraphNode, ResourceGraph } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { T } from "../resourceTypes";
import { arr, field, path, present, str } from "../values";
import { FlowCalculator } from "./flowCalculator";
import { LbCatalog, memberships } from "./loadBalancers";
import { hop, resourceOf } from "./hops";
import { routeTo, undecidableRoute } from "./route";
import { RouteToHost } from "./types";

/** A load balancer front end published through a Private Link Service to an internet edge (Front Door / CDN). */
interface PublishedFront {
  readonly origin: string;
  readonly pls: string;
  /** Front-end key; undefined means any front end of the LB. */
  readonly frontend: string | undefined;
  readonly sources: IntervalSet;
  readonly sourceText: string;
}

export interface PrivateLinkCatalog {
  /** LB URN → front ends reachable from an edge through Private Link. */
  readonly byLb: ReadonlyMap<string, PublishedFront[]>;
  /** Private Link references that cannot be followed: any internal LB may be behind them. */
  readonly unresolved: ReadonlyArray<{ origin: string; why: string }>;
}

function originRefs(graph: ResourceGraph): Array<{ node: GraphNode; label: string; ref: unknown; depKey: string }> {
  const out: Array<{ node: GraphNode; label: string; ref: unknown; depKey: string }> = [];
  for (const o of graph.ofType(T.AFDOrigin)) {
    const ref = path(o.props, "sharedPrivateLinkResource", "privateLink");
    if (present(ref)) out.push({ node: o, label: `Front Door origin ${o.display}`, ref, depKey: "sharedPrivateLinkResource" });
  }
  for (const o of graph.ofType(T.CdnOrigin)) {
    const ref = field(o.props, "privateLinkResourceId");
    if (present(ref)) out.push({ node: o, label: `CDN origin ${o.display}`, ref, depKey: "privateLinkResourceId" });
  }
  for (const fd of graph.ofType(T.FrontDoor, T.FrontDoorLegacy)) {
    const pools = arr(field(fd.props, "backendPools"));
    for (const p of Array.isArray(pools) ? pools : []) {
      const backends = arr(field(p, "backends"));
      for (const b of Array.isArray(backends) ? backends : []) {
        const ref = field(b, "privateLinkResourceId");
        const addr = str(field(b, "address"));
        if (present(ref))
          out.push({
            node: fd,
            label: `Front Door ${fd.display} backend ${typeof addr === "string" ? addr : ""}`.trim(),
            ref,
            depKey: "backendPools",
          });
      }
    }
  }
  return out;
}

/** Path 5: Front Door Premium / CDN origins over Private Link to an internal load balancer, which need no public IP at all. */
export function indexPrivateLink(graph: ResourceGraph, network: NetworkModel): PrivateLinkCatalog {
  const byLb = new Map<string, PublishedFront[]>();
  const unresolved: Array<{ origin: string; why: string }> = [];
  for (const o of originRefs(graph)) {
    const res = graph.resolve(o.node, o.ref, o.depKey, [T.PLS]);
    if (res.targets.length === 0) {
      unresolved.push({ origin: o.label, why: res.unresolved ?? `its Private Link Service ${res.external[0] ?? ""} is not in this stack` });
      continue;
    }
    for (const t of res.targets) {
      const pls = t.node;
      let sources = IntervalSet.EMPTY;
      const cfgs = arr(field(pls.props, "ipConfigurations"));
      for (const c of Array.isArray(cfgs) ? cfgs : []) {
        for (const v of network.subnetViews(pls, field(c, "subnet"), "ipConfigurations")) if (v.prefixes) sources = sources.union(v.prefixes);
      }
      const sourceText = sources.isEmpty ? "its NAT subnet (address unknown)" : "its NAT subnet";
      if (sources.isEmpty) sources = PRIVATE_SPACE;
      const fronts = arr(field(pls.props, "loadBalancerFrontendIpConfigurations"));
      if (!Array.isArray(fronts)) {
        unresolved.push({ origin: `${o.label} → Private Link Service ${pls.display}`, why: "its load balancer front ends are unknown" });
        continue;
      }
      for (const f of fronts) {
        const fr = graph.resolve(pls, f, "loadBalancerFrontendIpConfigurations", [T.LB], "frontendipconfigurations");
        if (fr.targets.length === 0) {
          unresolved.push({
            origin: `${o.label} → Private Link Service ${pls.display}`,
            why: fr.unresolved ?? "its load balancer is not in this stack",
          });
          continue;
        }
        for (const lt of fr.targets) {
          const fe = lt.child.find(([ct]) => ct === "frontendipconfigurations")?.[1]?.toLowerCase();
          let l = byLb.get(lt.node.urn);
          if (!l) byLb.set(lt.node.urn, (l = []));
          l.push({ origin: o.label, pls: pls.display, frontend: fe, sources, sourceText: `Private Link Service ${pls.display} (${sourceText})` });
        }
      }
    }
  }
  return { byLb, unresolved };
}

export function privateLinkRoutes(
  graph: ResourceGraph,
  calc: FlowCalculator,
  lbs: LbCatalog,
  catalog: PrivateLinkCatalog,
  host: Host,
  ip: IpConfigView,
): RouteToHost[] {
  if (catalog.byLb.size === 0 && catalog.unresolved.length === 0) return [];
  const routes: RouteToHost[] = [];
  // Unfollowable memberships are already reported by the load balancer path.
  const { members } = memberships(graph, lbs, ip);
  for (const m of members) {
    const published = catalog.byLb.get(m.lb.node.urn) ?? [];
    for (const pub of published) {
      for (const rule of m.lb.rules) {
        if (!(rule.pools === undefined || m.anyPool || (m.pool !== undefined && rule.pools.includes(m.pool)))) continue;
        if (pub.frontend !== undefined && rule.frontends !== undefined && !rule.frontends.includes(pub.frontend)) continue;
        routes.push(
          routeTo(calc, host, ip, {
            kind: "private link",
            path: [
              hop("front door", `${pub.origin} → Private Link Service ${pub.pls}`, { via: `Private Link Service ${pub.pls}`, note: pub.origin }),
              hop("load balancer", `internal load balancer ${m.lb.node.display} ${rule.kind} ${rule.name} ${rule.portText}`, {
                resource: resourceOf(m.lb.node),
                via: `${rule.kind} ${rule.name}`,
                ports: rule.portText,
              }),
              hop("backend pool", `${m.how}`, { note: m.how }),
            ],
            direct: false,
            query: { addrs: pub.sources, ports: rule.backendPorts, protos: rule.protos },
            sourceLabel: pub.sourceText,
          }),
        );
      }
    }
    if (catalog.unresolved.length > 0) {
      for (const u of catalog.unresolved) {
        routes.push(
          undecidableRoute(
            host,
            ip,
            "private link",
            [
              hop("front door", u.origin, { note: u.origin }),
              hop("load balancer", `load balancer ${m.lb.node.display}`, { resource: resourceOf(m.lb.node) }),
            ],
            `${u.origin}: ${u.why}; it may publish this host's load balancer`,
            { addrs: PRIVATE_SPACE, ports: ALL_PORTS, protos: ALL_PROTOCOLS },
          ),
        );
      }
    }
  }
  return routes;
}
