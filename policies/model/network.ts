import { ALL_ADDRESSES, INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "./addresses";
import { GraphNode, RefResolution, ResourceGraph, sameResourceGroup } from "./graph";
import { CompiledNsg, sortRules } from "./nsgEvaluator";
import { assumedAllowAll, parseSecurityRule, RemoteContext, RuleSpec } from "./nsgRules";
import { IntervalSet } from "./intervalSet";
import { T } from "./resourceTypes";
import { VnetReach } from "./vnetReach";
import { arr, field, isIndeterminate, path, str } from "./values";

/** The NSG at one level (subnet or NIC): none, or the candidates it may be (several when a link was ambiguous). */
export type NsgSlot = { readonly kind: "none" } | { readonly kind: "nsgs"; readonly nsgs: readonly CompiledNsg[] };

export interface SubnetView {
  readonly key: string;
  readonly name: string;
  /** Known address prefixes of the subnet, or undefined. */
  readonly prefixes: IntervalSet | undefined;
  readonly nsg: NsgSlot;
  readonly ctx: RemoteContext;
  readonly ctxKey: string;
  readonly vnet: GraphNode | undefined;
  readonly notes: readonly string[];
}

function prefixesOf(single: unknown, many: unknown): IntervalSet | undefined {
  let out: IntervalSet | undefined;
  const add = (v: unknown) => {
    const s = str(v);
    if (typeof s !== "string") return;
    const set = parseAddressPrefix(s);
    if (set) out = (out ?? IntervalSet.EMPTY).union(set);
  };
  add(single);
  const list = arr(many);
  if (Array.isArray(list)) list.forEach(add);
  return out;
}

/** Describes an unresolved reference for messages. */
export function refProblem(what: string, res: RefResolution): string | undefined {
  if (res.unresolved) return `${what}: ${res.unresolved}`;
  if (res.external.length > 0) return `${what} ${res.external[0]} is not in this stack, so its rules cannot be read`;
  return undefined;
}

/**
 * NSGs, subnets and virtual networks as the NSG evaluator needs them. Built lazily per
 * analysis; every NSG is compiled once whatever the number of NICs that use it.
 */
export class NetworkModel {
  private readonly nsgCache = new Map<string, CompiledNsg>();
  private standaloneRules: Map<string, { certain: RuleSpec[]; possible: RuleSpec[] }> | undefined;
  private readonly vnetCtxCache = new Map<string, { ctx: RemoteContext; key: string }>();
  private readonly routeCache = new Map<string, IntervalSet>();
  private readonly viewCache = new Map<string, SubnetView[]>();

  /** Which VNets can reach which (own, peered, via a peered hub): proxies by IP reach only those. */
  readonly reach: VnetReach;

  constructor(readonly graph: ResourceGraph) {
    this.reach = new VnetReach(graph);
  }

  /** Standalone SecurityRule resources grouped by the NSG they attach to (by URN dependency or by name). */
  private rulesByNsg(): Map<string, { certain: RuleSpec[]; possible: RuleSpec[] }> {
    if (this.standaloneRules) return this.standaloneRules;
    const map = new Map<string, { certain: RuleSpec[]; possible: RuleSpec[] }>();
    const slot = (urn: string) => {
      let s = map.get(urn);
      if (!s) map.set(urn, (s = { certain: [], possible: [] }));
      return s;
    };
    for (const r of this.graph.ofType(T.SecurityRule)) {
      const spec = parseSecurityRule(r.props, "standalone", r.display);
      const nsgName = r.parentNames[0];
      const viaDeps = this.graph.dependencyCandidates(r, "networkSecurityGroupName", [T.NSG]);
      const candidates = viaDeps.length > 0 ? viaDeps : nsgName ? this.graph.named(T.NSG, nsgName) : this.graph.ofType(T.NSG);
      for (const nsg of candidates) {
        const sameName = nsgName === undefined || nsg.azName === undefined ? undefined : nsgName.toLowerCase() === nsg.azName.toLowerCase();
        if (sameName === false) continue;
        // A rule attaches to the NSG of that name in the rule's own resource group; another group's NSG is a different one.
        const rg = sameResourceGroup(this.graph, r, nsg);
        if (rg === "no") continue;
        const certain = rg === "yes" && (sameName === true || viaDeps.length === 1);
        if (certain) slot(nsg.urn).certain.push(spec);
        else slot(nsg.urn).possible.push(spec);
      }
    }
    this.standaloneRules = map;
    return map;
  }

  compileNsg(node: GraphNode): CompiledNsg {
    const cached = this.nsgCache.get(node.urn);
    if (cached) return cached;
    const rules: RuleSpec[] = [];
    const inline = arr(field(node.props, "securityRules"));
    if (isIndeterminate(inline)) {
      rules.push(assumedAllowAll(`${node.display} securityRules`, `the rules of NSG ${node.display} are ${inline.describe()}`));
    } else if (inline) {
      inline.forEach((r, i) => rules.push(parseSecurityRule(r, "inline", `${node.display} rule #${i + 1}`)));
    }
    const standalone = this.rulesByNsg().get(node.urn);
    if (standalone) {
      rules.push(...standalone.certain);
      // A rule whose NSG is only guessed by name can widen (allow) but is not trusted to narrow (deny).
      rules.push(...standalone.possible.filter((r) => r.access === "allow"));
    }
    const compiled: CompiledNsg = { key: node.urn, name: node.display, rules: sortRules(rules) };
    this.nsgCache.set(node.urn, compiled);
    return compiled;
  }

  private unknownNsg(key: string, name: string, note: string): CompiledNsg {
    const cached = this.nsgCache.get(key);
    if (cached) return cached;
    const compiled: CompiledNsg = { key, name, rules: [assumedAllowAll(`${name} (unreadable)`, note)] };
    this.nsgCache.set(key, compiled);
    return compiled;
  }

  /** The NSG referenced by `ref` (`{ id }`) in `from` under the top-level property `propKey`. */
  nsgSlot(from: GraphNode, ref: unknown, propKey: string): NsgSlot {
    if (ref === undefined || ref === null) return { kind: "none" };
    const res = this.graph.resolve(from, ref, propKey, [T.NSG]);
    if (res.targets.length === 0 && res.external.length === 0 && !res.unresolved) return { kind: "none" };
    // An id that names something other than an NSG cannot be trusted to filter anything: Azure would refuse it, but the
    // program as written does not say what guards the traffic.
    const nsgs = res.targets.map((t) =>
      t.node.type === T.NSG
        ? this.compileNsg(t.node)
        : this.unknownNsg(
            `${from.urn}#${propKey}`,
            `NSG of ${from.display}`,
            `the NSG of ${from.display} names ${t.node.display} (${t.node.type}), not an NSG`,
          ),
    );
    for (const ext of res.external) nsgs.push(this.unknownNsg(ext, ext.split("/").pop() ?? ext, `NSG ${ext} is not in this stack`));
    const problem = res.unresolved;
    if (problem) {
      nsgs.push(this.unknownNsg(`${from.urn}#${propKey}`, `NSG of ${from.display}`, `the NSG of ${from.display} cannot be followed: ${problem}`));
    }
    return nsgs.length > 0 ? { kind: "nsgs", nsgs } : { kind: "none" };
  }

  /** Subnet views for a `subnet: { id }` reference (several when the reference is ambiguous). */
  subnetViews(from: GraphNode, ref: unknown, propKey: string): SubnetView[] {
    if (ref === undefined || ref === null) return [];
    const res = this.graph.resolve(from, ref, propKey, [T.Subnet, T.VNet], "subnets");
    const views: SubnetView[] = [];
    for (const t of res.targets) {
      const childName = t.child.find(([ct]) => ct === "subnets")?.[1];
      const cacheKey = `${t.node.urn}|${childName?.toLowerCase() ?? "*"}`;
      let cached = this.viewCache.get(cacheKey);
      if (!cached) {
        if (t.node.type === T.Subnet) cached = [this.standaloneSubnetView(t.node)];
        else if (t.node.type === T.VNet) cached = this.inlineSubnetViews(t.node, childName);
        else cached = [];
        this.viewCache.set(cacheKey, cached);
      }
      views.push(...cached);
    }
    for (const ext of res.external) views.push(this.unknownSubnet(ext, `subnet ${ext} is not in this stack`));
    if (res.unresolved)
      views.push(this.unknownSubnet(`${from.urn}#${propKey}`, `the subnet of ${from.display} cannot be followed: ${res.unresolved}`));
    return views;
  }

  private unknownSubnet(key: string, note: string): SubnetView {
    const nsg = this.unknownNsg(`${key}#nsg`, `NSG of unknown subnet`, note);
    return {
      key,
      name: key.split("/").pop() ?? key,
      prefixes: undefined,
      nsg: { kind: "nsgs", nsgs: [nsg] },
      ctx: { vnetAllow: PRIVATE_SPACE, vnetDeny: IntervalSet.EMPTY },
      ctxKey: `unknown-vnet`,
      vnet: undefined,
      notes: [note],
    };
  }

  private standaloneSubnetView(node: GraphNode): SubnetView {
    const props = node.props;
    const prefixes = prefixesOf(field(props, "addressPrefix"), field(props, "addressPrefixes"));
    const nsg = this.nsgSlot(node, field(props, "networkSecurityGroup"), "networkSecurityGroup");
    let vnet: GraphNode | undefined;
    const viaDeps = this.graph.dependencyCandidates(node, "virtualNetworkName", [T.VNet]);
    if (viaDeps.length === 1) vnet = viaDeps[0];
    else if (node.parentNames[0]) {
      const named = this.graph.named(T.VNet, node.parentNames[0]).filter((v) => v.rg === undefined || node.rg === undefined || v.rg === node.rg);
      if (named.length === 1) vnet = named[0];
    }
    const notes: string[] = [];
    // The same subnet also declared inline in its VNet: both NSGs are possible until one form is removed.
    let slot = nsg;
    if (vnet) {
      const inline = this.inlineSubnetViews(vnet, node.azName, false);
      for (const v of inline) {
        if (v.nsg.kind === "nsgs") {
          slot = { kind: "nsgs", nsgs: [...(slot.kind === "nsgs" ? slot.nsgs : []), ...v.nsg.nsgs] };
          notes.push(`subnet ${node.display} is declared both inline in ${vnet.display} and as a standalone Subnet`);
        }
        // Each deployment of the declaration without an NSG removes the association (last writer wins), so the subnet
        // may carry no NSG at all: that reading is a candidate too (docs/threat-model.md row 32).
        if ((nsg.kind === "none") !== (v.nsg.kind === "none")) {
          const without = nsg.kind === "none" ? `standalone Subnet ${node.display}` : `the inline subnet ${v.name} of ${vnet.display}`;
          const withIt = nsg.kind === "none" ? `the inline subnet ${v.name} of ${vnet.display}` : `standalone Subnet ${node.display}`;
          slot = { kind: "nsgs", nsgs: [...(slot.kind === "nsgs" ? slot.nsgs : []), this.dualDeclarationNoNsg(node, without, withIt)] };
        }
      }
    }
    const { ctx, key } = this.vnetContext(vnet, prefixes, field(props, "routeTable"), node);
    return { key: node.urn, name: node.display, prefixes, nsg: slot, ctx, ctxKey: key, vnet, notes };
  }

  /** The "no NSG" reading of a subnet declared twice, once with an NSG and once without: allows everything, and says so. */
  private dualDeclarationNoNsg(standalone: GraphNode, without: string, withIt: string): CompiledNsg {
    const note =
      `subnet ${standalone.display} is declared both as ${withIt}, with an NSG, and as ${without}, without one: each deployment of ` +
      `the latter removes the association (last writer wins), so the subnet may have no NSG; declare the subnet once, or attach the NSG in both`;
    return this.unknownNsg(`${standalone.urn}#dual-declaration`, `none (${without})`, note);
  }

  private inlineSubnetViews(vnet: GraphNode, name: string | undefined, fallbackToStandalone = true): SubnetView[] {
    if (fallbackToStandalone) {
      // Reached through the VNet (its inline subnet by id, or any of its subnets when the name is unknown): a standalone
      // declaration of the same subnet counts too, with both declarations' NSGs.
      const inline = this.inlineSubnetViews(vnet, name, false);
      const standalone = name !== undefined ? this.standaloneOf(vnet, name) : this.standaloneOfVnet(vnet);
      if (standalone.length > 0 && (name === undefined || inline.length > 0)) {
        const taken = new Set(standalone.map((sub) => sub.display.toLowerCase()));
        return [...standalone.map((sub) => this.standaloneSubnetView(sub)), ...inline.filter((v) => !taken.has(v.name.toLowerCase()))];
      }
    }
    const subnets = arr(field(vnet.props, "subnets"));
    if (isIndeterminate(subnets)) {
      return [this.unknownSubnet(`${vnet.urn}#subnets`, `the subnets of ${vnet.display} are ${subnets.describe()}`)];
    }
    const out: SubnetView[] = [];
    for (const s of subnets ?? []) {
      const sName = str(field(s, "name"));
      if (name !== undefined && !(typeof sName === "string" && sName.toLowerCase() === name.toLowerCase())) continue;
      const display = typeof sName === "string" ? sName : "(unnamed)";
      const prefixes = prefixesOf(field(s, "addressPrefix"), field(s, "addressPrefixes"));
      const nsg = this.nsgSlot(vnet, field(s, "networkSecurityGroup"), "subnets");
      const { ctx, key } = this.vnetContext(vnet, prefixes, field(s, "routeTable"), vnet);
      out.push({ key: `${vnet.urn}/subnets/${display.toLowerCase()}`, name: display, prefixes, nsg, ctx, ctxKey: key, vnet, notes: [] });
    }
    if (out.length === 0 && name !== undefined && fallbackToStandalone) {
      // The subnet is not inline: look for the standalone one of that VNet.
      for (const sub of this.standaloneOf(vnet, name)) out.push(this.standaloneSubnetView(sub));
      if (out.length === 0) out.push(this.unknownSubnet(`${vnet.urn}/subnets/${name}`, `subnet ${name} is not declared in ${vnet.display}`));
    }
    return out;
  }

  /** Standalone subnets of this VNet, by parent name or by their dependency on it. */
  private standaloneOfVnet(vnet: GraphNode): GraphNode[] {
    return this.graph.ofType(T.Subnet).filter((sub) => {
      if (sub.parentNames[0] !== undefined) return sub.parentNames[0].toLowerCase() === vnet.display.toLowerCase();
      return this.graph.dependencyCandidates(sub, "virtualNetworkName", [T.VNet]).includes(vnet);
    });
  }

  private standaloneOf(vnet: GraphNode, name: string): GraphNode[] {
    return this.graph
      .named(T.Subnet, name)
      .filter((sub) => sub.parentNames[0] === undefined || sub.parentNames[0].toLowerCase() === vnet.display.toLowerCase());
  }

  /** What `VirtualNetwork` stands for around this subnet: the VNet's own space (for denies), widened by private space, peerings and routes (for allows). */
  private vnetContext(
    vnet: GraphNode | undefined,
    subnetPrefixes: IntervalSet | undefined,
    routeTableRef: unknown,
    from: GraphNode,
  ): { ctx: RemoteContext; key: string } {
    let routes: IntervalSet = IntervalSet.EMPTY;
    let routeKey = "";
    if (routeTableRef !== undefined && routeTableRef !== null) {
      const res = this.graph.resolve(from, routeTableRef, from.type === T.VNet ? "subnets" : "routeTable", [T.RouteTable]);
      if (res.targets.length === 0) {
        // A route table we cannot read may carry 0.0.0.0/0, which puts the whole internet into VirtualNetwork.
        routes = ALL_ADDRESSES;
        routeKey = "unknown-routes";
      } else {
        for (const t of res.targets) routes = routes.union(this.routePrefixes(t.node));
        routeKey = res.targets.map((t) => t.node.urn).join(",");
      }
    }
    const vnetKey = vnet ? vnet.urn : `novnet:${subnetPrefixes?.key() ?? "?"}`;
    const key = `${vnetKey}|${routeKey}`;
    const cached = this.vnetCtxCache.get(key);
    if (cached) return cached;
    let own = subnetPrefixes ?? IntervalSet.EMPTY;
    let peered = IntervalSet.EMPTY;
    if (vnet) {
      const space = prefixesOf(undefined, path(vnet.props, "addressSpace", "addressPrefixes"));
      if (space) own = own.union(space);
      for (const p of this.graph.ofType(T.Peering)) {
        if (p.parentNames[0]?.toLowerCase() === vnet.display.toLowerCase()) {
          const remote = prefixesOf(undefined, path(p.props, "remoteAddressSpace", "addressPrefixes"));
          peered = peered.union(remote ?? PRIVATE_SPACE);
        }
      }
      const inlinePeerings = arr(field(vnet.props, "virtualNetworkPeerings"));
      if (Array.isArray(inlinePeerings)) {
        for (const p of inlinePeerings) {
          peered = peered.union(prefixesOf(undefined, path(p, "remoteAddressSpace", "addressPrefixes")) ?? PRIVATE_SPACE);
        }
      }
    }
    const result = {
      ctx: { vnetDeny: own, vnetAllow: own.union(PRIVATE_SPACE).union(peered).union(routes) },
      key,
    };
    this.vnetCtxCache.set(key, result);
    return result;
  }

  private routePrefixes(table: GraphNode): IntervalSet {
    const cached = this.routeCache.get(table.urn);
    if (cached) return cached;
    const computed = this.computeRoutePrefixes(table);
    this.routeCache.set(table.urn, computed);
    return computed;
  }

  private computeRoutePrefixes(table: GraphNode): IntervalSet {
    let out = IntervalSet.EMPTY;
    const add = (v: unknown) => {
      const s = str(v);
      if (isIndeterminate(s)) out = out.union(ALL_ADDRESSES);
      else if (typeof s === "string") out = out.union(parseAddressPrefix(s) ?? INTERNET);
    };
    const inline = arr(field(table.props, "routes"));
    if (isIndeterminate(inline)) return ALL_ADDRESSES;
    for (const r of inline ?? []) add(field(r, "addressPrefix"));
    for (const r of this.graph.ofType(T.Route)) {
      if (r.parentNames[0]?.toLowerCase() === table.display.toLowerCase()) add(field(r.props, "addressPrefix"));
    }
    return out;
  }
}
