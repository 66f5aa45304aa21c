import { ALL_V4, ALL_V6 } from "../../../policies/model/addresses";
import { pipFamily, skuIsStandard } from "../../../policies/model/exposure/publicIp";
import { Estate, HOST_TAGS, rule, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, HOST_IP, inlineVm, multiConfigNic, publicIpWithoutSku } from "../../support/networks";
import { hostWith, openNsg, openRoutes, routesOfKind, service } from "./fixture";

const ALL = "TCP all ports; UDP all ports; ICMP; ESP; AH";

describe("skuIsStandard", () => {
  it.each([
    [{ name: "Standard" }, true],
    [{ name: " sTaNdArD " }, true],
    [{ name: "Basic" }, false],
    [{ name: "Standard_v2" }, false],
    [{ name: UNKNOWN }, false],
    [{ name: 1 }, false],
    [{}, false],
    [undefined, false],
    [null, false],
    ["Standard", false],
  ])("%j → %s", (sku, expected) => {
    expect(skuIsStandard(sku)).toBe(expected);
  });
});

describe("pipFamily", () => {
  it.each([
    [{}, "IPv4"],
    [undefined, "IPv4"],
    [{ publicIPAddressVersion: "IPv6" }, "IPv6"],
    [{ publicIPAddressVersion: " ipv6 " }, "IPv6"],
    [{ publicIPAddressVersion: "IPV4" }, "IPv4"],
    [{ publicIPAddressVersion: " ipv4 " }, "IPv4"],
    // unknown or unreadable: either family
    [{ publicIPAddressVersion: UNKNOWN }, undefined],
    [{ publicIPAddressVersion: 6 }, undefined],
    [{ publicIPAddressVersion: "IPv5" }, undefined],
  ])("%j → %s", (props, expected) => {
    expect(pipFamily(props)).toBe(expected);
  });
});

