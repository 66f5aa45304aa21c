/**
 * Issue #15, class 8: a VirtualMachineScaleSet tagged as Exchange is judged with its own shape: its instances' network
 * is virtualMachineProfile.networkProfile (inline NIC configurations), and the rebuild rule reads
 * virtualMachineProfile.storageProfile.
 */
import { Estate, HOST_TAGS, Res, rule } from "../support/estate";
import { runStack } from "../support/judge";
import { baseNet } from "../support/networks";
import { FORMS } from "../support/assertions";
import { EXPOSED, REBUILD } from "../support/policyNames";

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
