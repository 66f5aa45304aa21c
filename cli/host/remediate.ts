/**
 * `host remediate <host>`: mark a host remediated, only when the offline check of the edited stack — the program under
 * mocks and the policy pack over the engine interface, as `exchange-guard check` runs them — finds nothing wrong with
 * it under the gate's three policies. Otherwise exit 1 with the gate's own words, the file untouched.
 */
import * as path from "path";
import { GATE_HOME, recordGeneration, renderGateFinding } from "../../policies/model";
import { FleetConfigError, PlannedHost } from "../../stacks/config/fleetConfig";
import { runPolicyPack } from "../packDriver/session";
import { checkPolicyPackConfig } from "../packDriver/strictConfig";
import { buildReport } from "../report/hostRows";
import { messageBody } from "../report/text";
import { readConfigFile } from "../commands/shared";
import { PACK_DIR } from "../projectPaths";
import { bundledPolicyConfig } from "../commands/stackFiles";
import { CliIo, RunStack } from "../io";
import { applyEdit, EditOptions, Refusal, Verify } from "./edit";
import { FleetView, loadFleet, requireHost, StackRef } from "./fleetView";

/** The policies whose findings decide "verified". */
export const GATE_POLICIES = [GATE_HOME, "exchange-build-patched", "exchange-compromised-rebuilt-from-scratch"] as const;

export interface RemediateOptions extends EditOptions {
  /** The pack's config, as for `check` (default: the bundled stacks/policy-config/<stack>.json of a bundled stack). */
  readonly policyPackConfig?: string;
  /** How the edited stack's program runs offline (default: as `check` runs it). */
  readonly runStack?: RunStack;
  /** The policy pack that judges it (default: the project's policies/). */
  readonly packDir?: string;
}

export async function hostRemediate(ref: StackRef, name: string, opts: RemediateOptions, io: CliIo, clock = new Date()): Promise<number> {
  const view = loadFleet(ref, clock);
  const host = requireHost(view, name);
  if (host.spec.state === "remediated")
    return applyEdit(
      view,
      { verb: "remediate", hosts: [name], changes: [], records: [], notes: [`${name} is already marked remediated`] },
      opts,
      io,
      clock,
    );
  if (host.compromisedNow) throw new Refusal(compromisedMessage(host, ref.stack));
  view.document.set(name, "state", "remediated");
  const policyPackConfig = opts.policyPackConfig ?? (ref.stacksDir ? undefined : bundledPolicyConfig(ref.stack));
  return applyEdit(
    view,
    {
      verb: "remediate",
      hosts: [name],
      changes: [{ op: "~", host: name, field: "state", from: host.spec.state, to: "remediated" }],
      records: [],
      notes: [],
    },
    opts,
    io,
    clock,
    offlineGate(view, name, policyPackConfig, opts),
  );
}

function compromisedMessage(host: PlannedHost, stack: string): string {
  const n = host.spec.name;
  const g = host.spec.generation;
  const record = host.records.find((r) => r.view.saysCompromised && recordGeneration(r.record) === g);
  const why = record ? `generation ${g} was found compromised (${record.file})` : `it is marked compromised`;
  return `${n} cannot be remediated: ${why}. A compromised host is rebuilt from scratch, never cleaned in place: \`exchange-guard host rebuild ${n} --stack ${stack}\`, then assess the new generation`;
}

/** The offline check of the edited stack, asked about one host: the program must accept it and the gate must hold. */
function offlineGate(view: FleetView, name: string, policyPackConfig: string | undefined, opts: RemediateOptions): Verify {
  return async (editedText, after) => {
    const runStack = opts.runStack ?? (require("../preview/offlineStack") as typeof import("../preview/offlineStack")).runOfflineStack;
    let offline;
    try {
      offline = await runStack(view.stack, { preview: true, stacksDir: view.dir, configText: editedText });
    } catch (e) {
      if (e instanceof FleetConfigError) return { ok: false, reasons: [...e.problems] };
      throw e;
    }
    const cfg = readConfigFile(policyPackConfig);
    const result = await runPolicyPack({
      packDir: opts.packDir ?? PACK_DIR,
      policyPackConfig: cfg.text,
      policyPackConfigSource: cfg.source,
      stack: offline.stack,
      project: offline.project,
      dryRun: true,
      analyze: offline.analyze,
      analyzeStack: offline.analyzeStack,
      checkConfig: cfg.source ? (info, file) => checkPolicyPackConfig(info, file, cfg.source!) : undefined,
    });
    const report = buildReport(offline.analyzeStack, result.config, [...result.resourceDiagnostics, ...result.stackDiagnostics]);
    const planned = after.find((p) => p.spec.name === name)!;
    const row = report.rows.find((r) => r.host === planned.vmName);
    if (!row)
      return {
        ok: false,
        reasons: [
          `the pack found no Exchange host ${planned.vmName} in the edited stack: the policy config${policyPackConfig ? ` ${path.relative(process.cwd(), policyPackConfig)}` : ""} must name the stack's host and state tags`,
        ],
      };
    const gate = row.diagnostics
      .filter((d) => (GATE_POLICIES as readonly string[]).includes(d.policyName))
      .map((d) => `${d.policyName}: ${messageBody(d)}`);
    // The program places a host by the stack's own gate settings: if they do not verify it, it stays isolated.
    const stackGate = planned.verified ? [] : planned.gateFindings.map((f) => `the stack's gate (exchange-guard:gate): ${renderGateFinding(f)}`);
    const reasons = [...gate, ...stackGate];
    return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
  };
}
