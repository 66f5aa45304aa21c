import { keysOfId, RegistrationIndex } from "../../policies/model/registration";
import { T } from "../../policies/model/resourceTypes";
import { analyzeInput } from "../support/admission";
import { Estate, HOST_TAGS, Res, rule } from "../support/estate";
import { firewall } from "../support/networks";

function indexOf(resources: readonly Res[]): RegistrationIndex {
  const index = new RegistrationIndex();
  for (const r of resources) index.add(analyzeInput(r));
  return index;
}

const names = (index: RegistrationIndex, urn: string) => index.neighbourhood(urn).map((e) => e.input.name);

describe("keysOfId", () => {
  it("names the top-level resource an id points into, and an extension's host resource", () => {
    expect(keysOfId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/Hub/subnets/a")).toEqual([
      "microsoft.network/virtualnetworks|hub",
    ]);
    expect(
      keysOfId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/ex01/providers/Microsoft.Security/assessments/g"),
    ).toEqual(["microsoft.compute/virtualmachines|ex01", "microsoft.security/assessments|g"]);
    expect(keysOfId("/subscriptions/s/resourceGroups/rg")).toEqual([]);
  });
});

describe("RegistrationIndex: ids learned from later resources", () => {
  it("gives a resource the id a later resource names it by, and a standalone child its own id", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const nic = e.nic("nic", { subnet: sub });
    const index = indexOf([vnet, sub, nic]);
    expect(index.get(sub.urn)!.learnedId).toBe(sub.armId);
    expect(index.get(vnet.urn)!.learnedId).toBe(vnet.armId);
    expect(index.get(nic.urn)!.learnedId).toBeUndefined();
    const [, learnedSub] = RegistrationIndex.inputs([index.get(vnet.urn)!, index.get(sub.urn)!]);
    expect((learnedSub.props as Record<string, unknown>).id).toBe(sub.armId);
  });

  it("learns a VM's id from an extension id naming it, never the extension's own", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const nic = e.nic("nic", { subnet: e.subnet("snet", vnet, "10.0.1.0/24") });
    const vm = e.vm("ex01", { nics: [nic] });
    const lock = e.add("azure-native:authorization:ManagementLockByScope", "lock", {
      scope: `${vm.armId}/providers/Microsoft.Security/assessments/x`,
      level: "CanNotDelete",
    });
    const index = indexOf(e.resources);
    expect(index.get(vm.urn)!.learnedId).toBe(vm.armId);
    void lock;
  });

  it("learns nothing when the name is ambiguous in its resource group or the group differs", () => {
    const e = new Estate();
    const a = e.nsg("nsg", []);
    const other = new Estate({ rg: "rg-other", stack: "other" });
    const b = other.nsg("nsg", []);
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24", b);
    const index = indexOf([a, b, vnet, sub]);
    expect(index.get(b.urn)!.learnedId).toBe(b.armId);
    expect(index.get(a.urn)!.learnedId).toBeUndefined();
  });
});

