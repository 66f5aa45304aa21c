/**
 * Remediate over gRPC (docs/contract.md#policies-and-enforcement): only at enforcement level
 * `remediate` does exchange-unverified-no-public-attachment return new inputs, with the public IP
 * and the load balancer / application gateway pool and NAT-rule memberships stripped from the
 * host's ipConfigurations and everything else unchanged. Secrets stay secret envelopes, so the
 * engine redeploys them encrypted.
 */
import type { EngineResource, RemediationResult } from "../../cli/packDriver/analyzerClient";
import { runPolicyPack } from "../../cli/packDriver/session";
import { Estate, HOST_TAGS, SECRET_KEY, SECRET_SIG, secret } from "../support/estate";
import { baseNet, hostNic, inlineVm, publiclyFrontedNet } from "../support/networks";
import { expectNoPreviewDowngrade, getPath, PACK, POLICY, setPath, useSession } from "./helpers";
import { FORMS } from "../support/assertions";

const REMEDIATE = `{"${POLICY.noPublicAttachment}": "remediate"}`;
const session = useSession(REMEDIATE);

const ATTACHMENTS = ["publicIPAddress", "loadBalancerBackendAddressPools", "loadBalancerInboundNatRules", "applicationGatewayBackendAddressPools"];

const isEnvelope = (v: unknown): v is { value: unknown } =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG && "value" in (v as Record<string, unknown>);

function fixtures(preview: boolean) {
  const e = new Estate({ preview });
  const { sub, lb, agw } = publiclyFrontedNet(e);
  return { e, sub, lb, agw };
}

