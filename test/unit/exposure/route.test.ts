import { ALL_ADDRESSES, ALL_V4, ALL_V6, INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "../../../policies/model/addresses";
import { AddressIndex } from "../../../policies/model/addressIndex";
import { ALL_PORTS, ALL_PROTOCOLS, portRange, Proto } from "../../../policies/model/flows";
import { openToInternet, RouteToHost } from "../../../policies/model/exposure";
import { addressTargets, routeTo, undecidableRoute } from "../../../policies/model/exposure/route";
import { hop, nicHop } from "../../../policies/model/exposure/hops";
import { Host, IpConfigView } from "../../../policies/model/hosts";
import { Grant } from "../../../policies/model/nsgEvaluator";
import { Estate, HOST_TAGS, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, HOST_IP, hostNic, multiConfigNic } from "../../support/networks";
import { analysisOf, openNsg } from "./fixture";
import { StackAnalysis } from "../../../policies/model/analysis";

const set = (s: string) => parseAddressPrefix(s)!;

function hostOf(e: Estate): { a: StackAnalysis; host: Host; ip: IpConfigView } {
  const a = analysisOf(e);
  const host = a.hosts[0];
  return { a, host, ip: host.ipConfigs[0] };
}

function simple(o: Parameters<typeof hostNic>[2] = {}) {
  const e = new Estate();
  const { sub } = baseNet(e);
  exHost(e, { nics: [hostNic(e, sub, o)] });
  return hostOf(e);
}

describe("undecidableRoute", () => {
  it("with an ipConfiguration: the NIC is the last hop; open on every port from the internet", () => {
    const { host, ip } = simple();
    const q = { addrs: ALL_V4, ports: ALL_PORTS, protos: ALL_PROTOCOLS };
    const r = undecidableRoute(host, ip, "load balancer", [hop("load balancer", "x")], "why", q);
    expect(r).toEqual({
      host,
      ipConfig: ip,
      kind: "load balancer",
      path: [hop("load balancer", "x"), nicHop(ip)],
      hops: ["x", "NIC nic-ex01/ipconfig1"],
      direct: true,
      query: q,
      grants: [],
      undecidable: "why",
      sourceLabel: "the internet",
    });
  });

  it("without one: hops as given", () => {
    const { host } = simple();
    const r = undecidableRoute(host, undefined, "unmodeled resource", [hop("unmodeled resource", "JitNetworkAccessPolicy jit")], "w", {
      addrs: ALL_ADDRESSES,
      ports: ALL_PORTS,
      protos: 1,
    });
    expect(r.hops).toEqual(["JitNetworkAccessPolicy jit"]);
    expect(r.ipConfig).toBeUndefined();
  });
});

describe("routeTo", () => {
  const spec = (o: Partial<Parameters<typeof routeTo>[3]> = {}) => ({
    kind: "public IP" as const,
    path: [hop("public IP", "front")],
    direct: true,
    query: { addrs: ALL_V4, ports: portRange(443, 443), protos: Proto.TCP },
    sourceLabel: "the internet",
    ...o,
  });

  it("no NSG at all: a closed-without-NSG front end gets nothing, an open one everything in the query", () => {
    const { a, host, ip } = simple();
    expect(routeTo(a.flows, host, ip, spec({ closedWithoutNsg: true })).grants).toEqual([]);
    const open = routeTo(a.flows, host, ip, spec({ closedWithoutNsg: false }));
    expect(open.grants).toHaveLength(1);
    expect(open.grants[0].box.ports.equals(portRange(443, 443))).toBe(true);
    expect(open.grants[0].box.protos).toBe(Proto.TCP);
    expect(open.grants[0].box.addrs.equals(ALL_V4)).toBe(true);
  });

  it("closedWithoutNsg only applies to direct paths (a proxy is not a public front end of the host)", () => {
    const { a, host, ip } = simple();
    expect(routeTo(a.flows, host, ip, spec({ direct: false, closedWithoutNsg: true })).grants).toHaveLength(1);
  });

  it("with an NSG, closedWithoutNsg does not matter", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const { a, host, ip } = hostOf(e);
    expect(routeTo(a.flows, host, ip, spec({ closedWithoutNsg: true })).grants.length).toBeGreaterThan(0);
  });

  it("copies the spec and appends the NIC hop", () => {
    const { a, host, ip } = simple();
    const front = set("203.0.113.0/24");
    const r = routeTo(a.flows, host, ip, spec({ kind: "firewall DNAT", direct: false, frontSources: front, undecidable: "u", sourceLabel: "s" }));
    expect(r.hops).toEqual(["front", "NIC nic-ex01/ipconfig1"]);
    expect(r.kind).toBe("firewall DNAT");
    expect(r.direct).toBe(false);
    expect(r.frontSources).toBe(front);
    expect(r.undecidable).toBe("u");
    expect(r.sourceLabel).toBe("s");
    expect(r.ipConfig).toBe(ip);
    expect(r.host).toBe(host);
  });
});

