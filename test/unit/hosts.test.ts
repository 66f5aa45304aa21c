import { ALL_V4, ALL_V6, parseAddressPrefix } from "../../policies/model/addresses";
import { ResourceGraph, ResourceInput } from "../../policies/model/graph";
import {
  DEFAULT_HOST_TAGS,
  HostInventory,
  HostTagConfig,
  IpConfigView,
  localAddrs,
  matchesHostTag,
  readState,
  tagValues,
  worstState,
} from "../../policies/model/hosts";
import { NetworkModel, SubnetView } from "../../policies/model/network";
import { isIndeterminate, UNKNOWN } from "../../policies/model/values";
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN as SENTINEL } from "../support/estate";
import { analyse, rawInputs, runStack } from "../support/judge";
import { baseNet, hostNic } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED, ISOLATED, REBUILD, REQUIRES } from "../support/policyNames";
import { T } from "../../policies/model/resourceTypes";

const CFG = DEFAULT_HOST_TAGS;

function inventory(resources: readonly Res[] | readonly ResourceInput[], cfg: HostTagConfig = CFG): HostInventory {
  const inputs: ResourceInput[] = resources.map((r) => ("properties" in r ? rawInputs([r])[0] : r));
  const graph = new ResourceGraph(inputs);
  return new HostInventory(graph, new NetworkModel(graph), cfg);
}

/** VNet + subnet + one NIC (no state tag unless given) + VM ex01. */
function fleet(o: { preview?: boolean; vmTags?: Record<string, string> | string; nicTags?: Record<string, string> } = {}) {
  const e = new Estate({ preview: o.preview });
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24");
  const nic = e.nic("nic-ex01", { subnet: sub, privateIp: "10.0.1.4", tags: o.nicTags });
  const vm = e.vm("ex01", { nics: [nic], tags: o.vmTags ?? HOST_TAGS("unverified") });
  return { e, vnet, sub, nic, vm };
}

describe("tagValues", () => {
  it("reads every tag whose name matches case-insensitively, ignoring surrounding spaces", () => {
    expect(tagValues({ "remediation-state": "a", " Remediation-State ": "b", other: "c" }, "REMEDIATION-STATE ")).toEqual(["a", "b"]);
    expect(tagValues({ workload: "exchange" }, "remediation-state")).toEqual([]);
  });

  it("skips null values and keeps unknown or malformed ones as Indeterminate", () => {
    const v = tagValues({ t: null, T: SENTINEL, " t": 5 }, "t");
    expect(Array.isArray(v)).toBe(true);
    const list = v as unknown[];
    expect(list).toHaveLength(2);
    expect(list[0]).toBe(UNKNOWN);
    expect(isIndeterminate(list[1]) && (list[1] as typeof UNKNOWN).describe()).toBe("malformed (expected a string)");
  });

  it("unknown tags are unknown; absent or non-object tags carry no value", () => {
    expect(tagValues(SENTINEL, "t")).toBe(UNKNOWN);
    for (const t of [undefined, null, "workload=exchange", ["workload"], 3]) expect(tagValues(t, "workload")).toEqual([]);
  });
});

describe("matchesHostTag", () => {
  it("matches the host tag value case-insensitively and trimmed", () => {
    expect(matchesHostTag({ workload: "exchange" }, CFG)).toBe("yes");
    expect(matchesHostTag({ Workload: " Exchange " }, CFG)).toBe("yes");
    expect(matchesHostTag({ WORKLOAD: "EXCHANGE" }, CFG)).toBe("yes");
  });

  it("is 'no' without the tag or with another value", () => {
    expect(matchesHostTag({ workload: "sharepoint" }, CFG)).toBe("no");
    expect(matchesHostTag({ role: "exchange" }, CFG)).toBe("no");
    expect(matchesHostTag({}, CFG)).toBe("no");
    expect(matchesHostTag(undefined, CFG)).toBe("no");
    expect(matchesHostTag({ workload: "exchange-edge" }, CFG)).toBe("no");
  });

  it("is 'unknown' when the tags or the tag value cannot be read", () => {
    expect(matchesHostTag(SENTINEL, CFG)).toBe("unknown");
    expect(matchesHostTag({ workload: SENTINEL }, CFG)).toBe("unknown");
    expect(matchesHostTag({ workload: 1 }, CFG)).toBe("unknown");
    expect(matchesHostTag({ workload: "web", Workload: SENTINEL }, CFG)).toBe("unknown");
  });

  it("a duplicate tag with the host value wins over an unknown one", () => {
    expect(matchesHostTag({ workload: SENTINEL, WORKLOAD: "exchange" }, CFG)).toBe("yes");
    expect(matchesHostTag({ workload: "web", WORKLOAD: "exchange" }, CFG)).toBe("yes");
  });

  it("uses the configured tag name and values", () => {
    const cfg: HostTagConfig = { hostTag: " Role ", hostTagValues: ["Mailbox ", "edge"], stateTag: "state" };
    expect(matchesHostTag({ role: "mailbox" }, cfg)).toBe("yes");
    expect(matchesHostTag({ ROLE: "EDGE" }, cfg)).toBe("yes");
    expect(matchesHostTag({ role: "exchange" }, cfg)).toBe("no");
    expect(matchesHostTag({ workload: "exchange" }, cfg)).toBe("no");
  });
});

