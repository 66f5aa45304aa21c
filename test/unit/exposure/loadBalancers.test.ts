import { ALL_V6 } from "../../../policies/model/addresses";
import { childKey } from "../../../policies/model/exposure/loadBalancers";
import { Estate, HOST_TAGS, Res, UNKNOWN } from "../../support/estate";
import { baseNet, childId, exHost, HOST_IP, hostNic, loadBalancer, multiConfigNic } from "../../support/networks";
import { openNsg, openRoutes, routesOfKind, service } from "./fixture";

const LB_TYPE = "azure-native:network:LoadBalancer";

/** lb-ex: Standard, public front end fe on `pip`, and the raw properties a test writes itself (pools, rules, unknowns). */
const rawPublicLb = (e: Estate, pip: Res, props: Record<string, unknown>): Res =>
  e.add(
    LB_TYPE,
    "lb-ex",
    { loadBalancerName: "lb-ex", sku: { name: "Standard" }, frontendIPConfigurations: [{ name: "fe", publicIPAddress: e.ref(pip) }], ...props },
    { frontendIPConfigurations: [pip] },
  );

describe("childKey", () => {
  const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/frontendIPConfigurations/FE-Public";
  it.each([
    [{ id }, "frontendIPConfigurations", "fe-public"],
    [id, "frontendIPConfigurations", "fe-public"],
    [{ id }, "FRONTENDIPCONFIGURATIONS", "fe-public"],
    [{ id: `${id}/` }, "frontendIPConfigurations", "fe-public"],
    [{ id }, "backendAddressPools", undefined],
    // the type segment last: there is no child name after it
    [{ id: "/x/backendAddressPools" }, "backendAddressPools", undefined],
    [{ id: "backendAddressPools/p1" }, "backendAddressPools", "p1"],
    [{ id: UNKNOWN }, "frontendIPConfigurations", undefined],
    [UNKNOWN, "frontendIPConfigurations", undefined],
    [{ id: 5 }, "frontendIPConfigurations", undefined],
    [undefined, "frontendIPConfigurations", undefined],
    [{}, "frontendIPConfigurations", undefined],
  ])("%j / %s → %s", (ref, type, expected) => {
    expect(childKey(ref, type)).toBe(expected);
  });

  it("takes the innermost match", () => {
    expect(childKey({ id: "/a/pools/outer/x/pools/inner" }, "pools")).toBe("inner");
  });
});

/** A public Standard LB lb-ex (front end fe-public on pip-lb) and the host NIC (allow-all NSG unless withNsg is false), whose references are built from the LB. */
function lbEstate(
  o: Omit<Parameters<typeof loadBalancer>[2], "frontends"> & { frontends?: Parameters<typeof loadBalancer>[2]["frontends"]; sku?: string },
  nic: (lb: Res) => Parameters<typeof hostNic>[2],
  withNsg = true,
): Estate {
  const e = new Estate();
  const { sub } = baseNet(e);
  const pip = e.publicIp("pip-lb");
  const lb = loadBalancer(e, "lb-ex", { frontends: o.frontends ?? [{ name: "fe-public", publicIp: pip }], ...o });
  const n = hostNic(e, sub, { ...(withNsg ? { nsg: openNsg(e) } : {}), ...nic(lb) });
  exHost(e, { nics: [n] });
  return e;
}

