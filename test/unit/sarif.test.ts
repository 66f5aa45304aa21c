import * as path from "path";
import type { AnalyzerInfo, Diagnostic } from "../../cli/packDriver/analyzerClient";
import type { Report } from "../../cli/report/hostRows";
import { gitRoot, repoRelativeUri, SarifLocationError, stableFacts, stackConfigLocator, toSarif } from "../../cli/report/sarif";

const ROOT = path.join(__dirname, "../..");
const STACK_FILE = path.join(ROOT, "stacks/Pulumi.example.yaml");
const URN = "urn:pulumi:example::exchange-compromise-guard::exchange-guard:exchange:Host$azure-native:compute:VirtualMachine::ex01-g1";

const INFO: AnalyzerInfo = {
  name: "exchange-compromise-guard",
  version: "0.1.0",
  supportsConfig: true,
  policies: [
    {
      name: "exchange-remediated-requires-assessment",
      description: "d",
      enforcementLevel: "mandatory",
      severity: "high",
      tags: [],
      remediationSteps: "fix it",
      url: "https://example.invalid/made-up",
    },
  ],
};

function diag(message: string, urn = URN): Diagnostic {
  return {
    policyName: "exchange-remediated-requires-assessment",
    policyPackName: "p",
    policyPackVersion: "0.1.0",
    description: "d",
    message: `d\n${message}`,
    enforcementLevel: "mandatory",
    urn,
    severity: "high",
  };
}

function report(ds: Diagnostic[]): Report {
  return {
    rows: [{ host: "ex01-g1", urn: URN, state: "remediated", assessment: "", exposure: "", verdict: "blocked", diagnostics: ds }],
    other: [],
    mandatory: ds.length,
    advisory: 0,
    secrets: new Set(),
  };
}

describe("SARIF that code scanning can keep", () => {
  it("a finding keeps its fingerprint when its text changes by the day", () => {
    const fp = (text: string) => toSarif(INFO, report([diag(text)]), stackConfigLocator(STACK_FILE), ROOT).runs[0].results![0].partialFingerprints;
    expect(fp("assessment of ex01-g1 completed 41 days ago (limit 30)")).toEqual(fp("assessment of ex01-g1 completed 42 days ago (limit 30)"));
  });

  it("fingerprints come from policy, URN, path kind and port", () => {
    const a = "host ex01-g1 is reachable from the internet via load balancer: public IP pip → TCP 443→443 → NIC";
    expect(stableFacts(diag(a))).toBe(`exchange-remediated-requires-assessment|${URN}|load balancer|tcp/443`);
    const b = stableFacts(diag(a.replace("TCP 443→443", "TCP 25→25")));
    expect(b).not.toBe(stableFacts(diag(a)));
  });

  it("two findings with the same facts stay two results", () => {
    const log = toSarif(INFO, report([diag("x 1 day"), diag("x 2 days")]), stackConfigLocator(STACK_FILE), ROOT);
    const [r1, r2] = log.runs[0].results!;
    expect(r1.partialFingerprints).not.toEqual(r2.partialFingerprints);
  });

  it("locations are repository-relative files that exist; docs are the ones that ship, no made-up site", () => {
    const log = toSarif(INFO, report([diag("x")]), stackConfigLocator(STACK_FILE), ROOT);
    expect(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe("stacks/Pulumi.example.yaml");
    const driver = log.runs[0].tool.driver;
    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules![0].helpUri).toBeUndefined();
    expect(driver.rules![0].help!.text).toContain("docs/policies.md#exchange-remediated-requires-assessment");
    expect(JSON.stringify(log)).not.toContain("example.invalid");
  });

  it("refuses a file outside the root and a file that does not exist", () => {
    expect(() => repoRelativeUri(STACK_FILE, path.join(ROOT, "cli"))).toThrow(SarifLocationError);
    expect(() => repoRelativeUri(STACK_FILE, path.join(ROOT, "cli"))).toThrow(/--sarif-root/);
    expect(() => repoRelativeUri(path.join(ROOT, "stacks/Pulumi.nope.yaml"), ROOT)).toThrow(/does not exist/);
  });

  it("finds the git root of a file in a worktree", () => {
    expect(gitRoot(path.join(ROOT, "stacks"))).toBe(ROOT);
  });
});
