/**
 * Enforcement levels over gRPC (docs/contract.md#policies-and-enforcement): per-policy level strings and objects,
 * "all", "disabled", remediate on a stack policy, and the advisory default of the evidence
 * policy. Each violation about a host carries the host VM's URN (docs/contract.md#policies-and-enforcement).
 */
import { cleanData } from "../support/estate";
import { expectDiag, expectNoPreviewDowngrade, exposedHost, of, POLICY, summary, useSession } from "./helpers";
import { FORMS } from "../support/assertions";

const session = useSession();

afterEach(async () => {
  await session().configure("");
});

const stack = async (preview: boolean) => {
  const h = exposedHost(preview);
  const r = await session().client.analyzeStack(h.e.resources);
  expectNoPreviewDowngrade(r.diagnostics);
  return { ...h, ds: r.diagnostics };
};

describe.each(FORMS)("an exposed unverified host (%s form)", (_form, preview) => {
  it("default config: a MANDATORY diagnostic from exchange-unverified-not-internet-exposed about the host VM", async () => {
    const { vm, ds } = await stack(preview);
    const d = expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["host ex01", "pip-ex01", "3389"] });
    expect(d.severity).toBe("critical");
    expect(d.policyPackName).toBe("exchange-compromise-guard");
    expect(d.message.startsWith(`${d.description}\n`)).toBe(true);
    // Every diagnostic about the host uses the VM's URN, never the NIC's or the public IP's.
    for (const x of of(ds, POLICY.notExposed)) expect(x.urn).toBe(vm.urn);
  });

  it('{"exchange-unverified-not-internet-exposed": "advisory"}: the same finding, advisory', async () => {
    await session().configure(`{"${POLICY.notExposed}": "advisory"}`);
    const { vm, ds } = await stack(preview);
    expectDiag(ds, POLICY.notExposed, "advisory", { urn: vm.urn, has: ["pip-ex01"] });
    expect(of(ds, POLICY.notExposed).filter((d) => d.enforcementLevel !== "advisory")).toEqual([]);
    // Other policies keep their own level.
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn });
  });

  it("the object form with enforcementLevel works like the string form", async () => {
    await session().configure(JSON.stringify({ [POLICY.notExposed]: { enforcementLevel: "advisory" } }));
    const { vm, ds } = await stack(preview);
    expectDiag(ds, POLICY.notExposed, "advisory", { urn: vm.urn });
    expect(of(ds, POLICY.notExposed).every((d) => d.enforcementLevel === "advisory")).toBe(true);
  });

  it('"disabled": no diagnostic from that policy, the others still run', async () => {
    await session().configure(`{"${POLICY.notExposed}": "disabled"}`);
    const { vm, ds } = await stack(preview);
    expect(of(ds, POLICY.notExposed)).toEqual([]);
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn });
  });

  it('{"all": "advisory"}: the finding is advisory, and so is every other diagnostic', async () => {
    await session().configure(`{"all": "advisory"}`);
    const { vm, ds } = await stack(preview);
    expectDiag(ds, POLICY.notExposed, "advisory", { urn: vm.urn });
    expect(ds.filter((d) => d.enforcementLevel !== "advisory")).toEqual([]);
  });

  it('{"all": "advisory"} with a per-policy "mandatory": the per-policy level wins', async () => {
    await session().configure(`{"all": "advisory", "${POLICY.notExposed}": "mandatory"}`);
    const { vm, ds } = await stack(preview);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectDiag(ds, POLICY.isolated, "advisory", { urn: vm.urn });
  });

  it('{"all": "disabled"}: nothing at all', async () => {
    await session().configure(`{"all": "disabled"}`);
    const { ds } = await stack(preview);
    expect(ds).toEqual([]);
  });

  it('"remediate" on a stack policy is reported as mandatory (stack policies cannot remediate)', async () => {
    await session().configure(`{"${POLICY.notExposed}": "remediate"}`);
    const { vm, ds } = await stack(preview);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });
});

describe("the evidence policy", () => {
  const compromisedWithoutSnapshot = (preview: boolean) => {
    const h = exposedHost(preview, { state: "compromised" });
    h.e.assessment("a-ex01", h.vm, cleanData({ verdict: "compromised" }));
    return h;
  };

  it.each(FORMS)("is advisory by default (%s form): a compromised host without an OS-disk snapshot", async (_f, preview) => {
    const { e, vm } = compromisedWithoutSnapshot(preview);
    const { diagnostics: ds } = await session().client.analyzeStack(e.resources);
    expectNoPreviewDowngrade(ds);
    const d = expectDiag(ds, POLICY.evidence, "advisory", { urn: vm.urn, has: ["host ex01", "snapshot"] });
    expect(d.severity).not.toBe("");
    // The mandatory policies still block the compromised host.
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it('becomes mandatory with {"exchange-evidence-preserved": "mandatory"}', async () => {
    await session().configure(`{"${POLICY.evidence}": "mandatory"}`);
    const { e, vm } = compromisedWithoutSnapshot(true);
    const { diagnostics: ds } = await session().client.analyzeStack(e.resources);
    expectDiag(ds, POLICY.evidence, "mandatory", { urn: vm.urn });
  });

  it("is silent when the OS disk was snapshotted with createOption Copy", async () => {
    const { e, vm } = compromisedWithoutSnapshot(false);
    e.add("azure-native:compute:Snapshot", "snap-ex01", {
      snapshotName: "snap-ex01",
      resourceGroupName: e.rg,
      creationData: { createOption: "Copy", sourceResourceId: e.armId("azure-native:compute:Disk", "ex01-osdisk") },
    });
    const { diagnostics: ds } = await session().client.analyzeStack(e.resources);
    expect(of(ds, POLICY.evidence)).toEqual([]);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });
});

describe("levels of the resource policy on Analyze", () => {
  it("default: mandatory; advisory when configured; none when disabled; mandatory when remediate", async () => {
    const { nic } = exposedHost(true);
    const levels: Array<[string, string | undefined]> = [
      ["", "mandatory"],
      [`{"${POLICY.noPublicAttachment}": "advisory"}`, "advisory"],
      [`{"all": "advisory"}`, "advisory"],
      [`{"${POLICY.noPublicAttachment}": "disabled"}`, undefined],
      [`{"${POLICY.noPublicAttachment}": "remediate"}`, "mandatory"],
    ];
    for (const [config, level] of levels) {
      await session().configure(config);
      const { diagnostics: ds } = await session().client.analyze(nic);
      expectNoPreviewDowngrade(ds);
      const mine = of(ds, POLICY.noPublicAttachment);
      if (level === undefined) expect([config, mine]).toEqual([config, []]);
      else if (mine.length === 0 || mine.some((d) => d.enforcementLevel !== level))
        throw new Error(`config ${config}: expected ${level}, got:\n${summary(ds)}`);
    }
  });
});