describe("addressTargets", () => {
  const index = (...entries: Array<[string | undefined, string]>) => {
    const i = new AddressIndex<string>();
    for (const [addr, item] of entries) i.add(addr === undefined ? undefined : set(addr), item);
    return i;
  };

  it("an empty index: nothing", () => {
    expect(addressTargets(simple().ip, new AddressIndex<string>())).toEqual([]);
  });

  it("a known host address: exact matches are certain, unreadable entries are not", () => {
    const { ip } = simple();
    expect(addressTargets(ip, index([HOST_IP, "mine"], ["10.0.1.5", "other"], [undefined, "unknown"], ["10.0.1.0/29", "range"]))).toEqual(
      expect.arrayContaining([
        { item: "mine", certain: true },
        { item: "unknown", certain: false },
        { item: "range", certain: true },
      ]),
    );
    expect(addressTargets(ip, index(["10.0.1.5", "other"]))).toEqual([]);
  });

  it("host address unknown: anything in its subnet may be it, never certain", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub }], { tags: HOST_TAGS("unverified") })] });
    const { ip } = hostOf(e);
    const got = addressTargets(ip, index(["10.0.1.77", "in-subnet"], ["10.0.2.5", "outside"]));
    expect(got).toEqual([{ item: "in-subnet", certain: false }]);
  });

  it("host address and subnet unknown: anything of its family may be it", () => {
    const e = new Estate();
    exHost(e, {
      nics: [
        e.add("azure-native:network:NetworkInterface", "nic-ex01", {
          networkInterfaceName: "nic-ex01",
          tags: HOST_TAGS("unverified"),
          ipConfigurations: [{ name: "ipconfig1", subnet: { id: UNKNOWN }, privateIPAddress: UNKNOWN }],
        }),
      ],
    });
    const { ip } = hostOf(e);
    const got = addressTargets(ip, index(["10.9.9.9", "v4"], ["fd00::1", "v6"]));
    expect(got.map((g) => g.item).sort()).toEqual(ip.family === "IPv4" ? ["v4"] : ["v4", "v6"]);
    expect(got.every((g) => !g.certain)).toBe(true);
  });
});

describe("openToInternet", () => {
  const { host } = simple();
  const grant = (addrs: string, ports = portRange(443, 443)): Grant => ({ box: { addrs: set(addrs), ports, protos: Proto.TCP }, via: [] });
  const route = (o: Partial<RouteToHost>): RouteToHost => ({
    host,
    ipConfig: undefined,
    kind: "public IP",
    path: [],
    hops: [],
    direct: true,
    query: { addrs: ALL_ADDRESSES, ports: ALL_PORTS, protos: ALL_PROTOCOLS },
    grants: [],
    sourceLabel: "the internet",
    ...o,
  });

  it("an undecidable route is always open, with its reason", () => {
    const r = route({ undecidable: "because", grants: [grant("10.0.0.0/8")] });
    expect(openToInternet(r, INTERNET)).toEqual({ route: r, grants: [], undecidable: "because" });
    expect(openToInternet(r, ALL_V4.subtract(ALL_V4))).toEqual({ route: r, grants: [], undecidable: "because" });
  });

  it("direct: only what internet sources may send", () => {
    const r = route({ grants: [grant("0.0.0.0/0"), grant("10.0.0.0/8")] });
    const o = openToInternet(r, INTERNET)!;
    expect(o.grants).toHaveLength(1);
    expect(o.grants[0].box.addrs.equals(INTERNET.intersect(ALL_V4))).toBe(true);
    expect(openToInternet(route({ grants: [grant("10.0.0.0/8")] }), INTERNET)).toBeUndefined();
    expect(openToInternet(route({ grants: [] }), INTERNET)).toBeUndefined();
  });

  it("direct: trusted prefixes are not the internet", () => {
    const r = route({ grants: [grant("203.0.113.0/24")] });
    expect(openToInternet(r, INTERNET.subtract(set("203.0.113.0/24")))).toBeUndefined();
    expect(openToInternet(r, INTERNET)).toBeDefined();
  });

  it("proxied: the grants (from the proxy's private address) count whole, unless the front end admits no internet source", () => {
    const g = [grant("10.0.3.0/24")];
    const r = route({ direct: false, grants: g });
    expect(openToInternet(r, INTERNET)).toEqual({ route: r, grants: g });
    expect(openToInternet(route({ direct: false, grants: g, frontSources: set("203.0.113.0/24") }), INTERNET)).toEqual(
      expect.objectContaining({ grants: g }),
    );
    expect(openToInternet(route({ direct: false, grants: g, frontSources: PRIVATE_SPACE }), INTERNET)).toBeUndefined();
    expect(
      openToInternet(route({ direct: false, grants: g, frontSources: set("203.0.113.0/24") }), INTERNET.subtract(set("203.0.113.0/24"))),
    ).toBeUndefined();
    expect(openToInternet(route({ direct: false, grants: [] }), INTERNET)).toBeUndefined();
  });

  it("IPv6 grants count only as IPv6 internet", () => {
    const r = route({ grants: [{ box: { addrs: ALL_V6, ports: ALL_PORTS, protos: ALL_PROTOCOLS }, via: [] }] });
    expect(openToInternet(r, INTERNET)!.grants[0].box.addrs.equals(INTERNET.intersect(ALL_V6))).toBe(true);
  });
});
