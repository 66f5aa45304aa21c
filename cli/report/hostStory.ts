import type { Diagnostic } from "../packDriver/analyzerClient";
import { explainHost, Host, INTERNET, PathExplanation, renderGateFinding, StackAnalysis } from "../../policies/model";
import { redact } from "../../policies/engine/resourceInput";
import { stateText } from "../../policies/rules/wording";
import { HostRow, Report } from "./hostRows";

/** One host as `explain` and the pictures show it: its state, what it still needs, every path, its violations. */
export interface HostStory {
  readonly host: string;
  readonly urn: string;
  /** The state as the policies word it ("compromised", "marked remediated but not verified (see …)"). */
  readonly state: string;
  readonly assessment: string;
  readonly verdict: HostRow["verdict"];
  readonly verified: boolean;
  /** What stands between the host and verified, in words (the gate's findings, or the step it is missing). */
  readonly needs: readonly string[];
  readonly paths: readonly PathExplanation[];
  readonly diagnostics: readonly Diagnostic[];
}

function needsOf(a: StackAnalysis, host: Host): string[] {
  const g = a.gateOf(host);
  if (g.verified) return [];
  const findings = [...g.requiresAssessment, ...g.buildPatched, ...g.rebuiltFromScratch].map(renderGateFinding);
  if (host.hostNote) return [`readable tags: ${host.hostNote}`, ...findings];
  if (g.effectiveState === "compromised")
    return [
      "a rebuild from scratch: a new generation of the host (a new VM from a trusted image, fresh credentials); this VM is never verified",
      ...findings,
    ];
  if (host.stateUnknown) return [`a readable state tag (${host.stateNote ?? "its state tag cannot be read"})`, ...findings];
  if (host.state === "unverified")
    return [
      "a clean, complete, recent compromise assessment of a patched build linked to its VM (exchange-guard ingest), then the state tag remediated",
      ...findings,
    ];
  return findings;
}

/** The stories of the report's hosts (all of them, or those whose URN is in `only`), every string redacted. */
export function hostStories(report: Report, only?: ReadonlySet<string>): HostStory[] {
  const a = report.analysis;
  if (!a) return [];
  const internet = report.internet ?? INTERNET;
  const rows = new Map(report.rows.map((r) => [r.urn, r]));
  const out: HostStory[] = [];
  for (const host of a.hosts) {
    if (only && !only.has(host.urn)) continue;
    const row = rows.get(host.urn);
    out.push({
      host: host.name,
      urn: host.urn,
      state: stateText(a, host),
      assessment: row?.assessment ?? "none",
      verdict: row?.verdict ?? "ok",
      verified: a.verified(host),
      needs: needsOf(a, host),
      paths: explainHost(a, host, internet).paths,
      diagnostics: row?.diagnostics ?? [],
    });
  }
  return out;
}

/** Every text a rendering prints goes through this: no value sent as a secret is ever shown. */
export function redactor(secrets: ReadonlySet<string>): (s: string) => string {
  return (s) => redact(s, secrets);
}
