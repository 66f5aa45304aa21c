import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { StackAnalysis } from "../model/analysis";
import { GATE_HOME, schemaErrors } from "../model/config";
import { GateConfig } from "../model/gate";
import { GuardRule, ResourceRule, StackRule, Violation } from "../rules/types";
import { AdmissionGuard, AdmissionSettings } from "../rules/admission";
import { configuredDryRun, configuredLevel, configuredProperties } from "./configCapture";
import { captureReader, gateSettings } from "./gateSettings";
import { wholeConfigErrors } from "./wholeConfig";
import { rawProps, redact, resourceInput, stackResources } from "./resourceInput";

function configSchema(rule: GuardRule) {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const s of rule.schemas) Object.assign(properties, s.properties);
  return { properties: properties as never };
}

function meta(rule: GuardRule) {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    severity: rule.severity,
    remediationSteps: rule.remediationSteps,
    url: rule.url,
    framework: rule.framework,
    tags: [...rule.tags],
    configSchema: configSchema(rule),
  };
}

/** A failure inside the pack must block, not pass: it becomes a violation that says so. */
function internalError(rule: GuardRule, e: unknown): Violation {
  const what = e instanceof Error ? e.message : String(e);
  return { message: `${rule.name} could not judge this input and fails closed: internal error: ${what}` };
}

function configViolations(rule: GuardRule, raw: Record<string, unknown>, gateErrors: readonly string[]): Violation[] {
  const errs = [...schemaErrors(rule.name, raw, rule.schemas), ...(rule.configErrors?.(raw) ?? [])];
  if (rule.name === GATE_HOME) errs.push(...gateErrors);
  const own = errs.map((e) => ({ message: `invalid policy config for ${rule.name}: ${e}` }));
  const whole = wholeConfigErrors(rule.name).map((e) => ({ message: `invalid policy config: ${e}` }));
  return [...own, ...whole];
}

let lastStack: { raws: unknown[]; key: string; analysis: StackAnalysis; secrets: Set<string> } | undefined;

/** One StackAnalysis per AnalyzeStack call: the policies of one call see the same deserialized resources. */
function analysisFor(resources: readonly PolicyResource[], gate: GateConfig, now: Date): { analysis: StackAnalysis; secrets: Set<string> } {
  const raws = resources.map((r) => rawProps(r.props));
  const key = `${JSON.stringify(gate)}|${now.getTime()}`;
  if (lastStack && lastStack.key === key && lastStack.raws.length === raws.length && lastStack.raws.every((r, i) => r === raws[i])) {
    return lastStack;
  }
  const { inputs, secrets } = stackResources(resources);
  const analysis = new StackAnalysis(inputs, gate, now, secrets);
  lastStack = { raws, key, analysis, secrets };
  return lastStack;
}

function report(rep: ReportViolation, violations: readonly Violation[], secrets: ReadonlySet<string>): void {
  for (const v of violations) rep(redact(v.message, secrets), v.urn);
}

export function toStackPolicy(rule: StackRule): StackValidationPolicy & Partial<ResourceValidationPolicy> {
  const policy: StackValidationPolicy & Partial<ResourceValidationPolicy> = {
    ...meta(rule),
    validateStack: (args: StackValidationArgs, rep: ReportViolation) => {
      captureReader(rule.name, args.getConfig);
      const own = args.getConfig<Record<string, unknown>>();
      const { gate, now, errors } = gateSettings();
      let secrets: ReadonlySet<string> = new Set();
      try {
        const built = analysisFor(args.resources, gate, now);
        secrets = built.secrets;
        report(rep, [...configViolations(rule, own, errors), ...rule.evaluate(built.analysis, own)], secrets);
      } catch (e) {
        report(rep, [internalError(rule, e)], secrets);
      }
    },
  };
  if (rule.name === GATE_HOME) {
    // Called first for every resource, before any policy that needs the gate: it only makes the gate readable.
    policy.validateResource = (args) => {
      captureReader(rule.name, args.getConfig);
      args.notApplicable("the gate home judges the stack as a whole");
    };
  }
  return policy;
}

/** The admission guard of this pack process: one update's registrations, in order (the engine loads a pack per run). */
let guard: AdmissionGuard | undefined;

function admissionSettings(gate: GateConfig, now: Date): AdmissionSettings {
  return {
    gate,
    now,
    configOf: (policy) => configuredProperties(policy) ?? {},
    enforced: (r) => {
      const level = configuredLevel(r.name) ?? r.enforcementLevel;
      return level === "mandatory" || level === "remediate";
    },
  };
}

/**
 * Only in an update, as the engine says it (its ConfigureStack call, dry_run false). In a preview the stack policies
 * judge the whole stack before anything changes, so admission would only repeat them; `pulumi policy analyze` sends no
 * ConfigureStack and judges state that exists, so there is nothing to admit.
 */
function admitting(rule: ResourceRule): boolean {
  return rule.admits === true && configuredDryRun() === false;
}

export function toResourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
  const policy: ResourceValidationPolicy = {
    ...meta(rule),
    validateResource: (args, rep) => {
      captureReader(rule.name, args.getConfig);
      const own = args.getConfig<Record<string, unknown>>();
      const { input, secrets } = resourceInput(args);
      const { gate, now } = gateSettings();
      try {
        const admitted = admitting(rule) ? (guard ??= new AdmissionGuard()).admit(input, secrets, admissionSettings(gate, now)) : [];
        report(rep, [...configViolations(rule, own, []), ...rule.evaluate(input, gate, now), ...admitted], secrets);
      } catch (e) {
        report(rep, [internalError(rule, e)], secrets);
      }
    },
  };
  if (rule.remediate) {
    const remediate = rule.remediate;
    policy.remediateResource = (args) => {
      // On this path @pulumi/policy keeps secrets as Secret wrappers behind a proxy that unwraps on read:
      // judge the unwrapped view, rewrite the wrapped original so secrets stay secret when redeployed.
      const view = rawProps(args.props);
      const preserved = rawProps(view);
      const { gate, now } = gateSettings();
      try {
        const input = { urn: args.urn, type: args.type, name: args.name, props: view };
        if (rule.evaluate(input, gate, now).length === 0) return undefined;
        return remediate({ ...input, props: preserved }, gate);
      } catch {
        // Remediation is a convenience; the validation still blocks.
        return undefined;
      }
    };
  }
  return policy;
}

export function toPulumiPolicy(rule: GuardRule): StackValidationPolicy | ResourceValidationPolicy {
  return rule.kind === "stack" ? toStackPolicy(rule) : toResourcePolicy(rule);
}
