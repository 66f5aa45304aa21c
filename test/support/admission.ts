import type { EngineResource } from "../../cli/packDriver/analyzerClient";
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { AdmissionGuard, AdmissionSettings } from "../../policies/rules/admission";
import { Violation } from "../../policies/rules/types";
import { PINNED_BASELINE } from "./baseline";
import { Res } from "./estate";

/** A resource as the engine's Analyze call sends it during an update: its inputs, no id of its own, no dependencies. */
export function analyzeInput(r: Res): ResourceInput {
  const { id: _id, ...props } = r.properties;
  void _id;
  return { urn: r.urn, type: r.type, name: r.name, props };
}

/** `analyzeInput` in the engine's wire shape (EngineResource), for the pack over gRPC. */
export function analyzeRequest(r: Res): EngineResource {
  const { id: _id, ...properties } = r.properties;
  void _id;
  return { urn: r.urn, type: r.type, name: r.name, properties };
}

/** The same resource as AnalyzeStack sees it once the update is done: with its id. */
export function stackInput(r: Res): ResourceInput {
  return { urn: r.urn, type: r.type, name: r.name, props: r.properties };
}

export function admissionSettings(
  o: { gate?: Record<string, unknown>; now?: Date; configs?: Record<string, Record<string, unknown>>; levels?: Record<string, string> } = {},
): AdmissionSettings {
  const { gate, errors } = resolveGate({ securityBaseline: PINNED_BASELINE, ...(o.gate ?? {}) });
  if (errors.length > 0) throw new Error(errors.join("; "));
  return {
    gate,
    now: o.now ?? new Date(),
    configOf: (p) => o.configs?.[p] ?? {},
    enforced: (rule) => {
      const level = o.levels?.[rule.name] ?? rule.enforcementLevel;
      return level === "mandatory" || level === "remediate";
    },
  };
}

/** Admits every resource in order, as the engine does in `pulumi up`: resource URN → what it was refused for. */
export function admitAll(resources: readonly Res[], settings: AdmissionSettings, guard = new AdmissionGuard()): Map<string, Violation[]> {
  const out = new Map<string, Violation[]>();
  for (const r of resources) {
    const v = guard.admit(analyzeInput(r), new Set(), settings);
    if (v.length > 0) out.set(r.urn, v);
  }
  return out;
}
