import { Estate, HOST_TAGS } from "../../support/estate";
import { appGateway, baseNet, exHost, firewall, HOST_IP, loadBalancer, multiConfigNic } from "../../support/networks";
import { analysisOf, openNsg, routesOf } from "./fixture";

describe("ExposureAnalysis.routes", () => {
  it("per ipConfiguration: public IP, load balancer, application gateway, firewall DNAT, in that order; unmodelled references last", () => {
    const e = new Estate();
    const { vnet, sub } = baseNet(e);
    const gw = e.subnet("snet-agw", vnet, "10.0.3.0/24");
    const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.100.0/26");
    const lb = loadBalancer(e, "lb", {
      frontends: [{ name: "fe", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "p" }],
      rules: [{ name: "r", frontend: "fe", pool: "p", frontendPort: 443, backendPort: 443 }],
    });
    appGateway(e, "agw", { gwSubnet: gw, publicIp: e.publicIp("pip-agw"), backends: [{ ipAddress: "10.0.1.5" }], l7: { port: 443 } });
    firewall(e, "fw", {
      subnet: fwSub,
      publicIp: e.publicIp("pip-fw"),
      dnat: [{ name: "d", destinationPorts: ["1"], translatedAddress: HOST_IP, translatedPort: "3389" }],
    });
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [
        { name: "c1", subnet: sub, privateIp: HOST_IP, publicIp: e.publicIp("pip-1"), lbPools: [[lb, "p"]] },
        { name: "c2", subnet: sub, privateIp: "10.0.1.5", publicIp: e.publicIp("pip-2") },
      ],
      { tags: HOST_TAGS("unverified"), nsg: openNsg(e) },
    );
    const vm = exHost(e, { nics: [nic] });
    e.add("azure-native:security:JitNetworkAccessPolicy", "jit", { virtualMachines: [{ id: vm.armId }] });
    expect(routesOf(e).map((r) => `${r.kind} ${r.ipConfig?.label ?? "-"}`)).toEqual([
      "public IP nic-ex01/c1",
      "load balancer nic-ex01/c1",
      "firewall DNAT nic-ex01/c1",
      "public IP nic-ex01/c2",
      "application gateway nic-ex01/c2",
      "unmodeled resource -",
    ]);
  });

  it("unreadable attachments of the host come first, on every port of both families", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "c1", subnet: sub, privateIp: HOST_IP, publicIp: e.publicIp("pip-1") }], {
      tags: HOST_TAGS("unverified"),
    });
    const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
    (vm.properties.networkProfile as { networkInterfaces: unknown[] }).networkInterfaces.push({
      id: `/subscriptions/${e.sub}/resourceGroups/rg-far/providers/Microsoft.Network/networkInterfaces/far`,
    });
    const rs = routesOf(e);
    expect(rs[0].kind).toBe("unreadable attachment");
    expect(rs[0].undecidable).toMatch(/^network interface #2 of VM ex01 .*far is not in this stack, so its rules cannot be read$/);
    expect(rs[0].hops).toEqual([]);
    expect(rs[0].direct).toBe(true);
    expect(rs.map((r) => r.kind)).toContain("public IP");
  });

  it("a host with no paths at all: no routes", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [multiConfigNic(e, "nic-ex01", [{ name: "c1", subnet: sub, privateIp: HOST_IP }], { tags: HOST_TAGS("unverified") })] });
    expect(routesOf(e)).toEqual([]);
  });

  it("cached per host", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, {
      nics: [
        multiConfigNic(e, "nic-ex01", [{ name: "c1", subnet: sub, privateIp: HOST_IP, publicIp: e.publicIp("p") }], {
          tags: HOST_TAGS("unverified"),
        }),
      ],
    });
    const a = analysisOf(e);
    const first = a.exposure.routes(a.hosts[0]);
    expect(first).toHaveLength(1);
    expect(a.exposure.routes(a.hosts[0])).toBe(first);
  });
});
