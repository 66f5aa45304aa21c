/**
 * `host status`: every host of a stack — state, generation, newest record of its generation, where the program puts
 * it, and what it still needs: the gate's findings as if it were marked remediated (the stacks' plan and the pack's
 * gate, without running the program or starting the pack, so it answers for a large fleet at once).
 */
import { GateFinding, HostGate, renderGateFinding } from "../../policies/model";
import { findingsOf, judgePlan, PlannedHost } from "../../stacks/config/fleetConfig";
import { CliIo } from "../io";
import { loadFleet, StackRef } from "./fleetView";
import { shown } from "./paths";

/** What a host needs next, in the incident runbook's words. */
export type NextStep = "none" | "fix the stack file" | "rebuild" | "remediate" | "assess";

export interface HostStatus {
  readonly host: string;
  readonly generation: number;
  readonly state: string;
  /** The current generation has a compromised record or is marked so. */
  readonly compromised: boolean;
  readonly vm: string;
  readonly placement: "published" | "isolated";
  readonly verified: boolean;
  readonly newestRecord: { file: string; verdict: string; completedAt: string | undefined; exchangeBuild: string | undefined } | null;
  readonly next: NextStep;
  /** The gate's findings as if marked remediated: what stands between the host and verified. */
  readonly needs: readonly { kind: string; text: string }[];
  readonly problems: readonly string[];
}

export function hostStatuses(planned: readonly PlannedHost[], asRemediated: ReadonlyMap<string, HostGate>): HostStatus[] {
  return planned.map((p) => {
    const findings: GateFinding[] = p.compromisedNow ? [] : findingsOf(asRemediated.get(p.spec.name)!);
    const next: NextStep =
      p.problems.length > 0
        ? "fix the stack file"
        : p.compromisedNow
          ? "rebuild"
          : p.verified
            ? "none"
            : findings.length === 0
              ? "remediate"
              : "assess";
    const v = p.current?.view;
    return {
      host: p.spec.name,
      generation: p.spec.generation,
      state: p.spec.state,
      compromised: p.compromisedNow,
      vm: p.vmName,
      placement: p.verified ? "published" : "isolated",
      verified: p.verified,
      newestRecord: p.current
        ? {
            file: p.current.file,
            verdict: v!.saysCompromised ? "compromised" : (v!.verdict ?? "no verdict"),
            completedAt: v!.completedAt?.toISOString(),
            exchangeBuild: v!.exchangeBuild,
          }
        : null,
      next,
      needs: findings.map((f) => ({ kind: f.kind, text: renderGateFinding(f) })),
      problems: p.problems,
    };
  });
}

function table(rows: readonly string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n");
}

export function renderStatus(statuses: readonly HostStatus[], title: string): string {
  const rows = [
    ["HOST", "GEN", "STATE", "PLACEMENT", "NEWEST RECORD OF ITS GENERATION", "NEXT", "NEEDS"],
    ...statuses.map((s) => [
      s.host,
      String(s.generation),
      s.compromised && s.state !== "compromised" ? `${s.state} (found compromised)` : s.state,
      s.placement,
      s.newestRecord ? `${s.newestRecord.verdict} ${s.newestRecord.completedAt?.slice(0, 10) ?? "undated"} ${s.newestRecord.file}` : "none",
      s.next,
      s.needs.length > 0 ? [...new Set(s.needs.map((n) => n.kind))].join(", ") : s.problems.length > 0 ? "see below" : "-",
    ]),
  ];
  const details = statuses.flatMap((s) => [...s.problems.map((p) => `  ${s.host}: ${p}`), ...s.needs.map((n) => `  ${s.host}: ${n.text}`)]);
  const counts = (["none", "remediate", "assess", "rebuild", "fix the stack file"] as const)
    .map((n) => [n, statuses.filter((s) => s.next === n).length] as const)
    .filter(([, c]) => c > 0)
    .map(([n, c]) => `${c} ${n === "none" ? "verified" : `to ${n}`}`);
  return (
    [
      title,
      table(rows),
      ...(details.length > 0 ? ["", "The gate's findings (for a host not marked remediated: what it would find if it were):", ...details] : []),
      "",
      `${statuses.length} host(s): ${counts.join(", ")}.`,
    ].join("\n") + "\n"
  );
}

export async function hostStatus(ref: StackRef, opts: { json?: boolean }, io: CliIo, clock = new Date()): Promise<number> {
  const view = loadFleet(ref, clock);
  const statuses = hostStatuses(view.planned, judgePlan(view.config, view.planned, view.now, "remediated"));
  const file = shown(view.file);
  if (opts.json) io.stdout.write(JSON.stringify({ stack: view.stack, file, asOf: view.now.toISOString(), hosts: statuses }, null, 2) + "\n");
  else io.stdout.write(renderStatus(statuses, `exchange-guard host status of stack ${view.stack} (${file}, judged as of ${view.now.toISOString()})`));
  return 0;
}
