import { INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "../../policies/model/addresses";
import { Proto } from "../../policies/model/flows";
import { IntervalSet } from "../../policies/model/intervalSet";
import { isolationOf } from "../../policies/model/isolation";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN as SENTINEL } from "../support/estate";
import { analyse } from "../support/judge";

const cidrs = (...list: string[]) => list.map((c) => parseAddressPrefix(c)!).reduce((a, b) => a.union(b), IntervalSet.EMPTY);
const FORENSICS_IN = cidrs("10.99.0.0/24");
const FORENSICS_OUT = cidrs("203.0.113.10");

/** Rules that isolate a host: inbound only from the forensics prefix, outbound only to the forensics destination. */
const ISOLATING = [
  rule({ name: "allow-forensics-in", priority: 100, source: "10.99.0.0/24" }),
  rule({ name: "deny-all-in", priority: 4000, access: "Deny" }),
  rule({ name: "allow-forensics-out", priority: 100, direction: "Outbound", destination: "203.0.113.10" }),
  rule({ name: "deny-all-out", priority: 4000, direction: "Outbound", access: "Deny" }),
];

function stack(nicRules: Array<Record<string, unknown>> | undefined, o: { extraConfigs?: Array<Record<string, unknown>>; nicSubnet?: boolean } = {}) {
  const e = new Estate();
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24");
  const nsg: Res | undefined = nicRules ? e.nsg("nsg-ex01", nicRules) : undefined;
  const nic = e.nic("nic-ex01", { subnet: sub, privateIp: "10.0.1.4", nsg, extraConfigs: o.extraConfigs });
  e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  const a = analyse(e.resources);
  return { a, host: a.hosts[0] };
}

