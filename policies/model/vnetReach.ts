import { GraphNode, ResourceGraph } from "./graph";
import { T } from "./resourceTypes";
import { arr, field } from "./values";

/** The VNets a proxy sends from; undefined when they cannot be read (then it may reach any VNet). */
export type ProxyVnets = readonly GraphNode[] | undefined;

/**
 * Which virtual networks can reach which (docs/threat-model.md#bypass-catalogue, row 33). A proxy that forwards to a backend by IP (Application
 * Gateway, a load balancer's IP-based pool, Firewall DNAT) reaches that address only in its own VNet and in VNets
 * routable from it: peered with it, or peered with a hub it is peered with. Two unpeered VNets with overlapping space
 * are different networks. A peering whose remote end cannot be read may join anything, so it fails closed.
 */
export class VnetReach {
  private adjacency: Map<string, Set<string>> | undefined;
  /** VNets with a peering whose remote end cannot be read. */
  private readonly open = new Set<string>();

  constructor(private readonly graph: ResourceGraph) {}

  private build(): Map<string, Set<string>> {
    if (this.adjacency) return this.adjacency;
    const adj = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ]) {
        let s = adj.get(x);
        if (!s) adj.set(x, (s = new Set()));
        s.add(y);
      }
    };
    const remoteKeys = (from: GraphNode, ref: unknown, propKey: string): string[] | undefined => {
      const res = this.graph.resolve(from, ref, propKey, [T.VNet]);
      // A remote end only guessed from dependencies may be any VNet: widening reach is the safe reading.
      if (res.unresolved || res.targets.some((t) => !t.certain)) return undefined;
      // A VNet outside the stack is keyed by its id, so two spokes peered with the same outside hub still meet there.
      return [...res.targets.map((t) => t.node.urn), ...res.external];
    };
    for (const vnet of this.graph.ofType(T.VNet)) {
      const inline = arr(field(vnet.props, "virtualNetworkPeerings"));
      if (!Array.isArray(inline)) {
        if (inline !== undefined) this.open.add(vnet.urn);
        continue;
      }
      for (const p of inline) {
        const remotes = remoteKeys(vnet, field(p, "remoteVirtualNetwork"), "virtualNetworkPeerings");
        if (remotes === undefined) this.open.add(vnet.urn);
        else for (const r of remotes) link(vnet.urn, r);
      }
    }
    for (const p of this.graph.ofType(T.Peering)) {
      const viaDeps = this.graph.dependencyCandidates(p, "virtualNetworkName", [T.VNet]);
      const name = p.parentNames[0];
      const locals =
        viaDeps.length > 0
          ? viaDeps
          : name
            ? this.graph.named(T.VNet, name).filter((v) => v.rg === undefined || p.rg === undefined || v.rg === p.rg)
            : [];
      const remotes = remoteKeys(p, field(p.props, "remoteVirtualNetwork"), "remoteVirtualNetwork");
      if (locals.length === 0) {
        // A peering whose local VNet cannot be told: it may join its remote end to any VNet.
        for (const r of remotes ?? []) this.open.add(r);
        continue;
      }
      for (const l of locals) {
        if (remotes === undefined) this.open.add(l.urn);
        else for (const r of remotes) link(l.urn, r);
      }
    }
    this.adjacency = adj;
    return adj;
  }

  /** Can traffic from a proxy in `from` reach an address in `to`? False only when both are known and provably apart. */
  mayReach(from: GraphNode | undefined, to: GraphNode | undefined, viaHub = true): boolean {
    if (!from || !to || from === to) return true;
    const adj = this.build();
    if (this.open.has(from.urn) || this.open.has(to.urn)) return true;
    const a = adj.get(from.urn) ?? new Set<string>();
    const b = adj.get(to.urn) ?? new Set<string>();
    if (a.has(to.urn)) return true;
    if (!viaHub) return false;
    // Hub and spoke: both peered with the same hub (or the hub's peering cannot be read).
    for (const hub of a) if (b.has(hub) || this.open.has(hub)) return true;
    return false;
  }

  /** Might any of the proxy's VNets reach any VNet the host's address may be in? */
  proxyMayReach(proxy: ProxyVnets, hostVnets: ReadonlyArray<GraphNode | undefined>, viaHub = true): boolean {
    if (proxy === undefined || proxy.length === 0 || hostVnets.length === 0) return true;
    return proxy.some((p) => hostVnets.some((h) => this.mayReach(p, h, viaHub)));
  }
}
