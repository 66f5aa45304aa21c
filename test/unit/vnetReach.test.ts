/**
 * Which virtual networks reach which (policies/model/vnetReach.ts; contract: docs/contract.md#reach-between-networks-and-inert-referrers): a backend by IP
 * (Application Gateway backend address, load balancer IP-based member with its virtualNetwork, Firewall DNAT translated
 * address) reaches an address only in a VNet routable from the proxy: its own, one peered with it, or one peered with a
 * hub it is peered with. Two unpeered VNets with overlapping space are different networks; an unknown VNet or peering
 * fails closed.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { appGateway, baseNet, firewall, HOST_IP, hostNic, loadBalancer } from "../support/networks";
import { FORMS } from "../support/assertions";
import { EXPOSED } from "../support/policyNames";

function peering(e: Estate, name: string, local: Res, remote: Res | "unknown"): Res {
  const props: Record<string, unknown> = {
    virtualNetworkPeeringName: name,
    virtualNetworkName: local.name,
    resourceGroupName: e.rg,
    remoteVirtualNetwork: remote === "unknown" ? { id: UNKNOWN } : e.ref(remote),
  };
  return e.add("azure-native:network:VirtualNetworkPeering", name, props, {
    virtualNetworkName: [local],
    ...(remote === "unknown" ? {} : { remoteVirtualNetwork: [remote] }),
  });
}

type Proxy = "application gateway" | "load balancer" | "firewall DNAT";

/** The host at 10.0.1.4 in vnet (10.0.0.0/16), open NSG; a proxy in vnet-b, which overlaps (10.0.0.0/16), targeting 10.0.1.4. */
function setup(preview: boolean, proxy: Proxy, link: "none" | "peered" | "hub" | "unknown peering" | "lb member in host vnet") {
  const e = new Estate({ preview });
  const { vnet } = baseNet(e);
  const sub = e.resources.find((r) => r.name === "snet")!;
  const open = e.nsg("nsg-open", [rule({ name: "allow-all", priority: 100, source: "*" })]);
  const nic = hostNic(e, sub, { nsg: open, tags: HOST_TAGS("unverified") });
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  const vnetB = e.vnet("vnet-b", ["10.0.0.0/16"]);
  const proxySub = e.subnet(proxy === "firewall DNAT" ? "AzureFirewallSubnet" : "snet-proxy", vnetB, "10.0.200.0/24");
  if (link === "peered") peering(e, "b-to-a", vnetB, vnet);
  if (link === "hub") {
    const hub = e.vnet("vnet-hub", ["10.255.0.0/16"]);
    peering(e, "hub-to-a", hub, vnet);
    peering(e, "b-to-hub", vnetB, hub);
  }
  if (link === "unknown peering") peering(e, "b-to-somewhere", vnetB, "unknown");
  if (proxy === "application gateway")
    appGateway(e, "agw", { gwSubnet: proxySub, publicIp: e.publicIp("pip-agw"), backends: [{ ipAddress: HOST_IP }], l7: { port: 443 } });
  if (proxy === "load balancer")
    loadBalancer(e, "lb", {
      frontends: [{ name: "fe", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool", addresses: [{ ipAddress: HOST_IP, vnet: link === "lb member in host vnet" ? vnet : vnetB }] }],
      rules: [{ name: "https", frontend: "fe", pool: "pool", frontendPort: 443, backendPort: 443 }],
    });
  if (proxy === "firewall DNAT")
    firewall(e, "fw", {
      subnet: proxySub,
      publicIp: e.publicIp("pip-fw"),
      dnat: [{ name: "https", destinationPorts: ["443"], translatedAddress: HOST_IP, translatedPort: "443" }],
    });
  return { e, vm };
}

const PROXIES: Proxy[] = ["application gateway", "load balancer", "firewall DNAT"];

describe.each(FORMS)("backends by IP and virtual networks (%s form)", (_form, preview) => {
  it.each(PROXIES)("%s in an unpeered VNet with overlapping space: not a path to the host", (proxy) => {
    const { e } = setup(preview, proxy, "none");
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it.each(PROXIES)("%s in a VNet peered with the host's: a path", (proxy) => {
    const { e, vm } = setup(preview, proxy, "peered");
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toContain(`via ${proxy}`);
  });

  it.each(PROXIES)("%s in a spoke peered with a hub the host's VNet is peered with: a path", (proxy) => {
    const { e } = setup(preview, proxy, "hub");
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });

  it.each(PROXIES)("%s in a VNet with a peering whose remote end is unknown: fails closed", (proxy) => {
    const { e } = setup(preview, proxy, "unknown peering");
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });

  it("a load balancer member that names the host's own VNet: a path", () => {
    const { e } = setup(preview, "load balancer", "lb member in host vnet");
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });
});
