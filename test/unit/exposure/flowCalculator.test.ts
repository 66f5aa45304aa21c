import { ALL_ADDRESSES, INTERNET, parseAddressPrefix } from "../../../policies/model/addresses";
import { describeService } from "../../../policies/model/describe";
import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, Proto } from "../../../policies/model/flows";
import { FlowCalculator } from "../../../policies/model/exposure/flowCalculator";
import { AlwaysAllowRule } from "../../../policies/model/exposure/networkManager";
import { IntervalSet } from "../../../policies/model/intervalSet";
import { Grant, restrictGrants } from "../../../policies/model/nsgEvaluator";
import { Direction, parseAddrTerm } from "../../../policies/model/nsgRules";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, HOST_IP, hostNic, multiConfigNic } from "../../support/networks";
import { analysisOf } from "./fixture";

const set = (s: string) => parseAddressPrefix(s)!;

function calcFor(e: Estate, admin: AlwaysAllowRule[] = []) {
  const a = analysisOf(e);
  const calc = new FlowCalculator(a.graph, a.network, a.evaluator, admin);
  const host = a.hosts[0];
  return { a, calc, host, ip: host.ipConfigs[0] };
}

const fromInternet = (grants: readonly Grant[]) => restrictGrants(grants, { addrs: INTERNET, ports: ALL_PORTS, protos: ALL_PROTOCOLS });

function twoLevels(subnetRules?: Array<Record<string, unknown>>, nicRules?: Array<Record<string, unknown>>): Estate {
  const e = new Estate();
  const subnetNsg = subnetRules ? e.nsg("nsg-sub", subnetRules) : undefined;
  const { sub } = baseNet(e, { subnetNsg });
  const nicNsg = nicRules ? e.nsg("nsg-nic", nicRules) : undefined;
  exHost(e, { nics: [hostNic(e, sub, { nsg: nicNsg })] });
  return e;
}

function adminRule(o: Partial<AlwaysAllowRule> & { node: AlwaysAllowRule["node"] }): AlwaysAllowRule {
  return {
    name: "aa",
    priority: 1,
    directions: new Set<Direction>(["inbound"]),
    sources: [parseAddrTerm("Internet")],
    destinations: [parseAddrTerm("*")],
    ports: parsePortSpec("3389")!,
    protos: Proto.TCP,
    vnets: undefined,
    ...o,
  };
}

