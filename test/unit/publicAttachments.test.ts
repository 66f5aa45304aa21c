/**
 * Public attachments of one resource (policies/model/publicAttachments.ts): which keys of a NIC's ipConfigurations, or
 * of a VM's inline NIC configurations, put the host's NIC on the internet side, named by where they sit; a list that
 * cannot be read is a finding of its own (fail closed).
 */
import fc from "fast-check";
import { ResourceInput } from "../../policies/model/graph";
import { NIC_ATTACHMENTS, publicAttachmentFindings, VM_INLINE_ATTACHMENTS } from "../../policies/model/publicAttachments";
import { FORMS } from "../support/assertions";
import { Estate, UNKNOWN } from "../support/estate";
import { inputOf } from "../support/gateFixtures";
import { baseNet, exHost, hostNic, inlineVm, multiConfigNic } from "../support/networks";

const NIC = "azure-native:network:NetworkInterface";
const VM = "azure-native:compute:VirtualMachine";

/** A resource written by hand, for shapes no program writes (unreadable lists, nameless configurations). */
const raw = (type: string, name: string, props: unknown): ResourceInput => ({ urn: `urn:pulumi:dev::exchange::${type}::${name}`, type, name, props });

describe.each(FORMS)("a NIC's ipConfigurations (%s form)", (_form, preview) => {
  const net = () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    return { e, sub };
  };

  it("a host NIC with none of them: nothing", () => {
    const { e, sub } = net();
    expect(publicAttachmentFindings(inputOf(hostNic(e, sub)))).toEqual([]);
  });

  it("a public IP, named by the NIC and its ipConfiguration", () => {
    const { e, sub } = net();
    const pip = e.publicIp("pip-ex01");
    expect(publicAttachmentFindings(inputOf(hostNic(e, sub, { publicIp: pip })))).toEqual([{ where: "NIC nic-ex01/ipconfig1", what: "a public IP" }]);
  });

  it("every kind of attachment on one ipConfiguration, in the order the policy lists them", () => {
    const { e, sub } = net();
    const lb = e.add("azure-native:network:LoadBalancer", "lb", { loadBalancerName: "lb", resourceGroupName: e.rg });
    const agw = e.add("azure-native:network:ApplicationGateway", "agw", { applicationGatewayName: "agw", resourceGroupName: e.rg });
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip"), lbPools: [[lb, "web"]], natRules: [[lb, "rdp"]], agwPools: [[agw, "owa"]] });
    expect(publicAttachmentFindings(inputOf(nic))).toEqual([
      { where: "NIC nic-ex01/ipconfig1", what: "a public IP" },
      { where: "NIC nic-ex01/ipconfig1", what: "load balancer backend pool membership" },
      { where: "NIC nic-ex01/ipconfig1", what: "load balancer inbound NAT rule membership" },
      { where: "NIC nic-ex01/ipconfig1", what: "application gateway backend pool membership" },
    ]);
  });

  it("on a second ipConfiguration, named by it", () => {
    const { e, sub } = net();
    const lb = e.add("azure-native:network:LoadBalancer", "lb", { loadBalancerName: "lb", resourceGroupName: e.rg });
    const nic = multiConfigNic(e, "nic-ex01", [
      { name: "primary", subnet: sub, privateIp: "10.0.1.4" },
      { name: "published", subnet: sub, natRules: [[lb, "smtp"]] },
    ]);
    expect(publicAttachmentFindings(inputOf(nic))).toEqual([{ where: "NIC nic-ex01/published", what: "load balancer inbound NAT rule membership" }]);
  });

  it("a versioned type token is the same NIC", () => {
    const { e, sub } = net();
    const nic = inputOf(hostNic(e, sub, { publicIp: e.publicIp("pip") }));
    expect(publicAttachmentFindings({ ...nic, type: "azure-native:network/v20240301:NetworkInterface" })).toEqual([
      { where: "NIC nic-ex01/ipconfig1", what: "a public IP" },
    ]);
  });

  it("a public IP itself is neither a NIC nor a VM: nothing", () => {
    const { e } = net();
    expect(publicAttachmentFindings(inputOf(e.publicIp("pip")))).toEqual([]);
  });
});