describe("load-balancing rules", () => {
  it("exact hops; the NSGs see the backend port, the message shows front→back", () => {
    const e = lbEstate(
      { pools: [{ name: "pool-owa" }], rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 8443, backendPort: 443 }] },
      (lb) => ({ lbPools: [[lb, "pool-owa"]] }),
    );
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops).toEqual([
      "public IP pip-lb (Standard)",
      "load balancer lb-ex (Standard) load-balancing rule owa TCP 8443→443",
      "backend pool pool-owa (backend pool reference)",
      "NIC nic-ex01/ipconfig1",
    ]);
    expect(r.direct).toBe(true);
    expect(r.sourceLabel).toBe("the internet");
    expect(service(openRoutes([r])[0])).toBe("TCP 443");
  });

  it("UDP rule → UDP; protocol All → TCP and UDP", () => {
    const e = lbEstate(
      {
        pools: [{ name: "p" }],
        rules: [
          { name: "dns", frontend: "fe-public", pool: "p", protocol: "Udp", frontendPort: 53, backendPort: 53 },
          { name: "both", frontend: "fe-public", pool: "p", protocol: "All", frontendPort: 25, backendPort: 25 },
        ],
      },
      (lb) => ({ lbPools: [[lb, "p"]] }),
    );
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[1])).toEqual([
      "load balancer lb-ex (Standard) load-balancing rule dns UDP 53→53",
      "load balancer lb-ex (Standard) load-balancing rule both TCP/UDP 25→25",
    ]);
    expect(service(openRoutes([rs[0]])[0])).toBe("UDP 53");
    expect(service(openRoutes([rs[1]])[0])).toBe("TCP 25; UDP 25");
  });

  it("HA ports (backendPort 0) reach every port", () => {
    const e = lbEstate(
      { pools: [{ name: "p" }], rules: [{ name: "ha", frontend: "fe-public", pool: "p", protocol: "All", frontendPort: 0, backendPort: 0 }] },
      (lb) => ({ lbPools: [[lb, "p"]] }),
    );
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) load-balancing rule ha TCP/UDP 0→any port");
    expect(service(openRoutes([r])[0])).toBe("TCP all ports; UDP all ports");
  });

  it.each([
    ["unknown", UNKNOWN],
    ["out of range", 70000],
    ["negative", -1],
    ["not a number", "https"],
  ])("a backend port that is %s counts as every port", (_what, port) => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [{ name: "r", protocol: "Tcp", frontendPort: 443, backendPort: port, backendAddressPool: { id: "backendAddressPools/p" } }],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) load-balancing rule r TCP 443→an unknown port");
    expect(service(openRoutes([r])[0])).toBe("TCP all ports");
  });

  it("backend port 1 and 65535 are exact ports (boundaries)", () => {
    const e = lbEstate(
      {
        pools: [{ name: "p" }],
        rules: [
          { name: "lo", frontend: "fe-public", pool: "p", frontendPort: 1, backendPort: 1 },
          { name: "hi", frontend: "fe-public", pool: "p", frontendPort: 65535, backendPort: 65535 },
        ],
      },
      (lb) => ({ lbPools: [[lb, "p"]] }),
    );
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => service(openRoutes([r])[0]))).toEqual(["TCP 1", "TCP 65535"]);
  });

  it("a rule of another pool does not reach the host; an unknown protocol is every protocol", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }, { name: "other" }],
      loadBalancingRules: [
        { name: "mine", protocol: UNKNOWN, frontendPort: 443, backendPort: 443, backendAddressPool: { id: "x/backendAddressPools/P" } },
        { name: "theirs", protocol: "Tcp", frontendPort: 22, backendPort: 22, backendAddressPool: { id: "x/backendAddressPools/other" } },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs).toHaveLength(1);
    expect(rs[0].hops[1]).toBe("load balancer lb-ex (Standard) load-balancing rule mine TCP/UDP 443→443");
    expect(rs[0].query.protos).toBe(openRoutes(rs)[0].route.query.protos);
    expect(service(openRoutes(rs)[0])).toContain("TCP 443; UDP 443");
  });

  it("a rule whose pool reference cannot be read may serve any pool; an unnamed rule gets a number", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [{ protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPool: { id: UNKNOWN } }],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) load-balancing rule rule #1 TCP 443→443");
  });

  it("rules unknown at preview: any port through any front end", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: UNKNOWN,
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) load-balancing rule (rules unknown at preview) any port");
    expect(service(openRoutes([r])[0])).toBe("TCP all ports; UDP all ports; ICMP; ESP; AH");
  });
});

