/**
 * exchange-unverified-no-public-attachment (rule: policies/rules/unverifiedNoPublicAttachment.ts; contract:
 * docs/contract.md#admission-during-pulumi-up), on one resource at a time as the engine sends it (inputs, also during `pulumi up`): a NIC
 * or VM tagged as an Exchange host and not marked remediated carries no public IP and no load balancer / Application
 * Gateway pool or NAT-rule membership; at level remediate it strips exactly those keys. Admission, the other half of
 * this policy, is tested in admission.test.ts.
 */
import { Estate, HOST_TAGS, Res, UNKNOWN } from "../support/estate";
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { toResourceInput } from "../../policies/model/resourceInputs";
import { unverifiedNoPublicAttachment } from "../../policies/rules";
import { HOST_IP, hostNic, inlineVm, publiclyFrontedNet } from "../support/networks";
import { FORMS } from "../support/assertions";

const gate = resolveGate({}).gate;
const input = (r: Res): ResourceInput => toResourceInput(r);
const evaluate = (r: Res) => unverifiedNoPublicAttachment.evaluate(input(r), gate, new Date());

function fixtures(preview: boolean) {
  const e = new Estate({ preview });
  const { sub, lb, agw } = publiclyFrontedNet(e);
  const asg = e.add("azure-native:network:ApplicationSecurityGroup", "asg-exchange", {
    applicationSecurityGroupName: "asg-exchange",
    resourceGroupName: e.rg,
  });
  const nsg = e.nsg("nsg-ex01", []);
  return { e, sub, lb, agw, asg, nsg };
}