describe("readState", () => {
  it("reads the three states, case-insensitively and trimmed", () => {
    expect(readState({ "remediation-state": "remediated" }, CFG)).toEqual({ state: "remediated" });
    expect(readState({ "Remediation-State": " Compromised " }, CFG)).toEqual({ state: "compromised" });
    expect(readState({ "REMEDIATION-STATE": "UNVERIFIED" }, CFG)).toEqual({ state: "unverified" });
  });

  it("a missing tag is unverified", () => {
    expect(readState({ workload: "exchange" }, CFG)).toEqual({ state: "unverified", note: "it has no remediation-state tag" });
    expect(readState(undefined, CFG)).toEqual({ state: "unverified", note: "it has no remediation-state tag" });
    expect(readState({ "remediation-state": null }, CFG)).toEqual({ state: "unverified", note: "it has no remediation-state tag" });
  });

  it("unreadable tags are unverified and flagged unknown", () => {
    expect(readState(SENTINEL, CFG)).toEqual({ state: "unverified", note: "its tags are unknown at preview", unknown: true });
    expect(readState({ "remediation-state": SENTINEL }, CFG)).toEqual({
      state: "unverified",
      note: "its remediation-state tag is unknown at preview",
      unknown: true,
    });
    expect(readState({ "remediation-state": 1 }, CFG)).toEqual({
      state: "unverified",
      note: "its remediation-state tag is malformed (expected a string)",
      unknown: true,
    });
  });

  it("an unknown duplicate wins over a bad one whatever the tag order: the tag may say compromised", () => {
    const unknownNote = { state: "unverified", note: "its remediation-state tag is unknown at preview", unknown: true };
    expect(readState({ "remediation-state": "bogus", "Remediation-State": SENTINEL }, CFG)).toEqual(unknownNote);
    expect(readState({ "Remediation-State": SENTINEL, "remediation-state": "bogus" }, CFG)).toEqual(unknownNote);
    expect(readState({ "remediation-state": "remediated", "REMEDIATION-STATE": SENTINEL }, CFG)).toEqual(unknownNote);
  });

  it("any other value, empty included, is unverified and quoted", () => {
    expect(readState({ "remediation-state": "cleaned" }, CFG)).toEqual({
      state: "unverified",
      note: 'its remediation-state tag "cleaned" is not unverified, compromised or remediated',
    });
    expect(readState({ "remediation-state": "" }, CFG)).toEqual({
      state: "unverified",
      note: 'its remediation-state tag "" is not unverified, compromised or remediated',
    });
    expect(readState({ "remediation-state": "remediated", "Remediation-State": "clean" }, CFG).state).toBe("unverified");
  });

  it("duplicate tags differing in case: the worst state wins and the conflict is named", () => {
    expect(readState({ "remediation-state": "remediated", "Remediation-State": "compromised" }, CFG)).toEqual({
      state: "compromised",
      note: "it carries conflicting remediation-state tags",
    });
    expect(readState({ "remediation-state": "remediated", "REMEDIATION-STATE": "unverified" }, CFG)).toEqual({
      state: "unverified",
      note: "it carries conflicting remediation-state tags",
    });
    expect(readState({ "remediation-state": "remediated", "REMEDIATION-STATE": "Remediated" }, CFG)).toEqual({ state: "remediated" });
  });

  it("uses the configured state tag name in its notes", () => {
    const cfg: HostTagConfig = { ...CFG, stateTag: "ir-state" };
    expect(readState({ "IR-State": "remediated", "remediation-state": "compromised" }, cfg)).toEqual({ state: "remediated" });
    expect(readState({}, cfg).note).toBe("it has no ir-state tag");
  });
});

describe("worstState", () => {
  it("orders compromised over unverified over remediated", () => {
    expect(worstState(["remediated"])).toBe("remediated");
    expect(worstState(["remediated", "unverified"])).toBe("unverified");
    expect(worstState(["unverified", "remediated"])).toBe("unverified");
    expect(worstState(["compromised", "unverified", "remediated"])).toBe("compromised");
    expect(worstState(["remediated", "unverified", "compromised"])).toBe("compromised");
    expect(worstState(["unverified", "unverified"])).toBe("unverified");
  });
});

