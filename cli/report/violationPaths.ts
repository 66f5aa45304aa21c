import type { Diagnostic } from "../packDriver/analyzerClient";
import type { PathExplanation } from "../../policies/model";
import { HostStory } from "./hostStory";
import { hopsText } from "./pathWords";
import { messageBody } from "./text";

const EXPOSURE_POLICIES = new Set(["exchange-unverified-not-internet-exposed", "exchange-verified-exposes-only-client-ports"]);

/**
 * The path value a diagnostic is about, for its chart. The pack's message is built from the same path value, so the
 * message holds the path rendered exactly as `hopsText` renders it: the diagnostic is matched to the path whose
 * rendering it contains (nothing reads the message apart).
 */
export function pathForDiagnostic(story: HostStory, d: Diagnostic, r: (s: string) => string): PathExplanation | undefined {
  const body = r(messageBody(d));
  if (EXPOSURE_POLICIES.has(d.policyName)) {
    const candidates = story.paths.filter((p) => p.origin === "path" && p.verdict !== "closed");
    return (
      candidates.find((p) => p.path.length > 0 && body.includes(`${r(hopsText(p.path))} → `)) ??
      candidates.find((p) => p.path.length > 0 && body.includes(r(hopsText(p.path)))) ??
      candidates.find((p) => p.undecidable !== undefined && body.includes(r(p.undecidable)))
    );
  }
  if (d.policyName === "exchange-unverified-isolated") {
    const atNic = story.paths.filter(
      (p) => p.origin !== "path" && p.verdict === "open" && body.includes(`${r(p.path[0]?.via ?? "")} accepts inbound`),
    );
    return atNic.find((p) => p.origin === "internet at the NIC") ?? atNic[0];
  }
  return undefined;
}
