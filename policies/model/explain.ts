import { describeAddresses, familySet, INTERNET } from "./addresses";
import { StackAnalysis } from "./analysis";
import { describeService, describeSources, touchesSecret } from "./describe";
import { openToInternet } from "./exposure";
import { LevelDecision, SubnetDecisions } from "./exposure/flowCalculator";
import { Hop, nicHop } from "./exposure/hops";
import { RouteToHost } from "./exposure/types";
import { ALL_PORTS, ALL_PROTOCOLS, Box, intersectBox } from "./flows";
import { Host, IpConfigView } from "./hosts";
import { IntervalSet } from "./intervalSet";
import { Denial, Grant, NsgLevel, restrictGrants } from "./nsgEvaluator";
import { describeTerms, RuleSpec } from "./nsgRules";

export type Verdict = "open" | "closed" | "undecidable";

/** One NSG rule (or its absence) on the way of a set of flows, as a value. */
export interface RuleStep {
  readonly level: NsgLevel;
  /** The NSG's name; empty when there is no NSG at this level. */
  readonly nsg: string;
  readonly rule?: {
    readonly name: string;
    /** Undefined when the priority cannot be read. */
    readonly priority?: number;
    readonly origin: RuleSpec["origin"];
    readonly access: "allow" | "deny";
    /** The rule's source as written ("Internet", "10.30.3.0/24, 10.30.4.0/26", "*"). */
    readonly source: string;
    /** What could not be read (the rule was widened or narrowed). */
    readonly notes: readonly string[];
  };
}

/** Flows that share one chain of rules: allowed by every step, or dropped by the last. */
export interface FlowGroup {
  readonly access: "allow" | "deny";
  readonly steps: readonly RuleStep[];
  /** The senders, in words ("the internet", "10.30.3.0/24"). */
  readonly sources: string;
  /** Protocols and ports, in words ("TCP 443", "any protocol"). */
  readonly service: string;
  /** A rule on the way uses a value sent as a secret: sources and ports are not spelled out. */
  readonly withheld?: boolean;
}

/** Why a path carries nothing, beyond the deny rules its `denied` groups name. */
export type ClosedBy = "rules" | "Standard front end without any NSG" | "its front end accepts no internet source" | "no rule allows it";

/** Where a path starts: a way in the stack has built, or what the NSGs would do to a way in that is not there (yet). */
export type PathOrigin = "path" | "internet at the NIC" | "network at the NIC";

export interface PathExplanation {
  readonly origin: PathOrigin;
  /** The kind of path ("public IP", "load balancer", …), or "NIC" for what the NIC itself meets. */
  readonly kind: string;
  /** Who sends: "the internet", "the network (VNet, peerings, forensics)". */
  readonly from: string;
  readonly path: readonly Hop[];
  readonly verdict: Verdict;
  readonly allowed: readonly FlowGroup[];
  readonly denied: readonly FlowGroup[];
  readonly closedBy?: ClosedBy;
  readonly undecidable?: string;
  /** The NSGs see the internet client itself (public IP, public load balancer), not a proxy's address. */
  readonly direct: boolean;
  /** Who the NSGs see as the source, in words. */
  readonly sourceLabel: string;
}

export interface HostPaths {
  readonly host: Host;
  readonly paths: readonly PathExplanation[];
}

function step(level: NsgLevel, nsg: string, rule: RuleSpec | undefined): RuleStep {
  if (!rule) return { level, nsg };
  const unknownPriority = rule.notes.some((n) => n.startsWith("priority"));
  return {
    level,
    nsg,
    rule: {
      name: rule.name,
      priority: unknownPriority ? undefined : rule.priority,
      origin: rule.origin,
      access: rule.access,
      source: describeTerms(rule.source),
      notes: rule.notes,
    },
  };
}

function groupKey(steps: readonly RuleStep[]): string {
  return steps.map((s) => `${s.level}|${s.nsg}|${s.rule?.name ?? "-"}|${s.rule?.priority ?? ""}`).join(">");
}