describe("NSG levels", () => {
  it("no NSG at subnet or NIC: everything, and noNsgAtAll", () => {
    const { calc, host, ip } = calcFor(twoLevels());
    const [l] = calc.flows(host, ip, "inbound");
    expect(l.noNsgAtAll).toBe(true);
    expect(l.grants).toHaveLength(1);
    expect(l.grants[0].box.addrs.equals(ALL_ADDRESSES)).toBe(true);
    expect(l.grants[0].via.map((h) => [h.level, h.rule])).toEqual([
      ["subnet", undefined],
      ["NIC", undefined],
    ]);
  });

  it("an NSG at either level clears noNsgAtAll", () => {
    const allow = [rule({ name: "a", source: "*" })];
    expect(calcFor(twoLevels(allow)).calc.flows(calcFor(twoLevels(allow)).host, calcFor(twoLevels(allow)).ip, "inbound")[0].noNsgAtAll).toBe(false);
    const n = calcFor(twoLevels(undefined, allow));
    expect(n.calc.flows(n.host, n.ip, "inbound")[0].noNsgAtAll).toBe(false);
  });

  it("inbound: both levels must allow; the chain is subnet then NIC", () => {
    const { calc, host, ip } = calcFor(
      twoLevels(
        [rule({ name: "sub-443", source: "Internet", port: "443", protocol: "Tcp" })],
        [rule({ name: "nic-443-3389", source: "Internet", ports: ["443", "3389"], protocol: "Tcp" })],
      ),
    );
    const grants = fromInternet(calc.flows(host, ip, "inbound")[0].grants);
    expect(describeService(grants)).toBe("TCP 443");
    expect(grants[0].via.map((h) => `${h.level}:${h.rule?.name}`)).toEqual(["subnet:sub-443", "NIC:nic-443-3389"]);
  });

  it("outbound: the chain is NIC then subnet", () => {
    const { calc, host, ip } = calcFor(
      twoLevels(
        [rule({ name: "sub-out", direction: "Outbound", destination: "Internet", port: "443", source: "*", protocol: "Tcp" })],
        [rule({ name: "nic-out", direction: "Outbound", destination: "Internet", port: "443", source: "*", protocol: "Tcp" })],
      ),
    );
    const grants = restrictGrants(calc.flows(host, ip, "outbound")[0].grants, { addrs: INTERNET, ports: ALL_PORTS, protos: ALL_PROTOCOLS });
    const mine = grants.filter((g) => g.via.some((h) => h.rule?.name === "nic-out"));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].via.map((h) => `${h.level}:${h.rule?.name}`)).toEqual(["NIC:nic-out", "subnet:sub-out"]);
    expect(describeService(mine)).toBe("TCP 443");
  });

  it("results are cached per host, ipConfiguration and direction", () => {
    const { calc, host, ip } = calcFor(twoLevels());
    expect(calc.flows(host, ip, "inbound")).toBe(calc.flows(host, ip, "inbound"));
    expect(calc.flows(host, ip, "outbound")).not.toBe(calc.flows(host, ip, "inbound"));
  });

  it("an ipConfiguration whose subnet cannot be read: one level set without a subnet", () => {
    const e = new Estate();
    exHost(e, {
      nics: [
        e.add("azure-native:network:NetworkInterface", "nic-ex01", {
          networkInterfaceName: "nic-ex01",
          tags: HOST_TAGS("unverified"),
          ipConfigurations: [{ name: "ipconfig1", privateIPAddress: HOST_IP }],
        }),
      ],
    });
    const { calc, host, ip } = calcFor(e);
    const levels = calc.flows(host, ip, "inbound");
    expect(levels).toHaveLength(1);
    expect(levels[0].subnet).toBeUndefined();
    expect(levels[0].noNsgAtAll).toBe(true);
  });
});

describe("local end", () => {
  function withAsgs(asgs: (e: Estate) => unknown, deps: (e: Estate) => Res[] = () => []) {
    const e = new Estate();
    const { sub } = baseNet(e);
    const refs = asgs(e);
    const d = deps(e);
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { applicationSecurityGroups: refs } }], {
      tags: HOST_TAGS("unverified"),
    });
    (nic.propertyDependencies!.ipConfigurations as string[]).push(...d.map((r) => r.urn));
    exHost(e, { nics: [nic] });
    return calcFor(e);
  }

  it("the host address; ASG membership by URN; none", () => {
    let asg: Res | undefined;
    const { calc, ip } = withAsgs(
      (e) => {
        asg = e.add("azure-native:network:ApplicationSecurityGroup", "asg-ex", { applicationSecurityGroupName: "asg-ex" });
        return [e.ref(asg)];
      },
      () => [asg!],
    );
    const local = calc.localEnd(ip, ip.subnets[0]);
    expect(local.addrs.equals(set(HOST_IP))).toBe(true);
    expect([...local.asgs!]).toEqual([asg!.urn]);
    expect(local.asgKey(asg!.armId)).toBe(asg!.urn);
    expect(local.asgKey(asg!.armId)).toBe(asg!.urn); // cached
    expect(local.asgKey("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/applicationSecurityGroups/Far")).toBe(
      "subscriptions/s/resourcegroups/r/providers/microsoft.network/applicationsecuritygroups/far",
    );
    const none = withAsgs(() => undefined);
    expect([...none.calc.localEnd(none.ip, none.ip.subnets[0]).asgs!]).toEqual([]);
  });

  it("an ASG outside the stack: by its id", () => {
    const far = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/applicationSecurityGroups/far";
    const { calc, ip } = withAsgs(() => [{ id: far }]);
    expect([...calc.localEnd(ip, ip.subnets[0]).asgs!]).toEqual([far.slice(1).toLowerCase()]);
  });

  it("ASG list or reference unknown: membership unknown", () => {
    for (const refs of [UNKNOWN, [{ id: UNKNOWN }]]) {
      const { calc, ip } = withAsgs(() => refs);
      expect(calc.localEnd(ip, ip.subnets[0]).asgs).toBeUndefined();
    }
  });
});

