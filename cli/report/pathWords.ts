import type { FlowGroup, Hop, PathExplanation, RuleStep } from "../../policies/model";

/** "NIC NSG nsg-ex02 rule deny-all-in (110) denies *", "no subnet NSG", "NIC NSG nsg-ex01 default rule DenyAllInBound (65500)". */
export function stepText(s: RuleStep): string {
  const r = s.rule;
  if (!r) return `no ${s.level} NSG`;
  if (r.origin === "admin") return `network manager AlwaysAllow rule ${r.name} (bypasses NSGs)`;
  if (r.origin === "assumed") return `${s.level} NSG ${s.nsg} (${r.notes.join("; ")})`;
  const kind = r.origin === "default" ? "default rule" : r.origin === "standalone" ? "SecurityRule" : "rule";
  const prio = r.priority === undefined ? "priority unknown" : String(r.priority);
  return `${s.level} NSG ${s.nsg} ${kind} ${r.name} (${prio}) ${r.access === "allow" ? "allows" : "denies"} ${r.source}`;
}

/** The rule alone, for an edge: "deny-all-in (110)", "no NIC NSG". */
export function ruleShort(s: RuleStep): string {
  const r = s.rule;
  if (!r) return `no ${s.level} NSG`;
  return `${r.origin === "default" ? "default " : ""}${r.name} (${r.priority ?? "?"})`;
}

export function groupText(g: FlowGroup): string {
  const chain = g.steps.map(stepText).join(" → ");
  if (g.withheld) return `${chain} → addresses and ports withheld: the rule uses a secret value`;
  return `${chain} → from ${g.sources} → ${g.service}`;
}

export function hopsText(path: readonly Hop[]): string {
  return path.map((h) => h.text).join(" → ");
}

/** Why a closed path carries nothing, in words. */
export function closedText(p: PathExplanation): string {
  if (p.closedBy === "rules" || p.denied.length > 0) return p.denied.map(groupText).join("; ");
  return p.closedBy ?? "closed";
}

/** One path for a terminal or a summary: its hops, its verdict, and the rules that decide it. */
export function pathLines(p: PathExplanation): string[] {
  const head = p.origin === "path" ? `${p.kind}: ${hopsText(p.path)}` : `${hopsText(p.path)} from ${p.from}`;
  const out = [`${p.verdict.toUpperCase()}  ${head}`];
  if (p.verdict === "undecidable") out.push(`  cannot be decided, so it counts as open on every port: ${p.undecidable}`);
  for (const g of p.allowed) out.push(`  allowed: ${groupText(g)}`);
  if (p.verdict === "closed" && p.denied.length === 0) out.push(`  closed: ${p.closedBy ?? "nothing allows it"}`);
  // An open path's denied flows are the rest of the port range: only a closed path needs its deny rules named.
  if (p.verdict !== "open") for (const g of p.denied) out.push(`  denied: ${groupText(g)}`);
  else for (const g of p.denied) out.push(`  the rest denied: ${groupText(g)}`);
  if (!p.direct && p.origin === "path") out.push(`  the NSGs see ${p.sourceLabel} as the source, so rules that only deny Internet do not stop it`);
  return out;
}
