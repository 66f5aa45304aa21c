import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import type { AnalyzerInfo, Diagnostic } from "../packDriver/analyzerClient";
import { Report } from "./hostRows";
import { messageBody } from "./text";
import { hostOfName } from "../../policies/model";

const SEVERITY_SCORE: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", "": "5.0" };

/** Where a diagnostic points in the repository: the line declaring the host, else the file itself. */
export interface Locator {
  readonly file: string;
  lineOf(d: Diagnostic, host: string | undefined): number;
}

/** Finds `- name: <host>` in a stack config (the host's VM is `<host>-g<generation>`). */
export function stackConfigLocator(file: string): Locator {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  return {
    file,
    lineOf: (_d, host) => {
      if (!host) return 1;
      const name = hostOfName(host);
      const i = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*$`).test(l));
      return i >= 0 ? i + 1 : 1;
    },
  };
}

/** Finds the resource's URN in a stack export. */
export function exportLocator(file: string): Locator {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  return {
    file,
    lineOf: (d) => {
      const i = d.urn ? lines.findIndex((l) => l.includes(`"urn": ${JSON.stringify(d.urn)}`)) : -1;
      return i >= 0 ? i + 1 : 1;
    },
  };
}

/** Where the policy reference ships: in the repository, next to the pack (never a made-up web site). */
export const POLICY_DOCS = "docs/policies.md";

/** The nearest folder at or above `from` holding `.git` (a folder, or a file in a worktree); undefined when none. */
export function gitRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export class SarifLocationError extends Error {}

/**
 * The located file as code scanning needs it: `/`-separated, relative to the repository root, inside it and
 * existing. A result pointing at `../…` or at a file that is not in the repository cannot be shown or kept.
 */
export function repoRelativeUri(file: string, root: string): string {
  const rel = path.relative(path.resolve(root), path.resolve(file));
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new SarifLocationError(`${file} is not inside the repository root ${root}: pass --sarif-root <repository root>`);
  }
  if (!fs.existsSync(file)) throw new SarifLocationError(`${file} does not exist, so SARIF results cannot point at it`);
  return rel.split(path.sep).join("/");
}

/**
 * The facts a finding is identified by across runs: policy, host URN, the kind of path ("load balancer", "public
 * IP", inbound/outbound) and the first protocol/port named. Never the message text as a whole: it carries day
 * counts ("completed 41 days ago") and other values that change while the finding stays the same.
 */
export function stableFacts(d: Diagnostic): string {
  const body = messageBody(d);
  const kind = /\bvia ([a-z][a-z /-]*?):/i.exec(body)?.[1] ?? /\b(inbound|outbound)\b/i.exec(body)?.[1]?.toLowerCase() ?? "";
  const port = /\b(TCP|UDP|any protocol) (\d+(?:-\d+)?)/i.exec(body);
  return [d.policyName, d.urn ?? "", kind.toLowerCase(), port ? `${port[1].toLowerCase()}/${port[2]}` : ""].join("|");
}

/**
 * SARIF 2.1.0 for code scanning: one rule per policy (description, remediation as help with the path of the
 * reference that ships in the repository, security-severity), one result per violation, located at the line of
 * the file in the repository that declares the host. Throws SarifLocationError when that file is not in `root`.
 */
/** A finding beside the policies' (drift from the stack): reported under its own rule, never as a policy violation. */
export interface ExtraFinding {
  readonly ruleId: string;
  readonly message: string;
  /** The ARM id of the resource it is about. */
  readonly id: string;
  readonly host?: string;
  /** What identifies it across runs. */
  readonly facts: string;
}

export const DRIFT_RULE: sarif.ReportingDescriptor = {
  id: "exchange-guard-drift",
  name: "ExchangeGuardDrift",
  shortDescription: { text: "The live Azure estate differs from the Pulumi stack on a path to an Exchange host" },
  fullDescription: {
    text: "A host, NIC, NSG rule, public IP, pool or proxy in Azure is missing from the stack or differs from it: a change made outside Pulumi.",
  },
  help: {
    text: "Undo the change in Azure (or run pulumi up), or take it into the stack with pulumi refresh / pulumi import after review.",
  },
  defaultConfiguration: { level: "warning" },
  properties: { tags: ["security", "drift"], "security-severity": "5.0", precision: "high" },
};

/** Where Azure resources live when no file in the repository declares them: their ARM ids, under Resource Manager's endpoint. */
export const ARM_BASE_ID = "AZURE_RESOURCE_MANAGER";

/** A location naming an Azure resource by its ARM id: a logical location, and the id as a URI under ARM_BASE_ID. */
export function armLocation(id: string): sarif.Location {
  const trimmed = id.replace(/^\/+/, "");
  return {
    physicalLocation: { artifactLocation: { uri: trimmed.split("/").map(encodeURIComponent).join("/"), uriBaseId: ARM_BASE_ID } },
    logicalLocations: [{ fullyQualifiedName: id, name: trimmed.split("/").pop(), kind: "resource" }],
  };
}

/**
 * SARIF 2.1.0 for code scanning (see below); without a locator (an audit of the live estate with no stack file to point
 * at), each result is located at its resource's ARM id instead of a line of a file.
 */
export function toSarif(
  info: AnalyzerInfo,
  report: Report,
  locator: Locator | undefined,
  root: string,
  extra: readonly ExtraFinding[] = [],
): sarif.Log {
  const rules: sarif.ReportingDescriptor[] = info.policies.map((p) => ({
    id: p.name,
    name: p.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: p.description },
    fullDescription: { text: p.description },
    help: {
      text: `${p.remediationSteps}\n\nPolicy reference: ${POLICY_DOCS}#${p.name}`,
      markdown: `${p.remediationSteps}\n\nPolicy reference: [${POLICY_DOCS}#${p.name}](${POLICY_DOCS}#${p.name})`,
    },
    defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
    properties: { tags: ["security", ...p.tags], "security-severity": SEVERITY_SCORE[p.severity] ?? "5.0", precision: "high" },
  }));
  if (extra.some((f) => f.ruleId === DRIFT_RULE.id)) rules.push(DRIFT_RULE);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const uri = locator ? repoRelativeUri(locator.file, root) : undefined;
  const located = (urn: string | undefined, line: () => number): sarif.Location[] | undefined => {
    if (locator && uri !== undefined) {
      return [
        {
          physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region: { startLine: line() } },
          logicalLocations: urn ? [{ fullyQualifiedName: urn, kind: "resource" }] : undefined,
        },
      ];
    }
    return urn ? [armLocation(urn)] : undefined;
  };
  const results: sarif.Result[] = [];
  const seen = new Map<string, number>();
  const add = (d: Diagnostic, host: string | undefined) => {
    if (d.enforcementLevel === "disabled") return;
    const facts = stableFacts(d);
    // Two findings with the same facts (e.g. two rules on one port) stay two alerts: numbered in report order.
    const n = seen.get(facts) ?? 0;
    seen.set(facts, n + 1);
    results.push({
      ruleId: d.policyName,
      ruleIndex: index.get(d.policyName),
      level: d.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: messageBody(d) },
      locations: located(d.urn || undefined, () => locator!.lineOf(d, host)),
      partialFingerprints: { "exchangeGuard/v2": createHash("sha256").update(`${facts}|${n}`).digest("hex").slice(0, 32) },
    });
  };
  for (const r of report.rows) for (const d of r.diagnostics) add(d, r.host);
  for (const d of report.other) add(d, undefined);
  for (const f of extra) {
    results.push({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: "warning",
      message: { text: f.message },
      locations: located(f.id, () =>
        locator!.lineOf(
          {
            policyName: f.ruleId,
            policyPackName: "",
            policyPackVersion: "",
            description: "",
            message: f.message,
            enforcementLevel: "advisory",
            urn: f.id,
            severity: "",
          },
          f.host,
        ),
      ),
      partialFingerprints: { "exchangeGuard/v2": createHash("sha256").update(`${f.ruleId}|${f.facts}`).digest("hex").slice(0, 32) },
    });
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "exchange-compromise-guard", version: info.version, rules } },
        originalUriBaseIds: {
          "%SRCROOT%": { uri: `file://${path.resolve(root).split(path.sep).join("/")}/` },
          ...(locator ? {} : { [ARM_BASE_ID]: { uri: "https://management.azure.com/" } }),
        },
        results,
      },
    ],
  };
}