describe("a NIC's ipConfigurations that cannot be read", () => {
  it.each<[string, unknown, string]>([
    ["unknown at preview", UNKNOWN, "ipConfigurations that are unknown at preview (they may carry a public IP)"],
    ["not a list", { name: "ipconfig1" }, "ipConfigurations that are malformed (expected a list) (they may carry a public IP)"],
  ])("%s: one finding on the NIC", (_what, ipConfigurations, what) => {
    expect(publicAttachmentFindings(raw(NIC, "nic-ex01", { ipConfigurations }))).toEqual([{ where: "NIC nic-ex01", what }]);
  });

  it("the NIC's whole properties unknown: the same", () => {
    expect(publicAttachmentFindings(raw(NIC, "nic-ex01", UNKNOWN))).toEqual([
      { where: "NIC nic-ex01", what: "ipConfigurations that are unknown at preview (they may carry a public IP)" },
    ]);
  });

  it("one ipConfiguration unknown at preview: a finding for it, named by its place", () => {
    const found = publicAttachmentFindings(raw(NIC, "nic-ex01", { ipConfigurations: [{ name: "ipconfig1" }, UNKNOWN] }));
    // One finding, not one per attachment kind its unknown fields would seem to hold.
    expect(found).toEqual([{ where: "NIC nic-ex01/ipconfig #2", what: "an ipConfiguration unknown at preview" }]);
  });

  it("an ipConfiguration without a name is named by its place", () => {
    expect(publicAttachmentFindings(raw(NIC, "nic", { ipConfigurations: [{}, { publicIPAddress: { id: "/x" } }] }))).toEqual([
      { where: "NIC nic/ipconfig #2", what: "a public IP" },
    ]);
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["an empty list", []],
    ["an empty string", ""],
    ["a blank string", "  "],
  ])("an attachment key that is %s attaches nothing", (_what, v) => {
    const cfg = Object.fromEntries(NIC_ATTACHMENTS.map(([k]) => [k, v]));
    expect(publicAttachmentFindings(raw(NIC, "nic", { ipConfigurations: [{ name: "c", ...cfg }] }))).toEqual([]);
  });

  it("a reference whose id is unknown still attaches (it is there, only its target is not known)", () => {
    expect(publicAttachmentFindings(raw(NIC, "nic", { ipConfigurations: [{ name: "c", publicIPAddress: { id: UNKNOWN } }] }))).toEqual([
      { where: "NIC nic/c", what: "a public IP" },
    ]);
  });
});

