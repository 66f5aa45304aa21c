import type { Diagnostic, EngineResource, PolicyConfigEntry } from "../packDriver/analyzerClient";
import {
  describeNewest,
  describeService,
  GATE_HOME,
  Grant,
  INTERNET,
  IntervalSet,
  openToInternet,
  prefixSet,
  resolveGate,
  StackAnalysis,
  toResourceInputs,
} from "../../policies/model";

export interface HostRow {
  readonly host: string;
  readonly urn: string;
  readonly state: string;
  readonly assessment: string;
  readonly exposure: string;
  readonly verdict: "ok" | "blocked" | "advice";
  readonly diagnostics: readonly Diagnostic[];
}

export interface Report {
  readonly rows: readonly HostRow[];
  /** Diagnostics that are not about a host (config errors, resource-level findings on non-host resources). */
  readonly other: readonly Diagnostic[];
  readonly mandatory: number;
  readonly advisory: number;
  readonly secrets: ReadonlySet<string>;
  /** The model the rows come from, for the pictures and `explain`; `internet` is the internet minus trusted prefixes. */
  readonly analysis?: StackAnalysis;
  readonly internet?: IntervalSet;
}

/**
 * The per-host status table, from the same model the pack runs, judged with the same
 * (reconciled) config; the verdict column comes from the pack's own diagnostics.
 */
export function buildReport(
  stack: readonly EngineResource[],
  config: Readonly<Record<string, PolicyConfigEntry>>,
  diagnostics: readonly Diagnostic[],
): Report {
  const secrets = new Set<string>();
  const inputs = toResourceInputs(stack, secrets);
  const { gate, asOf } = resolveGate(config[GATE_HOME]?.properties ?? {});
  const analysis = new StackAnalysis(inputs, gate, asOf ?? new Date(), secrets);
  const trusted = prefixSet("trustedSourcePrefixes", config["exchange-unverified-not-internet-exposed"]?.properties.trustedSourcePrefixes, []);
  const internet = INTERNET.subtract(trusted);
  const byUrn = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    let l = byUrn.get(d.urn);
    if (!l) byUrn.set(d.urn, (l = []));
    l.push(d);
  }
  const claimed = new Set<Diagnostic>();
  const rows: HostRow[] = analysis.hosts.map((host) => {
    const g = analysis.gateOf(host);
    const nicUrns = host.nics.map((n) => n.urn);
    const mine = [host.urn, ...nicUrns].flatMap((u) => byUrn.get(u) ?? []);
    mine.forEach((d) => claimed.add(d));
    // One entry per kind of path, with every port it opens.
    const byKind = new Map<string, { grants: Grant[]; undecidable: boolean }>();
    for (const route of analysis.exposure.routes(host)) {
      const open = openToInternet(route, internet);
      if (!open) continue;
      const entry = byKind.get(route.kind) ?? { grants: [], undecidable: false };
      entry.grants.push(...open.grants);
      entry.undecidable ||= open.undecidable !== undefined;
      byKind.set(route.kind, entry);
    }
    const paths = [...byKind].map(([kind, e]) => (e.undecidable ? `${kind} (undecidable)` : `${kind} (${describeService(e.grants)})`));
    const state = g.verified ? "verified" : g.effectiveState === "remediated" ? "remediated, not verified" : g.effectiveState;
    const mandatory = mine.some((d) => d.enforcementLevel === "mandatory");
    return {
      host: host.name,
      urn: host.urn,
      state,
      assessment: describeNewest(g),
      exposure: paths.length > 0 ? paths.join("; ") : "none",
      verdict: mandatory ? "blocked" : mine.length > 0 ? "advice" : "ok",
      diagnostics: mine,
    };
  });
  return {
    rows,
    other: diagnostics.filter((d) => !claimed.has(d)),
    mandatory: diagnostics.filter((d) => d.enforcementLevel === "mandatory").length,
    advisory: diagnostics.filter((d) => d.enforcementLevel === "advisory").length,
    secrets,
    analysis,
    internet,
  };
}
