import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, parseProtocol } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { IntervalSet } from "../intervalSet";
import { AddrTerm, Direction, parseAddrTerm } from "../nsgRules";
import { T } from "../resourceTypes";
import { arr, field, isIndeterminate, num, str } from "../values";

/** A Virtual Network Manager security admin rule that can let traffic past every NSG. */
export interface AlwaysAllowRule {
  readonly node: GraphNode;
  readonly name: string;
  readonly priority: number;
  readonly directions: ReadonlySet<Direction>;
  readonly sources: readonly AddrTerm[];
  readonly destinations: readonly AddrTerm[];
  readonly ports: IntervalSet;
  readonly protos: number;
  /** URNs of the virtual networks it applies to; undefined means any (scope could not be narrowed). */
  readonly vnets: ReadonlySet<string> | undefined;
  readonly scopeNote?: string;
}

function terms(list: unknown, what: string, notes: string[]): AddrTerm[] {
  const a = arr(list);
  if (isIndeterminate(a)) {
    notes.push(`${what} ${a.describe()}`);
    return [{ kind: "unknown", text: `${what} (${a.describe()})` }];
  }
  const out: AddrTerm[] = [];
  for (const item of a ?? []) {
    const prefix = str(field(item, "addressPrefix"));
    if (typeof prefix === "string") out.push(parseAddrTerm(prefix));
    else out.push({ kind: "unknown", text: `an entry of ${what}` });
  }
  // An admin rule with no address items matches any address.
  return out.length > 0 ? out : [{ kind: "any", text: "*" }];
}

/**
 * AVNM admin rules evaluated before NSGs: "AlwaysAllow" ends evaluation with an allow that no NSG
 * can override. Deny rules are not used to reduce exposure (whether the configuration is
 * deployed to the region is not visible here), so only AlwaysAllow rules are kept.
 */
export function alwaysAllowRules(graph: ResourceGraph): AlwaysAllowRule[] {
  const out: AlwaysAllowRule[] = [];
  for (const node of graph.ofType(T.AdminRule)) {
    const p = node.props;
    const access = str(field(p, "access"));
    // An unreadable access could be AlwaysAllow.
    if (typeof access === "string" && access.trim().toLowerCase() !== "alwaysallow") continue;
    const notes: string[] = [];
    if (isIndeterminate(access)) notes.push(`access ${access.describe()}`);
    const dir = str(field(p, "direction"));
    const directions = new Set<Direction>();
    if (typeof dir === "string" && dir.toLowerCase() === "outbound") directions.add("outbound");
    else if (typeof dir === "string" && dir.toLowerCase() === "inbound") directions.add("inbound");
    else {
      directions.add("inbound");
      directions.add("outbound");
    }
    const proto = str(field(p, "protocol"));
    const protos = typeof proto === "string" ? (parseProtocol(proto) ?? ALL_PROTOCOLS) : ALL_PROTOCOLS;
    let ports = IntervalSet.EMPTY;
    const portList = arr(field(p, "destinationPortRanges"));
    if (Array.isArray(portList) && portList.length > 0) {
      for (const x of portList) {
        const s = typeof x === "number" ? String(x) : str(x);
        const set = typeof s === "string" ? parsePortSpec(s) : undefined;
        ports = ports.union(set ?? ALL_PORTS);
      }
    } else ports = ALL_PORTS;
    const prio = num(field(p, "priority"));
    const scope = ruleScope(graph, node);
    out.push({
      node,
      name: node.display,
      priority: typeof prio === "number" ? prio : 1,
      directions,
      sources: terms(field(p, "sources"), "sources", notes),
      destinations: terms(field(p, "destinations"), "destinations", notes),
      ports,
      protos,
      vnets: scope.vnets,
      scopeNote: scope.note,
    });
  }
  return out;
}

function ruleScope(graph: ResourceGraph, rule: GraphNode): { vnets: Set<string> | undefined; note?: string } {
  const collectionName = str(field(rule.props, "ruleCollectionName"));
  const collections =
    graph.dependencyCandidates(rule, "ruleCollectionName", [T.AdminRuleCollection]).length > 0
      ? graph.dependencyCandidates(rule, "ruleCollectionName", [T.AdminRuleCollection])
      : typeof collectionName === "string"
        ? graph.named(T.AdminRuleCollection, collectionName)
        : [];
  if (collections.length === 0) return { vnets: undefined, note: "its rule collection is not in this stack, so it may apply to any virtual network" };
  const vnets = new Set<string>();
  for (const c of collections) {
    const groups = arr(field(c.props, "appliesToGroups"));
    if (!Array.isArray(groups)) return { vnets: undefined, note: `the groups of rule collection ${c.display} are unknown` };
    for (const g of groups) {
      const res = graph.resolve(c, field(g, "networkGroupId"), "appliesToGroups", [T.NetworkGroup]);
      if (res.targets.length === 0) return { vnets: undefined, note: `a network group of rule collection ${c.display} cannot be followed` };
      for (const t of res.targets) {
        const members = staticMembersOf(graph, t.node);
        if (members === undefined) {
          return { vnets: undefined, note: `the static members of network group ${t.node.display} cannot be told apart from another manager's` };
        }
        if (members.length === 0) {
          return { vnets: undefined, note: `network group ${t.node.display} has no static members here, so its members may be dynamic` };
        }
        for (const m of members) {
          const vr = graph.resolve(m, field(m.props, "resourceId"), "resourceId", [T.VNet]);
          if (vr.targets.length === 0) return { vnets: undefined, note: `a member of network group ${t.node.display} cannot be followed` };
          for (const v of vr.targets) vnets.add(v.node.urn);
        }
      }
    }
  }
  return { vnets };
}

/**
 * The static members of `group`: same group name, network manager and resource group (two managers may each have a group of
 * the same name, and one's members must not narrow the other's scope). `undefined` when a member's manager cannot be read.
 */
function staticMembersOf(graph: ResourceGraph, group: GraphNode): GraphNode[] | undefined {
  const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  const named = graph.ofType(T.StaticMember).filter((m) => same(m.parentNames[1], group.display));
  if (named.some((m) => m.parentNames[0] === undefined) || (named.length > 0 && group.parentNames[0] === undefined)) return undefined;
  return named.filter((m) => same(m.parentNames[0], group.parentNames[0]) && (m.rg === undefined || group.rg === undefined || m.rg === group.rg));
}