/** The one remediation of our policy, with its new properties. */
function only(rems: readonly RemediationResult[]): Record<string, unknown> {
  expect(rems.map((r) => r.policyName)).toEqual([POLICY.noPublicAttachment]);
  for (const r of rems) expect(r.diagnostic).not.toMatch(/can't run|during preview/);
  expect(rems[0].properties).toBeDefined();
  return rems[0].properties!;
}

const ipConfigs = (props: Record<string, unknown>): Array<Record<string, unknown>> => props.ipConfigurations as Array<Record<string, unknown>>;

describe.each(FORMS)("Remediate at level remediate (%s form)", (_form, preview) => {
  it("strips the public IP, LB pools, NAT rules and App Gateway pools from an unverified NIC; keeps the rest", async () => {
    const { e, sub, lb, agw } = fixtures(preview);
    const nic = hostNic(e, sub, {
      publicIp: e.publicIp("pip-ex01"),
      lbPools: [[lb, "pool-owa"]],
      natRules: [[lb, "nat-rdp"]],
      agwPools: [[agw, "pool"]],
      nsg: e.nsg("nsg-ex01", []),
    });
    const props = only(await session().client.remediate(nic));
    const cfg = ipConfigs(props)[0];
    for (const k of ATTACHMENTS) expect(cfg).not.toHaveProperty(k);
    const before = ipConfigs(nic.properties)[0];
    expect(cfg.name).toBe(before.name);
    expect(cfg.subnet).toEqual(before.subnet);
    expect(cfg.privateIPAddress).toBe(before.privateIPAddress);
    expect(props.networkSecurityGroup).toEqual(nic.properties.networkSecurityGroup);
    expect(props.tags).toEqual(nic.properties.tags);
    expect(props.networkInterfaceName).toBe("nic-ex01");
  });

  it("strips every ipConfiguration, not just the first", async () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, {
      publicIp: e.publicIp("pip-ex01"),
      extraConfigs: [
        {
          name: "ipconfig2",
          subnet: e.ref(sub),
          publicIPAddress: e.ref(e.publicIp("pip-ex01b")),
          loadBalancerBackendAddressPools: [e.ref(lb, "backendAddressPools/pool-owa")],
        },
      ],
    });
    const cfgs = ipConfigs(only(await session().client.remediate(nic)));
    expect(cfgs).toHaveLength(2);
    for (const c of cfgs) for (const k of ATTACHMENTS) expect(c).not.toHaveProperty(k);
    expect(cfgs.map((c) => c.name)).toEqual(["ipconfig1", "ipconfig2"]);
  });

  it("keeps secrets as secret envelopes: a secret tag, a secret private IP, the VM-level secrets", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, {
      publicIp: e.publicIp("pip-ex01"),
      tags: { ...HOST_TAGS("unverified"), owner: secret("alice@contoso.example") } as unknown as Record<string, string>,
    });
    setPath(nic.properties, ["ipConfigurations", 0, "privateIPAddress"], secret("10.0.1.4"));
    const props = only(await session().client.remediate(nic));
    const owner = getPath(props, ["tags", "owner"]);
    expect(isEnvelope(owner)).toBe(true);
    expect((owner as { value: unknown }).value).toBe("alice@contoso.example");
    const ip = getPath(props, ["ipConfigurations", 0, "privateIPAddress"]);
    expect(isEnvelope(ip)).toBe(true);
    expect((ip as { value: unknown }).value).toBe("10.0.1.4");
    expect(getPath(props, ["ipConfigurations", 0, "publicIPAddress"])).toBeUndefined();
  });

  it("a whole secret tags object stays one secret envelope", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), tags: secret(HOST_TAGS("compromised")) as unknown as Record<string, string> });
    const props = only(await session().client.remediate(nic));
    expect(isEnvelope(props.tags)).toBe(true);
    expect((props.tags as { value: unknown }).value).toEqual(HOST_TAGS("compromised"));
    expect(getPath(props, ["ipConfigurations", 0, "publicIPAddress"])).toBeUndefined();
  });

  it("an unverified VM with inline NIC configurations: the VM-created public IP and pools go, the admin password stays secret", async () => {
    const { e, sub, lb, agw } = fixtures(preview);
    const vm = inlineVm(e, "ex01", {
      subnet: sub,
      publicIp: { name: "pip-inline", sku: { name: "Standard" } },
      lbPools: [[lb, "pool-owa"]],
      agwPools: [[agw, "pool"]],
      tags: HOST_TAGS("unverified"),
    });
    setPath(vm.properties, ["osProfile", "adminPassword"], secret("S3cret-Passw0rd!"));
    const props = only(await session().client.remediate(vm));
    const cfg = getPath(props, ["networkProfile", "networkInterfaceConfigurations", 0, "ipConfigurations", 0]) as Record<string, unknown>;
    for (const k of ["publicIPAddressConfiguration", "loadBalancerBackendAddressPools", "applicationGatewayBackendAddressPools"])
      expect(cfg).not.toHaveProperty(k);
    expect(cfg.subnet).toBeDefined();
    expect(isEnvelope(getPath(props, ["osProfile", "adminPassword"]))).toBe(true);
    expect(props.storageProfile).toEqual(vm.properties.storageProfile);
  });

  it("the remediated inputs then pass Analyze (the engine analyses what it will deploy)", async () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), lbPools: [[lb, "pool-owa"]] });
    const props = only(await session().client.remediate(nic));
    const after = await session().client.analyze({ ...nic, properties: props });
    expectNoPreviewDowngrade(after.diagnostics);
    expect(after.diagnostics.filter((d) => d.policyName === POLICY.noPublicAttachment)).toEqual([]);
    // The original inputs are still reported, as mandatory (remediate is reported as mandatory on Analyze).
    const before = await session().client.analyze(nic);
    expect(before.diagnostics.filter((d) => d.policyName === POLICY.noPublicAttachment).map((d) => d.enforcementLevel)).toEqual([
      "mandatory",
      "mandatory",
    ]);
  });

  it("nothing to remediate: a NIC without attachments, a remediated NIC, a non-Exchange NIC, other types", async () => {
    const { e, sub, lb } = fixtures(preview);
    const cases: EngineResource[] = [
      hostNic(e, sub, { name: "nic-clean", nsg: e.nsg("nsg-ex01", []) }),
      hostNic(e, sub, { name: "nic-remediated", publicIp: e.publicIp("pip-r"), tags: HOST_TAGS("remediated") }),
      hostNic(e, sub, { name: "nic-web", publicIp: e.publicIp("pip-w"), tags: { workload: "web" } }),
      lb,
      e.publicIp("pip-x"),
      e.add("azure-native:storage:StorageAccount", "sa01", { accountName: "sa01", tags: HOST_TAGS("unverified") }),
    ];
    for (const r of cases) expect([r.name, await session().client.remediate(r)]).toEqual([r.name, []]);
  });
});

