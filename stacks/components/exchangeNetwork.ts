import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { IsolationNsg } from "./isolationNsg";
import { PublishedNsg } from "./publishedNsg";
import { denyInternetIn } from "./securityRules";

export interface ExchangeNetworkArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly namePrefix: string;
  readonly addressSpace: string;
  readonly publishedSubnet: string;
  readonly quarantineSubnet: string;
  readonly forensicsSubnet: string;
  readonly bastionSubnet?: string;
  /** The Application Gateway's own subnet, when publishing through one. */
  readonly gatewaySubnet?: string;
  readonly clientPorts: readonly string[];
  readonly forensicsSourcePrefixes: readonly string[];
  readonly managementPorts: readonly number[];
  readonly tags?: Record<string, string>;
}

/**
 * The fleet's virtual network: a published subnet for verified hosts, a quarantine subnet for
 * every other host (its NSG denies all but forensics, on top of each host's own isolation NSG),
 * a forensics subnet, and Azure Bastion for investigators. Subnets are standalone resources and
 * the VNet declares none inline, so the two forms never fight over them.
 */
export class ExchangeNetwork extends pulumi.ComponentResource {
  readonly vnet: network.VirtualNetwork;
  readonly published: network.Subnet;
  readonly quarantine: network.Subnet;
  readonly forensics: network.Subnet;
  readonly gateway?: network.Subnet;
  readonly bastion?: network.BastionHost;

  constructor(name: string, args: ExchangeNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-guard:network:ExchangeNetwork", name, {}, opts);
    const p = args.namePrefix;
    const common = { resourceGroupName: args.resourceGroupName, location: args.location };
    this.vnet = new network.VirtualNetwork(
      `${p}-vnet`,
      { ...common, virtualNetworkName: `${p}-vnet`, addressSpace: { addressPrefixes: [args.addressSpace] }, tags: args.tags },
      { parent: this },
    );
    const subnet = (key: string, prefix: string, nsg?: network.NetworkSecurityGroup, prev?: pulumi.Resource) =>
      new network.Subnet(
        `${p}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: this.vnet.name,
          subnetName: key === "bastion" ? "AzureBastionSubnet" : `${p}-${key}`,
          addressPrefix: prefix,
          networkSecurityGroup: nsg ? { id: nsg.id } : undefined,
          // Hosts reach the internet only through what the stack publishes (and patching through a NAT gateway if added).
          defaultOutboundAccess: key === "bastion" ? undefined : false,
        },
        // Azure updates subnets of one VNet one at a time.
        { parent: this, dependsOn: prev ? [prev] : [] },
      );
    const quarantineNsg = new IsolationNsg(
      `${p}-quarantine-nsg`,
      { ...common, forensicsSourcePrefixes: args.forensicsSourcePrefixes, managementPorts: args.managementPorts, tags: args.tags },
      { parent: this },
    );
    const clientSources = args.gatewaySubnet ? [args.gatewaySubnet] : ["Internet"];
    const publishedNsg = new PublishedNsg(
      `${p}-published-nsg`,
      {
        ...common,
        clientPorts: args.clientPorts,
        clientSources,
        forensicsSourcePrefixes: args.forensicsSourcePrefixes,
        managementPorts: args.managementPorts,
        tags: args.tags,
      },
      { parent: this },
    );
    const forensicsNsg = new network.NetworkSecurityGroup(
      `${p}-forensics-nsg`,
      {
        ...common,
        networkSecurityGroupName: `${p}-forensics-nsg`,
        securityRules: [denyInternetIn()],
        tags: args.tags,
      },
      { parent: this },
    );
    this.published = subnet("published", args.publishedSubnet, publishedNsg.nsg);
    this.quarantine = subnet("quarantine", args.quarantineSubnet, quarantineNsg.nsg, this.published);
    this.forensics = subnet("forensics", args.forensicsSubnet, forensicsNsg, this.quarantine);
    let last: pulumi.Resource = this.forensics;
    if (args.gatewaySubnet) {
      this.gateway = subnet("gateway", args.gatewaySubnet, undefined, last);
      last = this.gateway;
    }
    if (args.bastionSubnet) {
      const bastionSubnet = subnet("bastion", args.bastionSubnet, undefined, last);
      const pip = new network.PublicIPAddress(
        `${p}-bastion-pip`,
        { ...common, publicIpAddressName: `${p}-bastion-pip`, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", tags: args.tags },
        { parent: this },
      );
      this.bastion = new network.BastionHost(
        `${p}-bastion`,
        {
          ...common,
          bastionHostName: `${p}-bastion`,
          sku: { name: "Standard" },
          // Investigators sign in through Azure; a shareable link would skip that.
          enableShareableLink: false,
          ipConfigurations: [{ name: "bastion", subnet: { id: bastionSubnet.id }, publicIPAddress: { id: pip.id } }],
          tags: args.tags,
        },
        { parent: this },
      );
    }
    this.registerOutputs({ vnetId: this.vnet.id });
  }
}
