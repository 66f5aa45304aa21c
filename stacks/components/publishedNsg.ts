import * as network from "@pulumi/azure-native/network";
import type * as types from "@pulumi/azure-native/types/input";
import { denyInternetIn, inbound } from "./securityRules";
import * as pulumi from "@pulumi/pulumi";
import { resolveClientPorts } from "../../policies/model";

export interface PublishedNsgArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  /** Client ports as port/protocol ("443/tcp"). */
  readonly clientPorts: readonly string[];
  /** Where client traffic comes from: "Internet" behind a load balancer, the gateway subnet behind an Application Gateway. */
  readonly clientSources: readonly string[];
  readonly forensicsSourcePrefixes: readonly string[];
  readonly managementPorts: readonly number[];
  readonly tags?: Record<string, string>;
  readonly nsgName?: string;
}

/** The NSG of a verified, published host (or its subnet): client ports from the clients, management only from forensics. */
export class PublishedNsg extends pulumi.ComponentResource {
  readonly nsg: network.NetworkSecurityGroup;

  constructor(name: string, args: PublishedNsgArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-guard:network:PublishedNsg", name, {}, opts);
    const rules: types.network.SecurityRuleArgs[] = [];
    let priority = 100;
    for (const p of resolveClientPorts({ allowedPublicPorts: [...args.clientPorts] }).ports) {
      const [lo, hi] = p.ports.ranges()[0];
      rules.push(
        inbound(
          `allow-clients-${p.text.replace("/", "-")}`,
          priority++,
          "Allow",
          p.protos === 1 ? "Tcp" : "Udp",
          args.clientSources.length === 1 ? args.clientSources[0] : args.clientSources,
          lo === hi ? `${lo}` : `${lo}-${hi}`,
        ),
      );
    }
    if (args.forensicsSourcePrefixes.length > 0 && args.managementPorts.length > 0) {
      rules.push(inbound("allow-forensics-management", 200, "Allow", "Tcp", args.forensicsSourcePrefixes, args.managementPorts.map(String)));
    }
    rules.push(denyInternetIn());
    this.nsg = new network.NetworkSecurityGroup(
      name,
      {
        networkSecurityGroupName: args.nsgName ?? name,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        securityRules: rules,
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ nsgId: this.nsg.id });
  }
}
