import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import type { AnalyzerInfo, Diagnostic } from "../engine/analyzerClient";
import { Report } from "./hostRows";
import { messageBody } from "./text";

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
      const name = host.replace(/-g\d+$/, "");
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

/**
 * SARIF 2.1.0 for code scanning: one rule per policy (description, remediation as help, docs
 * link, security-severity), one result per violation, located at the file that declares the host.
 */
export function toSarif(info: AnalyzerInfo, report: Report, locator: Locator, root: string): sarif.Log {
  const rules: sarif.ReportingDescriptor[] = info.policies.map((p) => ({
    id: p.name,
    name: p.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: p.description },
    fullDescription: { text: p.description },
    help: { text: p.remediationSteps, markdown: `${p.remediationSteps}\n\n[Policy reference](${p.url})` },
    helpUri: p.url,
    defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
    properties: { tags: ["security", ...p.tags], "security-severity": SEVERITY_SCORE[p.severity] ?? "5.0", precision: "high" },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const uri = path.relative(root, locator.file).split(path.sep).join("/");
  const results: sarif.Result[] = [];
  const add = (d: Diagnostic, host: string | undefined) => {
    if (d.enforcementLevel === "disabled") return;
    const body = messageBody(d);
    results.push({
      ruleId: d.policyName,
      ruleIndex: index.get(d.policyName),
      level: d.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: body },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region: { startLine: locator.lineOf(d, host) } },
          logicalLocations: d.urn ? [{ fullyQualifiedName: d.urn, kind: "resource" }] : undefined,
        },
      ],
      partialFingerprints: { "exchangeGuard/v1": `${d.policyName}|${d.urn}|${body.slice(0, 200)}` },
    });
  };
  for (const r of report.rows) for (const d of r.diagnostics) add(d, r.host);
  for (const d of report.other) add(d, undefined);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "exchange-compromise-guard",
            version: info.version,
            informationUri: "https://github.com/exchange-compromise-guard/exchange-compromise-guard",
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: `file://${root.split(path.sep).join("/")}/` } },
        results,
      },
    ],
  };
}
