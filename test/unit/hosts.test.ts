import { parseAddressPrefix, ALL_V4, ALL_V6 } from "../../policies/model/addresses";
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
import { Estate, HOST_TAGS, Res, UNKNOWN as SENTINEL } from "../support/estate";
import { rawInputs } from "../support/judge";

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
    // Issue #15: a scale set is judged with its own shape; with no instance network profile there is nothing to judge, so it fails closed.
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
