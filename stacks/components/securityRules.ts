import type * as types from "@pulumi/azure-native/types/input";

type Rule = types.network.SecurityRuleArgs;

/** A single value (a service tag, `*`, one port) goes in the singular field; a list of CIDRs or ports in the plural one (Azure allows tags only singly). */
type OneOrMany = string | readonly string[];

/** An inbound rule for any source port; the shapes every NSG of the stacks is made of. */
export function inbound(name: string, priority: number, access: "Allow" | "Deny", protocol: string, sources: OneOrMany, ports: OneOrMany): Rule {
  return {
    name,
    priority,
    direction: "Inbound",
    access,
    protocol,
    ...(typeof sources === "string" ? { sourceAddressPrefix: sources } : { sourceAddressPrefixes: [...sources] }),
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    ...(typeof ports === "string" ? { destinationPortRange: ports } : { destinationPortRanges: [...ports] }),
  };
}

export function outbound(name: string, priority: number, access: "Allow" | "Deny", destinations: OneOrMany): Rule {
  return {
    name,
    priority,
    direction: "Outbound",
    access,
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    ...(typeof destinations === "string" ? { destinationAddressPrefix: destinations } : { destinationAddressPrefixes: [...destinations] }),
    destinationPortRange: "*",
  };
}

/** Inbound from the internet denied: below the allows of a published or forensics subnet. */
export const denyInternetIn = (priority = 4000): Rule => inbound("deny-internet-in", priority, "Deny", "*", "Internet", "*");
