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
export function evaluateNsg(nsg: CompiledNsg, level: NsgLevel, direction: Direction, local: LocalEnd, ctx: RemoteContext): Grant[] {
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

/** Flows allowed by two independent filters in sequence (subnet NSG and NIC NSG). */
export function intersectGrants(a: readonly Grant[], b: readonly Grant[]): Grant[] {
  const out: Grant[] = [];
  for (const x of a) {
    for (const y of b) {
      const box = intersectBox(x.box, y.box);
      if (box) out.push({ box, via: [...x.via, ...y.via] });
    }
  }
  return out;
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
  hits = 0;
  misses = 0;

  evaluate(nsg: CompiledNsg, level: NsgLevel, direction: Direction, local: LocalEnd, ctx: RemoteContext, ctxKey: string): Grant[] {
    let sig = "";
    for (const rule of nsg.rules) {
      if (!rule.directions.has(direction)) continue;
      const m = matchLocal(direction === "inbound" ? rule.destination : rule.source, local);
      sig += m === "yes" ? "y" : m === "maybe" ? "m" : "n";
    }
    const key = `${nsg.key}\u0000${level}\u0000${direction}\u0000${ctxKey}\u0000${sig}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const grants = evaluateNsg(nsg, level, direction, local, ctx);
    this.cache.set(key, grants);
    return grants;
  }
}
