/**
 * Issue #15, class 4: a subnet declared both inline in its VNet and as a standalone Subnet, where one declaration
 * carries an NSG and the other does not. Each deployment of the NSG-less form removes the association (last writer
 * wins), so the host is judged with the NSG-less reading when that exposes it, and the message names both declarations.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { FORMS } from "../support/assertions";
import { FORENSICS } from "../support/networks";
import { EXPOSED, ISOLATED } from "../support/policyNames";

const isolation = (e: Estate) =>
  e.nsg("nsg-q", [
    rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 110, access: "Deny", source: "*" }),
    rule({ name: "deny-out", priority: 110, direction: "Outbound", access: "Deny", destination: "Internet" }),
  ]);

/** The host in snet-q, declared inline (with `inlineNsg` or none) and standalone (with `standaloneNsg` or none). */
function dual(preview: boolean, o: { inlineNsg: boolean; standaloneNsg: boolean; nicRefersTo: "standalone" | "inline" }) {
  const e = new Estate({ preview });
  const nsg = isolation(e);
  const inline: Record<string, unknown> = { name: "snet-q", addressPrefix: "10.0.2.0/24" };
  if (o.inlineNsg) inline.networkSecurityGroup = e.ref(nsg);
  const vnet = e.vnet("vnet", ["10.0.0.0/16"], [inline], o.inlineNsg ? { subnets: [nsg] } : {});
  const sub = e.subnet("snet-q", vnet, "10.0.2.0/24", o.standaloneNsg ? nsg : undefined);
  const pip = e.publicIp("pip-ex01");
  const target: Res = o.nicRefersTo === "standalone" ? sub : vnet;
  const nic = e.add(
    "azure-native:network:NetworkInterface",
    "nic-ex01",
    {
      networkInterfaceName: "nic-ex01",
      resourceGroupName: e.rg,
      tags: HOST_TAGS("unverified"),
      ipConfigurations: [
        {
          name: "ipconfig1",
          privateIPAddress: "10.0.2.4",
          privateIPAllocationMethod: "Static",
          // The inline subnet by its id (what a program builds from the VNet's id); unknown at preview, linked to the VNet.
          subnet: o.nicRefersTo === "standalone" ? e.ref(sub) : { id: preview ? UNKNOWN : `${vnet.armId}/subnets/snet-q` },
          publicIPAddress: e.ref(pip),
        },
      ],
    },
    { ipConfigurations: [target, pip] },
  );
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  return { e, vm };
}

describe.each(FORMS)("a subnet declared inline and standalone (%s form)", (_form, preview) => {
  it("control: both declarations carry the isolation NSG: not exposed, isolated", () => {
    const { e } = dual(preview, { inlineNsg: true, standaloneNsg: true, nicRefersTo: "standalone" });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it.each([
    ["standalone with the NSG, inline without", false, true, "standalone"],
    ["inline with the NSG, standalone without", true, false, "standalone"],
    ["standalone with the NSG, inline without; the NIC names the inline subnet", false, true, "inline"],
    ["inline with the NSG, standalone without; the NIC names the inline subnet", true, false, "inline"],
  ] as const)("%s: exposed through the NSG-less reading, naming both declarations", (_n, inlineNsg, standaloneNsg, nicRefersTo) => {
    const { e, vm } = dual(preview, { inlineNsg, standaloneNsg, nicRefersTo });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(/host ex01 .*public IP pip-ex01/);
    expect(v[0].message).toMatch(/standalone Subnet snet-q/);
    expect(v[0].message).toMatch(/inline subnet snet-q of vnet/);
    expect(v[0].message).toMatch(/last writer wins.*declare the subnet once, or attach the NSG in both/);
  });
});
