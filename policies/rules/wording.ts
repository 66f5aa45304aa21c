import { StackAnalysis } from "../model/analysis";
import { describeGrants } from "../model/describe";
import { OpenRoute } from "../model/exposure";
import { Host } from "../model/hosts";

/** "unverified", "compromised (its newest assessment says so)", "marked remediated but not verified (see exchange-build-patched)". */
export function stateText(a: StackAnalysis, host: Host): string {
  const g = a.gateOf(host);
  if (g.effectiveState === "compromised") {
    return host.state === "compromised" ? "compromised" : `compromised (a linked assessment found it compromised; its state tag does not say so)`;
  }
  if (host.hostNote) return `of unknown state (${host.hostNote})`;
  if (host.stateUnknown) return `of unknown state (${host.stateNote ?? "its state tag cannot be read"})`;
  if (host.state === "remediated" && !g.verified) {
    // The gate policy's own violation explains the failure; here its name is enough to find it.
    const failing = [
      g.requiresAssessment.length > 0 ? "exchange-remediated-requires-assessment" : undefined,
      g.buildPatched.length > 0 ? "exchange-build-patched" : undefined,
      g.rebuiltFromScratch.length > 0 ? "exchange-compromised-rebuilt-from-scratch" : undefined,
    ].filter((n) => n !== undefined);
    return `marked remediated but not verified${failing.length > 0 ? ` (see ${failing.join(", ")})` : ""}`;
  }
  if (host.state === "unverified") return host.stateNote ? `unverified (${host.stateNote})` : "unverified";
  return host.state;
}

/** One path, hop by hop, with the rules that let traffic through. */
export function routeText(open: OpenRoute, secrets: ReadonlySet<string>): string {
  const hops = open.route.hops.join(" → ");
  if (open.undecidable) return `${hops ? `${hops}: ` : ""}cannot be decided, so it counts as open on every port: ${open.undecidable}`;
  const lines = describeGrants(open.grants, open.route.direct, secrets);
  const via = open.route.direct ? "" : ` (the NSGs see ${open.route.sourceLabel} as the source, so rules that only deny Internet do not stop it)`;
  return `${hops} → ${lines.join("; ")}${via}`;
}