describe("network manager AlwaysAllow on top of the NSGs", () => {
  const denyAll = [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*" })];

  it("adds its flows after the NSG grants, tagged as the network manager", () => {
    const e = twoLevels(undefined, denyAll);
    const { a, host, ip } = calcFor(e);
    const node = a.graph.nodes[0];
    const calc = new FlowCalculator(a.graph, a.network, a.evaluator, [adminRule({ node, name: "rdp", scopeNote: "scope?" })]);
    const grants = fromInternet(calc.flows(host, ip, "inbound")[0].grants);
    expect(describeService(grants)).toBe("TCP 3389");
    expect(grants[0].box.addrs.equals(INTERNET)).toBe(true);
    expect(grants[0].via).toHaveLength(1);
    const hit = grants[0].via[0];
    expect(hit.nsg).toBe("network manager rule rdp");
    expect(hit.level).toBe("network manager");
    expect(hit.rule).toEqual(
      expect.objectContaining({
        name: "rdp",
        origin: "admin",
        access: "allow",
        priority: 1,
        sourcePortsAny: true,
        notes: ["scope?"],
        texts: ["Internet", "*"],
      }),
    );
  });

  it("no scope note: no notes", () => {
    const { a, host, ip } = calcFor(twoLevels(undefined, denyAll));
    const calc = new FlowCalculator(a.graph, a.network, a.evaluator, [adminRule({ node: a.graph.nodes[0] })]);
    expect(fromInternet(calc.flows(host, ip, "inbound")[0].grants)[0].via[0].rule!.notes).toEqual([]);
  });

  it.each<[string, (r: AlwaysAllowRule) => Partial<AlwaysAllowRule>, number]>([
    ["outbound only", () => ({ directions: new Set<Direction>(["outbound"]) }), 0],
    ["both directions", () => ({ directions: new Set<Direction>(["inbound", "outbound"]) }), 1],
    ["scoped to another virtual network", () => ({ vnets: new Set(["urn:other"]) }), 0],
    ["destination not the host", () => ({ destinations: [parseAddrTerm("10.9.0.0/16")] }), 0],
    ["destination the host", () => ({ destinations: [parseAddrTerm(HOST_IP)] }), 1],
    ["only from the virtual network", () => ({ sources: [parseAddrTerm("10.9.0.0/16")] }), 0],
    ["no ports (read as all)", () => ({ ports: IntervalSet.EMPTY }), 1],
  ])("%s", (_what, over, count) => {
    const { a, host, ip } = calcFor(twoLevels(undefined, denyAll));
    const base = adminRule({ node: a.graph.nodes[0] });
    const calc = new FlowCalculator(a.graph, a.network, a.evaluator, [{ ...base, ...over(base) }]);
    expect(fromInternet(calc.flows(host, ip, "inbound")[0].grants)).toHaveLength(count);
  });

  it("scoped to the host's virtual network: applies", () => {
    const { a, host, ip } = calcFor(twoLevels(undefined, denyAll));
    const vnet = ip.subnets[0].vnet!;
    const calc = new FlowCalculator(a.graph, a.network, a.evaluator, [adminRule({ node: a.graph.nodes[0], vnets: new Set([vnet.urn]) })]);
    expect(fromInternet(calc.flows(host, ip, "inbound")[0].grants)).toHaveLength(1);
  });

  it("no ports: every port", () => {
    const { a, host, ip } = calcFor(twoLevels(undefined, denyAll));
    const calc = new FlowCalculator(a.graph, a.network, a.evaluator, [adminRule({ node: a.graph.nodes[0], ports: IntervalSet.EMPTY })]);
    expect(describeService(fromInternet(calc.flows(host, ip, "inbound")[0].grants))).toBe("TCP all ports");
  });
});