describe("HostInventory: which VMs are hosts", () => {
  it("a tagged VM is a host with its NIC, state and identities", () => {
    const { e, nic, vm } = fleet({ vmTags: HOST_TAGS("remediated") });
    const inv = inventory(e.resources);
    expect(inv.hosts).toHaveLength(1);
    const h = inv.hosts[0];
    expect(h.name).toBe("ex01");
    expect(h.urn).toBe(vm.urn);
    expect(h.vm.urn).toBe(vm.urn);
    expect(h.state).toBe("remediated");
    expect(h.stateNote).toBeUndefined();
    expect(h.stateUnknown).toBe(false);
    expect(h.hostNote).toBeUndefined();
    expect(h.problems).toEqual([]);
    expect(h.nics.map((n) => n.urn)).toEqual([nic.urn]);
    expect([...h.identities].sort()).toEqual([vm.urn, vm.armId.slice(1).toLowerCase(), nic.urn, nic.armId.slice(1).toLowerCase()].sort());
    expect(inv.hostOfNic(nic.urn)).toBe(h);
    expect(inv.hostOfNic(vm.urn)).toBeUndefined();
  });

  it("an untagged VM or another workload is not a host", () => {
    expect(inventory(fleet({ vmTags: { workload: "web" } }).e.resources).hosts).toEqual([]);
    const { e } = fleet({ vmTags: {} });
    expect(inventory(e.resources).hosts).toEqual([]);
  });

  it("a VM whose tags are unknown at preview is treated as a host, and says so", () => {
    const h = inventory(fleet({ vmTags: SENTINEL }).e.resources).hosts[0];
    expect(h.hostNote).toBe("the tags of VM ex01 cannot be read (unknown at preview), so it is treated as an Exchange host");
    expect(h.state).toBe("unverified");
    expect(h.stateUnknown).toBe(true);
    expect(h.stateNote).toBe("its tags are unknown at preview");
  });

  it("a VM whose host tag value is unknown is treated as a host, and says so", () => {
    const h = inventory(fleet({ vmTags: { workload: SENTINEL, "remediation-state": "remediated" } }).e.resources).hosts[0];
    expect(h.hostNote).toBe("the tags of VM ex01 cannot be read (unknown host tag), so it is treated as an Exchange host");
    expect(h.state).toBe("remediated");
  });

  it("reads the host with custom tag names", () => {
    const cfg: HostTagConfig = { hostTag: "role", hostTagValues: ["mailbox"], stateTag: "ir" };
    const { e } = fleet({ vmTags: { Role: "Mailbox", IR: "compromised" } });
    const hosts = inventory(e.resources, cfg).hosts;
    expect(hosts.map((h) => [h.name, h.state])).toEqual([["ex01", "compromised"]]);
    expect(inventory(e.resources).hosts).toEqual([]);
  });

  it("a tagged VM of another resource type is a host the pack cannot analyse", () => {
    const e = new Estate();
    const vmss = e.add("azure-native:compute:VirtualMachineScaleSet", "ex-ss", { vmScaleSetName: "ex-ss", tags: HOST_TAGS("remediated") });
    e.add("azure-native:compute:VirtualMachineScaleSet", "web-ss", { tags: { workload: "web" } });
    e.add("azure-native:compute:VirtualMachineScaleSet", "unk-ss", { tags: SENTINEL });
    e.add("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "classic", { name: "ex-classic", tags: HOST_TAGS() });
    e.add("azure-native:network:NetworkInterface", "nic-tagged", { tags: HOST_TAGS() });
    const hosts = inventory(e.resources).hosts;
    expect(hosts.map((h) => h.urn)).toEqual([vmss.urn, e.urn("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "classic")]);
    const [ss, classic] = hosts;
    expect(ss.state).toBe("remediated");
    expect(ss.stateUnknown).toBe(false);
    expect(ss.nics).toEqual([]);
    expect(ss.ipConfigs).toEqual([]);
    // A scale set (docs/threat-model.md row 36) is judged with its own shape; with no instance network profile there is nothing to judge, so it fails closed.
    expect(ss.problems).toEqual(["scale set ex-ss has no network interface configuration the pack can see"]);
    expect([...ss.identities].sort()).toEqual([vmss.urn, vmss.armId.slice(1).toLowerCase()].sort());
    expect(classic.name).toBe("ex-classic");
    expect(classic.state).toBe("unverified");
    expect(classic.stateNote).toBe("it has no remediation-state tag");
  });

  it("extensions and run commands that carry the host tags are not hosts; Linux VMs and scale-set instances are", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachineExtension", "ex01-ama", { tags: HOST_TAGS("remediated") });
    e.add("azure-native:compute:VirtualMachineRunCommandByVirtualMachine", "ex01-hc", { tags: HOST_TAGS("remediated") });
    e.add("azure-native:compute:VirtualMachineScaleSetExtension", "ss-ext", { tags: HOST_TAGS("remediated") });
    const linux = e.add("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "lx", { name: "lx", tags: HOST_TAGS() });
    const inst = e.add("azure-native:compute:VirtualMachineScaleSetVM", "ss-0", { tags: HOST_TAGS("compromised") });
    const hosts = inventory(e.resources).hosts;
    expect(hosts.map((h) => [h.urn, h.state])).toEqual([
      [linux.urn, "unverified"],
      [inst.urn, "compromised"],
    ]);
  });

  it("a VM registered under a versioned token is still a modelled host", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const nic = e.nic("nic-ex01", { subnet: sub });
    const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
    const inputs = e.resources.map((r) => ({
      urn: r.urn,
      type: r === vm ? "azure-native:compute/v20230301:VirtualMachine" : r.type,
      name: r.name,
      props: r.properties,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    }));
    const hosts = inventory(inputs).hosts;
    expect(hosts).toHaveLength(1);
    expect(hosts[0].problems).toEqual([]);
    expect(hosts[0].nics).toHaveLength(1);
  });
});

describe("HostInventory: state tag on the NICs", () => {
  it("a NIC without the state tag does not change the VM's state", () => {
    const h = inventory(fleet({ vmTags: HOST_TAGS("remediated"), nicTags: { workload: "exchange" } }).e.resources).hosts[0];
    expect([h.state, h.stateNote, h.stateUnknown]).toEqual(["remediated", undefined, false]);
  });

  it("a NIC that reads worse than its VM makes the host worse, and says which NIC", () => {
    const h = inventory(fleet({ vmTags: HOST_TAGS("remediated"), nicTags: HOST_TAGS("compromised") }).e.resources).hosts[0];
    expect(h.state).toBe("compromised");
    expect(h.stateNote).toBe("its NIC nic-ex01 reads compromised");
    expect(h.stateUnknown).toBe(false);
  });

  it("a NIC that reads better than its VM never improves it", () => {
    const h = inventory(fleet({ vmTags: HOST_TAGS("compromised"), nicTags: HOST_TAGS("remediated") }).e.resources).hosts[0];
    expect([h.state, h.stateNote]).toEqual(["compromised", undefined]);
  });

  it("a NIC with a bad state value makes a remediated host unverified, naming the NIC's tag", () => {
    const h = inventory(fleet({ vmTags: HOST_TAGS("remediated"), nicTags: { "Remediation-State": "fixed" } }).e.resources).hosts[0];
    expect(h.state).toBe("unverified");
    expect(h.stateNote).toBe(
      `its NIC nic-ex01 reads unverified (the NIC's remediation-state tag "fixed" is not unverified, compromised or remediated)`,
    );
  });

  it("a NIC with conflicting state tags", () => {
    const h = inventory(
      fleet({ vmTags: HOST_TAGS("remediated"), nicTags: { "remediation-state": "remediated", "REMEDIATION-STATE": "compromised" } }).e.resources,
    ).hosts[0];
    expect(h.state).toBe("compromised");
    expect(h.stateNote).toBe("its NIC nic-ex01 reads compromised (the NIC carries conflicting remediation-state tags)");
  });

  it("a NIC whose state tag is unknown makes the state unknown", () => {
    const h = inventory(fleet({ vmTags: HOST_TAGS("remediated"), nicTags: { "remediation-state": SENTINEL } }).e.resources).hosts[0];
    expect(h.state).toBe("unverified");
    expect(h.stateUnknown).toBe(true);
    expect(h.stateNote).toBe("its NIC nic-ex01 reads unverified (the NIC's remediation-state tag is unknown at preview)");
  });

  it("a NIC whose tags are unknown, on a compromised VM: state stays compromised but is flagged unknown", () => {
    const { e, nic } = fleet({ vmTags: HOST_TAGS("compromised") });
    nic.properties.tags = SENTINEL;
    const h = inventory(e.resources).hosts[0];
    expect(h.state).toBe("compromised");
    expect(h.stateUnknown).toBe(true);
    expect(h.stateNote).toBe("the tags of its NIC nic-ex01 cannot be read");
  });

  it("keeps the VM's own note when the NIC is unreadable but not worse", () => {
    const { e, nic } = fleet({ vmTags: { workload: "exchange" } });
    nic.properties.tags = SENTINEL;
    const h = inventory(e.resources).hosts[0];
    expect(h.state).toBe("unverified");
    expect(h.stateUnknown).toBe(true);
    expect(h.stateNote).toBe("it has no remediation-state tag");
  });
});

describe("HostInventory: network interfaces", () => {
  it("reads each ipConfiguration of a standalone NIC", () => {
    const { e, nic, sub } = fleet();
    const h = inventory(e.resources).hosts[0];
    expect(h.ipConfigs).toHaveLength(1);
    const ip = h.ipConfigs[0];
    expect(ip.label).toBe("nic-ex01/ipconfig1");
    expect(ip.nicLabel).toBe("nic-ex01");
    expect(ip.owner.urn).toBe(nic.urn);
    expect(ip.depKey).toBe("ipConfigurations");
    expect(ip.family).toBe("IPv4");
    expect(ip.privateAddr?.equals(parseAddressPrefix("10.0.1.4")!)).toBe(true);
    expect(ip.subnets.map((s) => s.key)).toEqual([sub.urn]);
    expect(ip.nicNsg).toEqual({ kind: "none" });
    expect(ip.asgRefs).toEqual([]);
    expect(ip.lbPoolRefs).toEqual([]);
    expect(ip.natRuleRefs).toEqual([]);
    expect(ip.agwPoolRefs).toEqual([]);
    expect(ip.publicIpRef).toBeUndefined();
    expect(ip.inlinePublicIp).toBeUndefined();
    expect(ip.raw).toBe((nic.properties.ipConfigurations as unknown[])[0]);
  });

  it("keeps the references of an ipConfiguration", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const pip = e.publicIp("pip-ex01");
    const nsg = e.nsg("nsg-ex01", []);
    const nic = e.nic("nic-ex01", { subnet: sub, publicIp: pip, nsg });
    e.vm("ex01", { nics: [nic], tags: HOST_TAGS() });
    const ip = inventory(e.resources).hosts[0].ipConfigs[0];
    expect(ip.publicIpRef).toEqual({ id: pip.armId });
    expect(ip.nicNsg.kind).toBe("nsgs");
    expect(ip.nicNsg.kind === "nsgs" && ip.nicNsg.nsgs.map((n) => n.key)).toEqual([nsg.urn]);
  });

  it("names an unnamed ipConfiguration by its position and reads its family", () => {
    const { e, nic } = fleet();
    nic.properties.ipConfigurations = [
      { privateIPAddress: "fd00::4" },
      { name: SENTINEL, privateIPAddressVersion: "IPv6" },
      { name: "v4", privateIPAddressVersion: "IPV4", privateIPAddress: "10.0.0.0/24" },
      { name: "unk", privateIPAddressVersion: SENTINEL },
      { name: "dflt", privateIPAddress: SENTINEL },
      { name: "bad", privateIPAddressVersion: "IPv5" },
      { name: "v4-only", privateIPAddressVersion: "ipv4" },
      { name: "unk-dotted", privateIPAddressVersion: SENTINEL, privateIPAddress: "10.0.1.5" },
    ];
    const ips = inventory(e.resources).hosts[0].ipConfigs;
    expect(ips.map((i) => [i.label, i.family])).toEqual([
      ["nic-ex01/ipconfig #1", "IPv6"],
      ["nic-ex01/ipconfig #2", "IPv6"],
      ["nic-ex01/v4", "IPv4"],
      ["nic-ex01/unk", undefined],
      ["nic-ex01/dflt", "IPv4"],
      ["nic-ex01/bad", undefined],
      ["nic-ex01/v4-only", "IPv4"],
      ["nic-ex01/unk-dotted", "IPv4"],
    ]);
    expect(ips[0].privateAddr?.equals(parseAddressPrefix("fd00::4")!)).toBe(true);
    expect(ips[2].privateAddr).toBeUndefined();
    expect(ips[4].privateAddr).toBeUndefined();
    expect(ips.every((i) => i.subnets.length === 0)).toBe(true);
  });

  it("keeps unknown reference lists unknown", () => {
    const { e, nic } = fleet();
    nic.properties.ipConfigurations = [
      {
        name: "c",
        loadBalancerBackendAddressPools: SENTINEL,
        loadBalancerInboundNatRules: SENTINEL,
        applicationGatewayBackendAddressPools: SENTINEL,
        applicationSecurityGroups: SENTINEL,
      },
    ];
    const ip = inventory(e.resources).hosts[0].ipConfigs[0];
    expect(ip.lbPoolRefs).toBe(UNKNOWN);
    expect(ip.natRuleRefs).toBe(UNKNOWN);
    expect(ip.agwPoolRefs).toBe(UNKNOWN);
    expect(ip.asgRefs).toBe(UNKNOWN);
  });

  it("names NICs whose ipConfigurations are unknown or empty", () => {
    const { e, nic } = fleet();
    nic.properties.ipConfigurations = SENTINEL;
    expect(inventory(e.resources).hosts[0].problems).toEqual(["the ipConfigurations of NIC nic-ex01 are unknown at preview"]);
    nic.properties.ipConfigurations = [];
    expect(inventory(e.resources).hosts[0].problems).toEqual(["NIC nic-ex01 has no ipConfigurations"]);
    delete nic.properties.ipConfigurations;
    expect(inventory(e.resources).hosts[0].problems).toEqual(["NIC nic-ex01 has no ipConfigurations"]);
  });

  it("at preview, follows the NICs through propertyDependencies", () => {
    const { e, nic } = fleet({ preview: true });
    const h = inventory(e.resources).hosts[0];
    expect(h.nics.map((n) => n.urn)).toEqual([nic.urn]);
    expect(h.problems).toEqual([]);
    expect([...h.identities].sort()).toEqual([h.urn, nic.urn].sort());
  });

  it("an unknown networkProfile falls back to dependencies, and says so when there are none", () => {
    const { e, vm, nic } = fleet();
    vm.properties.networkProfile = SENTINEL;
    expect(inventory(e.resources).hosts[0].nics.map((n) => n.urn)).toEqual([nic.urn]);
    vm.properties.networkProfile = { networkInterfaces: SENTINEL };
    expect(inventory(e.resources).hosts[0].nics.map((n) => n.urn)).toEqual([nic.urn]);
    (vm as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkProfile = [];
    (vm as unknown as { dependencies: string[] }).dependencies.length = 0;
    const h = inventory(e.resources).hosts[0];
    expect(h.nics).toEqual([]);
    expect(h.problems).toEqual(["the network interfaces of VM ex01 are unknown at preview and no dependency names them"]);
  });

  it("names a NIC reference that leads outside the stack", () => {
    const { e, vm } = fleet();
    const outside = "/subscriptions/s/resourceGroups/rg-other/providers/Microsoft.Network/networkInterfaces/nic-far";
    vm.properties.networkProfile = { networkInterfaces: [{ id: outside }] };
    const h = inventory(e.resources).hosts[0];
    expect(h.problems).toEqual([
      "network interface #1 of VM ex01 subscriptions/s/resourcegroups/rg-other/providers/microsoft.network/networkinterfaces/nic-far is not in this stack, so its rules cannot be read",
    ]);
    expect(h.nics).toEqual([]);
  });

  it("names a NIC reference that cannot be followed at preview", () => {
    const { e, vm } = fleet();
    vm.properties.networkProfile = { networkInterfaces: [{ id: "/x/nic-ok" }, { id: SENTINEL }] };
    (vm as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkProfile = [];
    (vm as unknown as { dependencies: string[] }).dependencies.length = 0;
    expect(inventory(e.resources).hosts[0].problems).toEqual([
      "network interface #1 of VM ex01 x/nic-ok is not in this stack, so its rules cannot be read",
      "network interface #2 of VM ex01: its id is unknown at preview and no dependency names the target",
    ]);
  });

  it("a VM with no NIC at all has a problem", () => {
    const { e, vm, nic } = fleet();
    vm.properties.networkProfile = { networkInterfaces: [] };
    const inputs = e.resources.filter((r) => r !== nic);
    expect(inventory(inputs).hosts[0].problems).toEqual(["VM ex01 has no network interface the pack can see"]);
    delete vm.properties.networkProfile;
    expect(inventory(inputs).hosts[0].problems).toEqual(["VM ex01 has no network interface the pack can see"]);
  });

  it("counts a NIC attached from the NIC side (its output virtualMachine.id)", () => {
    const { e, vm, nic } = fleet();
    vm.properties.networkProfile = { networkInterfaces: [] };
    nic.properties.virtualMachine = { id: vm.armId };
    const other = e.nic("nic-other", { subnet: e.resources[1], tags: {} });
    other.properties.virtualMachine = { id: SENTINEL };
    const stray = e.nic("nic-stray", { subnet: e.resources[1] });
    stray.properties.virtualMachine = null;
    const inv = inventory(e.resources);
    const h = inv.hosts[0];
    expect(h.nics.map((n) => n.urn)).toEqual([nic.urn]);
    expect(h.problems).toEqual([]);
    expect(inv.hostOfNic(nic.urn)).toBe(h);
    expect(inv.hostOfNic(other.urn)).toBeUndefined();
  });

  it("lists a NIC named both ways once", () => {
    const { e, vm, nic } = fleet();
    nic.properties.virtualMachine = { id: vm.armId };
    expect(inventory(e.resources).hosts[0].nics).toHaveLength(1);
  });
});

describe("HostInventory: inline NIC configurations", () => {
  function inlineVm(nicConfigs: unknown) {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const vm = e.vm("ex01", { nics: [], tags: HOST_TAGS() });
    vm.properties.networkProfile = { networkApiVersion: "2020-11-01", networkInterfaceConfigurations: nicConfigs };
    return { e, sub, vm };
  }

  it("reads the ipConfigurations of inline NICs, owned by the VM", () => {
    const { e, vm, sub } = inlineVm([]);
    vm.properties.networkProfile = {
      networkInterfaceConfigurations: [
        { name: "nicfg", ipConfigurations: [{ name: "ipc", subnet: { id: sub.armId }, publicIPAddressConfiguration: { name: "pip" } }] },
        { ipConfigurations: [{}] },
      ],
    };
    const h = inventory(e.resources).hosts[0];
    expect(h.problems).toEqual([]);
    expect(h.nics).toEqual([]);
    expect(h.ipConfigs.map((i) => [i.label, i.nicLabel, i.owner.urn, i.depKey])).toEqual([
      ["nicfg/ipc", "nicfg", vm.urn, "networkProfile"],
      ["nic-config-2/ipconfig #1", "nic-config-2", vm.urn, "networkProfile"],
    ]);
    expect(h.ipConfigs[0].inlinePublicIp).toEqual({ name: "pip" });
    expect(h.ipConfigs[0].publicIpRef).toBeUndefined();
    expect(h.ipConfigs[0].subnets.map((s) => s.key)).toEqual([sub.urn]);
    expect(h.ipConfigs[0].nicNsg).toEqual({ kind: "none" });
  });

  it("names unknown inline configurations", () => {
    expect(inventory(inlineVm(SENTINEL).e.resources).hosts[0].problems).toEqual([
      "the inline network interface configurations of VM ex01 are unknown at preview",
    ]);
    expect(inventory(inlineVm("bad").e.resources).hosts[0].problems).toEqual([
      "the inline network interface configurations of VM ex01 are malformed (expected a list)",
    ]);
    expect(inventory(inlineVm([{ name: "nicfg", ipConfigurations: SENTINEL }]).e.resources).hosts[0].problems).toEqual([
      "the ipConfigurations of inline NIC nicfg of VM ex01 are unknown at preview",
    ]);
  });

  it("an empty inline list and no NIC is a VM without network interface", () => {
    expect(inventory(inlineVm([]).e.resources).hosts[0].problems).toEqual(["VM ex01 has no network interface the pack can see"]);
  });

  it("an inline NIC without ipConfigurations is no problem of its own", () => {
    const h = inventory(inlineVm([{ name: "n" }]).e.resources).hosts[0];
    expect(h.problems).toEqual([]);
    expect(h.ipConfigs).toEqual([]);
  });
});

describe("localAddrs", () => {
  const base = { privateAddr: undefined, family: "IPv4" } as unknown as IpConfigView;
  const subnet = { prefixes: parseAddressPrefix("10.0.1.0/24") } as unknown as SubnetView;

  it("prefers the exact private address", () => {
    const exact = parseAddressPrefix("10.0.1.4")!;
    expect(localAddrs({ ...base, privateAddr: exact }, subnet)).toBe(exact);
  });

  it("else the subnet's prefixes in the config's family", () => {
    expect(localAddrs(base, subnet).equals(parseAddressPrefix("10.0.1.0/24")!)).toBe(true);
    expect(localAddrs({ ...base, family: "IPv6" }, subnet).isEmpty).toBe(true);
  });

  it("else the whole family", () => {
    expect(localAddrs(base, undefined).equals(ALL_V4)).toBe(true);
    expect(localAddrs({ ...base, family: "IPv6" }, { prefixes: undefined } as unknown as SubnetView).equals(ALL_V6)).toBe(true);
    expect(localAddrs({ ...base, family: undefined }, undefined).equals(ALL_V4.union(ALL_V6))).toBe(true);
  });
});

/**
 * Host and state tags (docs/contract.md#exchange-hosts-and-their-tags): names match case-insensitively, values case-insensitively
 * (and trimmed); missing / unknown / other values mean unverified; conflicting tags fail closed;
 * a NIC's tag can only make the state worse.
 */
/** ex01 with a Standard PIP and an NSG allowing 443 from Internet, a clean linked assessment, and the given tags. */
function taggedHost(preview: boolean, vmTags: Record<string, string> | string, nicTags?: Record<string, string>, gate: Record<string, unknown> = {}) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: nicTags ?? {} });
  const vm = e.vm("ex01", { nics: [nic], tags: vmTags });
  e.assessment("a-ex01", vm, cleanData());
  const run = (policy = EXPOSED, config: Record<string, unknown> = {}) => runStack(policy, e.resources, config, gate);
  return { e, vm, run };
}

describe.each(FORMS)("tags (%s form)", (_form, preview) => {
  it("control: remediated on VM and NIC with a clean assessment is verified (not flagged)", () => {
    const { run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("remediated"));
    expect(run()).toEqual([]);
  });

  it("control: a NIC without the state tag says nothing; the VM's remediated stands", () => {
    const { run } = taggedHost(preview, HOST_TAGS("remediated"), { workload: "exchange" });
    expect(run()).toEqual([]);
  });

  it("control: a VM tagged for another workload is not a host", () => {
    const { run } = taggedHost(preview, { workload: "sharepoint", "remediation-state": "unverified" });
    expect(run()).toEqual([]);
  });

  it.each([
    ["Workload", " Exchange "],
    ["WORKLOAD", "EXCHANGE"],
    ["workload", "exchange "],
  ])("tag name %s with value %j still marks a host", (name, value) => {
    const { vm, run } = taggedHost(
      preview,
      { [name]: value, "remediation-state": "unverified" },
      { [name]: value, "remediation-state": "unverified" },
    );
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(unverified)", "pip-ex01");
  });

  it("state tag name and value in other cases (REMEDIATION-STATE: Remediated) still verify", () => {
    const tags = { Workload: "Exchange", "REMEDIATION-STATE": " Remediated " };
    const { run } = taggedHost(preview, tags, tags);
    expect(run()).toEqual([]);
  });

  it("duplicate state tags differing in case with conflicting values: treated as compromised", () => {
    const tags = { workload: "exchange", "remediation-state": "remediated", "Remediation-State": "compromised" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(compromised)");
    // ... and held to the compromised host's outbound isolation.
    const iso = run(ISOLATED, { forensicsSourcePrefixes: ["10.9.0.0/24"] });
    expectAboutHost(iso, vm);
    expect(iso.some((x) => x.message.includes("can still send to the internet"))).toBe(true);
  });

  it("an unknown state value (fixed) means unverified, whatever the assessment says", () => {
    const tags = { workload: "exchange", "remediation-state": "fixed" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unverified", '"fixed"');
  });

  it("an empty state value means unverified", () => {
    const tags = { workload: "exchange", "remediation-state": "" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unverified");
  });

  it("the VM's tags object unknown: treated as a host, not verified", () => {
    const { vm, run } = taggedHost(preview, SENTINEL, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unknown", "pip-ex01");
  });

  it("the VM's state tag value unknown: not verified, and the message says the state is unknown", () => {
    const tags = { workload: "exchange", "remediation-state": SENTINEL };
    const { vm, run } = taggedHost(preview, tags, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "of unknown state", "remediation-state tag is unknown at preview");
  });

  it("the host tag value unknown: treated as a host", () => {
    const { vm, run } = taggedHost(preview, { workload: SENTINEL, "remediation-state": "remediated" }, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm);
  });

  it("remediated only on the NIC, unverified on the VM: not verified", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("unverified"), HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(unverified)");
  });

  it("remediated on the VM, unverified on the NIC: not verified (the worse tag wins), the message names the NIC", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("unverified"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "nic-ex01");
  });

  it("remediated on the VM, compromised on the NIC: compromised", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("compromised"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "compromised");
  });

  it("the NIC's tags unknown: not verified", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const nic = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: e.publicIp("pip-ex01"), privateIp: "10.0.1.4" });
    (nic.properties as Record<string, unknown>).tags = SENTINEL;
    const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("remediated") });
    e.assessment("a-ex01", vm, cleanData());
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "nic-ex01");
  });

  it("configured hostTag / hostTagValues (gate config) select the hosts", () => {
    const { vm, run } = taggedHost(preview, { Role: "Exchange-MBX", "remediation-state": "unverified" }, undefined, {
      hostTag: "role",
      hostTagValues: ["exchange-mbx"],
    });
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm);
  });
});