describe("SKU and NSG defaults", () => {
  const build = (sku: string | undefined, nsg: boolean) =>
    lbEstate(
      { sku, pools: [{ name: "p" }], rules: [{ name: "owa", frontend: "fe-public", pool: "p", frontendPort: 443, backendPort: 443 }] },
      (lb) => ({ lbPools: [[lb, "p"]] }),
      nsg,
    );

  it("Standard LB and no NSG at all: closed", () => {
    const [r] = routesOfKind(build("Standard", false), "load balancer");
    expect(r.grants).toEqual([]);
  });

  it("Basic LB and no NSG at all: open on the backend port", () => {
    const [r] = routesOfKind(build("Basic", false), "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Basic or unknown SKU) load-balancing rule owa TCP 443→443");
    expect(service(openRoutes([r])[0])).toBe("TCP 443");
  });

  it("a Standard public IP on a Basic LB front end: the LB's SKU decides (open)", () => {
    const [r] = routesOfKind(build("Basic", false), "load balancer");
    expect(r.hops[0]).toBe("public IP pip-lb (Standard)");
    expect(openRoutes([r])).toHaveLength(1);
  });
});

describe("front ends", () => {
  it("an internal front end (subnet, private address) is not a public path", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-int", {
      frontends: [{ name: "fe-int", subnet: sub, privateIp: "10.0.1.100" }],
      pools: [{ name: "p" }],
      rules: [{ name: "owa", frontend: "fe-int", pool: "p", frontendPort: 443, backendPort: 443 }],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    expect(routesOfKind(e, "load balancer")).toEqual([]);
  });

  it("a rule on the internal front end of a mixed LB does not use the public one", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb-mix", {
      frontends: [
        { name: "fe-int", subnet: sub, privateIp: "10.0.1.100" },
        { name: "fe-pub", publicIp: pip },
      ],
      pools: [{ name: "p" }],
      rules: [
        { name: "int-rdp", frontend: "fe-int", pool: "p", frontendPort: 3389, backendPort: 3389 },
        { name: "pub-https", frontend: "fe-pub", pool: "p", frontendPort: 443, backendPort: 443 },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[1])).toEqual(["load balancer lb-mix (Standard) load-balancing rule pub-https TCP 443→443"]);
  });

  it("a public IP prefix front end takes the LB's SKU; a front end naming nothing may be public", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = e.add(LB_TYPE, "lb-ex", {
      loadBalancerName: "lb-ex",
      sku: { name: "Basic" },
      frontendIPConfigurations: [{ name: "fe-prefix", publicIPPrefix: { id: "/subscriptions/s/x/publicIPPrefixes/pp" } }, { name: "fe-bare" }],
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [
        {
          name: "a",
          protocol: "Tcp",
          frontendPort: 443,
          backendPort: 443,
          frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe-prefix" },
          backendAddressPool: { id: "x/backendAddressPools/p" },
        },
        {
          name: "b",
          protocol: "Tcp",
          frontendPort: 25,
          backendPort: 25,
          frontendIPConfiguration: { id: "x/frontendIPConfigurations/FE-BARE" },
          backendAddressPool: { id: "x/backendAddressPools/p" },
        },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[0])).toEqual(["a public IP prefix", "a front end that cannot be read"]);
    // Basic, no NSG: both open
    expect(openRoutes(rs).map((o) => service(o))).toEqual(["TCP 443", "TCP 25"]);
  });

  it("a front end whose name is unknown counts as possibly public even with a subnet", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = e.add(LB_TYPE, "lb-ex", {
      loadBalancerName: "lb-ex",
      sku: { name: "Standard" },
      frontendIPConfigurations: [{ name: UNKNOWN, subnet: { id: "x" }, privateIPAddress: "10.0.1.100" }],
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [
        { name: "a", protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPool: { id: "x/backendAddressPools/p" } },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[0])).toEqual(["a front end that cannot be read"]);
    expect(openRoutes(rs)).toHaveLength(1);
  });

  it("a rule naming a front end that does not exist: counted as public (not found)", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = e.add(LB_TYPE, "lb-ex", {
      loadBalancerName: "lb-ex",
      sku: { name: "Standard" },
      frontendIPConfigurations: [{ name: "fe-int", subnet: { id: "x" }, privateIPAddress: "10.0.1.100" }],
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [
        {
          name: "a",
          protocol: "Tcp",
          frontendPort: 443,
          backendPort: 443,
          frontendIPConfiguration: { id: "x/frontendIPConfigurations/ghost" },
          backendAddressPool: { id: "x/backendAddressPools/p" },
        },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[0])).toEqual(["front end ghost (not found)"]);
    expect(openRoutes(rs)).toHaveLength(1);
  });

  it("front ends unknown at preview: every rule may be public", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = e.add(LB_TYPE, "lb-ex", {
      loadBalancerName: "lb-ex",
      sku: { name: "Standard" },
      frontendIPConfigurations: UNKNOWN,
      backendAddressPools: [{ name: "p" }],
      loadBalancingRules: [
        {
          name: "a",
          protocol: "Tcp",
          frontendPort: 443,
          backendPort: 443,
          frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe" },
          backendAddressPool: { id: "x/backendAddressPools/p" },
        },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[0]).toBe("front ends unknown at preview");
    expect(service(openRoutes([r])[0])).toBe("TCP 443");
  });

  it("a rule without a front end reference uses every front end", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const p1 = e.publicIp("pip-1");
    const p2 = e.publicIp("pip-2", "Standard", { publicIPAddressVersion: "IPv6" });
    const lb = e.add(
      LB_TYPE,
      "lb-ex",
      {
        loadBalancerName: "lb-ex",
        sku: { name: "Standard" },
        frontendIPConfigurations: [
          { name: "a", publicIPAddress: e.ref(p1) },
          { name: "b", publicIPAddress: e.ref(p2) },
        ],
        backendAddressPools: [{ name: "p" }],
        loadBalancingRules: [
          { name: "r", protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPool: { id: "x/backendAddressPools/p" } },
        ],
      },
      { frontendIPConfigurations: [p1, p2] },
    );
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[0])).toEqual(["public IP pip-1 (Standard)", "public IP pip-2 (Standard)"]);
    expect(rs[1].query.addrs.equals(ALL_V6)).toBe(true);
  });
});

