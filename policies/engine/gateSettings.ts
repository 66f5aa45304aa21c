import { GATE_HOME, resolveGate } from "../model/config";
import { GateConfig } from "../model/gate";
import { configuredProperties } from "./configCapture";

type ConfigReader = () => Record<string, unknown>;

/**
 * @pulumi/policy hands each policy only its own config, yet every policy must judge
 * "verified" with the same gate. The gate lives in the config of GATE_HOME; its config
 * reader (a live view of the engine's config) is captured the first time the engine calls
 * that policy, which is first in every Analyze and AnalyzeStack call, and shared from then on.
 */
const readers = new Map<string, ConfigReader>();

export function captureReader(policy: string, reader: ConfigReader): void {
  if (!readers.has(policy)) readers.set(policy, reader);
}

export interface GateSettings {
  readonly gate: GateConfig;
  readonly now: Date;
  readonly errors: readonly string[];
}

let cached: { json: string; settings: GateSettings; at: number } | undefined;

/** The gate as configured on GATE_HOME: from the engine's Configure call, else from the policy's own config reader. */
export function gateSettings(): GateSettings {
  const reader = readers.get(GATE_HOME);
  const raw = configuredProperties(GATE_HOME) ?? (reader ? reader() : {});
  const json = JSON.stringify(raw);
  const nowMs = Date.now();
  // One resolution per burst of calls; the clock moves on between requests.
  if (cached && cached.json === json && nowMs - cached.at < 1000) return cached.settings;
  const { gate, asOf, errors } = resolveGate(raw);
  const settings = { gate, now: asOf ?? new Date(nowMs), errors };
  cached = { json, settings, at: nowMs };
  return settings;
}