/**
 * The TagAtScope bypass (docs/threat-model.md row 30): tags another resource applies to the VM or its NICs (azure-native:resources:TagAtScope, the
 * Tags API at scope, which replaces the resource's tag set) are the VM's tags for every stack policy. Where they and
 * the VM's own tags disagree the worse reading holds (a host; the worst state); an unknown scope or tag set fails closed.
 */
/** ex01 published (Standard PIP, NSG allowing 443 from Internet) with a clean linked assessment and the given VM tags. */
function published(preview: boolean, vmTags: Record<string, string>) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: {} });
  const vm = e.vm("ex01", { nics: [nic], tags: vmTags });
  e.assessment("a-ex01", vm, cleanData());
  return { e, vm, nic };
}

/** A TagAtScope on `target` as a program writes it: scope = the target's id (unknown at preview, linked by URN). */
function tagAtScope(e: Estate, name: string, target: Res | undefined, tags: unknown, scope?: unknown): Res {
  return e.add(
    T.TagAtScope,
    name,
    { scope: scope ?? (e.opts.preview ? SENTINEL : target!.armId), properties: { tags } },
    target ? { scope: [target] } : {},
  );
}

describe.each(FORMS)("TagAtScope (%s form)", (_form, preview) => {
  it("control: a VM tagged for another workload, published, is not a host", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it("makes a VM tagged for another workload an Exchange host: its published path is reported", () => {
    const { e, vm } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("unverified"));
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(
      /host ex01 \(unverified \(TagAtScope tags-ex01 tags it as an Exchange host; .*\)\) is reachable from the internet via public IP/,
    );
  });

  it("on the NIC: counts as the VM's tags too", () => {
    const { e, vm, nic } = published(preview, HOST_TAGS("remediated"));
    tagAtScope(e, "tags-nic", nic, HOST_TAGS("compromised"));
    const a = analyse(e.resources);
    expect(a.hosts.map((h) => [h.name, h.state])).toEqual([["ex01", "compromised"]]);
    expect(runStack(EXPOSED, e.resources)[0]?.urn).toBe(vm.urn);
  });

  it("disagreeing with the VM's own remediated: the worse (unverified) holds and the host is not verified", () => {
    const { e, vm } = published(preview, HOST_TAGS("remediated"));
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("unverified"));
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });

  it("saying remediated while the VM's own tags say unverified: still unverified (a tag from outside never improves the state)", () => {
    const { e, vm } = published(preview, HOST_TAGS("unverified"));
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("remediated"));
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
    expect(runStack(REQUIRES, e.resources)).toEqual([]);
  });

  it("an unknown tag set on the VM: treated as a host of unknown state", () => {
    const { e, vm } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-ex01", vm, SENTINEL);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/host ex01 \(of unknown state \(TagAtScope tags-ex01 may set the tags of VM ex01/);
  });

  it("a scope that cannot be followed (unknown, no dependency): it may tag any VM, so the published VM is judged as a host", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-somewhere", undefined, HOST_TAGS("unverified"), SENTINEL);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/TagAtScope tags-somewhere may set the tags of VM ex01 \(its scope its id is unknown at preview/);
  });

  it("a scope naming another VM, or a resource group, does not touch this one", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    const other = e.vm("app01", { nics: [], tags: { workload: "app" } });
    tagAtScope(e, "tags-app01", other, { workload: "app" });
    if (!preview) tagAtScope(e, "tags-rg", undefined, HOST_TAGS("unverified"), `/subscriptions/${e.sub}/resourceGroups/${e.rg}`);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});