describe("isolationOf", () => {
  it("an isolated host has no gap, compromised or not", () => {
    const { a, host } = stack(ISOLATING);
    expect(isolationOf(a.flows, host, false, FORENSICS_IN, FORENSICS_OUT)).toEqual({ gaps: [], problems: [] });
    expect(isolationOf(a.flows, host, true, FORENSICS_IN, FORENSICS_OUT)).toEqual({ gaps: [], problems: [] });
  });

  it("without any NSG, inbound is open; outbound only counts for a compromised host", () => {
    const { a, host } = stack(undefined);
    const open = isolationOf(a.flows, host, false, FORENSICS_IN, FORENSICS_OUT);
    expect(open.gaps.map((g) => [g.direction, g.ipConfig])).toEqual([["inbound", "nic-ex01/ipconfig1"]]);
    const inbound = open.gaps[0].grants.reduce((s, g) => s.union(g.box.addrs), IntervalSet.EMPTY);
    expect(inbound.intersects(FORENSICS_IN)).toBe(false);
    expect(inbound.covers(INTERNET)).toBe(true);
    const compromised = isolationOf(a.flows, host, true, FORENSICS_IN, FORENSICS_OUT);
    expect(compromised.gaps.map((g) => [g.direction, g.ipConfig])).toEqual([
      ["inbound", "nic-ex01/ipconfig1"],
      ["outbound", "nic-ex01/ipconfig1"],
    ]);
    const outbound = compromised.gaps[1].grants.reduce((s, g) => s.union(g.box.addrs), IntervalSet.EMPTY);
    expect(outbound.intersects(FORENSICS_OUT)).toBe(false);
    expect(outbound.intersects(PRIVATE_SPACE)).toBe(false);
    expect(outbound.equals(INTERNET.subtract(FORENSICS_OUT))).toBe(true);
  });

  it("the VNet's default inbound allow is a gap when not overridden", () => {
    const { a, host } = stack([rule({ name: "allow-forensics-in", priority: 100, source: "10.99.0.0/24" })]);
    const v = isolationOf(a.flows, host, false, FORENSICS_IN, FORENSICS_OUT);
    expect(v.gaps).toHaveLength(1);
    const g = v.gaps[0];
    expect(g.direction).toBe("inbound");
    const addrs = g.grants.reduce((s, x) => s.union(x.box.addrs), IntervalSet.EMPTY);
    expect(addrs.intersects(FORENSICS_IN)).toBe(false);
    expect(addrs.covers(cidrs("10.0.0.0/16"))).toBe(true);
    expect(addrs.intersects(INTERNET)).toBe(false);
    expect(g.grants.map((x) => x.via[1]?.rule?.name).sort()).toEqual(["AllowAzureLoadBalancerInBound", "AllowVNetInBound"]);
  });

  it("inbound from the forensics prefix itself is not a gap, but a wider allow is", () => {
    const wide = stack([
      rule({ name: "allow-10", priority: 100, source: "10.0.0.0/8" }),
      rule({ name: "deny-all-in", priority: 4000, access: "Deny" }),
    ]);
    const v = isolationOf(wide.a.flows, wide.host, false, FORENSICS_IN, FORENSICS_OUT);
    expect(v.gaps).toHaveLength(1);
    const addrs = v.gaps[0].grants.reduce((s, x) => s.union(x.box.addrs), IntervalSet.EMPTY);
    expect(addrs.equals(cidrs("10.0.0.0/8").subtract(FORENSICS_IN))).toBe(true);
    expect(v.gaps[0].grants.every((x) => x.via.some((h) => h.rule?.name === "allow-10"))).toBe(true);
  });

  it("outbound to private space is not a gap for a compromised host, to the internet it is", () => {
    const { a, host } = stack([
      ...ISOLATING.slice(0, 2),
      rule({ name: "allow-https-out", priority: 200, direction: "Outbound", destination: "*", port: "443", protocol: "Tcp" }),
      rule({ name: "deny-all-out", priority: 4000, direction: "Outbound", access: "Deny" }),
    ]);
    const v = isolationOf(a.flows, host, true, FORENSICS_IN, FORENSICS_OUT);
    expect(v.gaps.map((g) => g.direction)).toEqual(["outbound"]);
    const out = v.gaps[0].grants;
    const addrs = out.reduce((s, x) => s.union(x.box.addrs), IntervalSet.EMPTY);
    expect(addrs.equals(INTERNET.subtract(FORENSICS_OUT))).toBe(true);
    expect(out.every((g) => g.box.protos === Proto.TCP)).toBe(true);
    expect(out.every((g) => g.box.ports.has(443n) && g.box.ports.size() === 1n)).toBe(true);
    expect(isolationOf(a.flows, host, false, FORENSICS_IN, FORENSICS_OUT).gaps).toEqual([]);
  });

  it("judges every ipConfiguration", () => {
    const { a, host } = stack(undefined, { extraConfigs: [{ name: "ipconfig2", privateIPAddress: "10.0.1.5" }] });
    const v = isolationOf(a.flows, host, false, FORENSICS_IN, FORENSICS_OUT);
    expect(v.gaps.map((g) => g.ipConfig)).toEqual(["nic-ex01/ipconfig1", "nic-ex01/ipconfig2"]);
  });

  it("passes on the host's problems: isolation cannot be shown", () => {
    const { a, host } = stack(ISOLATING);
    const e = new Estate();
    const vm = e.vm("ex02", { nics: [], tags: HOST_TAGS("unverified") });
    vm.properties.networkProfile = SENTINEL;
    const b = analyse(e.resources);
    const v = isolationOf(b.flows, b.hosts[0], true, FORENSICS_IN, FORENSICS_OUT);
    expect(v.gaps).toEqual([]);
    expect(v.problems).toEqual([
      "the network interfaces of VM ex02 are unknown at preview and no dependency names them",
      "the inline network interface configurations of VM ex02 are unknown at preview",
    ]);
    expect(isolationOf(a.flows, host, true, FORENSICS_IN, FORENSICS_OUT).problems).toBe(host.problems);
  });

  it("with no forensics prefixes every inbound allow is a gap", () => {
    const { a, host } = stack(ISOLATING);
    const v = isolationOf(a.flows, host, false, IntervalSet.EMPTY, IntervalSet.EMPTY);
    expect(v.gaps.map((g) => g.direction)).toEqual(["inbound"]);
    const addrs = v.gaps[0].grants.reduce((s, x) => s.union(x.box.addrs), IntervalSet.EMPTY);
    expect(addrs.equals(FORENSICS_IN)).toBe(true);
    const c = isolationOf(a.flows, host, true, FORENSICS_IN, IntervalSet.EMPTY);
    expect(c.gaps.map((g) => g.direction)).toEqual(["outbound"]);
  });
});
