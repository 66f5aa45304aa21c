import { ALL_ADDRESSES, parseAddressPrefix } from "../../policies/model/addresses";
import { ALL_PORTS, Proto } from "../../policies/model/flows";
import { CompiledNsg, evaluateNsg, Grant, intersectGrants, NsgEvaluator, sortRules } from "../../policies/model/nsgEvaluator";
import { intersectBox } from "../../policies/model/flows";
import { IntervalSet } from "../../policies/model/intervalSet";
import { LocalEnd, parseSecurityRule, RemoteContext } from "../../policies/model/nsgRules";
import { rule } from "../support/estate";

const ctx: RemoteContext = { vnetAllow: parseAddressPrefix("10.0.0.0/16")!, vnetDeny: parseAddressPrefix("10.0.0.0/16")! };
const host = (ip: string, asgs?: string[]): LocalEnd => ({
  addrs: parseAddressPrefix(ip)!,
  asgs: asgs ? new Set(asgs) : undefined,
  asgKey: (r) => r.toLowerCase(),
});

const nsg: CompiledNsg = {
  key: "urn:nsg",
  name: "nsg",
  rules: sortRules([
    // Only host A gets 443 from the internet; host B falls through to the defaults.
    parseSecurityRule(
      rule({ name: "allow-a-443", priority: 100, source: "Internet", destination: "10.0.1.4", port: "443", protocol: "Tcp" }),
      "inline",
      "r1",
    ),
    parseSecurityRule(
      rule({
        name: "allow-b-outbound-dns",
        priority: 100,
        direction: "Outbound",
        source: "10.0.1.5",
        destination: "8.8.8.8",
        port: "53",
        protocol: "Udp",
      }),
      "inline",
      "r2",
    ),
  ]),
};

const internet443 = (grants: ReturnType<typeof evaluateNsg>) =>
  grants.some((g) => g.box.addrs.has(parseAddressPrefix("8.8.8.8")!.ranges()[0][0]) && g.box.ports.has(443n) && (g.box.protos & Proto.TCP) !== 0);

describe("NsgEvaluator cache", () => {
  it("shares one evaluation between hosts that every rule treats alike, and keeps apart hosts a rule tells apart", () => {
    const ev = new NsgEvaluator();
    const a = ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.4"), ctx, "vnet");
    const b = ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.5"), ctx, "vnet");
    const c = ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.6"), ctx, "vnet");
    expect(internet443(a)).toBe(true);
    expect(internet443(b)).toBe(false);
    expect(internet443(c)).toBe(false);
    // b and c: the only inbound rule says "no" to both, so c reuses b's evaluation (the outbound rule is not part of the inbound key).
    expect([ev.misses, ev.hits]).toEqual([2, 1]);
    expect(c).toBe(b);
  });

  it("keys on level, direction and the virtual network context too", () => {
    const ev = new NsgEvaluator();
    const inbound = ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.5"), ctx, "vnet");
    const outbound = ev.evaluate(nsg, "NIC", "outbound", host("10.0.1.5"), ctx, "vnet");
    ev.evaluate(nsg, "subnet", "inbound", host("10.0.1.5"), ctx, "vnet");
    ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.5"), ctx, "other-vnet");
    expect(ev.misses).toBe(4);
    expect(outbound).not.toBe(inbound);
    // Outbound DNS to 8.8.8.8 is allowed by the rule for 10.0.1.5 (and by the internet default), inbound is not.
    expect(outbound.some((g) => g.via[0].rule?.name === "allow-b-outbound-dns")).toBe(true);
  });

  it("the same NSG at the other level is relabelled, not evaluated again: same flows, its own level", () => {
    const ev = new NsgEvaluator();
    const nic = ev.evaluate(nsg, "NIC", "inbound", host("10.0.1.4"), ctx, "vnet");
    const sub = ev.evaluate(nsg, "subnet", "inbound", host("10.0.1.4"), ctx, "vnet");
    expect([ev.misses, ev.relabels, ev.hits]).toEqual([2, 1, 0]);
    expect(sub.map((g) => g.box)).toEqual(nic.map((g) => g.box));
    expect(sub.every((g) => g.via.every((h) => h.level === "subnet"))).toBe(true);
    expect(nic.every((g) => g.via.every((h) => h.level === "NIC"))).toBe(true);
    expect(sub).toEqual(evaluateNsg(nsg, "subnet", "inbound", host("10.0.1.4"), ctx));
  });

  it("evaluates a rule whose direction is the other one as if it did not exist", () => {
    const grants = evaluateNsg(nsg, "NIC", "inbound", host("10.0.1.5"), ctx);
    expect(grants.some((g) => g.via[0].rule?.name === "allow-b-outbound-dns")).toBe(false);
    expect(grants.map((g) => g.via[0].rule?.name).sort()).toEqual(["AllowAzureLoadBalancerInBound", "AllowVNetInBound"]);
  });
});