describe("a NIC's findings, against a brute-force reading", () => {
  const cfgArb = fc.record({
    name: fc.option(fc.constantFrom("ipconfig1", "pub", "sec"), { nil: undefined }),
    keys: fc.subarray(NIC_ATTACHMENTS.map(([k]) => k)),
  });

  it("one finding per present attachment key, configuration by configuration, key by key", () => {
    fc.assert(
      fc.property(fc.array(cfgArb, { maxLength: 5 }), (cfgs) => {
        const ipConfigurations = cfgs.map((c) => ({
          ...(c.name === undefined ? {} : { name: c.name }),
          ...Object.fromEntries(c.keys.map((k) => [k, k === "publicIPAddress" ? { id: "/pip" } : [{ id: "/pool" }]])),
        }));
        const expected = cfgs.flatMap((c, i) =>
          NIC_ATTACHMENTS.filter(([k]) => c.keys.includes(k)).map(([, what]) => ({ where: `NIC n/${c.name ?? `ipconfig #${i + 1}`}`, what })),
        );
        expect(publicAttachmentFindings(raw(NIC, "n", { ipConfigurations }))).toEqual(expected);
      }),
    );
  });
});

describe.each(FORMS)("a VM's inline NIC configurations (%s form)", (_form, preview) => {
  const net = () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    return { e, sub };
  };

  it("a VM with only standalone NICs: nothing (its NICs are judged as NICs)", () => {
    const { e, sub } = net();
    const pip = e.publicIp("pip");
    const vm = exHost(e, { nics: [hostNic(e, sub, { publicIp: pip })] });
    expect(publicAttachmentFindings(inputOf(vm))).toEqual([]);
  });

  it("an inline NIC without attachments: nothing", () => {
    const { e, sub } = net();
    expect(publicAttachmentFindings(inputOf(inlineVm(e, "ex01", { subnet: sub })))).toEqual([]);
  });

  it("a public IP the VM creates, named by the VM, its inline NIC and ipConfiguration", () => {
    const { e, sub } = net();
    const vm = inlineVm(e, "ex01", { subnet: sub, publicIp: { name: "ex01-pip", sku: { name: "Standard" } } });
    expect(publicAttachmentFindings(inputOf(vm))).toEqual([{ where: "VM ex01 NIC ex01-nic/ipconfig1", what: "a public IP (created by the VM)" }]);
  });

  it("load balancer and application gateway pools", () => {
    const { e, sub } = net();
    const lb = e.add("azure-native:network:LoadBalancer", "lb", { loadBalancerName: "lb", resourceGroupName: e.rg });
    const agw = e.add("azure-native:network:ApplicationGateway", "agw", { applicationGatewayName: "agw", resourceGroupName: e.rg });
    const vm = inlineVm(e, "ex01", { subnet: sub, lbPools: [[lb, "web"]], agwPools: [[agw, "owa"]] });
    expect(publicAttachmentFindings(inputOf(vm))).toEqual([
      { where: "VM ex01 NIC ex01-nic/ipconfig1", what: "load balancer backend pool membership" },
      { where: "VM ex01 NIC ex01-nic/ipconfig1", what: "application gateway backend pool membership" },
    ]);
  });
});

describe("a VM's inline NIC configurations: edges", () => {
  it("inline NAT rules are not a VM ipConfiguration's key (the compute API has none), so they are not read there", () => {
    expect(VM_INLINE_ATTACHMENTS.map(([k]) => k)).not.toContain("loadBalancerInboundNatRules");
    const props = {
      networkProfile: {
        networkInterfaceConfigurations: [{ name: "n", ipConfigurations: [{ name: "c", loadBalancerInboundNatRules: [{ id: "/r" }] }] }],
      },
    };
    expect(publicAttachmentFindings(raw(VM, "ex01", props))).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ["unknown at preview", UNKNOWN, "inline network interface configurations that are unknown at preview"],
    ["not a list", "nic", "inline network interface configurations that are malformed (expected a list)"],
  ])("the inline list %s: one finding on the VM", (_what, list, what) => {
    expect(publicAttachmentFindings(raw(VM, "ex01", { networkProfile: { networkInterfaceConfigurations: list } }))).toEqual([
      { where: "VM ex01", what },
    ]);
  });

  it("the whole network profile unknown: the same", () => {
    expect(publicAttachmentFindings(raw(VM, "ex01", { networkProfile: UNKNOWN }))).toEqual([
      { where: "VM ex01", what: "inline network interface configurations that are unknown at preview" },
    ]);
  });

  it("an inline NIC unknown at preview: its ipConfigurations cannot be read, and it has no name to show", () => {
    expect(publicAttachmentFindings(raw(VM, "ex01", { networkProfile: { networkInterfaceConfigurations: [UNKNOWN] } }))).toEqual([
      { where: "VM ex01 NIC ?", what: "ipConfigurations that are unknown at preview (they may carry a public IP)" },
    ]);
  });

  it("a VM without a network profile: nothing to read, nothing found", () => {
    expect(publicAttachmentFindings(raw(VM, "ex01", {}))).toEqual([]);
  });
});
