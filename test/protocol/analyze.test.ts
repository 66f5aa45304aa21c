/**
 * Analyze over gRPC (the engine's Analyze request: https://github.com/pulumi/pulumi/blob/master/proto/pulumi/analyzer.proto): one resource at a time, its INPUTS, no dependencies or
 * propertyDependencies. Only the resource policies judge here; the gate home answers "not
 * applicable" (it only makes the gate readable), and stack policies never report from Analyze.
 */
import { cleanData, Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { hostNic, inlineVm, publiclyFrontedNet } from "../support/networks";
import { expectDiag, expectNoPreviewDowngrade, GATE_HOME, POLICY, summary, useSession } from "./helpers";
import type { EngineResource } from "../../cli/packDriver/analyzerClient";
import { FORMS } from "../support/assertions";

const session = useSession();

/** As the engine sends it to Analyze: inputs only, no dependencies. */
const asInput = (r: EngineResource): EngineResource => ({ urn: r.urn, type: r.type, name: r.name, properties: r.properties });

const RESOURCE_POLICIES = new Set<string>([POLICY.noPublicAttachment, POLICY.recordValid]);

async function analyze(r: EngineResource) {
  const res = await session().client.analyze(asInput(r));
  expectNoPreviewDowngrade(res.diagnostics);
  for (const d of res.diagnostics) {
    if (!RESOURCE_POLICIES.has(d.policyName)) throw new Error(`a stack policy reported from Analyze:\n${summary(res.diagnostics)}`);
    // A resource policy reports on the analysed resource itself (the engine attributes an empty URN to it).
    expect([r.urn, ""]).toContain(d.urn);
  }
  return res;
}

function fixtures(preview: boolean) {
  const e = new Estate({ preview });
  const { vnet, sub, lb, agw } = publiclyFrontedNet(e);
  return { e, vnet, sub, lb, agw };
}

describe.each(FORMS)("Analyze (%s form)", (_form, preview) => {
  it("a NIC tagged unverified with a public IP: mandatory from exchange-unverified-no-public-attachment, naming NIC and ipConfiguration", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const { diagnostics: ds } = await analyze(nic);
    expect(ds).toHaveLength(1);
    const d = expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["NIC nic-ex01", "unverified", "public IP", "ipconfig1"] });
    expect(d.severity).toBe("critical");
  });

  it("the gate home reports not applicable, with a reason", async () => {
    const { e, sub } = fixtures(preview);
    const { notApplicable } = await analyze(hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") }));
    const na = notApplicable.find((n) => n.policyName === GATE_HOME);
    expect(na).toBeDefined();
    expect(na!.reason.trim()).not.toBe("");
  });

  it.each([
    ["load balancer backend pool", { lbPools: true }, "load balancer backend pool membership"],
    ["load balancer inbound NAT rule", { natRules: true }, "load balancer inbound NAT rule membership"],
    ["application gateway backend pool", { agwPools: true }, "application gateway backend pool membership"],
  ] as Array<[string, { lbPools?: boolean; natRules?: boolean; agwPools?: boolean }, string]>)(
    "an unverified NIC in a %s: mandatory",
    async (_l, which, text) => {
      const { e, sub, lb, agw } = fixtures(preview);
      const nic = hostNic(e, sub, {
        lbPools: which.lbPools ? [[lb, "pool-owa"]] : undefined,
        natRules: which.natRules ? [[lb, "nat-rdp"]] : undefined,
        agwPools: which.agwPools ? [[agw, "pool"]] : undefined,
      });
      expectDiag((await analyze(nic)).diagnostics, POLICY.noPublicAttachment, "mandatory", { has: [text] });
    },
  );

  it("a compromised NIC, a NIC without a state tag, a NIC with an unrecognised state: all blocked", async () => {
    const { e, sub } = fixtures(preview);
    for (const [name, tags] of [
      ["nic-c", HOST_TAGS("compromised")],
      ["nic-n", { workload: "exchange" }],
      ["nic-x", { workload: "Exchange", "remediation-state": "cleaned" }],
      ["nic-case", { WORKLOAD: " exchange ", "Remediation-State": "unverified" }],
    ] as Array<[string, Record<string, string>]>) {
      const nic = hostNic(e, sub, { name, tags, publicIp: e.publicIp(`pip-${name}`) });
      expectDiag((await analyze(nic)).diagnostics, POLICY.noPublicAttachment, "mandatory", { has: [name] });
    }
  });

  it("a NIC whose tags are unknown at preview: blocked (it may be an Exchange host)", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), tags: UNKNOWN as unknown as Record<string, string> });
    expectDiag((await analyze(nic)).diagnostics, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("an unverified VM with inline NIC configurations and a VM-created public IP: mandatory", async () => {
    const { e, sub, lb } = fixtures(preview);
    const vm = inlineVm(e, "ex01", {
      subnet: sub,
      publicIp: { name: "pip-inline", sku: { name: "Standard" } },
      lbPools: [[lb, "pool-owa"]],
      tags: HOST_TAGS("unverified"),
    });
    const { diagnostics: ds } = await analyze(vm);
    expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["VM ex01", "public IP"] });
    expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["VM ex01", "load balancer backend pool"] });
  });

  it("a NIC marked remediated with a public IP: allowed per resource (the stack policies judge the gate)", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
    expect((await analyze(nic)).diagnostics).toEqual([]);
  });

  it("an unverified NIC without any public attachment: nothing", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []) });
    expect((await analyze(nic)).diagnostics).toEqual([]);
  });

  it("non-Exchange resources produce no diagnostics, however exposed", async () => {
    const { e, sub, lb, agw } = fixtures(preview);
    const webNic = hostNic(e, sub, {
      name: "nic-web",
      tags: { workload: "web" },
      publicIp: e.publicIp("pip-web"),
      lbPools: [[lb, "pool-owa"]],
      agwPools: [[agw, "pool"]],
    });
    const untagged = e.nic("nic-untagged", { subnet: sub, publicIp: e.publicIp("pip-untagged") });
    const webVm = inlineVm(e, "web01", {
      subnet: sub,
      publicIp: { name: "pip-inline" },
      tags: { workload: "web", "remediation-state": "unverified" },
    });
    const wide = e.nsg("nsg-wide", [rule({ name: "allow-all", priority: 100, source: "*", port: "*" })]);
    const other = [
      webNic,
      untagged,
      webVm,
      wide,
      lb,
      agw,
      e.publicIp("pip-lonely"),
      e.add("azure-native:storage:StorageAccount", "sa01", {
        accountName: "sa01",
        resourceGroupName: e.rg,
        sku: { name: "Standard_LRS" },
        kind: "StorageV2",
        tags: { workload: "exchange" },
      }),
      e.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: e.rg, location: "westeurope", tags: { workload: "exchange" } }),
      e.add("pulumi:pulumi:Stack", "exchange-dev", {}),
      e.add("pulumi:providers:azure-native", "default", { location: "westeurope" }),
    ];
    for (const r of other) {
      const { diagnostics } = await analyze(r);
      expect([r.type, r.name, diagnostics]).toEqual([r.type, r.name, []]);
    }
  });

  it("an assessment that is not ours (another assessmentKind), even malformed: no diagnostic", async () => {
    const { e, sub } = fixtures(preview);
    const vm = inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("remediated") });
    const a = e.assessment("a-other", vm, { assessmentKind: "vulnerability-scan", completedAt: "not a date" });
    expect((await analyze(a)).diagnostics).toEqual([]);
  });

  it("a malformed exchange-compromise assessment: mandatory from exchange-assessment-record-valid; a good one: nothing", async () => {
    const { e, sub } = fixtures(preview);
    const vm = inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("remediated") });
    const bad = e.assessment("a-bad", vm, cleanData({ verdict: "clean", evidenceSha256: "nope" }), "Unhealthy");
    const { diagnostics: ds } = await analyze(bad);
    expectDiag(ds, POLICY.recordValid, "mandatory", { has: ["a-bad"] });
    const good = e.assessment("a-good", vm, cleanData());
    expect((await analyze(good)).diagnostics).toEqual([]);
  });

  it("Analyze never sees dependencies, and needs none: the same verdict with or without them", async () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const a = await session().client.analyze(asInput(nic));
    const b = await session().client.analyze(nic);
    expect(b.diagnostics).toEqual(a.diagnostics);
  });
});

describe("Analyze under concurrency (the engine analyses many resources at once)", () => {
  it("50 calls in flight give each resource its own verdict", async () => {
    const { e, sub } = fixtures(true);
    const jobs: Array<{ r: EngineResource; blocked: boolean }> = [];
    for (let i = 0; i < 50; i++) {
      const blocked = i % 2 === 0;
      const nic = hostNic(e, sub, {
        name: `nic-${i}`,
        tags: blocked ? HOST_TAGS("unverified") : { workload: "web" },
        publicIp: e.publicIp(`pip-${i}`),
      });
      jobs.push({ r: nic, blocked });
    }
    const results = await Promise.all(jobs.map((j) => session().client.analyze(asInput(j.r))));
    results.forEach((res, i) => {
      const mine = res.diagnostics.filter((d) => d.policyName === POLICY.noPublicAttachment);
      expect([jobs[i].r.name, mine.length]).toEqual([jobs[i].r.name, jobs[i].blocked ? 1 : 0]);
      if (jobs[i].blocked) expect(mine[0].message).toContain(`NIC ${jobs[i].r.name} `);
    });
  });
});
