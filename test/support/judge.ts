import type { EngineResource } from "../../cli/engine/analyzerClient";
import { StackAnalysis } from "../../policies/model/analysis";
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { toResourceInputs } from "../../cli/report/hostRows";
import { RULES } from "../../policies/rules";
import { StackRule, Violation } from "../../policies/rules/types";

export function toInputs(resources: readonly EngineResource[]): ResourceInput[] {
  return toResourceInputs(resources, new Set<string>());
}

export function analyse(resources: readonly EngineResource[], gateRaw: Record<string, unknown> = {}, now = new Date()): StackAnalysis {
  const { gate, errors } = resolveGate(gateRaw);
  if (errors.length > 0) throw new Error(errors.join("; "));
  return new StackAnalysis(toInputs(resources), gate, now);
}

export function stackRule(name: string): StackRule {
  const r = RULES.find((x) => x.name === name);
  if (!r || r.kind !== "stack") throw new Error(`no stack rule ${name}`);
  return r;
}

/** Runs one stack policy on its own, as pure function. */
export function runStack(
  name: string,
  resources: readonly EngineResource[],
  config: Record<string, unknown> = {},
  gateRaw: Record<string, unknown> = {},
  now = new Date(),
): Violation[] {
  return stackRule(name).evaluate(analyse(resources, gateRaw, now), config);
}
