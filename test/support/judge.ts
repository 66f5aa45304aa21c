import { StackAnalysis } from "../../policies/model/analysis";
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { EngineResourceShape, toResourceInputs } from "../../policies/model/resourceInputs";
import { RULES } from "../../policies/rules";
import { StackRule, Violation } from "../../policies/rules/types";
import { PINNED_BASELINE } from "./baseline";
import type { Res } from "./estate";

export function toInputs(resources: readonly EngineResourceShape[]): ResourceInput[] {
  return toResourceInputs(resources, new Set<string>());
}

/** The resources as the model's input exactly as written: secret envelopes left in place, properties not copied. */
export function rawInputs(resources: readonly Res[]): ResourceInput[] {
  return toResourceInputs(resources);
}

export function analyse(resources: readonly EngineResourceShape[], gateRaw: Record<string, unknown> = {}, now = new Date()): StackAnalysis {
  const { gate, errors } = resolveGate({ securityBaseline: PINNED_BASELINE, ...gateRaw });
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
  resources: readonly EngineResourceShape[],
  config: Record<string, unknown> = {},
  gateRaw: Record<string, unknown> = {},
  now = new Date(),
): Violation[] {
  return stackRule(name).evaluate(analyse(resources, gateRaw, now), config);
}