describe.each(FORMS)("no public attachment (%s form)", (_form, preview) => {
  it("an unverified NIC with a public IP: one violation naming the NIC and ipConfiguration", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("NIC nic-ex01");
    expect(v[0].message).toContain("state unverified");
    expect(v[0].message).toContain("a public IP on NIC nic-ex01/ipconfig1");
    expect(v[0].urn).toBeUndefined();
  });

  it.each<[string, { lbPools?: boolean; natRules?: boolean; agwPools?: boolean }, string]>([
    ["load balancer backend pool", { lbPools: true }, "load balancer backend pool membership"],
    ["load balancer NAT rule", { natRules: true }, "load balancer inbound NAT rule membership"],
    ["application gateway pool", { agwPools: true }, "application gateway backend pool membership"],
  ])("an unverified NIC in a %s: one violation", (_label, which, text) => {
    const { e, sub, lb, agw } = fixtures(preview);
    const nic = hostNic(e, sub, {
      lbPools: which.lbPools ? [[lb, "pool-owa"]] : undefined,
      natRules: which.natRules ? [[lb, "nat-rdp"]] : undefined,
      agwPools: which.agwPools ? [[agw, "pool"]] : undefined,
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain(text);
    expect(v[0].message).toContain("nic-ex01/ipconfig1");
  });

  it("all four on one NIC: four violations; a compromised NIC too", () => {
    const { e, sub, lb, agw } = fixtures(preview);
    for (const state of ["unverified", "compromised"]) {
      const nic = hostNic(e, sub, {
        name: `nic-ex01-${state}`,
        tags: HOST_TAGS(state),
        publicIp: e.publicIp(`pip-${state}`),
        lbPools: [[lb, "pool-owa"]],
        natRules: [[lb, "nat-rdp"]],
        agwPools: [[agw, "pool"]],
      });
      const v = evaluate(nic);
      expect(v).toHaveLength(4);
      for (const x of v) expect(x.message).toContain(`state ${state}`);
    }
  });

  it("a NIC without a state tag counts as unverified", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { tags: { workload: "exchange" }, publicIp: e.publicIp("pip-ex01") });
    expect(evaluate(nic)).toHaveLength(1);
  });

  it("tag tricks: Workload / ' Exchange ' with conflicting state tags is still blocked", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, {
      tags: { Workload: " Exchange ", "remediation-state": "remediated", "Remediation-State": "compromised" },
      publicIp: e.publicIp("pip-ex01"),
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("compromised");
  });

  it("a remediated NIC: none", () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, { tags: HOST_TAGS("remediated"), publicIp: e.publicIp("pip-ex01"), lbPools: [[lb, "pool-owa"]] });
    expect(evaluate(nic)).toEqual([]);
  });

  it("a non-Exchange NIC: none", () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, {
      tags: { workload: "sharepoint", "remediation-state": "unverified" },
      publicIp: e.publicIp("pip-ex01"),
      lbPools: [[lb, "pool-owa"]],
    });
    expect(evaluate(nic)).toEqual([]);
  });

  it("an unverified NIC with no public attachment: none", () => {
    const { e, sub, nsg, asg } = fixtures(preview);
    const nic = hostNic(e, sub, { nsg, asgs: [asg] });
    expect(evaluate(nic)).toEqual([]);
  });

  it("an unverified NIC with unknown ipConfigurations: a violation", () => {
    const { e } = fixtures(preview);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", {
      networkInterfaceName: "nic-ex01",
      resourceGroupName: e.rg,
      ipConfigurations: UNKNOWN,
      tags: HOST_TAGS("unverified"),
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("nic-ex01");
    expect(v[0].message).toContain("unknown at preview");
  });

  it("a NIC whose tags are unknown may belong to a host: blocked", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    (nic.properties as Record<string, unknown>).tags = UNKNOWN;
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/may belong to an Exchange host/);
  });

  it("an unverified VM with an inline public IP / LB pool: violations; remediate strips them", () => {
    const { e, sub, lb } = fixtures(preview);
    const vm = inlineVm(e, "ex01", {
      subnet: sub,
      tags: HOST_TAGS("unverified"),
      publicIp: { name: "pip-ex01", sku: { name: "Standard" } },
      lbPools: [[lb, "pool-owa"]],
    });
    const v = evaluate(vm);
    expect(v).toHaveLength(2);
    expect(v.every((x) => x.message.includes("VM ex01"))).toBe(true);
    expect(v.some((x) => x.message.includes("a public IP (created by the VM)"))).toBe(true);
    const fixed = unverifiedNoPublicAttachment.remediate!(input(vm), gate)!;
    const cfgs = (fixed.networkProfile as { networkInterfaceConfigurations: Array<{ ipConfigurations: Array<Record<string, unknown>> }> })
      .networkInterfaceConfigurations;
    expect(cfgs[0].ipConfigurations[0]).toEqual({ name: "ipconfig1", primary: true, subnet: e.ref(sub) });
    expect(fixed.storageProfile).toEqual(vm.properties.storageProfile);
    expect(evaluate({ ...vm, properties: fixed })).toEqual([]);
  });

  it("remediate strips exactly publicIPAddress, pools and NAT rules and keeps everything else", () => {
    const { e, sub, lb, agw, asg, nsg } = fixtures(preview);
    const nic = hostNic(e, sub, {
      nsg,
      asgs: [asg],
      publicIp: e.publicIp("pip-ex01"),
      lbPools: [[lb, "pool-owa"]],
      natRules: [[lb, "nat-rdp"]],
      agwPools: [[agw, "pool"]],
      extraConfigs: [
        {
          name: "ipconfig2",
          subnet: e.ref(sub),
          privateIPAddress: "10.0.1.5",
          privateIPAllocationMethod: "Static",
          publicIPAddress: e.ref(e.publicIp("pip-ex01-2")),
        },
      ],
    });
    (nic.properties as Record<string, unknown>).enableAcceleratedNetworking = true;
    const fixed = unverifiedNoPublicAttachment.remediate!(input(nic), gate)!;
    const before = nic.properties as { ipConfigurations: Array<Record<string, unknown>> } & Record<string, unknown>;
    const after = fixed as { ipConfigurations: Array<Record<string, unknown>> } & Record<string, unknown>;
    const stripped = ["publicIPAddress", "loadBalancerBackendAddressPools", "loadBalancerInboundNatRules", "applicationGatewayBackendAddressPools"];
    expect(after.ipConfigurations).toHaveLength(2);
    after.ipConfigurations.forEach((cfg, i) => {
      const expected = Object.fromEntries(Object.entries(before.ipConfigurations[i]).filter(([k]) => !stripped.includes(k)));
      expect(cfg).toEqual(expected);
    });
    expect(after.ipConfigurations[0]).toMatchObject({
      name: "ipconfig1",
      privateIPAddress: HOST_IP,
      applicationSecurityGroups: [e.ref(asg)],
      subnet: e.ref(sub),
    });
    for (const k of Object.keys(before)) if (k !== "ipConfigurations") expect(after[k]).toEqual(before[k]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    // The input itself is not mutated, and the fixed NIC passes.
    expect(before.ipConfigurations[0].publicIPAddress).toBeDefined();
    expect(evaluate({ ...nic, properties: fixed })).toEqual([]);
  });

  it.each(["azure-native:network/v20240501:NetworkInterface", "azure-native_network_v20240501:network:NetworkInterface"])(
    "a versioned type token (%s) does not bypass the policy",
    (type) => {
      const { e, sub } = fixtures(preview);
      const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
      expect(unverifiedNoPublicAttachment.evaluate({ ...input(nic), type }, gate, new Date())).toHaveLength(1);
    },
  );

  it("resources other than NICs and VMs are ignored", () => {
    const { lb, agw } = fixtures(preview);
    expect(evaluate(lb)).toEqual([]);
    expect(evaluate(agw)).toEqual([]);
  });
});