describe("sortRules", () => {
  it("orders by priority, an allow before a deny of the same priority (Azure forbids the tie; the allow can only over-report)", () => {
    const deny = parseSecurityRule(rule({ name: "deny", priority: 200, access: "Deny" }), "inline", "d");
    const allow = parseSecurityRule(rule({ name: "allow", priority: 200 }), "inline", "a");
    const first = parseSecurityRule(rule({ name: "first", priority: 100, access: "Deny" }), "inline", "f");
    expect(sortRules([deny, allow, first]).map((r) => r.name)).toEqual(["first", "allow", "deny"]);
    expect(sortRules([allow, deny, first]).map((r) => r.name)).toEqual(["first", "allow", "deny"]);
    const allow2 = parseSecurityRule(rule({ name: "allow2", priority: 200 }), "inline", "a2");
    expect(sortRules([allow2, allow]).map((r) => r.name)).toEqual(["allow2", "allow"]);
  });

  it("a deny sorted after an equal-priority allow lets the allow through", () => {
    const rules = sortRules([
      parseSecurityRule(rule({ name: "deny", priority: 200, access: "Deny", source: "Internet" }), "inline", "d"),
      parseSecurityRule(rule({ name: "allow", priority: 200, source: "Internet", port: "443", protocol: "Tcp" }), "inline", "a"),
    ]);
    const grants = evaluateNsg({ key: "k", name: "n", rules }, "NIC", "inbound", host("10.0.1.4"), ctx);
    expect(internet443(grants)).toBe(true);
    expect(grants.find((g) => g.box.ports.has(443n))?.box.ports.equals(ALL_PORTS)).toBe(false);
  });
});

describe("intersectGrants with the grant index", () => {
  // Fragmented grants as an attacker-sized NSG leaves them: the indexed join must give exactly the pairwise join.
  const grantsOf = (seed: number, n: number): Grant[] => {
    let a = seed;
    const rnd = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
    return Array.from({ length: n }, (_, i) => {
      const len = 8 + Math.floor(rnd() * 17);
      const prefix = rnd() < 0.1 ? "2001:db8::/32" : `${20 + Math.floor(rnd() * 180)}.${Math.floor(rnd() * 256)}.0.0/${len}`;
      const lo = Math.floor(rnd() * 60000);
      const wide = rnd() < 0.05;
      return {
        box: {
          addrs: wide ? ALL_ADDRESSES : parseAddressPrefix(prefix)!,
          ports: wide ? ALL_PORTS : IntervalSet.range(BigInt(lo), BigInt(lo + Math.floor(rnd() * 5000))),
          protos: rnd() < 0.5 ? Proto.TCP : Proto.TCP | Proto.UDP,
        },
        via: [{ nsg: `n${seed}`, level: "subnet" as const, rule: undefined, i } as unknown as Grant["via"][number]],
      };
    });
  };
  const direct = (a: Grant[], b: Grant[]) => {
    const out: Grant[] = [];
    for (const x of a)
      for (const y of b) {
        const box = intersectBox(x.box, y.box);
        if (box) out.push({ box, via: [...x.via, ...y.via] });
      }
    return out;
  };

  it.each([1, 2, 3])("equals the direct pairwise join, in the same order (seed %i)", (seed) => {
    const a = grantsOf(seed, 300);
    const b = grantsOf(seed + 100, 250);
    const got = intersectGrants(a, b);
    const want = direct(a, b);
    expect(want.length).toBeGreaterThan(0);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
  });
});
