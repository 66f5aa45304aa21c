import { parseAddressPrefix, PRIVATE_SPACE } from "../../../policies/model/addresses";
import { Estate, Res, rule, UNKNOWN } from "../../support/estate";
import { afdOrigin, armIdOf, baseNet, exHost, hostNic, loadBalancer, privateLinkService } from "../../support/networks";
import { openNsg, openRoutes, routesOfKind, service } from "./fixture";

const PLS = "azure-native:network:PrivateLinkService";

interface Net {
  e: Estate;
  sub: Res;
  natSub: Res;
  lb: Res;
}

/** Internal LB lb-int (fe-int, fe-b) with pool p; rule owa 443→8443 on fe-int, rule smtp 25→25 on fe-b; host ex01 in pool p. */
function net(o: { nsg?: (e: Estate) => Res; inPool?: boolean } = {}): Net {
  const e = new Estate();
  const { vnet, sub } = baseNet(e);
  const natSub = e.subnet("snet-pls", vnet, "10.0.2.0/24");
  const lb = loadBalancer(e, "lb-int", {
    frontends: [
      { name: "fe-int", subnet: sub, privateIp: "10.0.1.100" },
      { name: "fe-b", subnet: sub, privateIp: "10.0.1.101" },
    ],
    pools: [{ name: "p" }],
    rules: [
      { name: "owa", frontend: "fe-int", pool: "p", frontendPort: 443, backendPort: 8443 },
      { name: "smtp", frontend: "fe-b", pool: "p", frontendPort: 25, backendPort: 25 },
    ],
  });
  exHost(e, { nics: [hostNic(e, sub, { nsg: o.nsg ? o.nsg(e) : openNsg(e), ...(o.inPool === false ? {} : { lbPools: [[lb, "p"]] }) })] });
  return { e, sub, natSub, lb };
}

function rawPls(n: Net, props: Record<string, unknown>, deps: Record<string, Res[]> = {}): Res {
  return n.e.add(PLS, "pls", { serviceName: "pls", ...props }, deps);
}