describe("RegistrationIndex: a host's neighbourhood", () => {
  function fleet() {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const nsg = e.nsg("nsg-shared", [rule({ name: "deny", priority: 100, access: "Deny", source: "*" })]);
    const extra = e.securityRule("extra", nsg, rule({ name: "extra", priority: 200 }));
    const pip = e.publicIp("pip-ex01");
    const nic1 = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: pip, privateIp: "10.0.1.4" });
    const vm1 = e.vm("ex01", { nics: [nic1], tags: HOST_TAGS("unverified") });
    const nic2 = e.nic("nic-ex02", { subnet: sub, nsg, privateIp: "10.0.1.40" });
    const vm2 = e.vm("ex02", { nics: [nic2], tags: HOST_TAGS("unverified") });
    return { e, vnet, sub, nsg, extra, pip, nic1, vm1, nic2, vm2 };
  }

  it("holds the VM, its NICs and what they name, the NSG's standalone rules, and never another machine's NIC", () => {
    const f = fleet();
    const index = indexOf(f.e.resources);
    expect(names(index, f.vm1.urn)).toEqual(["vnet", "snet", "nsg-shared", "extra", "pip-ex01", "nic-ex01", "ex01"]);
    expect(names(index, f.vm2.urn)).toEqual(["vnet", "snet", "nsg-shared", "extra", "nic-ex02", "ex02"]);
  });

  it("takes in a resource that names the host's NIC, and one that names its static address inside a URL, exactly", () => {
    const f = fleet();
    const tag = f.e.add(T.TagAtScope, "nic-tags", { scope: f.nic1.armId, properties: { tags: HOST_TAGS("unverified") } });
    const api = f.e.add("azure-native:apimanagement:Api", "wsman", { serviceName: "apim", apiId: "wsman", serviceUrl: "http://10.0.1.4:5985/wsman" });
    const near = f.e.add("azure-native:apimanagement:Api", "near", { serviceName: "apim", apiId: "near", serviceUrl: "http://10.0.1.40:5985/wsman" });
    const index = indexOf(f.e.resources);
    expect(names(index, f.vm1.urn)).toEqual(expect.arrayContaining([tag.name, api.name]));
    expect(names(index, f.vm1.urn)).not.toContain(near.name);
    expect(names(index, f.vm2.urn)).toContain(near.name);
    expect(names(index, f.vm2.urn)).not.toContain(api.name);
  });

  it("follows a DNS name that resolves to the host's address to what names it", () => {
    const f = fleet();
    const zone = f.e.add("azure-native:privatedns:PrivateZone", "corp", { privateZoneName: "corp.example", resourceGroupName: f.e.rg });
    const rec = f.e.add("azure-native:privatedns:PrivateRecordSet", "ex01-a", {
      privateZoneName: "corp.example",
      relativeRecordSetName: "mail",
      recordType: "A",
      resourceGroupName: f.e.rg,
      aRecords: [{ ipv4Address: "10.0.1.4" }],
    });
    const backend = f.e.add("azure-native:apimanagement:Backend", "owa", {
      serviceName: "apim",
      backendId: "owa",
      url: "https://mail.corp.example/owa",
    });
    const index = indexOf(f.e.resources);
    expect(names(index, f.vm1.urn)).toEqual(expect.arrayContaining([zone.name, rec.name, backend.name]));
    expect(names(index, f.vm2.urn)).not.toContain(backend.name);
  });

  it("reaches a peered hub's firewall through the peering, and names a generic ARM write by what it writes", () => {
    const f = fleet();
    const hub = f.e.vnet("hub", ["10.100.0.0/16"]);
    const peering = f.e.add("azure-native:network:VirtualNetworkPeering", "spoke-to-hub", {
      virtualNetworkPeeringName: "spoke-to-hub",
      virtualNetworkName: "vnet",
      resourceGroupName: f.e.rg,
      remoteVirtualNetwork: f.e.ref(hub),
    });
    const fwSubnet = f.e.subnet("AzureFirewallSubnet", hub, "10.100.0.0/26");
    const lonely = f.e.subnet("unused", hub, "10.100.9.0/24");
    const fw = firewall(f.e, "fw-hub", { subnet: fwSubnet, publicIp: f.e.publicIp("pip-fw") });
    const generic = f.e.add("azure-native:resources:Resource", "portal-rule", {
      resourceProviderNamespace: "Microsoft.Network",
      parentResourcePath: "networkSecurityGroups/nsg-shared",
      resourceType: "securityRules",
      resourceName: "allow-all",
      resourceGroupName: f.e.rg,
      apiVersion: "2024-05-01",
      properties: { access: "Allow", direction: "Inbound", priority: 50, protocol: "*" },
    });
    const index = indexOf(f.e.resources);
    expect(names(index, f.vm1.urn)).toEqual(expect.arrayContaining([hub.name, peering.name, fw.name, fwSubnet.name, "pip-fw", generic.name]));
    // A subnet is reached when something names it, not for being in a VNet the host's network reaches.
    expect(names(index, f.vm1.urn)).not.toContain(lonely.name);
    expect(index.get(generic.urn)!.identity).toBe("microsoft.network/networksecuritygroups|nsg-shared");
  });

  it("does not wander into an unrelated network", () => {
    const f = fleet();
    const other = f.e.vnet("other", ["10.50.0.0/16"]);
    const otherSub = f.e.subnet("other-snet", other, "10.50.1.0/24");
    const stranger = f.e.nic("nic-x", { subnet: otherSub, publicIp: f.e.publicIp("pip-x") });
    f.e.vm("x", { nics: [stranger] });
    const index = indexOf(f.e.resources);
    expect(names(index, f.vm1.urn)).not.toEqual(expect.arrayContaining(["other"]));
    expect(names(index, f.vm1.urn)).toEqual(["vnet", "snet", "nsg-shared", "extra", "pip-ex01", "nic-ex01", "ex01"]);
  });

  it("replaces a resource registered again under the same URN", () => {
    const f = fleet();
    const index = indexOf(f.e.resources);
    const changed = { ...analyzeInput(f.pip), props: { publicIpAddressName: "pip-ex01", resourceGroupName: f.e.rg, sku: { name: "Basic" } } };
    index.add(changed);
    expect(index.size).toBe(f.e.resources.length);
    expect(index.neighbourhood(f.vm1.urn).find((e) => e.input.urn === f.pip.urn)!.input).toBe(changed);
  });
});
