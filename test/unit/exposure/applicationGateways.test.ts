import { parseAddressPrefix, PRIVATE_SPACE } from "../../../policies/model/addresses";
import { Proto } from "../../../policies/model/flows";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { appGateway, AgwBackendSpec, baseNet, exHost, HOST_IP, hostNic, multiConfigNic } from "../../support/networks";
import { openNsg, openRoutes, routesOfKind, service } from "./fixture";

const AGW = "azure-native:network:ApplicationGateway";
const NO_DNS = (n: string) =>
  `the pack cannot resolve ${n} (no Private DNS record or host name in this stack matches it), so it may point at any host`;

interface Built {
  e: Estate;
  vnet: Res;
  sub: Res;
  gw: Res;
}

function net(): Built {
  const e = new Estate();
  const { vnet, sub } = baseNet(e);
  const gw = e.subnet("snet-agw", vnet, "10.0.3.0/24");
  return { e, vnet, sub, gw };
}

/** Public v2 gateway via the shared fixture; the host NIC ex01 (allow-all NSG unless given). */
function withGateway(
  o: {
    backends?: AgwBackendSpec[];
    l7?: { port: number };
    l4?: { port: number };
    nicPool?: boolean;
    nsg?: (e: Estate) => Res;
    publicFront?: boolean;
  } = {},
): Estate {
  const { e, sub, gw } = net();
  const pip = o.publicFront === false ? undefined : e.publicIp("pip-agw");
  const agw = appGateway(e, "agw", { gwSubnet: gw, publicIp: pip, backends: o.backends, l7: o.l7, l4: o.l4 });
  const nsg = o.nsg ? o.nsg(e) : openNsg(e);
  exHost(e, { nics: [hostNic(e, sub, { nsg, ...(o.nicPool ? { agwPools: [[agw, "pool"]] } : {}) })] });
  return e;
}

/** A raw gateway: `props` merged over a public front end `fe` and the gateway subnet. */
function rawGateway(b: Built, props: Record<string, unknown>): Res {
  const pip = b.e.publicIp("pip-agw");
  return b.e.add(
    AGW,
    "agw",
    {
      applicationGatewayName: "agw",
      resourceGroupName: b.e.rg,
      gatewayIPConfigurations: [{ name: "gwip", subnet: b.e.ref(b.gw) }],
      frontendIPConfigurations: [{ name: "fe", publicIPAddress: b.e.ref(pip) }],
      backendAddressPools: [{ name: "pool", backendAddresses: [{ ipAddress: HOST_IP }] }],
      ...props,
    },
    { gatewayIPConfigurations: [b.gw], frontendIPConfigurations: [pip] },
  );
}

const l7Rule = (over: Record<string, unknown> = {}) => ({
  name: "r",
  httpListener: { id: "x/httpListeners/l1" },
  backendAddressPool: { id: "x/backendAddressPools/pool" },
  backendHttpSettings: { id: "x/backendHttpSettingsCollection/s1" },
  ...over,
});

function hostIn(b: Built, nic: Parameters<typeof hostNic>[2] = {}): void {
  exHost(b.e, { nics: [hostNic(b.e, b.sub, { nsg: openNsg(b.e), ...nic })] });
}