function sourcesText(addrs: IntervalSet, internetSide: boolean): string {
  return internetSide ? describeSources(addrs) : describeAddresses(addrs, 3);
}

/** Allowed flows grouped by the chain of rules that lets them through (as the messages group them). */
function allowedGroups(grants: readonly Grant[], internetSide: boolean, secrets: ReadonlySet<string>): FlowGroup[] {
  const groups = new Map<string, Grant[]>();
  for (const g of grants) {
    const key = groupKey(g.via.map((h) => step(h.level, h.nsg, h.rule)));
    let l = groups.get(key);
    if (!l) groups.set(key, (l = []));
    l.push(g);
  }
  return [...groups.values()].map((list) => {
    let addrs = IntervalSet.EMPTY;
    for (const g of list) addrs = addrs.union(g.box.addrs);
    const steps = list[0].via.map((h) => step(h.level, h.nsg, h.rule));
    if (touchesSecret(list[0], secrets)) return { access: "allow", steps, sources: "withheld", service: "withheld", withheld: true };
    return { access: "allow", steps, sources: sourcesText(addrs, internetSide), service: serviceText(list.map((g) => g.box)) };
  });
}

/** Dropped flows grouped by the rule that drops them first. */
function deniedGroups(denials: readonly Denial[], internetSide: boolean, secrets: ReadonlySet<string>): FlowGroup[] {
  const groups = new Map<string, Denial[]>();
  for (const d of denials) {
    const key = groupKey([step(d.hit.level, d.hit.nsg, d.hit.rule)]);
    let l = groups.get(key);
    if (!l) groups.set(key, (l = []));
    l.push(d);
  }
  return [...groups.values()].map((list) => {
    let addrs = IntervalSet.EMPTY;
    for (const d of list) addrs = addrs.union(d.box.addrs);
    const steps = [step(list[0].hit.level, list[0].hit.nsg, list[0].hit.rule)];
    if (touchesSecret({ box: list[0].box, via: [list[0].hit] }, secrets))
      return { access: "deny", steps, sources: "withheld", service: "withheld", withheld: true };
    return {
      access: "deny",
      steps,
      sources: sourcesText(addrs, internetSide),
      service: serviceText(list.map((d) => d.box)),
    };
  });
}

/** Protocols and ports in words; "any protocol, any port" when the flows cover them all. */
function serviceText(boxes: readonly Box[]): string {
  let ports = IntervalSet.EMPTY;
  let protos = 0;
  for (const b of boxes) {
    protos |= b.protos;
    ports = b.protos === ALL_PROTOCOLS ? ports.union(b.ports) : ports;
  }
  if (protos === ALL_PROTOCOLS && ports.equals(ALL_PORTS)) return "any protocol, any port";
  return describeService(boxes.map((box) => ({ box, via: [] })));
}

function restrictDenials(denials: readonly Denial[], q: Box): Denial[] {
  const out: Denial[] = [];
  for (const d of denials) {
    const box = intersectBox(d.box, q);
    if (box) out.push({ box, hit: d.hit });
  }
  return out;
}

// One host's explanation asks for each ipConfiguration's decisions several times (each path, each side).
const decided = new WeakMap<StackAnalysis, WeakMap<IpConfigView, SubnetDecisions[]>>();
function decisionsOf(a: StackAnalysis, ip: IpConfigView): SubnetDecisions[] {
  let perIp = decided.get(a);
  if (!perIp) decided.set(a, (perIp = new WeakMap()));
  let d = perIp.get(ip);
  if (!d) perIp.set(ip, (d = a.flows.decisions(ip, "inbound")));
  return d;
}

/**
 * Which rules drop the flows `query` brings to `ip`: at the first level its deny rules (or the default rule), then at
 * the second level for what the first let through. Verdicts are not made here: `openToInternet` and the policies
 * decide; this only names the rules that decided.
 */
