/**
 * Azure Bastion paths (policies/model/exposure/bastion.ts; contract: docs/contract.md#paths): a Bastion with shareable
 * links lets anyone who has a link reach RDP (3389) and SSH (22) of every VM Bastion reaches (its VNet and VNets peered
 * with it) without an Azure sign-in (https://learn.microsoft.com/azure/bastion/shareable-link): an internet path,
 * filtered by the host's NSGs as traffic from AzureBastionSubnet.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { runStack } from "../../support/judge";
import { FORMS } from "../../support/assertions";
import { EXPOSED } from "../../support/policyNames";

interface Opts {
  share?: unknown;
  privateOnly?: boolean;
  hostVnet?: "same" | "peered" | "unpeered" | "via hub";
  nsgDeniesAll?: boolean;
}

function peering(e: Estate, name: string, local: Res, remote: Res): Res {
  return e.add(
    "azure-native:network:VirtualNetworkPeering",
    name,
    { virtualNetworkPeeringName: name, virtualNetworkName: local.name, resourceGroupName: e.rg, remoteVirtualNetwork: e.ref(remote) },
    { virtualNetworkName: [local], remoteVirtualNetwork: [remote] },
  );
}

/** Bastion in vnet-bastion's AzureBastionSubnet; ex01 (unverified) behind an NSG that denies only Internet, in a VNet per `hostVnet`. */
function setup(preview: boolean, o: Opts = {}) {
  const e = new Estate({ preview });
  const bvnet = e.vnet("vnet-bastion", ["10.1.0.0/16"]);
  const bsub = e.subnet("AzureBastionSubnet", bvnet, "10.1.0.0/26");
  const where = o.hostVnet ?? "same";
  const hvnet = where === "same" ? bvnet : e.vnet("vnet-ex", ["10.2.0.0/16"]);
  if (where === "peered") peering(e, "bastion-to-ex", bvnet, hvnet);
  if (where === "via hub") {
    const hub = e.vnet("vnet-hub", ["10.3.0.0/16"]);
    peering(e, "bastion-to-hub", bvnet, hub);
    peering(e, "hub-to-ex", hub, hvnet);
  }
  const hsub = e.subnet("snet-ex", hvnet, where === "same" ? "10.1.1.0/24" : "10.2.1.0/24");
  const nsg = e.nsg(
    "nsg-ex01",
    o.nsgDeniesAll
      ? [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*" })]
      : [rule({ name: "deny-internet", priority: 100, access: "Deny", source: "Internet" })],
  );
  const nic = e.nic("nic-ex01", { subnet: hsub, nsg, privateIp: where === "same" ? "10.1.1.4" : "10.2.1.4", tags: HOST_TAGS("unverified") });
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  const pip = e.publicIp("pip-bastion");
  const props: Record<string, unknown> = {
    bastionHostName: "bas",
    resourceGroupName: e.rg,
    sku: { name: "Standard" },
    ipConfigurations: [{ name: "ipconf", subnet: e.ref(bsub), publicIPAddress: e.ref(pip) }],
  };
  if (o.share !== undefined) props.enableShareableLink = o.share;
  if (o.privateOnly) props.enablePrivateOnlyBastion = true;
  e.add("azure-native:network:BastionHost", "bas", props, { ipConfigurations: [bsub, pip] });
  return { e, vm };
}

describe.each(FORMS)("Azure Bastion (%s form)", (_form, preview) => {
  it("shareable links on: RDP and SSH from the internet through Bastion, reported with the path and the fix", () => {
    const { e, vm } = setup(preview, { share: true });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(/host ex01 \(unverified\) is reachable from the internet via bastion: Azure Bastion bas \(shareable links enabled/);
    expect(v[0].message).toMatch(/TCP 22, 3389/);
    expect(v[0].message).toMatch(/Fix: /);
  });

  it("control: shareable links off (or absent), or a private-only Bastion: no path", () => {
    expect(runStack(EXPOSED, setup(preview, { share: false }).e.resources)).toEqual([]);
    expect(runStack(EXPOSED, setup(preview, {}).e.resources)).toEqual([]);
    expect(runStack(EXPOSED, setup(preview, { share: true, privateOnly: true }).e.resources)).toEqual([]);
  });

  it("the setting unknown: fails closed", () => {
    expect(runStack(EXPOSED, setup(preview, { share: UNKNOWN }).e.resources)).toHaveLength(1);
  });

  it("an NSG that denies every source (so also AzureBastionSubnet) closes it", () => {
    expect(runStack(EXPOSED, setup(preview, { share: true, nsgDeniesAll: true }).e.resources)).toEqual([]);
  });

  it("a host in a VNet peered with Bastion's is reached; an unpeered one, or one only behind a hub, is not", () => {
    expect(runStack(EXPOSED, setup(preview, { share: true, hostVnet: "peered" }).e.resources)).toHaveLength(1);
    expect(runStack(EXPOSED, setup(preview, { share: true, hostVnet: "unpeered" }).e.resources)).toEqual([]);
    expect(runStack(EXPOSED, setup(preview, { share: true, hostVnet: "via hub" }).e.resources)).toEqual([]);
  });
});