describe("public IP routes", () => {
  it("Basic public IP and no NSG anywhere: open on every port and protocol", () => {
    const e = new Estate();
    hostWith(e, { publicIp: e.publicIp("pip-ex01", "Basic") });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops).toEqual(["public IP pip-ex01 (Basic or unknown SKU)", "NIC nic-ex01/ipconfig1"]);
    expect(r.direct).toBe(true);
    expect(r.sourceLabel).toBe("the internet");
    expect(r.undecidable).toBeUndefined();
    expect(service(r)).toBe(ALL);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("a public IP without sku is Basic: open without an NSG", () => {
    const e = new Estate();
    hostWith(e, { publicIp: publicIpWithoutSku(e, "pip-nosku") });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops[0]).toBe("public IP pip-nosku (Basic or unknown SKU)");
    expect(service(r)).toBe(ALL);
  });

  it("a public IP whose SKU is unknown at preview is treated as open without an NSG", () => {
    const e = new Estate();
    hostWith(e, { publicIp: e.publicIp("pip-u", UNKNOWN) });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops[0]).toBe("public IP pip-u (Basic or unknown SKU)");
    expect(service(r)).toBe(ALL);
  });

  it("Standard public IP and no NSG at subnet or NIC: closed (nothing reaches the host)", () => {
    const e = new Estate();
    hostWith(e, { publicIp: e.publicIp("pip-ex01", "Standard") });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops[0]).toBe("public IP pip-ex01 (Standard)");
    expect(r.grants).toEqual([]);
    expect(openRoutes([r])).toEqual([]);
  });

  it("Standard public IP with only a subnet NSG: the NIC level allows all, the subnet rule decides", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-sub", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const { sub } = baseNet(e, { subnetNsg: nsg });
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, publicIp: e.publicIp("pip-ex01") }], {
      tags: HOST_TAGS("unverified"),
    });
    exHost(e, { nics: [nic] });
    const [r] = routesOfKind(e, "public IP");
    expect(service(openRoutes([r])[0])).toBe("TCP 443");
  });

  it("Standard public IP with the default NSG rules only: internet inbound denied", () => {
    const e = new Estate();
    hostWith(e, { publicIp: e.publicIp("pip-ex01"), nsg: e.nsg("nsg-empty", []) });
    const [r] = routesOfKind(e, "public IP");
    expect(openRoutes([r])).toEqual([]);
  });

  it("an IPv6 public IP only carries IPv6 sources; an IPv4 one only IPv4", () => {
    const e = new Estate();
    hostWith(e, { nsg: openNsg(e), publicIp: e.publicIp("pip-v6", "Standard", { publicIPAddressVersion: "IPv6" }) });
    const [r6] = routesOfKind(e, "public IP");
    expect(r6.query.addrs.equals(ALL_V6)).toBe(true);
    for (const g of r6.grants) expect(ALL_V6.covers(g.box.addrs)).toBe(true);
    expect(r6.grants.length).toBeGreaterThan(0);

    const e4 = new Estate();
    hostWith(e4, { nsg: openNsg(e4), publicIp: e4.publicIp("pip-v4") });
    const [r4] = routesOfKind(e4, "public IP");
    expect(r4.query.addrs.equals(ALL_V4)).toBe(true);
  });

  it("a public IP whose version is unknown may be either family", () => {
    const e = new Estate();
    hostWith(e, { nsg: openNsg(e), publicIp: e.publicIp("pip-u", "Standard", { publicIPAddressVersion: UNKNOWN }) });
    const [r] = routesOfKind(e, "public IP");
    expect(r.query.addrs.equals(ALL_V4.union(ALL_V6))).toBe(true);
  });

  it("a reference unknown at preview and linked to nothing: an unknown public IP, open", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { publicIPAddress: { id: UNKNOWN } } }], {
      tags: HOST_TAGS("unverified"),
    });
    exHost(e, { nics: [nic] });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops).toEqual(["a public IP whose id is unknown at preview (SKU unknown)", "NIC nic-ex01/ipconfig1"]);
    expect(service(r)).toBe(ALL);
  });

  it("a public IP outside the stack: SKU unknown, open", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const far = `/subscriptions/${e.sub}/resourceGroups/rg-other/providers/Microsoft.Network/publicIPAddresses/pip-far`;
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { publicIPAddress: { id: far } } }], {
      tags: HOST_TAGS("unverified"),
    });
    exHost(e, { nics: [nic] });
    const [r] = routesOfKind(e, "public IP");
    expect(r.hops[0]).toBe("public IP pip-far (outside this stack, SKU unknown)");
    expect(service(r)).toBe(ALL);
  });

  it("no publicIPAddress (or an empty one): no public IP route", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { publicIPAddress: null } }], {
      tags: HOST_TAGS("unverified"),
    });
    exHost(e, { nics: [nic] });
    expect(routesOfKind(e, "public IP")).toEqual([]);
  });

  describe("created by the VM (inline publicIPAddressConfiguration)", () => {
    it("named, Standard, no NSG: closed; the label names it", () => {
      const e = new Estate();
      const { sub } = baseNet(e);
      inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("unverified"), publicIp: { name: "pip-inline", sku: { name: "Standard" } } });
      const [r] = routesOfKind(e, "public IP");
      expect(r.hops[0]).toBe("public IP pip-inline (Standard)");
      expect(r.grants).toEqual([]);
    });

    it("no name, no sku: '(created by the VM)', Basic, open", () => {
      const e = new Estate();
      const { sub } = baseNet(e);
      inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("unverified"), publicIp: { idleTimeoutInMinutes: 4 } });
      const [r] = routesOfKind(e, "public IP");
      expect(r.hops[0]).toBe("public IP (created by the VM) (Basic or unknown SKU)");
      expect(service(r)).toBe(ALL);
    });

    it("IPv6 version: only IPv6 sources; unknown version: both", () => {
      const e = new Estate();
      const { sub } = baseNet(e);
      inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("unverified"), publicIp: { name: "p6", publicIPAddressVersion: "IPv6" } });
      expect(routesOfKind(e, "public IP")[0].query.addrs.equals(ALL_V6)).toBe(true);
      const u = new Estate();
      const s2 = baseNet(u).sub;
      inlineVm(u, "ex01", { subnet: s2, tags: HOST_TAGS("unverified"), publicIp: { name: "pu", publicIPAddressVersion: UNKNOWN } });
      expect(routesOfKind(u, "public IP")[0].query.addrs.equals(ALL_V4.union(ALL_V6))).toBe(true);
    });

    it("the whole configuration unknown at preview: present, so a Basic-or-unknown public IP", () => {
      const e = new Estate();
      const { sub } = baseNet(e);
      inlineVm(e, "ex01", { subnet: sub, tags: HOST_TAGS("unverified"), ipExtra: { publicIPAddressConfiguration: UNKNOWN } });
      const [r] = routesOfKind(e, "public IP");
      expect(r.hops[0]).toBe("public IP (created by the VM) (Basic or unknown SKU)");
      expect(service(r)).toBe(ALL);
    });
  });
});