describe("L7 and L4 listeners", () => {
  it("L7 by IP: exact hops, proxied from the gateway subnet, TCP on the backend settings port", () => {
    const [r] = routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }], l7: { port: 8443 } }), "application gateway");
    expect(r.hops).toEqual([
      "public application gateway agw L7 listener listener-https",
      `backend pool pool → port 8443 (backend ${HOST_IP})`,
      "NIC nic-ex01/ipconfig1",
    ]);
    expect(r.direct).toBe(false);
    expect(r.sourceLabel).toBe("application gateway agw (subnet snet-agw)");
    expect(r.query.protos).toBe(Proto.TCP);
    expect(r.query.addrs.equals(parseAddressPrefix("10.0.3.0/24")!)).toBe(true);
    expect(service(r)).toBe("TCP 8443");
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("L4 (TCP proxy) listener", () => {
    const [r] = routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }], l4: { port: 25 } }), "application gateway");
    expect(r.hops.slice(0, 2)).toEqual([
      "public application gateway agw L4 listener listener-tcp",
      `backend pool pool → port 25 (backend ${HOST_IP})`,
    ]);
    expect(service(r)).toBe("TCP 25");
  });

  it("by NIC membership", () => {
    const [r] = routesOfKind(withGateway({ nicPool: true, l7: { port: 443 } }), "application gateway");
    expect(r.hops[1]).toBe("backend pool pool → port 443 (NIC in backend pool)");
  });

  it("a backend of another address does not reach the host", () => {
    expect(routesOfKind(withGateway({ backends: [{ ipAddress: "10.0.1.99" }], l7: { port: 443 } }), "application gateway")).toEqual([]);
  });

  it("an NSG that only denies Internet does not stop it; a deny of the gateway subnet does", () => {
    const denyInternet = (e: Estate) => e.nsg("nsg-ex01", [rule({ name: "deny-internet", priority: 100, access: "Deny", source: "Internet" })]);
    const [r] = routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }], l7: { port: 443 }, nsg: denyInternet }), "application gateway");
    expect(service(r)).toBe("TCP 443");
    const denyGw = (e: Estate) => e.nsg("nsg-ex01", [rule({ name: "deny-agw", priority: 100, access: "Deny", source: "10.0.3.0/24" })]);
    const [r2] = routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }], l7: { port: 443 }, nsg: denyGw }), "application gateway");
    expect(r2.grants).toEqual([]);
    expect(openRoutes([r2])).toEqual([]);
  });

  it("a gateway with only a private front end is not a path", () => {
    expect(routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }], l7: { port: 443 }, publicFront: false }), "application gateway")).toEqual(
      [],
    );
  });

  it("a public gateway without routing rules is not a path", () => {
    expect(routesOfKind(withGateway({ backends: [{ ipAddress: HOST_IP }] }), "application gateway")).toEqual([]);
  });
});

