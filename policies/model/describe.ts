import { ALL_V4, ALL_V6, describeAddresses, INTERNET } from "./addresses";
import { describePorts, Proto, protocolNames } from "./flows";
import { IntervalSet } from "./intervalSet";
import { Grant, RuleHit } from "./nsgEvaluator";
import { describeTerms, RuleSpec } from "./nsgRules";

/** "TCP 443, 3389; UDP 3389" for a set of flows. */
export function describeService(grants: readonly Grant[]): string {
  const perProto = new Map<number, IntervalSet>();
  for (const g of grants) {
    for (const bit of [Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ESP, Proto.AH]) {
      if ((g.box.protos & bit) === 0) continue;
      perProto.set(bit, (perProto.get(bit) ?? IntervalSet.EMPTY).union(g.box.ports));
    }
  }
  const parts: string[] = [];
  for (const [bit, ports] of perProto) {
    const name = protocolNames(bit)[0];
    parts.push(bit === Proto.TCP || bit === Proto.UDP ? `${name} ${describePorts(ports)}` : name);
  }
  return parts.join("; ");
}

/** Who may send the flows, in words: "the internet", "the internet except 203.0.113.0/24", or prefixes. */
export function describeSources(addrs: IntervalSet): string {
  for (const [fam, label] of [
    [INTERNET, "the internet"],
    [INTERNET.intersect(ALL_V4), "the IPv4 internet"],
    [INTERNET.intersect(ALL_V6), "the IPv6 internet"],
  ] as const) {
    if (addrs.equals(fam)) return label;
    if (fam.covers(addrs)) {
      const missing = fam.subtract(addrs);
      const text = describeAddresses(missing, 3);
      if (!text.endsWith("and more") && addrs.size() * 2n > fam.size()) return `${label} except ${text}`;
    }
  }
  return describeAddresses(addrs, 4);
}

function ruleLabel(hit: RuleHit): string {
  const r: RuleSpec | undefined = hit.rule;
  if (!r) return `no ${hit.level} NSG`;
  if (r.origin === "admin") return `network manager AlwaysAllow rule ${r.name} (bypasses NSGs)`;
  if (r.origin === "assumed") return `${hit.level} NSG ${hit.nsg} (${r.notes.join("; ")})`;
  const kind = r.origin === "default" ? "default rule" : r.origin === "standalone" ? "SecurityRule" : "rule";
  const widened = r.notes.length > 0 ? ` [read as wide as possible: ${r.notes.join("; ")}]` : "";
  const priority = r.notes.some((n) => n.startsWith("priority")) ? "priority unknown" : String(r.priority);
  return `${hit.level} NSG ${hit.nsg} ${kind} ${r.name} (${priority}) allows ${describeTerms(r.source)}${widened}`;
}

/** True when a rule on the way was written with a value sent as a secret: what it lets through is then not spelled out. */
export function touchesSecret(g: Grant, secrets: ReadonlySet<string>): boolean {
  if (secrets.size === 0) return false;
  return g.via.some((h) => h.rule?.texts.some((t) => secrets.has(t) || secrets.has(t.trim())) ?? false);
}

/** Groups allowed flows by the chain of rules that let them through: one line per chain. */
export function describeGrants(grants: readonly Grant[], sourcesKnownAsInternet: boolean, secrets: ReadonlySet<string> = new Set()): string[] {
  const groups = new Map<string, Grant[]>();
  for (const g of grants) {
    const key = g.via.map((h) => `${h.level}|${h.nsg}|${h.rule?.name ?? "-"}|${h.rule?.priority ?? ""}`).join(">");
    let l = groups.get(key);
    if (!l) groups.set(key, (l = []));
    l.push(g);
  }
  const out: string[] = [];
  for (const list of groups.values()) {
    let addrs = IntervalSet.EMPTY;
    for (const g of list) addrs = addrs.union(g.box.addrs);
    const chain = list[0].via.map(ruleLabel).join(" → ");
    if (touchesSecret(list[0], secrets)) {
      // Sets computed from secret prefixes or ports could spell them out even after the secret text is redacted.
      out.push(`${chain} → addresses and ports withheld: the rule uses a secret value`);
      continue;
    }
    const from = sourcesKnownAsInternet ? describeSources(addrs) : describeAddresses(addrs, 3);
    out.push(`${chain} → from ${from} → ${describeService(list)}`);
  }
  return out;
}
