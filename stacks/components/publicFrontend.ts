import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { resolveClientPorts } from "../../policies/model";

export interface PublicFrontendArgs {
  readonly kind: "loadBalancer" | "applicationGateway";
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly namePrefix: string;
  readonly clientPorts: readonly string[];
  /** The Application Gateway's subnet (kind applicationGateway). */
  readonly gatewaySubnetId?: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  readonly resourceGroupNameText: string;
  readonly tags?: Record<string, string>;
}

const POOL = "exchange-published";

/**
 * The only public way to the fleet: a Standard public load balancer (or an Application Gateway
 * with TCP listeners) with one backend pool and one rule per client port. Verified hosts join
 * the pool; nothing else is ever published.
 */
export class PublicFrontend extends pulumi.ComponentResource {
  /** The backend pool id verified hosts' NICs reference. */
  readonly backendPoolId: pulumi.Output<string>;
  readonly kind: PublicFrontendArgs["kind"];

  constructor(name: string, args: PublicFrontendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-guard:network:PublicFrontend", name, {}, opts);
    this.kind = args.kind;
    const p = args.namePrefix;
    const common = { resourceGroupName: args.resourceGroupName, location: args.location };
    const ports = resolveClientPorts({ allowedPublicPorts: [...args.clientPorts] }).ports.map((c) => ({
      port: Number(c.ports.ranges()[0][0]),
      tcp: c.protos === 1,
    }));
    const pip = new network.PublicIPAddress(
      `${p}-frontend-pip`,
      { ...common, publicIpAddressName: `${p}-frontend-pip`, sku: { name: "Standard" }, publicIPAllocationMethod: "Static", tags: args.tags },
      { parent: this },
    );
    const provider = args.kind === "loadBalancer" ? "loadBalancers" : "applicationGateways";
    const name0 = `${p}-${args.kind === "loadBalancer" ? "lb" : "agw"}`;
    // Sub-resources of the same resource are referenced by id inside its own arguments; the id is known in advance.
    const self = pulumi.interpolate`/subscriptions/${args.subscriptionId}/resourceGroups/${args.resourceGroupNameText}/providers/Microsoft.Network/${provider}/${name0}`;
    if (args.kind === "loadBalancer") {
      const lb = new network.LoadBalancer(
        name0,
        {
          ...common,
          loadBalancerName: name0,
          sku: { name: "Standard", tier: "Regional" },
          frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: pip.id } }],
          backendAddressPools: [{ name: POOL }],
          probes: ports
            .filter((x) => x.tcp)
            .map((x) => ({ name: `tcp-${x.port}`, protocol: "Tcp", port: x.port, intervalInSeconds: 15, numberOfProbes: 2 })),
          loadBalancingRules: ports.map((x) => ({
            name: `${x.tcp ? "tcp" : "udp"}-${x.port}`,
            protocol: x.tcp ? "Tcp" : "Udp",
            frontendPort: x.port,
            backendPort: x.port,
            frontendIPConfiguration: { id: pulumi.interpolate`${self}/frontendIPConfigurations/public` },
            backendAddressPool: { id: pulumi.interpolate`${self}/backendAddressPools/${POOL}` },
            probe: x.tcp ? { id: pulumi.interpolate`${self}/probes/tcp-${x.port}` } : undefined,
            disableOutboundSnat: true,
            enableTcpReset: true,
          })),
          tags: args.tags,
        },
        { parent: this },
      );
      this.backendPoolId = pulumi.all([lb.id]).apply(([id]) => `${id}/backendAddressPools/${POOL}`);
    } else {
      const agw = new network.ApplicationGateway(
        name0,
        {
          ...common,
          applicationGatewayName: name0,
          sku: { name: "Standard_v2", tier: "Standard_v2", capacity: 2 },
          gatewayIPConfigurations: [{ name: "gateway", subnet: { id: args.gatewaySubnetId! } }],
          frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: pip.id } }],
          frontendPorts: ports.map((x) => ({ name: `port-${x.port}`, port: x.port })),
          backendAddressPools: [{ name: POOL }],
          // TCP (layer 4) proxying: the gateway forwards the client ports without terminating TLS or SMTP.
          backendSettingsCollection: ports.map((x) => ({ name: `tcp-${x.port}`, port: x.port, protocol: "Tcp", timeout: 60 })),
          listeners: ports.map((x) => ({
            name: `tcp-${x.port}`,
            protocol: "Tcp",
            frontendIPConfiguration: { id: pulumi.interpolate`${self}/frontendIPConfigurations/public` },
            frontendPort: { id: pulumi.interpolate`${self}/frontendPorts/port-${x.port}` },
          })),
          routingRules: ports.map((x, i) => ({
            name: `tcp-${x.port}`,
            priority: 100 + i,
            ruleType: "Basic",
            listener: { id: pulumi.interpolate`${self}/listeners/tcp-${x.port}` },
            backendAddressPool: { id: pulumi.interpolate`${self}/backendAddressPools/${POOL}` },
            backendSettings: { id: pulumi.interpolate`${self}/backendSettingsCollection/tcp-${x.port}` },
          })),
          tags: args.tags,
        },
        { parent: this },
      );
      this.backendPoolId = pulumi.all([agw.id]).apply(([id]) => `${id}/backendAddressPools/${POOL}`);
    }
    this.registerOutputs({ backendPoolId: this.backendPoolId });
  }
}
