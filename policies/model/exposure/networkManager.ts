import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, parseProtocol } from "../flows";
import { GraphNode, ResourceGraph } from "../graph";
import { IntervalSet } from "../intervalSet";
import { AddrTerm, Direction, parseAddrTerm } from "../nsgRules";
import { T } from "../resourceTypes";
import { arr, field, isIndeterminate, num, str } from "../values";

/** What every Virtual Network Manager security admin rule matches on. */
interface AdminRuleMatch {
  readonly node: GraphNode;
  readonly name: string;
  readonly priority: number;
  readonly directions: ReadonlySet<Direction>;
  readonly sources: readonly AddrTerm[];
  readonly destinations: readonly AddrTerm[];
  readonly ports: IntervalSet;
  readonly protos: number;
}

/** A Virtual Network Manager security admin rule that can let traffic past every NSG. */
export interface AlwaysAllowRule extends AdminRuleMatch {
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

function ruleScope(
  graph: ResourceGraph,
  rule: GraphNode,
  strict?: { manager: string; config: string },
): { vnets: Set<string> | undefined; note?: string } {
  const collectionName = str(field(rule.props, "ruleCollectionName"));
  const found =
    graph.dependencyCandidates(rule, "ruleCollectionName", [T.AdminRuleCollection]).length > 0
      ? graph.dependencyCandidates(rule, "ruleCollectionName", [T.AdminRuleCollection])
      : typeof collectionName === "string"
        ? graph.named(T.AdminRuleCollection, collectionName)
        : [];
  // To narrow exposure (a Deny) the collection must certainly be the rule's own: same manager and configuration names.
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (strict && found.some((c) => !same(c.parentNames[0], strict.manager) || !same(c.parentNames[1], strict.config))) {
    return { vnets: undefined, note: "its rule collection cannot be told apart from another configuration's" };
  }
  const collections = found;
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

/**
 * A Virtual Network Manager security admin Deny rule whose effect the pack can prove (docs/threat-model.md#bypass-catalogue, row 34): admin rules are
 * evaluated before NSGs and a Deny ends evaluation. It is honoured only where it certainly applies: known access, priority,
 * direction, addresses and ports; a scope of static members in this stack; and a commit (deployment) of its security admin
 * configuration, visible in the stack, to the host's region. Anything less and it is ignored, as before.
 */
export interface AdminDenyRule extends AdminRuleMatch {
  /** URNs of the VNets it certainly applies to. */
  readonly vnets: ReadonlySet<string>;
  /** Regions (lower case, no spaces) its configuration is committed to by a commit in this stack. */
  readonly regions: ReadonlySet<string>;
}

const COMMIT_TYPES = new Set(["azure-native:network:Commit", "azure-native:network:NetworkManagerCommit"]);

/** Normalised region name: "West Europe" and "westeurope" are one region. */
export function regionKey(s: string): string {
  return s.replace(/\s+/g, "").toLowerCase();
}

/** Regions each (network manager, security admin configuration) is committed to by the stack's commit resources. */
function committedRegions(graph: ResourceGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const node of graph.nodes) {
    if (!COMMIT_TYPES.has(node.type)) continue;
    // The commit resource nests its settings under properties; older shapes carry them at the top.
    const get = (k: string) => field(node.props, k) ?? field(field(node.props, "properties"), k);
    const type = str(get("commitType"));
    if (typeof type !== "string" || type.trim().toLowerCase() !== "securityadmin") continue;
    const manager = str(field(node.props, "networkManagerName"));
    const regions = arr(get("targetLocations"));
    const configs = arr(get("configurationIds"));
    if (typeof manager !== "string" || !Array.isArray(regions) || !Array.isArray(configs)) continue;
    const regionSet = new Set<string>();
    for (const r of regions) {
      const v = str(r);
      if (typeof v === "string") regionSet.add(regionKey(v));
    }
    for (const c of configs) {
      const id = str(c);
      // A configuration id unknown at preview is not proof of what was committed: such a commit is not honoured.
      if (typeof id !== "string") continue;
      const m = /\/networkmanagers\/([^/]+)\/securityadminconfigurations\/([^/]+)\/?$/i.exec(id.trim());
      if (!m || m[1].toLowerCase() !== manager.toLowerCase()) continue;
      const key = `${m[1].toLowerCase()}|${m[2].toLowerCase()}`;
      let set = out.get(key);
      if (!set) out.set(key, (set = new Set()));
      for (const r of regionSet) set.add(r);
    }
  }
  return out;
}

export function adminDenyRules(graph: ResourceGraph): AdminDenyRule[] {
  const out: AdminDenyRule[] = [];
  const rules = graph.ofType(T.AdminRule);
  if (rules.length === 0) return out;
  const commits = committedRegions(graph);
  if (commits.size === 0) return out;
  for (const node of rules) {
    const p = node.props;
    const access = str(field(p, "access"));
    if (typeof access !== "string" || access.trim().toLowerCase() !== "deny") continue;
    const manager = str(field(p, "networkManagerName"));
    const config = str(field(p, "configurationName"));
    if (typeof manager !== "string" || typeof config !== "string") continue;
    const regions = commits.get(`${manager.toLowerCase()}|${config.toLowerCase()}`);
    if (!regions || regions.size === 0) continue;
    const dir = str(field(p, "direction"));
    if (typeof dir !== "string" || !["inbound", "outbound"].includes(dir.trim().toLowerCase())) continue;
    const prio = num(field(p, "priority"));
    if (typeof prio !== "number") continue;
    const proto = str(field(p, "protocol"));
    const protos = typeof proto === "string" ? parseProtocol(proto) : undefined;
    if (protos === undefined) continue;
    const notes: string[] = [];
    const sources = terms(field(p, "sources"), "sources", notes);
    const destinations = terms(field(p, "destinations"), "destinations", notes);
    if (notes.length > 0 || [...sources, ...destinations].some((t) => t.kind === "unknown" || t.kind === "asg")) continue;
    let ports: IntervalSet | undefined = IntervalSet.EMPTY;
    const portList = arr(field(p, "destinationPortRanges"));
    if (Array.isArray(portList) && portList.length > 0) {
      for (const x of portList) {
        const t = typeof x === "number" ? String(x) : str(x);
        const set = typeof t === "string" ? parsePortSpec(t) : undefined;
        ports = set && ports ? ports.union(set) : undefined;
      }
    } else if (portList === undefined) ports = ALL_PORTS;
    else ports = Array.isArray(portList) ? ALL_PORTS : undefined;
    if (!ports) continue;
    // A deny restricted to some source ports never protects: the client picks its source port.
    const srcPorts = arr(field(p, "sourcePortRanges"));
    if (Array.isArray(srcPorts) && srcPorts.length > 0) {
      let src = IntervalSet.EMPTY;
      for (const x of srcPorts) {
        const t = typeof x === "number" ? String(x) : str(x);
        src = src.union((typeof t === "string" ? parsePortSpec(t) : undefined) ?? IntervalSet.EMPTY);
      }
      if (!src.equals(ALL_PORTS)) continue;
    } else if (srcPorts !== undefined && !Array.isArray(srcPorts)) continue;
    const scope = ruleScope(graph, node, { manager, config });
    if (!scope.vnets) continue;
    out.push({
      node,
      name: node.display,
      priority: prio,
      directions: new Set<Direction>([dir.trim().toLowerCase() as Direction]),
      sources,
      destinations,
      ports,
      protos,
      vnets: scope.vnets,
      regions,
    });
  }
  return out;
}
