import { PRIVATE_SPACE } from "../addresses";
import { portRange, Proto } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { T } from "../resourceTypes";
import { arr, bool, field, isIndeterminate } from "../values";
import { ProxyVnets } from "../vnetReach";
import { FlowCalculator } from "./flowCalculator";
import { hop, resourceOf } from "./hops";
import { routeTo } from "./route";
import { RouteToHost } from "./types";

/** An Azure Bastion that someone without an Azure sign-in can use: a way from the internet to RDP and SSH. */
export interface OpenBastion {
  readonly node: GraphNode;
  /** AzureBastionSubnet: the source address the host's NSGs see. */
  readonly sources: IntervalSet;
  readonly sourceText: string;
  readonly vnets: ProxyVnets;
  /** Why it counts as open: shareable links on, or the setting unknown. */
  readonly why: string;
}

/** The ports Bastion connects to on a VM: RDP and SSH. */
const BASTION_PORTS = portRange(3389, 3389).union(portRange(22, 22));

/**
 * Bastions with shareable links (docs/threat-model.md#bypass-catalogue, row 31). A shareable link lets anyone who has it open RDP or SSH to a VM
 * through Bastion without signing in to Azure, so it is an internet path to every VM Bastion reaches: its VNet and
 * VNets peered with it. A private-only Bastion has no public endpoint. An unknown setting fails closed.
 */
export function indexBastions(graph: ResourceGraph, network: NetworkModel): OpenBastion[] {
  const out: OpenBastion[] = [];
  for (const node of graph.ofType(T.Bastion)) {
    const share = bool(field(node.props, "enableShareableLink"));
    const privateOnly = bool(field(node.props, "enablePrivateOnlyBastion"));
    if (privateOnly === true) continue;
    if (share !== true && !isIndeterminate(share)) continue;
    const why =
      share === true ? "shareable links enabled: anyone with a link connects without an Azure sign-in" : `enableShareableLink is ${share.describe()}`;
    let sources = IntervalSet.EMPTY;
    const cfgs = arr(field(node.props, "ipConfigurations"));
    let vnets: GraphNode[] | undefined = Array.isArray(cfgs) && cfgs.length > 0 ? [] : undefined;
    for (const c of Array.isArray(cfgs) ? cfgs : []) {
      const views = network.subnetViews(node, field(c, "subnet"), "ipConfigurations");
      if (views.length === 0) vnets = undefined;
      for (const v of views) {
        if (v.prefixes) sources = sources.union(v.prefixes);
        if (!v.vnet) vnets = undefined;
        else if (vnets && !vnets.includes(v.vnet)) vnets.push(v.vnet);
      }
    }
    out.push({
      node,
      sources: sources.isEmpty ? PRIVATE_SPACE : sources,
      sourceText: sources.isEmpty ? "AzureBastionSubnet (address unknown)" : "AzureBastionSubnet",
      vnets,
      why,
    });
  }
  return out;
}

/** Path: an open Bastion to a host in its VNet or a VNet peered with it, on RDP and SSH, through the host's NSGs. */
export function bastionRoutes(calc: FlowCalculator, bastions: readonly OpenBastion[], host: Host, ip: IpConfigView): RouteToHost[] {
  const hostVnets = ip.subnets.map((s) => s.vnet);
  const out: RouteToHost[] = [];
  for (const b of bastions) {
    // Bastion reaches its own VNet and directly peered ones (not through a hub).
    if (!calc.network.reach.proxyMayReach(b.vnets, hostVnets, false)) continue;
    out.push(
      routeTo(calc, host, ip, {
        kind: "bastion",
        path: [hop("bastion", `Azure Bastion ${b.node.display} (${b.why})`, { resource: resourceOf(b.node), ports: "TCP 3389, 22", note: b.why })],
        direct: false,
        query: { addrs: b.sources, ports: BASTION_PORTS, protos: Proto.TCP },
        sourceLabel: `Azure Bastion ${b.node.display} (${b.sourceText})`,
      }),
    );
  }
  return out;
}