/**
 * The scale-set host (docs/threat-model.md row 36): a VirtualMachineScaleSet tagged as Exchange is judged with its own shape: its instances' network
 * is virtualMachineProfile.networkProfile (inline NIC configurations), and the rebuild rule reads
 * virtualMachineProfile.storageProfile.
 */
function scaleSet(
  e: Estate,
  o: { subnet: Res; nsg?: Res; publicIp?: boolean; osDisk?: Record<string, unknown>; natPool?: boolean; tags?: Record<string, string> },
): Res {
  const ipConfig: Record<string, unknown> = { name: "ipconfig1", subnet: e.ref(o.subnet) };
  if (o.publicIp) ipConfig.publicIPAddressConfiguration = { name: "pip", sku: { name: "Standard" } };
  if (o.natPool)
    ipConfig.loadBalancerInboundNatPools = [
      { id: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/loadBalancers/lb/inboundNatPools/rdp" },
    ];
  const nicCfg: Record<string, unknown> = { name: "nic", primary: true, ipConfigurations: [ipConfig] };
  if (o.nsg) nicCfg.networkSecurityGroup = e.ref(o.nsg);
  return e.add(
    "azure-native:compute:VirtualMachineScaleSet",
    "ex-ss",
    {
      vmScaleSetName: "ex-ss",
      resourceGroupName: e.rg,
      tags: o.tags ?? HOST_TAGS("unverified"),
      virtualMachineProfile: {
        storageProfile: {
          imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
          osDisk: o.osDisk ?? { createOption: "FromImage" },
        },
        networkProfile: { networkInterfaceConfigurations: [nicCfg] },
      },
    },
    { virtualMachineProfile: [o.subnet, ...(o.nsg ? [o.nsg] : [])] },
  );
}

const denyAll = (e: Estate) =>
  e.nsg("nsg-ss", [
    rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 110, access: "Deny", source: "*" }),
  ]);

