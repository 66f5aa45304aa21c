import { ALL_ADDRESSES } from "./addresses";
import { ALL_PORTS, ALL_PROTOCOLS, Box, intersectBox, subtractBox } from "./flows";
import { DEFAULT_RULES, Direction, LocalEnd, matchLocal, remoteSet, RemoteContext, RuleSpec } from "./nsgRules";

/** An NSG ready for evaluation: its user rules (inline and standalone together), sorted as Azure processes them. */
export interface CompiledNsg {
  /** Unique key within one analysis (URN, or normalised id for NSGs outside the stack). */
  readonly key: string;
  readonly name: string;
  readonly rules: readonly RuleSpec[];
}

export type NsgLevel = "subnet" | "NIC" | "network manager";

/** One rule on the way of an allowed flow: which NSG, at which level, which rule let it through. */
export interface RuleHit {
  readonly nsg: string;
  readonly level: NsgLevel;
  readonly rule: RuleSpec | undefined; // undefined: no NSG at this level, which allows everything
}

/** A set of flows that is allowed, with the rules that allowed it. */
export interface Grant {
  readonly box: Box;
  readonly via: readonly RuleHit[];
}

/** A set of flows an NSG drops, with the rule that drops it first: a deny rule of the user's, or a default rule. */
export interface Denial {
  readonly box: Box;
  readonly hit: RuleHit & { readonly rule: RuleSpec };
}

export const UNIVERSE: Box = { addrs: ALL_ADDRESSES, ports: ALL_PORTS, protos: ALL_PROTOCOLS };

export function sortRules(rules: readonly RuleSpec[]): RuleSpec[] {
  // Equal priorities cannot coexist in Azure; if input has them, processing the allow first can only over-report.
  return [...rules].sort((a, b) => a.priority - b.priority || (a.access === b.access ? 0 : a.access === "allow" ? -1 : 1));
}

/**
 * First-match evaluation of one NSG over every flow at once. The remote end is the
 * source for inbound and the destination for outbound traffic; ports are local
 * (destination) ports for inbound and remote ports for outbound.
 */
export function evaluateNsg(
  nsg: CompiledNsg,
  level: NsgLevel,
  direction: Direction,
  local: LocalEnd,
  ctx: RemoteContext,
  denials?: Denial[],
): Grant[] {
  let remaining: Box[] = [UNIVERSE];
  const grants: Grant[] = [];
  const apply = (rule: RuleSpec) => {
    if (!rule.directions.has(direction)) return;
    const localTerms = direction === "inbound" ? rule.destination : rule.source;
    const remoteTerms = direction === "inbound" ? rule.source : rule.destination;
    const m = matchLocal(localTerms, local);
    if (rule.access === "allow" ? m === "no" : m !== "yes") return;
    if (rule.access === "deny" && !rule.sourcePortsAny) return;
    const box: Box = {
      addrs: remoteSet(remoteTerms, rule.access, ctx),
      ports: rule.access === "allow" ? rule.portsAllow : rule.portsDeny,
      protos: rule.access === "allow" ? rule.protosAllow : rule.protosDeny,
    };
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: an empty box intersects nothing; the shortcut saves the loop
    if (box.addrs.isEmpty || box.ports.isEmpty || box.protos === 0) return;
    const next: Box[] = [];
    for (const b of remaining) {
      const inter = intersectBox(b, box);
      if (!inter) {
        next.push(b);
        continue;
      }
      if (rule.access === "allow") grants.push({ box: inter, via: [{ nsg: nsg.name, level, rule }] });
      else denials?.push({ box: inter, hit: { nsg: nsg.name, level, rule } });
      next.push(...subtractBox(b, box));
    }
    remaining = next;
  };
  for (const rule of nsg.rules) {
    apply(rule);
    // Stryker disable next-line ConditionalExpression: once every flow is decided no rule matches anything; the shortcut saves the loop
    if (remaining.length === 0) return grants;
  }
  for (const rule of DEFAULT_RULES) {
    apply(rule);
    // Stryker disable next-line ConditionalExpression: as above
    if (remaining.length === 0) break;
  }
  return grants;
}

/** Pairs below this count are intersected directly; above it the index pays for itself. */
const DIRECT_PAIRS = 4096;

/** Flows allowed by two independent filters in sequence (subnet NSG and NIC NSG). */
export function intersectGrants(a: readonly Grant[], b: readonly Grant[]): Grant[] {
  const out: Grant[] = [];
  if (a.length * b.length <= DIRECT_PAIRS) {
    for (const x of a) {
      for (const y of b) {
        const box = intersectBox(x.box, y.box);
        if (box) out.push({ box, via: [...x.via, ...y.via] });
      }
    }
    return out;
  }
  // An NSG of thousands of prefixes and port ranges leaves thousands of grants at each level; pairing them all made the
  // two-level case quadratic (docs/threat-model.md row 38). The index only skips pairs that share no address and port bucket, which cannot
  // intersect, so the result (and its order) is what the direct loop gives.
  const index = new GrantIndex(b);
  for (const x of a) {
    for (const j of index.candidates(x.box)) {
      const y = b[j];
      if ((x.box.protos & y.box.protos) === 0 || !x.box.ports.intersects(y.box.ports) || !x.box.addrs.intersects(y.box.addrs)) continue;
      const box = intersectBox(x.box, y.box);
      if (box) out.push({ box, via: [...x.via, ...y.via] });
    }
  }
  return out;
}

