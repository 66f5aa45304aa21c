/**
 * GetAnalyzerInfo over gRPC (docs/contract.md#policies-and-enforcement): the ten public policy names, their default
 * enforcement levels, metadata the engine shows (severity, url, remediation steps, framework)
 * and config schemas with defaults (which the engine merges before Configure).
 */
import type { AnalyzerInfo, PolicyInfo } from "../../cli/packDriver/analyzerClient";
import { PolicyConfigEntry } from "../../cli/packDriver/analyzerClient";
import { GATE_HOME, POLICY, useSession } from "./helpers";

const session = useSession();

const EXPECTED: ReadonlyArray<[string, "mandatory" | "advisory"]> = [
  [POLICY.notExposed, "mandatory"],
  [POLICY.isolated, "mandatory"],
  [POLICY.requiresAssessment, "mandatory"],
  [POLICY.buildPatched, "mandatory"],
  [POLICY.rebuilt, "mandatory"],
  [POLICY.clientPorts, "mandatory"],
  [POLICY.noPublicAttachment, "mandatory"],
  [POLICY.recordValid, "mandatory"],
  [POLICY.evidence, "advisory"],
  [POLICY.controlPlane, "advisory"],
];

let info: AnalyzerInfo;
beforeAll(async () => {
  // Ask the process again (not the session's cached copy): the engine may call it more than once.
  info = await session().client.getAnalyzerInfo();
});

const policy = (name: string): PolicyInfo => {
  const p = info.policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name} in ${info.policies.map((x) => x.name).join(", ")}`);
  return p;
};

const schemaProps = (name: string): Record<string, Record<string, unknown>> => policy(name).configSchema?.properties ?? {};

describe("GetAnalyzerInfo", () => {
  it("names the pack, a version, and supports config", () => {
    expect(info.name).toBe("exchange-compromise-guard");
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.supportsConfig).toBe(true);
  });

  it("lists exactly the ten policies of the contract, each once", () => {
    const names = info.policies.map((p) => p.name);
    expect([...names].sort()).toEqual(EXPECTED.map(([n]) => n).sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(EXPECTED)("%s defaults to %s", (name, level) => {
    expect(policy(name).enforcementLevel).toBe(level);
  });

  it.each(EXPECTED)("%s has a description, severity, url, remediation steps and a compliance framework", (name) => {
    const p = policy(name);
    expect(p.description.trim().length).toBeGreaterThan(20);
    expect(["low", "medium", "high", "critical"]).toContain(p.severity);
    expect(p.url).toMatch(/^https:\/\/\S+$/);
    expect(p.remediationSteps.trim().length).toBeGreaterThan(20);
    expect(p.framework).toBeDefined();
    expect(p.framework!.name.trim()).not.toBe("");
    expect(p.framework!.reference).toMatch(/^https:\/\//);
    expect(p.configSchema).toBeDefined();
  });

  it("the internet-exposure and isolation policies are critical", () => {
    expect(policy(POLICY.notExposed).severity).toBe("critical");
    expect(policy(POLICY.isolated).severity).toBe("critical");
    expect(policy(POLICY.noPublicAttachment).severity).toBe("critical");
  });

  it("no schema declares enforcementLevel (the engine injects it) or requires a key (every key has a default)", () => {
    for (const p of info.policies) {
      expect(Object.keys(p.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
      expect(p.configSchema?.required ?? []).toEqual([]);
    }
  });

  it("maxAssessmentAgeDays defaults to 30 on the gate home, as an integer", () => {
    const s = schemaProps(POLICY.requiresAssessment).maxAssessmentAgeDays;
    expect(s).toBeDefined();
    expect(s.default).toBe(30);
    expect(s.type).toBe("integer");
  });

  it("the gate home carries every gate key with its default (the contract's config list)", () => {
    const s = schemaProps(GATE_HOME);
    for (const k of [
      "hostTag",
      "hostTagValues",
      "stateTag",
      "maxAssessmentAgeDays",
      "requiredChecks",
      "investigationWindowStart",
      "securityBaseline",
      "approvedImages",
    ]) {
      expect(Object.keys(s)).toContain(k);
      expect(s[k]).toHaveProperty("default");
    }
    expect(s.hostTag.default).toBe("workload");
    expect(s.hostTagValues.default).toEqual(["exchange"]);
    expect(s.stateTag.default).toBe("remediation-state");
    expect(s.investigationWindowStart.default).toBe("2021-01-01");
    expect(s.approvedImages.default).toEqual([]);
    expect(s.requiredChecks.default).toEqual(expect.arrayContaining(["CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065"]));
  });

  it("securityBaseline defaults to the newest wave it lists, and lists the contract's waves", () => {
    const s = schemaProps(GATE_HOME).securityBaseline;
    const waves = s.enum as string[];
    expect(waves).toEqual(expect.arrayContaining(["2021-03", "2021-04", "2021-05", "2022-11"]));
    expect(s.default).toBe([...waves].sort().at(-1));
  });

  it("controlPlaneAssignedAt is a string on exchange-control-plane-guarded, unset by default (no assignment vouched for)", () => {
    const s = schemaProps(POLICY.controlPlane).controlPlaneAssignedAt;
    expect(s).toMatchObject({ type: "string", minLength: 1 });
    expect(s).not.toHaveProperty("default");
  });

  it('allowedPublicPorts defaults to ["443/tcp","25/tcp"] on exchange-verified-exposes-only-client-ports', () => {
    const s = schemaProps(POLICY.clientPorts).allowedPublicPorts;
    expect(s).toBeDefined();
    expect(s.default).toEqual(["443/tcp", "25/tcp"]);
  });

  it("trustedSourcePrefixes is configurable where internet sources are judged; forensics prefixes on the isolation policy", () => {
    expect(schemaProps(POLICY.notExposed).trustedSourcePrefixes?.default).toEqual([]);
    expect(schemaProps(POLICY.clientPorts).trustedSourcePrefixes?.default).toEqual([]);
    expect(schemaProps(POLICY.isolated).forensicsSourcePrefixes?.default).toEqual([]);
    expect(schemaProps(POLICY.isolated).forensicsDestinationPrefixes?.default).toEqual([]);
  });

  it("every schema property has a description and a type", () => {
    for (const p of info.policies) {
      for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
        expect([p.name, k, typeof s.description]).toEqual([p.name, k, "string"]);
        expect([p.name, k, typeof s.type]).toEqual([p.name, k, "string"]);
      }
    }
  });

  it("the engine's reconciliation with no config file gives each policy its default level and the schema defaults", () => {
    const config: Readonly<Record<string, PolicyConfigEntry>> = session().config;
    for (const [name, level] of EXPECTED) expect(config[name].enforcementLevel).toBe(level);
    expect(config[GATE_HOME].properties.maxAssessmentAgeDays).toBe(30);
    expect(config[POLICY.clientPorts].properties.allowedPublicPorts).toEqual(["443/tcp", "25/tcp"]);
  });
});
