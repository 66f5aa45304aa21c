import { cleanData, Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import { EXPOSED, ISOLATED } from "../support/policyNames";
import { FORENSICS, forensicsOnlyHost } from "../support/networks";

/** Bypass attempts from docs/threat-model.md that the other suites do not already cover. */

describe.each([false, true])("bypass attempts (preview=%s)", (preview) => {
  it("starts from a compliant isolated host", () => {
    const e = new Estate({ preview });
    forensicsOnlyHost(e);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("a resource of a type the pack does not model that references the host's NIC makes exposure undecidable", () => {
    const e = new Estate({ preview });
    const { nic } = forensicsOnlyHost(e);
    // A classic-provider pool association: a way onto a load balancer the pack does not read.
    e.add(
      "azure:network/networkInterfaceBackendAddressPoolAssociation:NetworkInterfaceBackendAddressPoolAssociation",
      "assoc",
      {
        networkInterfaceId: preview ? UNKNOWN : nic.armId,
        ipConfigurationName: "ipconfig1",
        backendAddressPoolId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/p",
      },
      { networkInterfaceId: [nic] },
    );
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/host ex01 .*NetworkInterfaceBackendAddressPoolAssociation assoc references this host .*does not model that type/);
    expect(v[0].urn).toBe(e.urn("azure-native:compute:VirtualMachine", "ex01"));
  });

  it("a JIT access policy naming the VM is not modelled either, so it is flagged", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e);
    e.add(
      "azure-native:security:JitNetworkAccessPolicy",
      "jit",
      { virtualMachines: [{ id: preview ? UNKNOWN : vm.armId, ports: [{ number: 3389, protocol: "*", maxRequestAccessDuration: "PT3H" }] }] },
      { virtualMachines: [vm] },
    );
    expect(runStack(EXPOSED, e.resources)[0]?.message).toMatch(/JitNetworkAccessPolicy jit references this host/);
  });

  it("governance resources that reference the host (a role assignment, a diagnostic setting) do not", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e);
    e.add(
      "azure-native:authorization:RoleAssignment",
      "ra",
      { scope: preview ? UNKNOWN : vm.armId, principalId: "p", roleDefinitionId: "r" },
      { scope: [vm] },
    );
    e.add("azure-native:insights:DiagnosticSetting", "diag", { resourceUri: preview ? UNKNOWN : vm.armId }, { resourceUri: [vm] });
    e.add("random:index/randomPet:RandomPet", "pet", { prefix: vm.armId });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it("an Exchange VM built with another resource type cannot hide from the pack", () => {
    const e = new Estate({ preview });
    forensicsOnlyHost(e);
    e.add("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "ex09", {
      name: "ex09",
      tags: { Workload: "Exchange", "remediation-state": "remediated" },
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/host ex09 .*only analyses azure-native:compute:VirtualMachine/)]);
    expect(runStack(ISOLATED, e.resources, FORENSICS).some((x) => /ex09 .*cannot be shown to be isolated/.test(x.message))).toBe(true);
  });

  it("a versioned type token for the VM is still the same VM", () => {
    const e = new Estate({ preview });
    const { nic } = forensicsOnlyHost(e);
    const pip = e.publicIp("pip-ex02", "Basic");
    const nic2 = e.nic("nic-ex02", { subnet: e.resources.find((r) => r.name === "snet-q")!, publicIp: pip, tags: HOST_TAGS("unverified") });
    e.add(
      "azure-native:compute/v20240701:VirtualMachine",
      "ex02",
      { vmName: "ex02", tags: HOST_TAGS("unverified"), networkProfile: { networkInterfaces: [e.ref(nic2)] } },
      { networkProfile: [nic2] },
    );
    void nic;
    expect(runStack(EXPOSED, e.resources).some((v) => /host ex02 .*pip-ex02/.test(v.message))).toBe(true);
  });

  it("a subnet declared both inline in its VNet and as a standalone Subnet is judged with both NSGs", () => {
    const e = new Estate({ preview });
    const open = e.nsg("nsg-open", [rule({ name: "allow-all", priority: 100, source: "*" })]);
    const closed = e.nsg("nsg-closed", [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*" })]);
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "snet-q", addressPrefix: "10.0.2.0/24", networkSecurityGroup: e.ref(open) }], {
      subnets: [open],
    });
    const sub = e.subnet("snet-q", vnet, "10.0.2.0/24", closed);
    const nic = e.nic("nic-ex01", { subnet: sub, privateIp: "10.0.2.4", tags: HOST_TAGS("unverified") });
    e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v.some((x) => /nsg-open rule allow-all/.test(x.message))).toBe(true);
  });

  it("inline rules and a standalone SecurityRule on the same NSG are evaluated together", () => {
    const e = new Estate({ preview });
    const { nsg } = forensicsOnlyHost(e);
    // An allow slipped in above the deny as a standalone resource.
    e.securityRule("sneaky", nsg, rule({ name: "sneaky", priority: 105, source: "*", port: "443", protocol: "Tcp" }));
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/nsg-ex01 SecurityRule sneaky \(105\) allows \* .*TCP 443/)]);
  });

  it("a clean assessment of a VM with the same name in another resource group does not verify the host", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e, "remediated");
    const other = new Estate({ preview: false, rg: "rg-other" });
    const otherId = other.armId("azure-native:compute:VirtualMachine", "ex01");
    e.add("azure-native:security:Assessment", "a-other", {
      resourceId: otherId,
      assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
      resourceDetails: { source: "Azure" },
      status: { code: "Healthy" },
      additionalData: cleanData(),
    });
    const a = analyse(e.resources);
    expect(a.gateOf(a.hosts[0]).verified).toBe(false);
    void vm;
  });
});