describe("inbound NAT rules", () => {
  it("v1: NIC-side membership, front-end port → backend port", () => {
    const e = lbEstate(
      { pools: [{ name: "p" }], natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }] },
      (lb) => ({ natRules: [[lb, "nat-rdp"]] }),
    );
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops).toEqual([
      "public IP pip-lb (Standard)",
      "load balancer lb-ex (Standard) inbound NAT rule nat-rdp TCP 50001→3389",
      "NAT rule membership (inbound NAT rule reference)",
      "NIC nic-ex01/ipconfig1",
    ]);
    expect(service(openRoutes([r])[0])).toBe("TCP 3389");
  });

  it("v1: a NAT rule is not reached through pool membership alone", () => {
    const e = lbEstate(
      { pools: [{ name: "p" }], natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }] },
      (lb) => ({ lbPools: [[lb, "p"]] }),
    );
    expect(routesOfKind(e, "load balancer")).toEqual([]);
  });

  it("v2: a port range onto every pool member, via pool membership", () => {
    const e = lbEstate(
      {
        pools: [{ name: "p" }],
        natRules: [
          {
            name: "nat-v2",
            frontend: "fe-public",
            pool: "p",
            frontendPortRangeStart: 50000,
            frontendPortRangeEnd: 50100,
            backendPort: 22,
            protocol: "Udp",
          },
        ],
      },
      (lb) => ({ lbPools: [[lb, "p"]] }),
    );
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) inbound NAT rule nat-v2 UDP 50000-50100→22");
    expect(r.hops[2]).toBe("backend pool p (backend pool reference)");
    expect(service(openRoutes([r])[0])).toBe("UDP 22");
  });

  it("a NAT rule without a front-end port shows '?'", () => {
    const e = lbEstate({ pools: [{ name: "p" }], natRules: [{ name: "n", frontend: "fe-public", backendPort: 22 }] }, (lb) => ({
      natRules: [[lb, "n"]],
    }));
    expect(routesOfKind(e, "load balancer")[0].hops[1]).toBe("load balancer lb-ex (Standard) inbound NAT rule n TCP ?→22");
  });

  it("a NIC naming a NAT rule the LB does not have: undecidable", () => {
    const e = lbEstate(
      { pools: [{ name: "p" }], natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }] },
      (lb) => ({ natRules: [[lb, "nat-ghost"]] }),
    );
    const rs = routesOfKind(e, "load balancer");
    expect(rs).toHaveLength(1);
    expect(rs[0].undecidable).toBe("inbound NAT rule nat-ghost of load balancer lb-ex cannot be found");
    expect(rs[0].hops).toEqual(["NIC nic-ex01/ipconfig1"]);
    expect(openRoutes(rs)).toHaveLength(1);
  });

  it("inline NAT rules unknown at preview: any port to any member, through any front end", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }],
      inboundNatRules: UNKNOWN,
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[1]).toBe("load balancer lb-ex (Standard) inbound NAT rule NAT rules (unknown at preview) any port");
    expect(service(openRoutes([r])[0])).toBe("TCP all ports; UDP all ports; ICMP; ESP; AH");
  });

  it("one inline NAT rule unknown (or a bare string): numbered, any port", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "p" }],
      inboundNatRules: [{ name: "ok", protocol: "Tcp", frontendPort: 1, backendPort: 1 }, UNKNOWN, "weird"],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[1])).toEqual([
      "load balancer lb-ex (Standard) inbound NAT rule NAT rule #2 (unknown at preview) any port",
      "load balancer lb-ex (Standard) inbound NAT rule NAT rule #3 (unknown at preview) any port",
    ]);
  });

  it("a standalone InboundNatRule joins its LB's NAT rules", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb-ex", { frontends: [{ name: "fe-public", publicIp: pip }], pools: [{ name: "p" }] });
    e.add(
      "azure-native:network:InboundNatRule",
      "nat-ssh",
      {
        loadBalancerName: "lb-ex",
        resourceGroupName: e.rg,
        inboundNatRuleName: "nat-ssh",
        protocol: "Tcp",
        frontendPort: 2222,
        backendPort: 22,
        frontendIPConfiguration: childId(lb, "frontendIPConfigurations/fe-public"),
      },
      { loadBalancerName: [lb] },
      `${lb.armId}/inboundNatRules/nat-ssh`,
    );
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), natRules: [[lb, "nat-ssh"]] })] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[1])).toEqual(["load balancer lb-ex (Standard) inbound NAT rule nat-ssh TCP 2222→22"]);
    expect(service(openRoutes(rs)[0])).toBe("TCP 22");
  });
});

