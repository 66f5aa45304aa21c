/**
 * Policy config through the engine path (the engine's ConfigureStack and policy-pack config; docs/contract.md#configuration: bad config is
 * refused with a message that names the policy and the key; the gate is set once for all policies).
 *
 * - What the JSON schema can catch, the engine rejects before Configure: PolicyConfigError
 *   ("validating policy config"), the whole run aborts.
 * - What it cannot (a string that is not a CIDR, a port that is a management port, a gate key on
 *   the wrong policy, an impossible date), the pack reports as a mandatory "invalid policy config"
 *   diagnostic that names the key.
 */
import type { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { PolicyConfigError } from "../../cli/packDriver/policyConfig";
import { runPolicyPack } from "../../cli/packDriver/session";
import { cleanData, Estate, HOST_TAGS, rule } from "../support/estate";
import { baseNet, exHost, hostNic } from "../support/networks";
import { expectDiag, exposedHost, GATE_HOME, PACK, POLICY, summary, useSession } from "./helpers";

const session = useSession();

afterEach(async () => {
  await session().configure("");
});

/** An isolated, unexposed unverified host: so any config diagnostic is not drowned in findings. */
function quietEstate(): Estate {
  const e = new Estate({ preview: true });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "deny-all-in", priority: 100, access: "Deny", source: "*", port: "*" })]);
  exHost(e, { nics: [hostNic(e, sub, { nsg })] });
  return e;
}

async function stackWith(config: string, e: Estate = quietEstate()): Promise<Diagnostic[]> {
  await session().configure(config);
  return (await session().client.analyzeStack(e.resources)).diagnostics;
}

const configDiags = (ds: readonly Diagnostic[]) => ds.filter((d) => /invalid policy config/i.test(d.message));

describe("schema errors: the engine's reconciliation rejects them (PolicyConfigError)", () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ["maxAssessmentAgeDays a string", { [GATE_HOME]: { maxAssessmentAgeDays: "x" } }, /maxAssessmentAgeDays/],
    ["maxAssessmentAgeDays a fraction", { [GATE_HOME]: { maxAssessmentAgeDays: 2.5 } }, /maxAssessmentAgeDays/],
    ["maxAssessmentAgeDays zero", { [GATE_HOME]: { maxAssessmentAgeDays: 0 } }, /maxAssessmentAgeDays/],
    ["securityBaseline typo (enum)", { [GATE_HOME]: { securityBaseline: "2021-3" } }, /securityBaseline/],
    ["hostTagValues empty (minItems)", { [GATE_HOME]: { hostTagValues: [] } }, /hostTagValues/],
    ["hostTag empty", { [GATE_HOME]: { hostTag: "" } }, /hostTag/],
    ["investigationWindowStart not a date", { [GATE_HOME]: { investigationWindowStart: "January 2021" } }, /investigationWindowStart/],
    ["trustedSourcePrefixes a string, not a list", { [POLICY.notExposed]: { trustedSourcePrefixes: "203.0.113.0/24" } }, /trustedSourcePrefixes/],
    ["allowedPublicPorts without protocol", { [POLICY.clientPorts]: { allowedPublicPorts: ["443"] } }, /allowedPublicPorts/],
    ["forensicsSourcePrefixes with a number", { [POLICY.isolated]: { forensicsSourcePrefixes: [10] } }, /forensicsSourcePrefixes/],
  ])("%s", async (_label, config, key) => {
    let err: unknown;
    try {
      await session().configure(JSON.stringify(config));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyConfigError);
    expect((err as Error).message).toMatch(/validating policy config/);
    expect((err as Error).message).toMatch(key);
  });

  it("an invalid enforcement level is rejected when the file is parsed", async () => {
    await expect(session().configure(`{"${POLICY.notExposed}": "block"}`)).rejects.toBeInstanceOf(PolicyConfigError);
  });

  it("a fresh run with a schema error aborts before any analysis (like the engine)", async () => {
    const e = quietEstate();
    await expect(
      runPolicyPack({
        packDir: PACK,
        dryRun: true,
        policyPackConfig: JSON.stringify({ [GATE_HOME]: { maxAssessmentAgeDays: "x" } }),
        analyze: e.resources,
        analyzeStack: e.resources,
      }),
    ).rejects.toBeInstanceOf(PolicyConfigError);
  });
});