const PORT_SHIFT = 10n; // 64 port buckets of 1024 ports
const PORT_BUCKETS = 64;
const V6_BASE = 1n << 32n;
/** A box touching more cells than this is checked against every query instead of being filed cell by cell. */
const WIDE_CELLS = 2048;

function addrBucket(a: bigint): number {
  return a < V6_BASE ? Number(a >> 24n) : 256 + Math.min(255, Number((a - V6_BASE) >> 120n));
}

function portBucket(p: bigint): number {
  return Math.min(PORT_BUCKETS - 1, Math.max(0, Number(p >> PORT_SHIFT)));
}

/** Every (address bucket, port bucket) cell a box touches; undefined when it touches more than WIDE_CELLS. */
function cellsOf(box: Box): number[] | undefined {
  const addrB = new Set<number>();
  for (const [lo, hi] of box.addrs.ranges()) {
    const l = addrBucket(lo);
    const h = addrBucket(hi);
    if (h - l + 1 > WIDE_CELLS) return undefined;
    for (let k = l; k <= h; k++) addrB.add(k);
    if (addrB.size > WIDE_CELLS) return undefined;
  }
  const portB = new Set<number>();
  for (const [lo, hi] of box.ports.ranges()) for (let k = portBucket(lo); k <= portBucket(hi); k++) portB.add(k);
  if (addrB.size * portB.size > WIDE_CELLS) return undefined;
  const out: number[] = [];
  for (const ab of addrB) for (const pb of portB) out.push(ab * PORT_BUCKETS + pb);
  return out;
}

/** Grants filed by the coarse address and port cells they touch. */
class GrantIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly wide: number[] = [];
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(private readonly grants: readonly Grant[]) {
    this.seen = new Int32Array(grants.length);
    grants.forEach((g, j) => {
      const cells = cellsOf(g.box);
      if (!cells) {
        this.wide.push(j);
        return;
      }
      for (const c of cells) {
        let l = this.cells.get(c);
        if (!l) this.cells.set(c, (l = []));
        l.push(j);
      }
    });
  }

  /** Indices of the grants that may intersect `box`, ascending. */
  candidates(box: Box): number[] {
    const cells = cellsOf(box);
    if (!cells) return this.grants.map((_, j) => j);
    const s = ++this.stamp;
    const out: number[] = [];
    const take = (j: number) => {
      if (this.seen[j] !== s) {
        this.seen[j] = s;
        out.push(j);
      }
    };
    for (const j of this.wide) take(j);
    for (const c of cells) for (const j of this.cells.get(c) ?? []) take(j);
    return out.sort((x, y) => x - y);
  }
}

export function restrictGrants(grants: readonly Grant[], q: Box): Grant[] {
  const out: Grant[] = [];
  for (const g of grants) {
    const box = intersectBox(g.box, q);
    if (box) out.push({ box, via: g.via });
  }
  return out;
}

/** Allows everything, attributed to the absence of an NSG at that level. */
export function noNsg(level: NsgLevel): Grant[] {
  return [{ box: UNIVERSE, via: [{ nsg: "", level, rule: undefined }] }];
}

/**
 * Caches NSG evaluations. Hosts that share an NSG, a virtual network and the same answer
 * to every rule's "does this rule apply to me?" share one evaluation, so a fleet behind
 * one NSG costs one evaluation, not one per host.
 */
export class NsgEvaluator {
  private readonly cache = new Map<string, Grant[]>();
  private readonly byBase = new Map<string, Grant[]>();
  hits = 0;
  /** Lookups not answered by the cache: full evaluations plus relabels. */
  misses = 0;
  /** Misses answered by relabelling the same NSG's evaluation at the other level. */
  relabels = 0;

  evaluate(nsg: CompiledNsg, level: NsgLevel, direction: Direction, local: LocalEnd, ctx: RemoteContext, ctxKey: string): Grant[] {
    let sig = "";
    for (const rule of nsg.rules) {
      if (!rule.directions.has(direction)) continue;
      const m = matchLocal(direction === "inbound" ? rule.destination : rule.source, local);
      sig += m === "yes" ? "y" : m === "maybe" ? "m" : "n";
    }
    const base = `${nsg.key}\u0000${direction}\u0000${ctxKey}\u0000${sig}`;
    const key = `${base}\u0000${level}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.hits++;
      return cached;
    }
    // The same NSG at the other level (one NSG on both the subnet and the NIC) decides the same flows: relabel its grants
    // instead of evaluating it again.
    const other = this.byBase.get(base);
    this.misses++;
    if (other) {
      this.relabels++;
      const relabelled = other.map((g) => ({ box: g.box, via: g.via.map((h) => ({ ...h, level })) }));
      this.cache.set(key, relabelled);
      return relabelled;
    }
    const grants = evaluateNsg(nsg, level, direction, local, ctx);
    this.cache.set(key, grants);
    this.byBase.set(base, grants);
    return grants;
  }
}
