import { resolveGate } from "../../../policies/model/config";
import { ResourceInput } from "../../../policies/model/graph";
import { unverifiedNoPublicAttachment as rule } from "../../../policies/rules/unverifiedNoPublicAttachment";
import { HOST_TAGS, UNKNOWN } from "../../support/estate";

const gate = resolveGate({}).gate;
const NIC = "azure-native:network:NetworkInterface";
const VM = "azure-native:compute:VirtualMachine";
const FIX = ". Fix: remove it; an Exchange host gets a public path only once marked remediated and verified (enforcement level remediate strips it).";

const res = (type: string, props: Record<string, unknown>, name = "x"): ResourceInput => ({ urn: `urn:${name}`, type, name, props });
const nic = (ipConfigurations: unknown, tags: unknown = HOST_TAGS("unverified")) => res(NIC, { tags, ipConfigurations }, "nic-ex01");
const vm = (networkInterfaceConfigurations: unknown, tags: unknown = HOST_TAGS("unverified")) =>
  res(VM, { tags, networkProfile: { networkInterfaceConfigurations } }, "ex01");
const messages = (r: ResourceInput) => rule.evaluate(r, gate, new Date()).map((v) => v.message);
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

  it("an unnamed ipConfiguration is numbered; a sentinel one is reported (and may carry every attachment)", () => {
    const m = messages(nic([{ name: "a" }, { loadBalancerInboundNatRules: [{ id: "r" }] }, UNKNOWN]));
    expect(m.slice(0, 2)).toEqual([
      `NIC nic-ex01 of an Exchange host in state unverified carries load balancer inbound NAT rule membership on NIC nic-ex01/ipconfig #2${FIX}`,
      `NIC nic-ex01 of an Exchange host in state unverified carries an ipConfiguration unknown at preview on NIC nic-ex01/ipconfig #3${FIX}`,
    ]);
    expect(m).toHaveLength(6);
    expect(m.slice(2).every((x) => x.includes(" on NIC nic-ex01/ipconfig #3."))).toBe(true);
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
      rule.evaluate({ ...nic([{ name: "c", ...PIP }]), type: "azure-native:network/v20240501:NetworkInterface" }, gate, new Date()),
    ).toHaveLength(1);
  });

  it("no ipConfigurations: nothing to report", () => {
    expect(messages(res(NIC, { tags: HOST_TAGS("unverified") }))).toEqual([]);
    expect(messages(res(VM, { tags: HOST_TAGS("unverified") }))).toEqual([]);
  });
});

describe("remediate", () => {
  it("nothing to strip: undefined", () => {
    expect(rule.remediate!(res(NIC, { tags: {} }), gate)).toBeUndefined();
    expect(rule.remediate!(res(VM, { tags: {} }), gate)).toBeUndefined();
    expect(rule.remediate!(res(VM, { networkProfile: {} }), gate)).toBeUndefined();
  });

  it("keeps non-object entries and non-array lists as they are", () => {
    expect(rule.remediate!(nic([UNKNOWN, { name: "c", ...PIP }]), gate)!.ipConfigurations).toEqual([UNKNOWN, { name: "c" }]);
    expect(rule.remediate!(nic(UNKNOWN), gate)!.ipConfigurations).toBe(UNKNOWN);
    const v = rule.remediate!(vm([null, { name: "n", ipConfigurations: UNKNOWN }]), gate)!;
    expect((v.networkProfile as { networkInterfaceConfigurations: unknown }).networkInterfaceConfigurations).toEqual([
      null,
      { name: "n", ipConfigurations: UNKNOWN },
    ]);
    expect(rule.remediate!(vm(UNKNOWN), gate)!.networkProfile).toEqual({ networkInterfaceConfigurations: UNKNOWN });
  });

  it("rewrites inside secret wrappers and keeps them secret", () => {
    const wrapped = new Secret([new Secret({ name: "c", ...PIP, primary: true })]);
    const out = rule.remediate!(nic(wrapped), gate)!.ipConfigurations as Secret;
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
    const out = rule.remediate!(res(VM, { networkProfile: { networkApiVersion: "2020-11-01", networkInterfaceConfigurations: list } }), gate)!;
    const profile = out.networkProfile as { networkApiVersion: string; networkInterfaceConfigurations: Secret };
    expect(profile.networkApiVersion).toBe("2020-11-01");
    expect(profile.networkInterfaceConfigurations).toBeInstanceOf(Secret);
    const nicCfg = (profile.networkInterfaceConfigurations.value as Secret[])[0];
    expect(nicCfg).toBeInstanceOf(Secret);
    expect(nicCfg.value).toEqual({ name: "n", ipConfigurations: [{ name: "c", subnet: { id: "s" } }] });
  });

  it("an object that merely has a value field is not a secret wrapper", () => {
    const out = rule.remediate!(nic([{ name: "c", value: 1, ...PIP }]), gate)!;
    expect(out.ipConfigurations).toEqual([{ name: "c", value: 1 }]);
  });
});
