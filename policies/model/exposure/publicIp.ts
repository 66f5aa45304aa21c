import { Family, familySet } from "../addresses";
import { ALL_PORTS, ALL_PROTOCOLS } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { T } from "../resourceTypes";
import { field, path, present, str } from "../values";
import { FlowCalculator } from "./flowCalculator";
import { Hop, hop, namedResource, resourceOf } from "./hops";
import { routeTo } from "./route";
import { RouteToHost } from "./types";

export interface PublicFront {
  readonly label: string;
  /** The public IP resource, when the stack or an id names one. */
  readonly resource?: Hop["resource"];
  /** Standard is closed without an NSG; Basic (the historical default) and unknown SKUs are open. */
  readonly standard: boolean;
  readonly family: Family | undefined;
}

export function skuIsStandard(sku: unknown): boolean {
  const name = str(field(sku, "name"));
  return typeof name === "string" && name.trim().toLowerCase() === "standard";
}

export function pipFamily(props: unknown): Family | undefined {
  const v = str(field(props, "publicIPAddressVersion"));
  if (typeof v === "string" && v.trim().toLowerCase() === "ipv6") return "IPv6";
  if (typeof v === "string" && v.trim().toLowerCase() === "ipv4") return "IPv4";
  return v === undefined ? "IPv4" : undefined;
}

export function publicFrontOf(node: GraphNode): PublicFront {
  const standard = skuIsStandard(field(node.props, "sku"));
  return {
    label: `public IP ${node.display} (${standard ? "Standard" : "Basic or unknown SKU"})`,
    resource: resourceOf(node),
    standard,
    family: pipFamily(node.props),
  };
}

/** The public IPs a `publicIPAddress: { id }` reference can be: resolved nodes, outside ones, or an unknown one. */
export function publicFronts(graph: ResourceGraph, owner: GraphNode, ref: unknown, depKey: string): PublicFront[] {
  if (!present(ref)) return [];
  const res = graph.resolve(owner, ref, depKey, [T.PublicIP]);
  const out: PublicFront[] = res.targets.filter((t) => t.node.type === T.PublicIP).map((t) => publicFrontOf(t.node));
  for (const ext of res.external)
    out.push({
      label: `public IP ${ext.split("/").pop()} (outside this stack, SKU unknown)`,
      resource: { ...namedResource("public IP", ext.split("/").pop() ?? ext), id: ext },
      standard: false,
      family: undefined,
    });
  if (res.unresolved || out.length === 0)
    out.push({ label: "a public IP whose id is unknown at preview (SKU unknown)", standard: false, family: undefined });
  return out;
}

/** Path 1: a public IP on the ipConfiguration itself (standalone NIC, or created by the VM from an inline configuration). */
export function publicIpRoutes(graph: ResourceGraph, calc: FlowCalculator, host: Host, ip: IpConfigView): RouteToHost[] {
  const fronts: PublicFront[] = [];
  if (present(ip.publicIpRef)) fronts.push(...publicFronts(graph, ip.owner, ip.publicIpRef, ip.depKey));
  if (present(ip.inlinePublicIp)) {
    const standard = skuIsStandard(field(ip.inlinePublicIp, "sku"));
    const name = str(field(ip.inlinePublicIp, "name"));
    fronts.push({
      label: `public IP ${typeof name === "string" ? name : "(created by the VM)"} (${standard ? "Standard" : "Basic or unknown SKU"})`,
      resource: namedResource("public IP", typeof name === "string" ? name : "(created by the VM)"),
      standard,
      family: pipFamily(ip.inlinePublicIp) ?? (path(ip.inlinePublicIp, "publicIPAddressVersion") === undefined ? "IPv4" : undefined),
    });
  }
  return fronts.map((f) =>
    routeTo(calc, host, ip, {
      kind: "public IP",
      path: [frontHop(f)],
      direct: true,
      closedWithoutNsg: f.standard,
      query: { addrs: familySet(f.family), ports: ALL_PORTS, protos: ALL_PROTOCOLS },
      sourceLabel: "the internet",
    }),
  );
}

/** A public front end as a hop. */
export function frontHop(f: PublicFront): Hop {
  return hop("public IP", f.label, { resource: f.resource, note: f.standard ? "Standard" : undefined });
}