describe("front ends and listeners", () => {
  it("a listener on a private front end is skipped; one on the public front end counts", () => {
    const b = net();
    rawGateway(b, {
      frontendIPConfigurations: [
        { name: "fe-priv", privateIPAddress: "10.0.3.10", subnet: { id: "x" } },
        { name: "fe-pub", publicIPAddress: { id: "/subscriptions/s/x/publicIPAddresses/p" } },
      ],
      httpListeners: [
        { name: "l-priv", frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe-priv" } },
        { name: "l-pub", frontendIPConfiguration: { id: "x/frontendIPConfigurations/FE-PUB" } },
      ],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [
        l7Rule({ httpListener: { id: "x/httpListeners/l-priv" }, backendHttpSettings: { id: "x/backendHttpSettingsCollection/s2" } }),
        l7Rule({ httpListener: { id: "x/httpListeners/l-pub" } }),
      ],
    });
    hostIn(b);
    const rs = routesOfKind(b.e, "application gateway");
    expect(rs.map((r) => r.hops[0])).toEqual(["public application gateway agw L7 listener l-pub"]);
  });

  it("a front end with neither public nor private address counts as public", () => {
    const b = net();
    rawGateway(b, {
      frontendIPConfigurations: [{ name: "fe-odd" }],
      httpListeners: [{ name: "l1", frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe-odd" } }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule()],
    });
    hostIn(b);
    expect(routesOfKind(b.e, "application gateway")).toHaveLength(1);
  });

  it("front ends unknown at preview, or a public one without a readable name: every listener may be public", () => {
    for (const fronts of [
      UNKNOWN,
      [
        { name: UNKNOWN, publicIPAddress: { id: "p" } },
        { name: "fe-priv", privateIPAddress: "10.0.3.10" },
      ],
    ]) {
      const b = net();
      rawGateway(b, {
        frontendIPConfigurations: fronts,
        httpListeners: [{ name: "l1", frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe-priv" } }],
        backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
        requestRoutingRules: [l7Rule()],
      });
      hostIn(b);
      expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[0])).toEqual(["public application gateway agw L7 listener l1"]);
    }
  });

  it("a listener whose front end cannot be read may be public; a rule naming no known listener counts", () => {
    const b = net();
    rawGateway(b, {
      frontendIPConfigurations: [
        { name: "fe-pub", publicIPAddress: { id: "p" } },
        { name: "fe-priv", privateIPAddress: "10.0.3.10" },
      ],
      httpListeners: [{ name: "l1", frontendIPConfiguration: { id: UNKNOWN } }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule(), l7Rule({ httpListener: { id: "x/httpListeners/ghost" } }), l7Rule({ httpListener: UNKNOWN })],
    });
    hostIn(b);
    expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[0])).toEqual([
      "public application gateway agw L7 listener l1",
      "public application gateway agw L7 listener ghost",
      "public application gateway agw L7 listener an unreadable listener",
    ]);
  });
});

describe("ports and rules", () => {
  it.each([
    ["missing settings", { id: "x/backendHttpSettingsCollection/none" }],
    ["unknown settings reference", UNKNOWN],
  ])("%s: every port", (_what, ref) => {
    const b = net();
    rawGateway(b, {
      httpListeners: [{ name: "l1", frontendIPConfiguration: { id: "x/frontendIPConfigurations/fe" } }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule({ backendHttpSettings: ref })],
    });
    hostIn(b);
    const [r] = routesOfKind(b.e, "application gateway");
    expect(r.hops[1]).toBe(`backend pool pool → port an unknown port (backend ${HOST_IP})`);
    expect(service(r)).toBe("TCP all ports");
  });

  it.each([[0], [65536], [UNKNOWN], ["abc"]])("settings port %j: every port", (port) => {
    const b = net();
    rawGateway(b, {
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port }],
      requestRoutingRules: [l7Rule()],
    });
    hostIn(b);
    expect(service(routesOfKind(b.e, "application gateway")[0])).toBe("TCP all ports");
  });

  it.each([[1], [65535]])("settings port %d is exact", (port) => {
    const b = net();
    rawGateway(b, { httpListeners: [{ name: "l1" }], backendHttpSettingsCollection: [{ name: "s1", port }], requestRoutingRules: [l7Rule()] });
    hostIn(b);
    expect(service(routesOfKind(b.e, "application gateway")[0])).toBe(`TCP ${port}`);
  });

  it("request routing rules unknown at preview: any listener to any pool on any port", () => {
    const b = net();
    rawGateway(b, { requestRoutingRules: UNKNOWN });
    hostIn(b);
    const [r] = routesOfKind(b.e, "application gateway");
    expect(r.hops.slice(0, 2)).toEqual([
      "public application gateway agw L7 listener an unreadable listener",
      `backend pool pool → port an unknown port (backend ${HOST_IP})`,
    ]);
    expect(service(r)).toBe("TCP all ports");
  });

  it("L4 routing rules unknown at preview: any pool on any port", () => {
    const b = net();
    rawGateway(b, { routingRules: UNKNOWN });
    hostIn(b);
    const [r] = routesOfKind(b.e, "application gateway");
    expect(r.hops[0]).toBe("public application gateway agw L4 listener an unreadable listener");
    expect(service(r)).toBe("TCP all ports");
  });

  it("a rule's pool reference unknown: it may route to any pool", () => {
    const b = net();
    rawGateway(b, {
      backendAddressPools: [
        { name: "other", backendAddresses: [{ ipAddress: "10.0.1.99" }] },
        { name: "mine", backendAddresses: [{ ipAddress: HOST_IP }] },
      ],
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule({ backendAddressPool: { id: UNKNOWN } })],
    });
    hostIn(b);
    expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[1])).toEqual([`backend pool mine → port 443 (backend ${HOST_IP})`]);
  });

  it("a rule to another pool does not reach the host", () => {
    const b = net();
    rawGateway(b, {
      backendAddressPools: [
        { name: "other", backendAddresses: [{ ipAddress: "10.0.1.99" }] },
        { name: "mine", backendAddresses: [{ ipAddress: HOST_IP }] },
      ],
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule({ backendAddressPool: { id: "x/backendAddressPools/other" } })],
    });
    hostIn(b);
    expect(routesOfKind(b.e, "application gateway")).toEqual([]);
  });

  it("URL path maps: the default pool and each path rule, with their own settings", () => {
    const b = net();
    rawGateway(b, {
      backendAddressPools: [
        { name: "pool", backendAddresses: [{ ipAddress: HOST_IP }] },
        { name: "p2", backendAddresses: [{ ipAddress: HOST_IP }] },
      ],
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [
        { name: "s1", port: 443 },
        { name: "s2", port: 8080 },
      ],
      urlPathMaps: [
        {
          name: "map",
          defaultBackendAddressPool: { id: "x/backendAddressPools/pool" },
          defaultBackendHttpSettings: { id: "x/backendHttpSettingsCollection/s1" },
          pathRules: [
            {
              name: "ecp",
              paths: ["/ecp/*"],
              backendAddressPool: { id: "x/backendAddressPools/p2" },
              backendHttpSettings: { id: "x/backendHttpSettingsCollection/s2" },
            },
          ],
        },
      ],
      requestRoutingRules: [
        { name: "r", ruleType: "PathBasedRouting", httpListener: { id: "x/httpListeners/l1" }, urlPathMap: { id: "x/urlPathMaps/map" } },
      ],
    });
    hostIn(b);
    expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[1])).toEqual([
      `backend pool pool → port 443 (backend ${HOST_IP})`,
      `backend pool p2 → port 8080 (backend ${HOST_IP})`,
    ]);
  });

  it("a URL path map that cannot be found: any pool, any port", () => {
    const b = net();
    rawGateway(b, {
      httpListeners: [{ name: "l1" }],
      requestRoutingRules: [{ name: "r", httpListener: { id: "x/httpListeners/l1" }, urlPathMap: { id: "x/urlPathMaps/ghost" } }],
    });
    hostIn(b);
    const [r] = routesOfKind(b.e, "application gateway");
    expect(r.hops[1]).toBe(`backend pool pool → port an unknown port (backend ${HOST_IP})`);
    expect(service(r)).toBe("TCP all ports");
  });
});