describe("semantic errors the schema cannot catch: a mandatory 'invalid policy config' diagnostic naming the key", () => {
  it("no config, no config diagnostic (baseline)", async () => {
    expect(configDiags(await stackWith(""))).toEqual([]);
  });

  it('trustedSourcePrefixes ["not-a-cidr"] on exchange-unverified-not-internet-exposed', async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.notExposed]: { trustedSourcePrefixes: ["not-a-cidr"] } }));
    expectDiag(ds, POLICY.notExposed, "mandatory", { has: ["invalid policy config", "trustedSourcePrefixes", "not-a-cidr"] });
  });

  it('trustedSourcePrefixes ["not-a-cidr"] on exchange-verified-exposes-only-client-ports', async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.clientPorts]: { trustedSourcePrefixes: ["not-a-cidr"] } }));
    expectDiag(ds, POLICY.clientPorts, "mandatory", { has: ["invalid policy config", "trustedSourcePrefixes"] });
  });

  it('forensicsSourcePrefixes ["corp-vpn"] on exchange-unverified-isolated', async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.isolated]: { forensicsSourcePrefixes: ["corp-vpn"] } }));
    expectDiag(ds, POLICY.isolated, "mandatory", { has: ["invalid policy config", "forensicsSourcePrefixes"] });
  });

  it('allowedPublicPorts ["3389/tcp"]: a management port is never published', async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.clientPorts]: { allowedPublicPorts: ["443/tcp", "3389/tcp"] } }));
    expectDiag(ds, POLICY.clientPorts, "mandatory", { has: ["invalid policy config", "allowedPublicPorts", "3389"] });
  });

  it('allowedPublicPorts ["70000/tcp"]: not a port', async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.clientPorts]: { allowedPublicPorts: ["70000/tcp"] } }));
    expectDiag(ds, POLICY.clientPorts, "mandatory", { has: ["invalid policy config", "allowedPublicPorts"] });
  });

  it.each<[string, string]>([
    [POLICY.isolated, "maxAssessmentAgeDays"],
    [POLICY.notExposed, "hostTag"],
    [POLICY.clientPorts, "securityBaseline"],
    [POLICY.buildPatched, "securityBaseline"],
    [POLICY.rebuilt, "approvedImages"],
  ])("a gate key set on another policy (%s: %s)", async (policy, key) => {
    const value = {
      maxAssessmentAgeDays: 10,
      hostTag: "role",
      securityBaseline: "2021-03",
      approvedImages: ["MicrosoftWindowsServer:WindowsServer:2019-datacenter"],
    }[key];
    const ds = await stackWith(JSON.stringify({ [policy]: { [key]: value } }));
    const d = expectDiag(ds, policy, "mandatory", { has: ["invalid policy config", key] });
    expect(d.message).toContain(GATE_HOME);
  });

  it("a gate key set on a resource policy is reported by Analyze", async () => {
    await session().configure(JSON.stringify({ [POLICY.noPublicAttachment]: { stateTag: "state" } }));
    const e = quietEstate();
    const nic = e.resources.find((r) => r.type === "azure-native:network:NetworkInterface")!;
    const { diagnostics } = await session().client.analyze(nic);
    expectDiag(diagnostics, POLICY.noPublicAttachment, "mandatory", { has: ["invalid policy config", "stateTag"] });
  });

  it("an unknown key is named", async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.notExposed]: { trustedSourcePrefix: ["203.0.113.0/24"] } }));
    expectDiag(ds, POLICY.notExposed, "mandatory", { has: ["invalid policy config", "trustedSourcePrefix"] });
  });

  it("investigationWindowStart 2021-13-45 (matches the pattern, is no date)", async () => {
    const ds = await stackWith(JSON.stringify({ [GATE_HOME]: { investigationWindowStart: "2021-13-45" } }));
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", "investigationWindowStart"] });
  });

  it('approvedImages ["ubuntu"] (neither an image id nor publisher:offer:sku)', async () => {
    const ds = await stackWith(JSON.stringify({ [GATE_HOME]: { approvedImages: ["ubuntu"] } }));
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", "approvedImages"] });
  });

  it('asOf "yesterday"', async () => {
    const ds = await stackWith(JSON.stringify({ [GATE_HOME]: { asOf: "yesterday" } }));
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", "asOf"] });
  });

  it("a gate key on an advisory policy still blocks: the gate home reports it as mandatory", async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.isolated]: { enforcementLevel: "advisory", maxAssessmentAgeDays: 10 } }));
    expectDiag(ds, POLICY.isolated, "advisory", { has: ["invalid policy config", "maxAssessmentAgeDays"] });
    const d = expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", POLICY.isolated, "maxAssessmentAgeDays"] });
    expect(d.message).toContain(`set it once on ${GATE_HOME}`);
  });

  it("controlPlaneAssignedAt of the wrong form: the advisory policy says so, and the gate home blocks on it", async () => {
    const bad = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-exchange";
    const ds = await stackWith(JSON.stringify({ [POLICY.controlPlane]: { controlPlaneAssignedAt: bad } }));
    expectDiag(ds, POLICY.controlPlane, "advisory", { has: ["invalid policy config", "controlPlaneAssignedAt", "neither a management group id"] });
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", `${POLICY.controlPlane}: controlPlaneAssignedAt`, bad] });
  });

  it("a well-formed controlPlaneAssignedAt is no config error", async () => {
    const ds = await stackWith(
      JSON.stringify({ [POLICY.controlPlane]: { controlPlaneAssignedAt: "/providers/Microsoft.Management/managementGroups/corp" } }),
    );
    expect(configDiags(ds)).toEqual([]);
  });

  it("a bad value on an advisory policy blocks like a bad key: forensicsSourcePrefixes on an advisory isolation policy", async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.isolated]: { enforcementLevel: "advisory", forensicsSourcePrefixes: ["corp-vpn"] } }));
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", `${POLICY.isolated}: forensicsSourcePrefixes`, "corp-vpn"] });
  });

  it("a typo in a disabled policy's key still blocks", async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.evidence]: { enforcementLevel: "disabled", hostTag: "role" } }));
    expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", POLICY.evidence, "hostTag"] });
  });

  it("an unknown policy name (which the engine keeps silently) is a mandatory violation naming it, with the close name", async () => {
    const ds = await stackWith(JSON.stringify({ "exchange-unverfied-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"] } }));
    const d = expectDiag(ds, GATE_HOME, "mandatory", { has: ["invalid policy config", "exchange-unverfied-isolated"] });
    expect(d.message).toContain(`did you mean "${POLICY.isolated}"?`);
  });

  it("the gate home at advisory: the next blocking stack policy reports the unknown name", async () => {
    const ds = await stackWith(JSON.stringify({ [GATE_HOME]: "advisory", "exchange-no-such-policy": {} }));
    const found = ds.filter((d) => d.enforcementLevel === "mandatory" && d.message.includes("exchange-no-such-policy"));
    expect(found.map((d) => d.policyName)).toEqual([POLICY.buildPatched]);
  });

  it("an unknown key on a mandatory policy is reported once, by that policy", async () => {
    const ds = await stackWith(JSON.stringify({ [POLICY.notExposed]: { trustedSourcePrefix: ["203.0.113.0/24"] } }));
    expect(ds.filter((d) => d.message.includes("trustedSourcePrefix")).map((d) => d.policyName)).toEqual([POLICY.notExposed]);
  });

  it("a bad trusted prefix does not silently widen or narrow the internet: the exposure is still reported", async () => {
    const h = exposedHost(true);
    const ds = await stackWith(JSON.stringify({ [POLICY.notExposed]: { trustedSourcePrefixes: ["not-a-cidr"] } }), h.e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: h.vm.urn, has: ["pip-ex01"] });
  });
});

