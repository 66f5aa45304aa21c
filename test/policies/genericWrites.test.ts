/**
 * Generic ARM writes through the whole pack: azure-native's `resources:Resource` (ARM's generic PUT,
 * https://learn.microsoft.com/rest/api/resources/resources/create-or-update) counts as the typed resource it writes, in
 * every policy; one the pack cannot map that lands in a host's network fails the host's network verdicts closed.
 */
import { Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { envelope, genericSecurityRule, genericWrite, ISOLATION_CONFIG, quarantinedHost } from "../support/genericWrites";
import { runStack } from "../support/judge";
import { baseNet, exHost, hostNic } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS, EXPOSED, ISOLATED } from "../support/policyNames";

const winrm = () => rule({ name: "allow-winrm", priority: 110, source: "*", port: "5985", protocol: "Tcp" });

/** A verified ex01 with a public IP and an NSG that publishes 443 from the internet and denies everything else. */
function published(preview: boolean) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-pub-ex01", [
    rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 4000, access: "Deny", source: "*" }),
  ]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
  const vm = exHost(e, { nics: [nic], verified: true });
  return { e, vm, nsg };
}

describe.each(FORMS)("generic ARM writes (%s form)", (_form, preview) => {
  it("control: the quarantined host is isolated and not exposed", () => {
    const { e } = quarantinedHost(preview);
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it("a security rule written generically into the quarantine NSG counts in the NSG evaluator: the host is no longer isolated", () => {
    const { e, vm } = quarantinedHost(preview);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", winrm());
    const v = runStack(ISOLATED, e.resources, ISOLATION_CONFIG);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "NIC NSG nsg-iso-ex01 SecurityRule allow-winrm (110)", "TCP 5985");
  });

  it("the same rule with the NSG's name taken from its output at preview (parent path unknown): isolation cannot be shown, naming the write", () => {
    const { e, vm, nsg } = quarantinedHost(preview);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", winrm(), {
      parentPath: preview ? UNKNOWN : "networkSecurityGroups/nsg-iso-ex01",
      deps: { parentResourcePath: [nsg] },
    });
    const v = runStack(ISOLATED, e.resources, ISOLATION_CONFIG);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, preview ? "generic ARM write open-winrm" : "SecurityRule allow-winrm (110)");
  });

  it("an NSG written generically, with its rules in ARM's envelopes, guards the host like the typed NSG", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = genericWrite(e, "nsg-generic", {
      namespace: "Microsoft.Network",
      type: "networkSecurityGroups",
      resourceName: "nsg-iso-ex01",
      properties: {
        securityRules: [
          envelope(rule({ name: "allow-forensics-rdp", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" })),
          envelope(rule({ name: "deny-all-in", priority: 4000, access: "Deny", source: "*" })),
        ],
      },
    });
    const nic = hostNic(e, sub, { nsg });
    exHost(e, { nics: [nic] });
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    genericSecurityRule(e, "open-all", "nsg-iso-ex01", rule({ name: "allow-all", priority: 120, source: "*" }));
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toHaveLength(1);
  });

  it("a public IP attached to the host's NIC written generically is an internet path", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const pip = genericWrite(e, "pip-generic", {
      namespace: "Microsoft.Network",
      type: "publicIPAddresses",
      resourceName: "pip-ex01",
      extra: { sku: { name: "Standard" } },
      properties: { publicIPAllocationMethod: "Static" },
    });
    const nic = genericWrite(e, "nic-generic", {
      namespace: "Microsoft.Network",
      type: "networkInterfaces",
      resourceName: "nic-ex01",
      extra: { tags: HOST_TAGS("unverified") },
      properties: {
        networkSecurityGroup: e.ref(nsg),
        ipConfigurations: [{ name: "ipconfig1", properties: { privateIPAddress: "10.0.1.4", subnet: e.ref(sub), publicIPAddress: e.ref(pip) } }],
      },
      deps: { properties: [nsg, sub, pip] },
    });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "via public IP", "public IP pip-ex01 (Standard) → NIC nic-ex01/ipconfig1", "TCP 443");
  });

  it("an Exchange VM written generically is a host: its public path is reported against it", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
    const vm = genericWrite(e, "vm-generic", {
      namespace: "Microsoft.Compute",
      type: "virtualMachines",
      resourceName: "ex01",
      extra: { tags: HOST_TAGS("unverified"), location: "westeurope" },
      properties: {
        hardwareProfile: { vmSize: "Standard_E8s_v5" },
        networkProfile: { networkInterfaces: [{ ...e.ref(nic), properties: { primary: true } }] },
        storageProfile: {
          osDisk: { createOption: "FromImage" },
          imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
        },
      },
      deps: { properties: [nic] },
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(/^host ex01 \(unverified\) is reachable from the internet via public IP: public IP pip-ex01 .* TCP 3389/);
  });

  it("the Tags API written generically at a VM's scope tags it as an Exchange host: its published path is reported", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: {} })], tags: { workload: "sharepoint" } });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    genericWrite(e, "retag", {
      namespace: "Microsoft.Compute",
      parentPath: "virtualMachines/ex01/providers/Microsoft.Resources",
      type: "tags",
      resourceName: "default",
      properties: { tags: HOST_TAGS("unverified") },
      armId: `${vm.armId}/providers/Microsoft.Resources/tags/default`,
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "TagAtScope", "via public IP");
  });

  it("a generic deny above the published allow closes the public path, as a typed one would", () => {
    const { e } = published(preview);
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
    genericSecurityRule(e, "rdp", "nsg-pub-ex01", rule({ name: "allow-rdp", priority: 110, source: "Internet", port: "3389", protocol: "Tcp" }));
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([expect.objectContaining({ message: expect.stringContaining("3389 (RDP)") })]);
    genericSecurityRule(e, "deny-rdp", "nsg-pub-ex01", rule({ name: "deny-rdp", priority: 105, access: "Deny", source: "*", port: "3389" }));
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
  });

  it("a write the pack cannot map into the host's NSG fails every network verdict of the host closed, naming the write", () => {
    const { e, vm } = quarantinedHost(preview);
    genericWrite(e, "odd", { namespace: "Microsoft.Network", parentPath: "networkSecurityGroups/nsg-iso-ex01", type: "newRules", resourceName: "x" });
    for (const [policy, config] of [
      [EXPOSED, {}],
      [ISOLATED, ISOLATION_CONFIG],
    ] as const) {
      const v = runStack(policy, e.resources, config);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "generic ARM write odd (azure-native:resources:Resource) writes into NSG nsg-iso-ex01 of this host");
    }
  });

  it("…and that of a verified host: its ports cannot be decided", () => {
    const { e, vm } = published(preview);
    genericWrite(e, "odd", { namespace: "Microsoft.Network", parentPath: "networkSecurityGroups/nsg-pub-ex01", type: "newRules", resourceName: "x" });
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "cannot be decided", "generic ARM write odd");
  });

  it("a write the pack cannot map in another resource group, away from the host's network, changes nothing", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "elsewhere", { namespace: "Microsoft.Network", type: "natGateways", resourceName: "nat1", resourceGroupName: "rg-other" });
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});