describe("membership", () => {
  it("IP-based member: the host's private address in loadBalancerBackendAddresses", () => {
    const e = new Estate();
    const { vnet, sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: pip }],
      pools: [{ name: "pool-ip", addresses: [{ ipAddress: HOST_IP, vnet }] }],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-ip", frontendPort: 443, backendPort: 443 }],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[2]).toBe(`backend pool pool-ip (IP-based member ${HOST_IP})`);
  });

  it("IP-based member of another address: no path", () => {
    const e = new Estate();
    const { vnet, sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: pip }],
      pools: [{ name: "pool-ip", addresses: [{ ipAddress: "10.0.1.5", vnet }] }],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-ip", frontendPort: 443, backendPort: 443 }],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    expect(routesOfKind(e, "load balancer")).toEqual([]);
  });

  it("IP-based member unknown at preview: may be this host", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    rawPublicLb(e, pip, {
      backendAddressPools: [{ name: "P", loadBalancerBackendAddresses: [{ name: "m", ipAddress: UNKNOWN }] }],
      loadBalancingRules: [
        { name: "r", protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPool: { id: "x/backendAddressPools/p" } },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[2]).toBe("backend pool p (IP-based member an address unknown at preview (may be this host))");
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("a member list unknown at preview / a pool list unknown / a nameless pool: may be this host", () => {
    const build = (pools: unknown) => {
      const e = new Estate();
      const { sub } = baseNet(e);
      const pip = e.publicIp("pip-lb");
      rawPublicLb(e, pip, {
        backendAddressPools: pools,
        loadBalancingRules: [
          { name: "r", protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPool: { id: "x/backendAddressPools/p" } },
        ],
      });
      exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
      return routesOfKind(e, "load balancer");
    };
    expect(build([{ name: "p", loadBalancerBackendAddresses: UNKNOWN }]).map((r) => r.hops[2])).toEqual([
      "backend pool p (IP-based member the members of pool p (unknown at preview) (may be this host))",
    ]);
    expect(build(UNKNOWN).map((r) => r.hops[2])).toEqual([
      "backend pool (any) (IP-based member the backend pools of lb-ex (unknown at preview) (may be this host))",
    ]);
    expect(build([{ name: UNKNOWN }]).map((r) => r.hops[2])).toEqual([
      "backend pool (any) (IP-based member a backend pool of lb-ex whose name is unknown (may be this host))",
    ]);
    // a NIC-based pool (no addresses) names no address
    expect(build([{ name: "p" }, { name: "q", loadBalancerBackendAddresses: [{ name: "nic-based" }] }])).toEqual([]);
  });

  it("a standalone LoadBalancerBackendAddressPool with IP members", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: pip }],
      pools: [],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-sa", frontendPort: 443, backendPort: 443 }],
    });
    e.add(
      "azure-native:network:LoadBalancerBackendAddressPool",
      "pool-sa",
      {
        loadBalancerName: "lb-ex",
        resourceGroupName: e.rg,
        backendAddressPoolName: "pool-sa",
        loadBalancerBackendAddresses: [{ name: "m1", ipAddress: HOST_IP }],
      },
      { loadBalancerName: [lb] },
      `${lb.armId}/backendAddressPools/pool-sa`,
    );
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.hops[2]).toBe(`backend pool pool-sa (IP-based member ${HOST_IP})`);
  });

  it("a pool reference unknown at preview with no dependency on any LB: undecidable", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { loadBalancerBackendAddressPools: UNKNOWN } }],
      {
        tags: HOST_TAGS("unverified"),
      },
    );
    exHost(e, { nics: [nic] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.undecidable)).toEqual(["its backend pool reference list is unknown at preview"]);
  });

  it("a pool list unknown at preview, depending on an LB: any pool of that LB", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: pip }],
      pools: [{ name: "p" }, { name: "q" }],
      rules: [
        { name: "r1", frontend: "fe-public", pool: "p", frontendPort: 443, backendPort: 443 },
        { name: "r2", frontend: "fe-public", pool: "q", frontendPort: 25, backendPort: 25 },
      ],
    });
    const nic = e.add(
      "azure-native:network:NetworkInterface",
      "nic-ex01",
      {
        networkInterfaceName: "nic-ex01",
        resourceGroupName: e.rg,
        tags: HOST_TAGS("unverified"),
        ipConfigurations: [{ name: "ipconfig1", subnet: e.ref(sub), privateIPAddress: HOST_IP, loadBalancerBackendAddressPools: UNKNOWN }],
      },
      { ipConfigurations: [sub, lb] },
    );
    exHost(e, { nics: [nic] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.hops[2])).toEqual([
      "backend pool (any) (backend pool reference (unknown at preview))",
      "backend pool (any) (backend pool reference (unknown at preview))",
    ]);
    // Standard LB and no NSG: closed, but each path carries its own rule's port
    expect(rs.map((r) => service({ grants: [{ box: r.query, via: [] }] }))).toEqual(["TCP 443", "TCP 25"]);
  });

  it("a pool of a load balancer outside the stack: undecidable, naming it", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const far = `/subscriptions/${e.sub}/resourceGroups/rg-far/providers/Microsoft.Network/loadBalancers/lb-far/backendAddressPools/p`;
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { loadBalancerBackendAddressPools: [{ id: far }] } }],
      {
        tags: HOST_TAGS("unverified"),
      },
    );
    exHost(e, { nics: [nic] });
    const rs = routesOfKind(e, "load balancer");
    expect(rs.map((r) => r.undecidable)).toEqual(["backend pool reference #1 belongs to load balancer lb-far, which is not in this stack"]);
    expect(rs[0].direct).toBe(true);
    expect(service(openRoutes(rs)[0])).toBe("");
    expect(openRoutes(rs)[0].undecidable).toBeDefined();
  });

  it("no LB anywhere and no references: no routes", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    expect(routesOfKind(e, "load balancer")).toEqual([]);
  });
});

