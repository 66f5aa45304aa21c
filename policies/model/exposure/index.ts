import { ALL_PORTS, ALL_PROTOCOLS } from "../flows";
import { familySet } from "../addresses";
import { ResourceGraph } from "../graph";
import { Host, HostInventory } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { Grant, restrictGrants } from "../nsgEvaluator";
import { bastionRoutes, indexBastions, OpenBastion } from "./bastion";
import { apiManagementRoutes, ApimCatalog, indexApiManagement } from "./apiManagement";
import { applicationGatewayRoutes, AgwCatalog, indexApplicationGateways } from "./applicationGateways";
import { StackDns } from "./dns";
import { DnatCatalog, firewallRoutes, indexFirewallDnat } from "./firewalls";
import { FlowCalculator } from "./flowCalculator";
import { indexLoadBalancers, LbCatalog, loadBalancerRoutes } from "./loadBalancers";
import { indexPrivateLink, PrivateLinkCatalog, privateLinkRoutes } from "./privateLink";
import { publicIpRoutes } from "./publicIp";
import { hop, resourceOf } from "./hops";
import { undecidableRoute } from "./route";
import { RouteToHost } from "./types";
import { unmodeledReferences } from "./unmodeled";

export type { RouteToHost, PathKind } from "./types";
export type { Hop, HopKind, HopResource } from "./hops";

/**
 * Every path from outside to every Exchange host, computed once per analysis: public IPs,
 * public load balancers, Application Gateways, Firewall DNAT, Private Link from Front Door /
 * CDN, Bastion, API Management, plus references from resources the pack does not model. AVNM AlwaysAllow rules take
 * part through the flow calculator.
 */
export class ExposureAnalysis {
  private readonly lbs: LbCatalog;
  private readonly agws: AgwCatalog;
  private readonly dnat: DnatCatalog;
  private readonly privateLink: PrivateLinkCatalog;
  private readonly bastions: OpenBastion[];
  private readonly apim: ApimCatalog;
  private readonly unmodeled: Map<string, Array<{ node: import("../graph").GraphNode; how: string }>>;
  private readonly cache = new Map<string, RouteToHost[]>();

  constructor(
    readonly graph: ResourceGraph,
    readonly network: NetworkModel,
    readonly inventory: HostInventory,
    readonly calc: FlowCalculator,
  ) {
    const dns = new StackDns(graph, inventory.hosts);
    this.lbs = indexLoadBalancers(graph, network.reach);
    this.agws = indexApplicationGateways(graph, network, dns);
    this.dnat = indexFirewallDnat(graph, network, dns);
    this.privateLink = indexPrivateLink(graph, network);
    this.bastions = indexBastions(graph, network);
    this.apim = indexApiManagement(graph, network, dns, this.agws, this.dnat);
    this.unmodeled = unmodeledReferences(graph, inventory.hosts, dns);
  }

  routes(host: Host): RouteToHost[] {
    const cached = this.cache.get(host.urn);
    if (cached) return cached;
    const out: RouteToHost[] = [];
    const anyFamily = { addrs: familySet(undefined), ports: ALL_PORTS, protos: ALL_PROTOCOLS };
    for (const p of host.problems) out.push(undecidableRoute(host, undefined, "unreadable attachment", [], p, anyFamily));
    for (const ip of host.ipConfigs) {
      out.push(...publicIpRoutes(this.graph, this.calc, host, ip));
      out.push(...loadBalancerRoutes(this.graph, this.calc, this.lbs, host, ip));
      out.push(...applicationGatewayRoutes(this.graph, this.calc, this.agws, host, ip));
      out.push(...firewallRoutes(this.calc, this.dnat, host, ip));
      out.push(...privateLinkRoutes(this.graph, this.calc, this.lbs, this.privateLink, host, ip));
      out.push(...bastionRoutes(this.calc, this.bastions, host, ip));
      out.push(...apiManagementRoutes(this.calc, this.apim, host, ip));
    }
    for (const u of this.unmodeled.get(host.urn) ?? []) {
      out.push(
        undecidableRoute(
          host,
          undefined,
          "unmodeled resource",
          [hop("unmodeled resource", `${u.node.type.split(":").pop()} ${u.node.display}`, { resource: resourceOf(u.node), note: u.how })],
          `${u.node.type} ${u.node.display} references this host (${u.how}); the pack does not model that type, so it cannot tell whether it opens a way in`,
          anyFamily,
        ),
      );
    }
    this.cache.set(host.urn, out);
    return out;
  }
}

/** What of a route reaches the host from `internet` (the internet minus a policy's trusted prefixes). */
export interface OpenRoute {
  readonly route: RouteToHost;
  readonly grants: readonly Grant[];
  readonly undecidable?: string;
}

export function openToInternet(route: RouteToHost, internet: IntervalSet): OpenRoute | undefined {
  if (route.undecidable) return { route, grants: [], undecidable: route.undecidable };
  if (route.direct) {
    const grants = restrictGrants(route.grants, { addrs: internet, ports: ALL_PORTS, protos: ALL_PROTOCOLS });
    return grants.length > 0 ? { route, grants } : undefined;
  }
  if (route.frontSources && !route.frontSources.intersects(internet)) return undefined;
  return route.grants.length > 0 ? { route, grants: route.grants } : undefined;
}
