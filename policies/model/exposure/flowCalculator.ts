import { ALL_PORTS } from "../flows";
import { Host, IpConfigView, localAddrs } from "../hosts";
import { normalizeId } from "../armIds";
import { ResourceGraph } from "../graph";
import { NetworkModel, SubnetView } from "../network";
import { Box, intersectBox, subtractBox } from "../flows";
import { Denial, evaluateNsg, Grant, intersectGrants, noNsg, NsgEvaluator, NsgLevel, UNIVERSE } from "../nsgEvaluator";
import { Direction, LocalEnd, matchLocal, remoteSet, RuleSpec } from "../nsgRules";
import { T } from "../resourceTypes";
import { field, isIndeterminate, str } from "../values";
import { AdminDenyRule, AlwaysAllowRule, regionKey } from "./networkManager";

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

/** What one NSG level decides for one ipConfiguration: what it lets through, and which rule drops the rest. */
export interface LevelDecision {
  readonly level: NsgLevel;
  /** The NSGs at this level (more than one when the stack leaves it open which applies); empty: no NSG. */
  readonly nsgs: readonly string[];
  readonly grants: readonly Grant[];
  readonly denials: readonly Denial[];
}

/** Both levels of one candidate subnet, in the order Azure applies them for the direction. */
export interface SubnetDecisions {
  readonly subnet: SubnetView | undefined;
  readonly levels: readonly [LevelDecision, LevelDecision];
  readonly noNsgAtAll: boolean;
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
    readonly adminDenies: readonly AdminDenyRule[] = [],
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
    const location = str(field(host.vm.props, "location"));
    const region = typeof location === "string" ? regionKey(location) : undefined;
    const out = subnets.map((subnet) => this.forSubnet(ip, subnet, direction, region));
    this.cache.set(key, out);
    return out;
  }

  /**
   * Which rule decides each flow at each level, for explaining a path (allowed or not); verdicts stay those of `flows`.
   * Not cached: only `explain` and the pictures ask, once per host.
   */
  decisions(ip: IpConfigView, direction: Direction): SubnetDecisions[] {
    const subnets: ReadonlyArray<SubnetView | undefined> = ip.subnets.length > 0 ? ip.subnets : [undefined];
    return subnets.map((subnet) => {
      const local = this.localEnd(ip, subnet);
      const ctx = subnet?.ctx ?? { vnetAllow: localAddrs(ip, undefined), vnetDeny: localAddrs(ip, undefined) };
      const level = (slot: SubnetView["nsg"], lvl: NsgLevel): LevelDecision => {
        if (slot.kind === "none") return { level: lvl, nsgs: [], grants: noNsg(lvl), denials: [] };
        const denials: Denial[] = [];
        const grants = slot.nsgs.flatMap((nsg) => evaluateNsg(nsg, lvl, direction, local, ctx, denials));
        return { level: lvl, nsgs: slot.nsgs.map((n) => n.name), grants, denials };
      };
      const subnetSlot = subnet?.nsg ?? { kind: "none" as const };
      const sub = level(subnetSlot, "subnet");
      const nic = level(ip.nicNsg, "NIC");
      return {
        subnet,
        levels: direction === "inbound" ? [sub, nic] : [nic, sub],
        noNsgAtAll: subnetSlot.kind === "none" && ip.nicNsg.kind === "none",
      };
    });
  }

  private forSubnet(ip: IpConfigView, subnet: SubnetView | undefined, direction: Direction, region?: string): LevelGrants {
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
    const denies = this.honouredDenies(subnet, local, direction, region);
    return {
      subnet,
      grants: denies.length > 0 ? this.adminFirst(grants, admin, denies, ctx) : admin.length > 0 ? [...grants, ...admin] : grants,
      noNsgAtAll: subnetSlot.kind === "none" && ip.nicNsg.kind === "none",
      local,
    };
  }

  /** Admin Deny rules that certainly apply here: committed to the host's region, scoped to this VNet, matching this address. */
  private honouredDenies(subnet: SubnetView | undefined, local: LocalEnd, direction: Direction, region: string | undefined): AdminDenyRule[] {
    if (this.adminDenies.length === 0 || region === undefined || !subnet?.vnet) return [];
    const vnet = subnet.vnet.urn;
    return this.adminDenies.filter(
      (r) =>
        r.directions.has(direction) &&
        r.regions.has(region) &&
        r.vnets.has(vnet) &&
        matchLocal(direction === "inbound" ? r.destinations : r.sources, local) === "yes",
    );
  }

  /**
   * Admin rules are evaluated before NSGs, first match by priority: AlwaysAllow lets a flow through whatever the NSGs say,
   * Deny drops it, and what neither matches goes on to the NSGs.
   */
  private adminFirst(nsgGrants: Grant[], allows: Grant[], denies: readonly AdminDenyRule[], ctx: SubnetView["ctx"]): Grant[] {
    type Step = { priority: number; allow: Grant | undefined; box: Box };
    const steps: Step[] = [
      ...allows.map((g) => ({ priority: g.via[0].rule?.priority ?? 1, allow: g, box: g.box })),
      ...denies.map((r) => {
        const remote = remoteSet(r.directions.has("inbound") ? r.sources : r.destinations, "deny", ctx);
        return { priority: r.priority, allow: undefined, box: { addrs: remote, ports: r.ports.isEmpty ? ALL_PORTS : r.ports, protos: r.protos } };
      }),
    ];
    // Equal priorities cannot coexist in one configuration; if they do, the allow first can only over-report.
    steps.sort((a, b) => a.priority - b.priority || (a.allow ? -1 : 0) - (b.allow ? -1 : 0));
    let remaining: Box[] = [UNIVERSE];
    const adminGrants: Grant[] = [];
    for (const st of steps) {
      const next: Box[] = [];
      for (const b of remaining) {
        const inter = intersectBox(b, st.box);
        if (!inter) {
          next.push(b);
          continue;
        }
        if (st.allow) adminGrants.push({ box: inter, via: st.allow.via });
        next.push(...subtractBox(b, st.box));
      }
      remaining = next;
    }
    const passed = intersectGrants(
      nsgGrants,
      remaining.map((box) => ({ box, via: [] })),
    );
    return [...passed, ...adminGrants];
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