describe("backends", () => {
  it("by the host's computer name (FQDN whose first label is the host name)", () => {
    const [r] = routesOfKind(withGateway({ backends: [{ fqdn: "EX01.contoso.local." }], l7: { port: 443 } }), "application gateway");
    expect(r.hops[1]).toBe("backend pool pool → port 443 (backend EX01.contoso.local. (the host name in EX01.contoso.local.))");
  });

  it("by a Private DNS A record of the stack", () => {
    const { e, sub, gw } = net();
    e.add("azure-native:privatedns:PrivateRecordSet", "owa", {
      privateZoneName: "corp.internal",
      relativeRecordSetName: "owa",
      recordType: "A",
      aRecords: [{ ipv4Address: HOST_IP }],
    });
    appGateway(e, "agw", { gwSubnet: gw, publicIp: e.publicIp("pip-agw"), backends: [{ fqdn: "owa.corp.internal" }], l7: { port: 443 } });
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const [r] = routesOfKind(e, "application gateway");
    expect(r.hops[1]).toBe("backend pool pool → port 443 (backend owa.corp.internal (the Private DNS record owa.corp.internal))");
  });

  it("an FQDN the stack cannot resolve may be any host: the path counts, and says why", () => {
    const [r] = routesOfKind(withGateway({ backends: [{ fqdn: "mail.example.com" }], l7: { port: 443 } }), "application gateway");
    expect(r.hops[1]).toBe(`backend pool pool → port 443 (backend mail.example.com: ${NO_DNS("mail.example.com")})`);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("backend addresses, an address, an FQDN or the pool list unknown at preview: may be this host", () => {
    const cases: Array<[unknown, string]> = [
      [[{ name: "pool", backendAddresses: UNKNOWN }], "backend pool pool → port 443 (the backend addresses of pool pool are unknown at preview)"],
      [
        [{ name: "pool", backendAddresses: [{ ipAddress: UNKNOWN }] }],
        "backend pool pool → port 443 (a backend address unknown at preview (may be this host: its address is not known))",
      ],
      [[{ name: "pool", backendAddresses: [{ fqdn: UNKNOWN }] }], "backend pool pool → port 443 (a backend FQDN is unknown at preview)"],
      [UNKNOWN, "backend pool (any) → port 443 (the backend pools of application gateway agw are unknown at preview)"],
      [[{ name: UNKNOWN, backendAddresses: [{ fqdn: UNKNOWN }] }], "backend pool (any) → port 443 (a backend FQDN is unknown at preview)"],
    ];
    for (const [pools, hop] of cases) {
      const b = net();
      rawGateway(b, {
        backendAddressPools: pools,
        httpListeners: [{ name: "l1" }],
        backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
        requestRoutingRules: [l7Rule()],
      });
      hostIn(b);
      expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[1])).toEqual([hop]);
    }
  });

  it("host address unknown: a backend IP in its subnet may be it", () => {
    const { e, sub, gw } = net();
    appGateway(e, "agw", { gwSubnet: gw, publicIp: e.publicIp("pip-agw"), backends: [{ ipAddress: "10.0.1.77" }], l7: { port: 443 } });
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub }], { tags: HOST_TAGS("unverified"), nsg: openNsg(e) });
    exHost(e, { nics: [nic] });
    const [r] = routesOfKind(e, "application gateway");
    expect(r.hops[1]).toBe("backend pool pool → port 443 (backend 10.0.1.77 (may be this host: its address is not known))");
  });
});