describe("Front Door origin → Private Link Service → internal load balancer", () => {
  it("exact hops, proxied from the PLS NAT subnet, on the rule's backend port", () => {
    const n = net();
    afdOrigin(n.e, "origin-owa", { pls: privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" }) });
    const rs = routesOfKind(n.e, "private link");
    expect(rs).toHaveLength(1);
    const [r] = rs;
    expect(r.hops).toEqual([
      "Front Door origin origin-owa → Private Link Service pls",
      "internal load balancer lb-int load-balancing rule owa TCP 443→8443",
      "backend pool reference",
      "NIC nic-ex01/ipconfig1",
    ]);
    expect(r.direct).toBe(false);
    expect(r.sourceLabel).toBe("Private Link Service pls (its NAT subnet)");
    expect(r.query.addrs.equals(parseAddressPrefix("10.0.2.0/24")!)).toBe(true);
    expect(service(r)).toBe("TCP 8443");
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("only rules on the published front end; an NSG denying only Internet does not stop it", () => {
    const denyInternet = (e: Estate) =>
      e.nsg("nsg", [
        rule({ name: "deny-inet", priority: 100, access: "Deny", source: "Internet" }),
        rule({ name: "allow-all", priority: 200, source: "*" }),
      ]);
    const n = net({ nsg: denyInternet });
    afdOrigin(n.e, "o", { pls: privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-b" }) });
    const rs = routesOfKind(n.e, "private link");
    expect(rs.map((r) => r.hops[1])).toEqual(["internal load balancer lb-int load-balancing rule smtp TCP 25→25"]);
    expect(openRoutes(rs)).toHaveLength(1);
  });

  it("a deny of the NAT subnet stops it", () => {
    const denyNat = (e: Estate) => e.nsg("nsg", [rule({ name: "deny-pls", priority: 100, access: "Deny", source: "10.0.2.0/24" })]);
    const n = net({ nsg: denyNat });
    afdOrigin(n.e, "o", { pls: privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" }) });
    expect(openRoutes(routesOfKind(n.e, "private link"))).toEqual([]);
  });

  it("only rules whose pool holds the host: a rule of another pool on the same front end is not its path", () => {
    const e = new Estate();
    const { vnet, sub } = baseNet(e);
    const natSub = e.subnet("snet-pls", vnet, "10.0.2.0/24");
    const lb = loadBalancer(e, "lb-int", {
      frontends: [{ name: "fe-int", subnet: sub, privateIp: "10.0.1.100" }],
      pools: [{ name: "p" }, { name: "q" }],
      rules: [
        { name: "owa", frontend: "fe-int", pool: "p", frontendPort: 443, backendPort: 443 },
        { name: "rdp-q", frontend: "fe-int", pool: "q", frontendPort: 3389, backendPort: 3389 },
      ],
    });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), lbPools: [[lb, "p"]] })] });
    afdOrigin(e, "o", { pls: privateLinkService(e, "pls", { natSubnet: natSub, lb, frontend: "fe-int" }) });
    expect(routesOfKind(e, "private link").map((r) => r.hops[1])).toEqual(["internal load balancer lb-int load-balancing rule owa TCP 443→443"]);
  });

  it("a host in no pool of the published LB has no such path", () => {
    const n = net({ inPool: false });
    afdOrigin(n.e, "o", { pls: privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" }) });
    expect(routesOfKind(n.e, "private link")).toEqual([]);
  });

  it("no origin uses Private Link: no path", () => {
    const n = net();
    privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" });
    n.e.add("azure-native:cdn:AFDOrigin", "o-public", { hostName: "owa.example.com" });
    expect(routesOfKind(n.e, "private link")).toEqual([]);
  });

  it("a front-end reference without a child name: every rule of the LB", () => {
    const n = net();
    const pls = rawPls(
      n,
      { ipConfigurations: [{ name: "nat1", subnet: n.e.ref(n.natSub) }], loadBalancerFrontendIpConfigurations: [{ id: n.lb.armId }] },
      { ipConfigurations: [n.natSub], loadBalancerFrontendIpConfigurations: [n.lb] },
    );
    afdOrigin(n.e, "o", { pls });
    expect(routesOfKind(n.e, "private link").map((r) => r.hops[1])).toEqual([
      "internal load balancer lb-int load-balancing rule owa TCP 443→8443",
      "internal load balancer lb-int load-balancing rule smtp TCP 25→25",
    ]);
  });

  it("NAT subnet unknown: any private address, and says so", () => {
    const n = net();
    const pls = rawPls(
      n,
      { ipConfigurations: UNKNOWN, loadBalancerFrontendIpConfigurations: [{ id: `${n.lb.armId}/frontendIPConfigurations/fe-int` }] },
      { loadBalancerFrontendIpConfigurations: [n.lb] },
    );
    afdOrigin(n.e, "o", { pls });
    const [r] = routesOfKind(n.e, "private link");
    expect(r.sourceLabel).toBe("Private Link Service pls (its NAT subnet (address unknown))");
    expect(r.query.addrs.equals(PRIVATE_SPACE)).toBe(true);
  });
});

describe("other edges", () => {
  it("a CDN origin with privateLinkResourceId", () => {
    const n = net();
    const pls = privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" });
    n.e.add(
      "azure-native:cdn:Origin",
      "cdn-o",
      { originName: "cdn-o", hostName: "10.0.1.100", privateLinkResourceId: n.e.ref(pls).id },
      { privateLinkResourceId: [pls] },
    );
    expect(routesOfKind(n.e, "private link").map((r) => r.hops[0])).toEqual(["CDN origin cdn-o → Private Link Service pls"]);
  });

  it("a classic Front Door backend with privateLinkResourceId, with and without an address", () => {
    for (const [address, label] of [
      ["owa.contoso.com", "Front Door fd backend owa.contoso.com"],
      [undefined, "Front Door fd backend"],
    ] as const) {
      const n = net();
      const pls = privateLinkService(n.e, "pls", { natSubnet: n.natSub, lb: n.lb, frontend: "fe-int" });
      n.e.add(
        "azure-native:network:FrontDoor",
        "fd",
        {
          frontDoorName: "fd",
          backendPools: [{ name: "bp", backends: [{ address, privateLinkResourceId: n.e.ref(pls).id }, { address: "public.example.com" }] }],
        },
        { backendPools: [pls] },
      );
      expect(routesOfKind(n.e, "private link").map((r) => r.hops[0])).toEqual([`${label} → Private Link Service pls`]);
    }
  });
});

describe("unfollowable links: undecidable for every host behind a load balancer", () => {
  const undecidable = (n: Net) => routesOfKind(n.e, "private link").filter((r) => r.undecidable);

  it("a Private Link Service outside the stack", () => {
    const n = net();
    const far = armIdOf(n.e, "Microsoft.Network/privateLinkServices", "pls-far");
    n.e.add(
      "azure-native:cdn:AFDOrigin",
      "o",
      { sharedPrivateLinkResource: { privateLink: { id: far } } },
      {},
      armIdOf(n.e, "Microsoft.Cdn/profiles", "afd", "originGroups/g/origins/o"),
    );
    const [r] = undecidable(n);
    expect(r.hops).toEqual(["Front Door origin o", "load balancer lb-int", "NIC nic-ex01/ipconfig1"]);
    expect(r.undecidable).toMatch(
      /^Front Door origin o: its Private Link Service .*pls-far is not in this stack; it may publish this host's load balancer$/,
    );
    expect(r.query.addrs.equals(PRIVATE_SPACE)).toBe(true);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("a Private Link reference unknown at preview and linked to nothing", () => {
    const n = net();
    n.e.add("azure-native:cdn:AFDOrigin", "o", { sharedPrivateLinkResource: { privateLink: { id: UNKNOWN } } });
    const [r] = undecidable(n);
    expect(r.undecidable).toMatch(/^Front Door origin o: .+; it may publish this host's load balancer$/);
  });

  it("PLS front ends unknown at preview", () => {
    const n = net();
    const pls = rawPls(n, { loadBalancerFrontendIpConfigurations: UNKNOWN });
    afdOrigin(n.e, "o", { pls });
    const [r] = undecidable(n);
    expect(r.hops[0]).toBe("Front Door origin o → Private Link Service pls");
    expect(r.undecidable).toBe(
      "Front Door origin o → Private Link Service pls: its load balancer front ends are unknown; it may publish this host's load balancer",
    );
  });

  it("PLS front end of a load balancer outside the stack", () => {
    const n = net();
    const far = `${armIdOf(n.e, "Microsoft.Network/loadBalancers", "lb-far")}/frontendIPConfigurations/fe`;
    const pls = rawPls(n, { loadBalancerFrontendIpConfigurations: [{ id: far }] });
    afdOrigin(n.e, "o", { pls });
    const [r] = undecidable(n);
    expect(r.undecidable).toBe(
      "Front Door origin o → Private Link Service pls: its load balancer is not in this stack; it may publish this host's load balancer",
    );
  });

  it("a host behind no load balancer is not affected", () => {
    const n = net({ inPool: false });
    n.e.add("azure-native:cdn:AFDOrigin", "o", { sharedPrivateLinkResource: { privateLink: { id: UNKNOWN } } });
    expect(routesOfKind(n.e, "private link")).toEqual([]);
  });
});