function denialsFor(a: StackAnalysis, ip: IpConfigView, query: Box, decided = decisionsOf(a, ip)): Denial[] {
  const out: Denial[] = [];
  for (const cand of decided) {
    const [first, second]: readonly LevelDecision[] = cand.levels;
    out.push(...restrictDenials(first.denials, query));
    for (const g of restrictGrants(first.grants, query)) out.push(...restrictDenials(second.denials, g.box));
  }
  return out;
}

function explainRoute(a: StackAnalysis, route: RouteToHost, internet: IntervalSet): PathExplanation {
  const base = { origin: "path" as const, kind: route.kind, path: route.path, direct: route.direct, sourceLabel: route.sourceLabel };
  const from = route.direct ? "the internet" : `the internet, through ${route.sourceLabel}`;
  const open = openToInternet(route, internet);
  if (open?.undecidable) return { ...base, from, verdict: "undecidable", allowed: [], denied: [], undecidable: open.undecidable };
  if (open) return { ...base, from, verdict: "open", allowed: allowedGroups(open.grants, route.direct, a.secrets), denied: [] };
  if (route.frontSources && !route.frontSources.intersects(internet))
    return { ...base, from, verdict: "closed", allowed: [], denied: [], closedBy: "its front end accepts no internet source" };
  const ip = route.ipConfig;
  const query: Box = route.direct ? { ...route.query, addrs: route.query.addrs.intersect(internet) } : route.query;
  if (route.direct && route.closedWithoutNsg && ip && decisionsOf(a, ip).every((c) => c.noNsgAtAll))
    return { ...base, from, verdict: "closed", allowed: [], denied: [], closedBy: "Standard front end without any NSG" };
  const denied = ip ? deniedGroups(denialsFor(a, ip, query), route.direct, a.secrets) : [];
  return { ...base, from, verdict: "closed", allowed: [], denied, closedBy: denied.length > 0 ? "rules" : "no rule allows it" };
}

/**
 * What the NSGs of one ipConfiguration do to inbound flows whatever path brings them: from the internet (what a public
 * IP or public load balancer put on this NIC would meet) and from inside the network (VNet, peerings, forensics).
 */
function explainNic(a: StackAnalysis, host: Host, ip: IpConfigView, internet: IntervalSet): PathExplanation[] {
  const out: PathExplanation[] = [];
  const family = familySet(ip.family);
  const sides: Array<{ origin: PathOrigin; from: string; addrs: IntervalSet; internetSide: boolean }> = [
    { origin: "internet at the NIC", from: "the internet", addrs: family.intersect(internet), internetSide: true },
    { origin: "network at the NIC", from: "inside the network", addrs: family.subtract(INTERNET), internetSide: false },
  ];
  for (const side of sides) {
    if (side.addrs.isEmpty) continue;
    const query: Box = { addrs: side.addrs, ports: ALL_PORTS, protos: ALL_PROTOCOLS };
    const grants = a.flows.flows(host, ip, "inbound").flatMap((l) => restrictGrants(l.grants, query));
    const denied = deniedGroups(denialsFor(a, ip, query), side.internetSide, a.secrets);
    const allowed = allowedGroups(grants, side.internetSide, a.secrets);
    out.push({
      origin: side.origin,
      kind: "NIC",
      from: side.from,
      path: [nicHop(ip)],
      verdict: allowed.length > 0 ? "open" : "closed",
      allowed,
      denied,
      closedBy: allowed.length > 0 ? undefined : denied.length > 0 ? "rules" : "no rule allows it",
      direct: side.internetSide,
      sourceLabel: side.from,
    });
  }
  return out;
}

/**
 * Every path the model knows to a host, open and closed, each with the rules that decide it, plus what the host's
 * own NSGs do to any inbound flow (so a closed host shows what would stop a new path, and an isolated one the
 * forensics rule that still lets investigators in). `internet` is the internet minus the trusted prefixes.
 */
export function explainHost(a: StackAnalysis, host: Host, internet: IntervalSet = INTERNET): HostPaths {
  const paths: PathExplanation[] = a.exposure.routes(host).map((r) => explainRoute(a, r, internet));
  for (const ip of host.ipConfigs) paths.push(...explainNic(a, host, ip, internet));
  return { host, paths };
}
