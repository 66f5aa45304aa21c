import type { PolicyComplianceFramework, Severity } from "@pulumi/policy";
import { StackAnalysis } from "../model/analysis";
import { PolicySchema } from "../model/config";
import { GateConfig } from "../model/gate";
import { ResourceInput } from "../model/graph";

export interface Violation {
  readonly message: string;
  /** The host VM's URN for stack policies; omitted to report on the analysed resource itself. */
  readonly urn?: string;
}

interface RuleMeta {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: Severity;
  readonly remediationSteps: string;
  readonly url: string;
  readonly framework?: PolicyComplianceFramework;
  readonly tags: readonly string[];
  /** The policy's own config keys. The gate keys live on the gate home only. */
  readonly schemas: readonly PolicySchema[];
  /** What the JSON schema cannot check in this policy's own config (CIDRs that do not parse, management ports), one message per problem. */
  configErrors?(config: Readonly<Record<string, unknown>>): string[];
}

/** A stack policy as a pure function of the shared analysis and the policy's own config. */
export interface StackRule extends RuleMeta {
  readonly kind: "stack";
  evaluate(analysis: StackAnalysis, config: Readonly<Record<string, unknown>>): Violation[];
}

/** A resource policy as a pure function of one resource (its inputs). */
export interface ResourceRule extends RuleMeta {
  readonly kind: "resource";
  evaluate(resource: ResourceInput, gate: GateConfig, now: Date): Violation[];
  /**
   * Also the admission guard (rules/admission.ts): during an update, each resource is judged with what the update
   * registered before it, and refused under this policy when it would expose an Exchange host.
   */
  readonly admits?: true;
  /** New inputs with the offending parts removed, for enforcement level `remediate`. */
  remediate?(resource: ResourceInput, gate: GateConfig): Record<string, unknown> | undefined;
}

export type GuardRule = StackRule | ResourceRule;

export const DOCS = "https://github.com/exchange-compromise-guard/exchange-compromise-guard/blob/main/docs/policies.md";

export const CISA_ED_21_02: PolicyComplianceFramework = {
  name: "CISA ED 21-02",
  version: "Supplemental Direction v2 (2021-04-13)",
  reference: "https://www.cisa.gov/emergency-directive-21-02",
  specification: "Mitigate Microsoft Exchange on-premises product vulnerabilities",
};
