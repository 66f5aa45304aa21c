import { ALL_PORTS } from "../flows";
import { Host, IpConfigView, localAddrs } from "../hosts";
import { normalizeId } from "../armIds";
import { ResourceGraph } from "../graph";
import { NetworkModel, SubnetView } from "../network";
import { Grant, intersectGrants, noNsg, NsgEvaluator, NsgLevel } from "../nsgEvaluator";
import { Direction, LocalEnd, matchLocal, remoteSet, RuleSpec } from "../nsgRules";
import { T } from "../resourceTypes";
import { isIndeterminate } from "../values";
import { AlwaysAllowRule } from "./networkManager";

/** What the NSGs of one ipConfiguration let through in one direction, for one candidate subnet. */
export interface LevelGrants {
  readonly subnet: SubnetView | undefined;
  readonly grants: readonly Grant[];
  /** Neither the subnet nor the NIC has an NSG (Standard SKU front ends are then closed, Basic open). */
  readonly noNsgAtAll: boolean;
  readonly local: LocalEnd;
}

function adminRuleSpec(r: AlwaysAllowRule): RuleSpec {
  return {
    name: r.name,
    origin: "admin",
    priority: r.priority,
    directions: r.directions,
    access: "allow",
    source: r.sources,
    destination: r.destinations,
    portsAllow: r.ports,
    portsDeny: r.ports,
    protosAllow: r.protos,
    protosDeny: r.protos,
    sourcePortsAny: true,
    notes: r.scopeNote ? [r.scopeNote] : [],
    texts: [...r.sources, ...r.destinations].map((t) => t.text),
  };
}

/**
 * NSG verdicts per ipConfiguration: subnet NSG and NIC NSG both must allow (inbound subnet
 * first, outbound NIC first), a missing NSG allows everything at its level, and AVNM
 * AlwaysAllow rules are added on top because no NSG can override them.
 */
export class FlowCalculator {
  private readonly cache = new Map<string, LevelGrants[]>();
  private readonly asgKeyCache = new Map<string, string | undefined>();

  constructor(
    readonly graph: ResourceGraph,
    readonly network: NetworkModel,
    readonly evaluator: NsgEvaluator,
    readonly adminRules: readonly AlwaysAllowRule[],
  ) {}

  private asgKey = (ref: string): string | undefined => {
    if (this.asgKeyCache.has(ref)) return this.asgKeyCache.get(ref);
    const n = this.graph.byNormalizedId(normalizeId(ref));
    const key = n ? n.urn : normalizeId(ref);
    this.asgKeyCache.set(ref, key);
    return key;
  };

  localEnd(ip: IpConfigView, subnet: SubnetView | undefined): LocalEnd {
    let asgs: Set<string> | undefined = new Set<string>();
    if (isIndeterminate(ip.asgRefs)) asgs = undefined;
    else {
      for (const ref of ip.asgRefs) {
        const res = this.graph.resolve(ip.owner, ref, ip.depKey, [T.ASG]);
        if (res.unresolved) {
          asgs = undefined;
          break;
        }
        for (const t of res.targets) asgs.add(t.node.urn);
        for (const e of res.external) asgs.add(e);
      }
    }
    return { addrs: localAddrs(ip, subnet), asgs, asgKey: this.asgKey };
  }

  flows(host: Host, ip: IpConfigView, direction: Direction): LevelGrants[] {
    const key = `${host.urn}\u0000${ip.label}\u0000${direction}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const subnets: ReadonlyArray<SubnetView | undefined> = ip.subnets.length > 0 ? ip.subnets : [undefined];
    const out = subnets.map((subnet) => this.forSubnet(ip, subnet, direction));
    this.cache.set(key, out);
    return out;
  }

  private forSubnet(ip: IpConfigView, subnet: SubnetView | undefined, direction: Direction): LevelGrants {
    const local = this.localEnd(ip, subnet);
    const ctx = subnet?.ctx ?? { vnetAllow: localAddrs(ip, undefined), vnetDeny: localAddrs(ip, undefined) };
    const ctxKey = subnet?.ctxKey ?? "no-subnet";
    const level = (slot: SubnetView["nsg"], lvl: NsgLevel): Grant[] =>
      slot.kind === "none" ? noNsg(lvl) : slot.nsgs.flatMap((nsg) => this.evaluator.evaluate(nsg, lvl, direction, local, ctx, ctxKey));
    const subnetSlot = subnet?.nsg ?? { kind: "none" as const };
    const subnetGrants = level(subnetSlot, "subnet");
    const nicGrants = level(ip.nicNsg, "NIC");
    const grants = direction === "inbound" ? intersectGrants(subnetGrants, nicGrants) : intersectGrants(nicGrants, subnetGrants);
    const admin = this.alwaysAllow(subnet, local, direction, ctx);
    return {
      subnet,
      grants: admin.length > 0 ? [...grants, ...admin] : grants,
      noNsgAtAll: subnetSlot.kind === "none" && ip.nicNsg.kind === "none",
      local,
    };
  }

  private alwaysAllow(subnet: SubnetView | undefined, local: LocalEnd, direction: Direction, ctx: SubnetView["ctx"]): Grant[] {
    const out: Grant[] = [];
    for (const r of this.adminRules) {
      if (!r.directions.has(direction)) continue;
      if (r.vnets && !(subnet?.vnet && r.vnets.has(subnet.vnet.urn))) continue;
      const localTerms = direction === "inbound" ? r.destinations : r.sources;
      if (matchLocal(localTerms, local) === "no") continue;
      const remote = remoteSet(direction === "inbound" ? r.sources : r.destinations, "allow", ctx);
      if (remote.isEmpty) continue;
      out.push({
        box: { addrs: remote, ports: r.ports.isEmpty ? ALL_PORTS : r.ports, protos: r.protos },
        via: [{ nsg: `network manager rule ${r.name}`, level: "network manager", rule: adminRuleSpec(r) }],
      });
    }
    return out;
  }
}