describe.each(FORMS)("Exchange scale sets (%s form)", (_form, preview) => {
  it("isolated (NSG denies all, no public IP): not exposed, and the OS disk from an image passes the rebuild rule", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    scaleSet(e, { subnet: sub, nsg: denyAll(e) });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(REBUILD, e.resources)).toEqual([]);
  });

  it("instance public IPs with RDP open: reported on the scale set, naming the path", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const open = e.nsg("nsg-open", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const ss = scaleSet(e, { subnet: sub, nsg: open, publicIp: true });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(ss.urn);
    expect(v[0].message).toMatch(/host ex-ss .*reachable from the internet.*allow-rdp.*3389/);
  });

  it("an OS disk attached instead of created from an image: the rebuild rule reads virtualMachineProfile.storageProfile", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    scaleSet(e, { subnet: sub, nsg: denyAll(e), osDisk: { createOption: "Attach" } });
    const v = runStack(REBUILD, e.resources);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/the OS disk of host ex-ss is created with "Attach", not from an image/)]);
    expect(v[0].message).not.toMatch(/declares no createOption/);
  });

  it("instances reached through a load balancer NAT pool (not modelled): undecidable, so reported", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    scaleSet(e, { subnet: sub, nsg: denyAll(e), natPool: true });
    expect(runStack(EXPOSED, e.resources)[0]?.message).toMatch(/inbound NAT pool, which the pack does not model/);
  });
});
