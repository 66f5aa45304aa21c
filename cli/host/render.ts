/** The `host` commands' report of an edit: a short diff of the stack file, and how each host stands after it. */
import type { HostAfter, Outcome } from "./edit";
import { shown } from "./paths";

function describeAfter(a: HostAfter): string {
  const where =
    a.placement === "published"
      ? "published: published subnet and the public front end's pool, client ports only"
      : `isolated: quarantine subnet, isolation NSG, no public path${a.outboundInternet === "denied" ? ", outbound internet denied" : ""}`;
  const evidence = a.evidence.length > 0 ? `; evidence snapshot${a.evidence.length > 1 ? "s" : ""} ${a.evidence.join(", ")}` : "";
  return `${a.host} (${a.vm}, ${a.state}) will be ${where}${evidence}`;
}

export function renderOutcome(o: Outcome, file: string): string {
  const lines = [`exchange-guard host ${o.verb}: ${file}`];
  const width = Math.max(0, ...o.changes.map((c) => `${c.host}.${c.field}`.length));
  for (const c of o.changes) {
    const what = `${c.host}.${c.field}`.padEnd(width);
    lines.push(c.op === "~" ? `  ~ ${what}  ${c.from ?? "(unset)"} → ${c.to}` : `  + ${what}  ${c.to}`);
  }
  for (const r of o.records) {
    const at = shown(r.path);
    lines.push(r.existed ? `  = ${at}  (already there, identical to ${r.source})` : `  + ${at}  (copy of ${r.source})`);
  }
  for (const a of o.after) lines.push(`  → ${describeAfter(a)}`);
  for (const n of o.notes) lines.push(`  note: ${n}`);
  if (o.changes.length === 0) lines.push("nothing to change; the file is untouched");
  else if (o.dryRun) lines.push(`dry run: ${o.changes.length} change(s) shown, nothing written`);
  else lines.push(`written: ${o.changes.length} change(s)`);
  return lines.join("\n") + "\n";
}