describe("source the NSGs see", () => {
  it("gateway subnet unknown: any private address, and says so", () => {
    const b = net();
    rawGateway(b, {
      gatewayIPConfigurations: [],
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule()],
    });
    hostIn(b);
    const [r] = routesOfKind(b.e, "application gateway");
    expect(r.sourceLabel).toBe("application gateway agw (its subnet (address unknown))");
    expect(r.query.addrs.equals(PRIVATE_SPACE)).toBe(true);
  });
});

describe("NIC references", () => {
  it("a pool reference to a gateway outside the stack: undecidable", () => {
    const b = net();
    rawGateway(b, {
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule()],
      backendAddressPools: [{ name: "pool" }],
    });
    const far = `/subscriptions/${b.e.sub}/resourceGroups/rg-far/providers/Microsoft.Network/applicationGateways/agw-far/backendAddressPools/p`;
    const nic = multiConfigNic(
      b.e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: b.sub, privateIp: HOST_IP, extra: { applicationGatewayBackendAddressPools: [{ id: far }] } }],
      {
        tags: HOST_TAGS("unverified"),
      },
    );
    exHost(b.e, { nics: [nic] });
    const rs = routesOfKind(b.e, "application gateway");
    expect(rs).toHaveLength(1);
    expect(rs[0].undecidable).toBe(`application gateway pool reference #1 points to ${far.toLowerCase().slice(1)}, which is not in this stack`);
    expect(rs[0].query.protos).toBe(Proto.TCP);
  });

  it("a pool list unknown at preview, depending on a gateway: any pool of it", () => {
    const b = net();
    const agw = rawGateway(b, {
      httpListeners: [{ name: "l1" }],
      backendHttpSettingsCollection: [{ name: "s1", port: 443 }],
      requestRoutingRules: [l7Rule()],
      backendAddressPools: [{ name: "pool" }],
    });
    const nic = b.e.add(
      "azure-native:network:NetworkInterface",
      "nic-ex01",
      {
        networkInterfaceName: "nic-ex01",
        tags: HOST_TAGS("unverified"),
        ipConfigurations: [{ name: "ipconfig1", subnet: b.e.ref(b.sub), privateIPAddress: HOST_IP, applicationGatewayBackendAddressPools: UNKNOWN }],
      },
      { ipConfigurations: [b.sub, agw] },
    );
    exHost(b.e, { nics: [nic] });
    expect(routesOfKind(b.e, "application gateway").map((r) => r.hops[1])).toEqual([
      "backend pool (any) → port 443 (NIC backend pool list unknown at preview)",
    ]);
  });
});