describe("the gate is set once, on the gate home, and every policy uses it", () => {
  /** A host tagged role=mail / state=unverified, exposed on 3389 through a public IP. */
  function customTagged(preview: boolean) {
    const tags = { role: "mail", state: "unverified" };
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags });
    const vm = exHost(e, { nics: [nic], tags });
    return { e, vm, nic };
  }
  const GATE = { hostTag: "role", hostTagValues: ["mail"], stateTag: "state" };

  it("custom host and state tags on the gate home: the stack and resource policies find the host", async () => {
    const { e, vm, nic } = customTagged(true);
    const ds = await stackWith(JSON.stringify({ [GATE_HOME]: GATE }), e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    const { diagnostics } = await session().client.analyze(nic);
    expectDiag(diagnostics, POLICY.noPublicAttachment, "mandatory");
  });

  it("maxAssessmentAgeDays on the gate home decides 'verified' for the exposure policy too", async () => {
    const e = new Estate({ preview: false });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") })], state: "remediated" });
    e.assessment("a-ex01", vm, cleanData({ completedAt: new Date(Date.now() - 10 * 86400000).toISOString() }));
    const relaxed = await stackWith("", e);
    expect(relaxed.filter((d) => d.urn === vm.urn && d.enforcementLevel === "mandatory")).toEqual([]);
    const strict = await stackWith(JSON.stringify({ [GATE_HOME]: { maxAssessmentAgeDays: 5 } }), e);
    expectDiag(strict, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectDiag(strict, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["443"] });
  });

  it.each([
    ["disabled", "disabled"],
    ["advisory", "advisory"],
  ])("the gate home at level %s still sets the gate for the other policies (fresh pack, as the engine starts it)", async (_l, level) => {
    const { e, vm, nic } = customTagged(true);
    const r = await runPolicyPack({
      packDir: PACK,
      dryRun: true,
      concurrency: 1,
      policyPackConfig: JSON.stringify({ [GATE_HOME]: { enforcementLevel: level, ...GATE } }),
      analyze: e.resources,
      analyzeStack: e.resources,
    });
    const all = [...r.resourceDiagnostics, ...r.stackDiagnostics];
    if (!all.some((d) => d.policyName === POLICY.notExposed && d.urn === vm.urn && d.enforcementLevel === "mandatory")) {
      throw new Error(`gate home ${level}: the exposed role=mail host ${vm.name} is not reported; got:\n${summary(all)}`);
    }
    expect(r.resourceDiagnostics.some((d) => d.policyName === POLICY.noPublicAttachment && d.message.includes(nic.name))).toBe(true);
  });
});