describe("standalone children and references", () => {
  function base() {
    const e = new Estate();
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: pip }],
      pools: [],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-sa", frontendPort: 443, backendPort: 443 }],
    });
    return { e, sub, lb };
  }
  const pool = (e: Estate, lb: Res, o: { rg?: string; deps?: boolean; lbName?: string } = {}) =>
    e.add(
      "azure-native:network:LoadBalancerBackendAddressPool",
      "pool-sa",
      {
        loadBalancerName: o.lbName ?? "lb-ex",
        resourceGroupName: o.rg ?? e.rg,
        backendAddressPoolName: "pool-sa",
        loadBalancerBackendAddresses: [{ name: "m", ipAddress: HOST_IP }],
      },
      o.deps ? { loadBalancerName: [lb] } : {},
      `${lb.armId.replace(e.rg, o.rg ?? e.rg).replace("lb-ex", o.lbName ?? "lb-ex")}/backendAddressPools/pool-sa`,
    );

  it("a standalone pool linked to its LB by name only (no dependency), in the same resource group", () => {
    const { e, sub, lb } = base();
    pool(e, lb);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    expect(routesOfKind(e, "load balancer").map((r) => r.hops[2])).toEqual([`backend pool pool-sa (IP-based member ${HOST_IP})`]);
  });

  it("a standalone pool naming an LB of the same name in another resource group is not its pool", () => {
    const { e, sub, lb } = base();
    pool(e, lb, { rg: "rg-other" });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    expect(routesOfKind(e, "load balancer")).toEqual([]);
  });

  it("a NIC referencing a standalone pool resource: its LB's rules for that pool", () => {
    const { e, sub, lb } = base();
    const p = pool(e, lb, { deps: true });
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: "10.0.1.9", extra: { loadBalancerBackendAddressPools: [{ id: p.armId }] } }],
      {
        tags: HOST_TAGS("unverified"),
        nsg: openNsg(e),
      },
    );
    exHost(e, { nics: [nic] });
    expect(routesOfKind(e, "load balancer").map((r) => r.hops[2])).toEqual(["backend pool pool-sa (backend pool reference)"]);
  });

  it("a NIC referencing a standalone pool of an LB that is not in the stack: undecidable", () => {
    const { e, sub, lb } = base();
    const p = pool(e, lb, { lbName: "lb-gone" });
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { loadBalancerBackendAddressPools: [{ id: p.armId }] } }],
      {
        tags: HOST_TAGS("unverified"),
      },
    );
    exHost(e, { nics: [nic] });
    expect(routesOfKind(e, "load balancer").map((r) => r.undecidable)).toEqual([
      "backend pool reference #1 (pool-sa) belongs to a load balancer that is not in this stack",
    ]);
  });

  it("a NIC referencing the LB itself (no pool name): any pool", () => {
    const { e, sub, lb } = base();
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { loadBalancerBackendAddressPools: [{ id: lb.armId }] } }],
      {
        tags: HOST_TAGS("unverified"),
        nsg: openNsg(e),
      },
    );
    exHost(e, { nics: [nic] });
    expect(routesOfKind(e, "load balancer").map((r) => r.hops[2])).toEqual(["backend pool (any) (backend pool reference)"]);
  });

  it("a pool reference unknown at preview without any dependency: cannot be followed", () => {
    const { e, sub } = base();
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { loadBalancerBackendAddressPools: [{ id: UNKNOWN }] } }],
      {
        tags: HOST_TAGS("unverified"),
      },
    );
    exHost(e, { nics: [nic] });
    const [r] = routesOfKind(e, "load balancer");
    expect(r.undecidable).toMatch(/^backend pool reference #1 cannot be followed: /);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("a rule's backendAddressPools list (plural): any of them; one unreadable entry makes it any pool", () => {
    const build = (pools: unknown[]) => {
      const e = new Estate();
      const { sub } = baseNet(e);
      const pip = e.publicIp("pip-lb");
      const lb = rawPublicLb(e, pip, {
        backendAddressPools: [{ name: "p" }, { name: "q" }],
        loadBalancingRules: [{ name: "r", protocol: "Tcp", frontendPort: 443, backendPort: 443, backendAddressPools: pools }],
      });
      exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
      return routesOfKind(e, "load balancer").length;
    };
    expect(build([{ id: "x/backendAddressPools/q" }, { id: "x/backendAddressPools/p" }])).toBe(1);
    expect(build([{ id: "x/backendAddressPools/q" }])).toBe(0);
    expect(build([{ id: "x/backendAddressPools/q" }, { id: UNKNOWN }])).toBe(1);
    expect(build(UNKNOWN as unknown as unknown[])).toBe(1);
  });
});