describe("the rule on hand-written inputs: exact messages and remediation", () => {
  const NIC = "azure-native:network:NetworkInterface";
  const VM = "azure-native:compute:VirtualMachine";
  const FIX =
    ". Fix: remove it; an Exchange host gets a public path only once marked remediated and verified (enforcement level remediate strips it).";

  const res = (type: string, props: Record<string, unknown>, name = "x"): ResourceInput => ({ urn: `urn:${name}`, type, name, props });
  const nic = (ipConfigurations: unknown, tags: unknown = HOST_TAGS("unverified")) => res(NIC, { tags, ipConfigurations }, "nic-ex01");
  const vm = (networkInterfaceConfigurations: unknown, tags: unknown = HOST_TAGS("unverified")) =>
    res(VM, { tags, networkProfile: { networkInterfaceConfigurations } }, "ex01");
  const messages = (r: ResourceInput) => unverifiedNoPublicAttachment.evaluate(r, gate, new Date()).map((v) => v.message);
  const PIP = { publicIPAddress: { id: "/x/publicIPAddresses/p" } };

  /** Stand-in for @pulumi/policy's Secret class on the remediation path (recognised by constructor name). */
  class Secret {
    constructor(readonly value: unknown) {}
  }

  describe("evaluate: messages", () => {
    it("the whole message, with the state and where", () => {
      expect(messages(nic([{ name: "ipconfig1", ...PIP }]))).toEqual([
        `NIC nic-ex01 of an Exchange host in state unverified carries a public IP on NIC nic-ex01/ipconfig1${FIX}`,
      ]);
    });

    it("the state note when the state is read as unverified for a reason", () => {
      expect(messages(nic([{ name: "c", ...PIP }], { workload: "exchange" }))).toEqual([
        `NIC nic-ex01 of an Exchange host in state unverified (it has no remediation-state tag) carries a public IP on NIC nic-ex01/c${FIX}`,
      ]);
    });

    it("host tag unreadable: may belong to a host, even if a state tag says remediated", () => {
      expect(messages(nic([{ name: "c", ...PIP }], { workload: UNKNOWN, "remediation-state": "remediated" }))).toEqual([
        `NIC nic-ex01 may belong to an Exchange host (its workload tag cannot be read) carries a public IP on NIC nic-ex01/c${FIX}`,
      ]);
      expect(messages(vm([{ name: "n", ipConfigurations: [{ name: "c", publicIPAddressConfiguration: {} }] }], UNKNOWN))).toEqual([
        `VM ex01 may belong to an Exchange host (its workload tag cannot be read) carries a public IP (created by the VM) on VM ex01 NIC n/c${FIX}`,
      ]);
    });

    it("an unnamed ipConfiguration is numbered; a sentinel one is reported once (not as every attachment it may carry)", () => {
      const m = messages(nic([{ name: "a" }, { loadBalancerInboundNatRules: [{ id: "r" }] }, UNKNOWN]));
      expect(m).toEqual([
        `NIC nic-ex01 of an Exchange host in state unverified carries load balancer inbound NAT rule membership on NIC nic-ex01/ipconfig #2${FIX}`,
        `NIC nic-ex01 of an Exchange host in state unverified carries an ipConfiguration unknown at preview on NIC nic-ex01/ipconfig #3${FIX}`,
      ]);
    });

    it("each NIC attachment is named", () => {
      const cfg = {
        name: "c",
        ...PIP,
        loadBalancerBackendAddressPools: [{ id: "p" }],
        loadBalancerInboundNatRules: [{ id: "n" }],
        applicationGatewayBackendAddressPools: [{ id: "g" }],
      };
      expect(messages(nic([cfg])).map((m) => m.split(" carries ")[1].split(" on ")[0])).toEqual([
        "a public IP",
        "load balancer backend pool membership",
        "load balancer inbound NAT rule membership",
        "application gateway backend pool membership",
      ]);
    });

    it("empty attachments (null, '', []) are not attachments", () => {
      expect(
        messages(nic([{ name: "c", publicIPAddress: null, loadBalancerBackendAddressPools: [], applicationGatewayBackendAddressPools: "" }])),
      ).toEqual([]);
    });

    it("VM inline NIC configurations: unknown list, unnamed NIC, unknown ipConfigurations", () => {
      expect(messages(vm(UNKNOWN))).toEqual([
        `VM ex01 of an Exchange host in state unverified carries inline network interface configurations that are unknown at preview on VM ex01${FIX}`,
      ]);
      expect(messages(vm([{ ipConfigurations: UNKNOWN }]))).toEqual([
        `VM ex01 of an Exchange host in state unverified carries ipConfigurations that are unknown at preview (they may carry a public IP) on VM ex01 NIC ?${FIX}`,
      ]);
      expect(
        messages(
          vm([
            {
              name: "n",
              ipConfigurations: [{ name: "c", loadBalancerBackendAddressPools: [{ id: "p" }], applicationGatewayBackendAddressPools: [{ id: "g" }] }],
            },
          ]),
        ),
      ).toEqual([
        `VM ex01 of an Exchange host in state unverified carries load balancer backend pool membership on VM ex01 NIC n/c${FIX}`,
        `VM ex01 of an Exchange host in state unverified carries application gateway backend pool membership on VM ex01 NIC n/c${FIX}`,
      ]);
    });

    it("a NIC's publicIPAddress key on a VM inline configuration is not how a VM makes one (publicIPAddressConfiguration is)", () => {
      expect(messages(vm([{ name: "n", ipConfigurations: [{ name: "c", publicIPAddressConfiguration: { name: "p" } }] }]))).toHaveLength(1);
    });

    it("compromised hosts are blocked, remediated ones not; non-hosts and other types ignored", () => {
      expect(messages(nic([{ name: "c", ...PIP }], HOST_TAGS("compromised")))).toHaveLength(1);
      expect(messages(nic([{ name: "c", ...PIP }], HOST_TAGS("remediated")))).toEqual([]);
      expect(messages(nic([{ name: "c", ...PIP }], { workload: "sharepoint" }))).toEqual([]);
      expect(messages(res("azure-native:network:PublicIPAddress", { tags: HOST_TAGS("unverified"), ipConfigurations: [{ ...PIP }] }))).toEqual([]);
    });

    it("versioned type tokens are the same type", () => {
      expect(
        unverifiedNoPublicAttachment.evaluate(
          { ...nic([{ name: "c", ...PIP }]), type: "azure-native:network/v20240501:NetworkInterface" },
          gate,
          new Date(),
        ),
      ).toHaveLength(1);
    });

    it("no ipConfigurations: nothing to report", () => {
      expect(messages(res(NIC, { tags: HOST_TAGS("unverified") }))).toEqual([]);
      expect(messages(res(VM, { tags: HOST_TAGS("unverified") }))).toEqual([]);
    });
  });

  describe("remediate", () => {
    it("nothing to strip: undefined", () => {
      expect(unverifiedNoPublicAttachment.remediate!(res(NIC, { tags: {} }), gate)).toBeUndefined();
      expect(unverifiedNoPublicAttachment.remediate!(res(VM, { tags: {} }), gate)).toBeUndefined();
      expect(unverifiedNoPublicAttachment.remediate!(res(VM, { networkProfile: {} }), gate)).toBeUndefined();
    });

    it("keeps non-object entries and non-array lists as they are", () => {
      expect(unverifiedNoPublicAttachment.remediate!(nic([UNKNOWN, { name: "c", ...PIP }]), gate)!.ipConfigurations).toEqual([
        UNKNOWN,
        { name: "c" },
      ]);
      expect(unverifiedNoPublicAttachment.remediate!(nic(UNKNOWN), gate)!.ipConfigurations).toBe(UNKNOWN);
      const v = unverifiedNoPublicAttachment.remediate!(vm([null, { name: "n", ipConfigurations: UNKNOWN }]), gate)!;
      expect((v.networkProfile as { networkInterfaceConfigurations: unknown }).networkInterfaceConfigurations).toEqual([
        null,
        { name: "n", ipConfigurations: UNKNOWN },
      ]);
      expect(unverifiedNoPublicAttachment.remediate!(vm(UNKNOWN), gate)!.networkProfile).toEqual({ networkInterfaceConfigurations: UNKNOWN });
    });

    it("rewrites inside secret wrappers and keeps them secret", () => {
      const wrapped = new Secret([new Secret({ name: "c", ...PIP, primary: true })]);
      const out = unverifiedNoPublicAttachment.remediate!(nic(wrapped), gate)!.ipConfigurations as Secret;
      expect(out).toBeInstanceOf(Secret);
      expect(out).not.toBe(wrapped);
      const inner = (out.value as Secret[])[0];
      expect(inner).toBeInstanceOf(Secret);
      expect(inner.value).toEqual({ name: "c", primary: true });
      // the input is not mutated
      expect(((wrapped.value as Secret[])[0].value as Record<string, unknown>).publicIPAddress).toBeDefined();
    });

    it("VM: secret-wrapped NIC list and NIC", () => {
      const list = new Secret([
        new Secret({ name: "n", ipConfigurations: [{ name: "c", publicIPAddressConfiguration: { name: "p" }, subnet: { id: "s" } }] }),
      ]);
      const out = unverifiedNoPublicAttachment.remediate!(
        res(VM, { networkProfile: { networkApiVersion: "2020-11-01", networkInterfaceConfigurations: list } }),
        gate,
      )!;
      const profile = out.networkProfile as { networkApiVersion: string; networkInterfaceConfigurations: Secret };
      expect(profile.networkApiVersion).toBe("2020-11-01");
      expect(profile.networkInterfaceConfigurations).toBeInstanceOf(Secret);
      const nicCfg = (profile.networkInterfaceConfigurations.value as Secret[])[0];
      expect(nicCfg).toBeInstanceOf(Secret);
      expect(nicCfg.value).toEqual({ name: "n", ipConfigurations: [{ name: "c", subnet: { id: "s" } }] });
    });

    it("an object that merely has a value field is not a secret wrapper", () => {
      const out = unverifiedNoPublicAttachment.remediate!(nic([{ name: "c", value: 1, ...PIP }]), gate)!;
      expect(out.ipConfigurations).toEqual([{ name: "c", value: 1 }]);
    });
  });
});
