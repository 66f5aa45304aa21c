import * as network from "@pulumi/azure-native/network";
import type * as types from "@pulumi/azure-native/types/input";
import { inbound, outbound } from "./securityRules";
import * as pulumi from "@pulumi/pulumi";

export interface IsolationNsgArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  /** The only sources allowed in (investigators, Bastion). */
  readonly forensicsSourcePrefixes: readonly string[];
  /** Ports investigators use (RDP, WinRM). */
  readonly managementPorts: readonly number[];
  /** Also cut outbound to the internet, except to these destinations (compromised hosts). */
  readonly blockInternetOutbound?: { readonly allowedDestinations: readonly string[] };
  readonly tags?: Record<string, string>;
  readonly nsgName?: string;
}

/** The priority of the deny-all: directly under the forensics allows, above every other rule anyone adds later. */
export const DENY_ALL_PRIORITY = 110;

/**
 * The isolation NSG of a host that is not verified: investigators in on the management ports,
 * then a deny with source `*` that overrides the VNet and load balancer defaults. A compromised
 * host also loses the internet, but for the forensics destinations. `flushConnection` makes the
 * rules apply to established flows too, so an attacker's open session is cut when they land.
 */
export class IsolationNsg extends pulumi.ComponentResource {
  readonly nsg: network.NetworkSecurityGroup;

  constructor(name: string, args: IsolationNsgArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-guard:network:IsolationNsg", name, {}, opts);
    const rules: types.network.SecurityRuleArgs[] = [];
    if (args.forensicsSourcePrefixes.length > 0 && args.managementPorts.length > 0) {
      rules.push(inbound("allow-forensics-in", 100, "Allow", "Tcp", args.forensicsSourcePrefixes, args.managementPorts.map(String)));
    }
    rules.push(inbound("deny-all-in", DENY_ALL_PRIORITY, "Deny", "*", "*", "*"));
    if (args.blockInternetOutbound) {
      const allowed = args.blockInternetOutbound.allowedDestinations;
      if (allowed.length > 0) rules.push(outbound("allow-forensics-out", 100, "Allow", allowed));
      rules.push(outbound("deny-internet-out", DENY_ALL_PRIORITY, "Deny", "Internet"));
    }
    this.nsg = new network.NetworkSecurityGroup(
      name,
      {
        networkSecurityGroupName: args.nsgName ?? name,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        flushConnection: true,
        securityRules: rules,
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ nsgId: this.nsg.id });
  }
}