describe("Remediate at other levels returns nothing", () => {
  afterAll(async () => {
    await session().configure(REMEDIATE);
  });

  it.each([
    "",
    `{"${POLICY.noPublicAttachment}": "mandatory"}`,
    `{"${POLICY.noPublicAttachment}": "advisory"}`,
    `{"${POLICY.noPublicAttachment}": "disabled"}`,
    `{"all": "mandatory"}`,
  ])("config %j", async (config) => {
    await session().configure(config);
    const { e, sub } = fixtures(true);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    expect(await session().client.remediate(nic)).toEqual([]);
  });

  it('{"all": "remediate"} remediates the NIC (the stack policies have no remediation)', async () => {
    await session().configure(`{"all": "remediate"}`);
    const { e, sub } = fixtures(true);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const cfg = ipConfigs(only(await session().client.remediate(nic)))[0];
    expect(cfg).not.toHaveProperty("publicIPAddress");
  });
});

describe("secret containers around the attachments", () => {
  it("a whole ipConfiguration sent as a secret: stripped, and still one secret envelope", async () => {
    const { e, sub } = fixtures(false);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    setPath(nic.properties, ["ipConfigurations", 0], secret(ipConfigs(nic.properties)[0]));
    const cfg = ipConfigs(only(await session().client.remediate(nic)))[0];
    // Received: { value: { ..., publicIPAddress } } — the secret signature is lost and nothing is stripped.
    expect(isEnvelope(cfg)).toBe(true);
    const inner = (cfg as { value: Record<string, unknown> }).value;
    expect(inner).not.toHaveProperty("publicIPAddress");
    expect(inner.name).toBe("ipconfig1");
  });

  it("the whole ipConfigurations array sent as a secret: stripped, still secret", async () => {
    const { e, sub } = fixtures(false);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    setPath(nic.properties, ["ipConfigurations"], secret(nic.properties.ipConfigurations));
    const props = only(await session().client.remediate(nic));
    expect(isEnvelope(props.ipConfigurations)).toBe(true);
    const cfgs = (props.ipConfigurations as { value: Array<Record<string, unknown>> }).value;
    expect(cfgs[0]).not.toHaveProperty("publicIPAddress");
  });
});

describe("the engine sequence in a fresh pack (Remediate, then Analyze with the new inputs)", () => {
  it("remediations are applied and the remediated NIC passes; a custom gate set on the gate home applies to the first resource too", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const tags = { role: "mail", state: "unverified" };
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), tags });
    const nic2 = hostNic(e, sub, { name: "nic-ex02", publicIp: e.publicIp("pip-ex02"), tags });
    const r = await runPolicyPack({
      packDir: PACK,
      dryRun: true,
      concurrency: 1,
      policyPackConfig: JSON.stringify({
        [POLICY.noPublicAttachment]: "remediate",
        [POLICY.requiresAssessment]: { hostTag: "role", hostTagValues: ["mail"], stateTag: "state" },
      }),
      analyze: [nic, nic2],
      analyzeStack: [],
    });
    // Each NIC is remediated before it is analysed, so Analyze has nothing left to report.
    expect(r.remediations.map((m) => m.urn)).toEqual([nic.urn, nic2.urn]);
    expect(r.resourceDiagnostics.filter((d) => d.policyName === POLICY.noPublicAttachment)).toEqual([]);
  });
});
