import { ALL_ADDRESSES, ALL_V4, ALL_V6, INTERNET, parseAddressPrefix } from "../../policies/model/addresses";
import { describeGrants, describeService, describeSources } from "../../policies/model/describe";
import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, Proto } from "../../policies/model/flows";
import { IntervalSet } from "../../policies/model/intervalSet";
import { Grant, NsgLevel, RuleHit } from "../../policies/model/nsgEvaluator";
import { assumedAllowAll, DEFAULT_RULES, parseSecurityRule, RuleSpec } from "../../policies/model/nsgRules";
import { UNKNOWN } from "../support/estate";

const cidrs = (...list: string[]) => list.map((c) => parseAddressPrefix(c)!).reduce((a, b) => a.union(b), IntervalSet.EMPTY);
const ports = (spec: string) => parsePortSpec(spec)!;
const V4_INTERNET = INTERNET.intersect(ALL_V4);
const V6_INTERNET = INTERNET.intersect(ALL_V6);

const grant = (addrs: IntervalSet, portSpec: string, protos: number, via: RuleHit[] = []): Grant => ({
  box: { addrs, ports: ports(portSpec), protos },
  via,
});

/** An inline rule as the model parses it from azure-native's shape. */
const inlineRule = (over: Record<string, unknown> = {}, origin: "inline" | "standalone" = "inline"): RuleSpec =>
  parseSecurityRule(
    {
      name: "allow-https",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "443",
      ...over,
    },
    origin,
    "fallback",
  );
const hit = (level: NsgLevel, nsg: string, rule: RuleSpec | undefined): RuleHit => ({ level, nsg, rule });
const defaultRule = (name: string) => DEFAULT_RULES.find((r) => r.name === name)!;

describe("describeService", () => {
  it("names TCP and UDP with their ports, other protocols by name only", () => {
    expect(describeService([grant(INTERNET, "443", Proto.TCP)])).toBe("TCP 443");
    expect(describeService([grant(INTERNET, "3389", Proto.TCP | Proto.UDP)])).toBe("TCP 3389; UDP 3389");
    expect(describeService([grant(INTERNET, "*", Proto.ICMP)])).toBe("ICMP");
    expect(describeService([grant(INTERNET, "*", Proto.ESP | Proto.AH)])).toBe("ESP; AH");
    expect(describeService([grant(INTERNET, "*", ALL_PROTOCOLS)])).toBe("TCP all ports; UDP all ports; ICMP; ESP; AH");
  });

  it("merges the ports of every grant per protocol, in the order protocols first appear", () => {
    const g = [grant(INTERNET, "53", Proto.UDP), grant(INTERNET, "443", Proto.TCP), grant(INTERNET, "80,1000-2000", Proto.TCP)];
    expect(describeService(g)).toBe("UDP 53; TCP 80, 443, 1000-2000");
  });

  it("is empty for no grants or no protocol", () => {
    expect(describeService([])).toBe("");
    expect(describeService([grant(INTERNET, "443", 0)])).toBe("");
  });
});

describe("describeSources", () => {
  it("names the internet and its families", () => {
    expect(describeSources(INTERNET)).toBe("the internet");
    expect(describeSources(V4_INTERNET)).toBe("the IPv4 internet");
    expect(describeSources(V6_INTERNET)).toBe("the IPv6 internet");
  });

  it("names the internet except a few prefixes", () => {
    expect(describeSources(INTERNET.subtract(cidrs("203.0.113.0/24")))).toBe("the internet except 203.0.113.0/24");
    expect(describeSources(INTERNET.subtract(cidrs("203.0.113.0/24", "198.51.100.7")))).toBe("the internet except 198.51.100.7/32, 203.0.113.0/24");
    expect(describeSources(V4_INTERNET.subtract(cidrs("203.0.113.0/24")))).toBe("the IPv4 internet except 203.0.113.0/24");
    expect(describeSources(V6_INTERNET.subtract(cidrs("2000::/3", "4000::/2")))).toBe("the IPv6 internet except 2000::/3, 4000::/2");
  });

  it("lists prefixes when more than three are missing", () => {
    const missing = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "8.8.8.8/32"];
    const text = describeSources(INTERNET.subtract(cidrs(...missing)));
    expect(text.startsWith("the internet")).toBe(false);
    expect(text.endsWith("and more")).toBe(true);
  });

  it("lists prefixes when less than half of the family remains", () => {
    const text = describeSources(V6_INTERNET.subtract(cidrs("2000::/3", "4000::/2", "8000::/2")));
    expect(text).not.toContain("except");
    expect(text).not.toMatch(/^the /);
  });

  it("lists a few prefixes as CIDRs", () => {
    expect(describeSources(cidrs("203.0.113.0/24"))).toBe("203.0.113.0/24");
    expect(describeSources(cidrs("203.0.113.0/24", "198.51.100.0/25"))).toBe("198.51.100.0/25, 203.0.113.0/24");
    expect(describeSources(ALL_ADDRESSES)).toBe("any address");
    expect(describeSources(cidrs("10.0.0.0/8"))).toBe("10.0.0.0/8");
  });
});

describe("describeGrants: rule labels", () => {
  const line = (via: RuleHit[], internet = true) => describeGrants([grant(V4_INTERNET, "443", Proto.TCP, via)], internet);

  it("a level without NSG", () => {
    expect(line([hit("subnet", "", undefined), hit("NIC", "", undefined)])).toEqual([
      "no subnet NSG → no NIC NSG → from the IPv4 internet → TCP 443",
    ]);
  });

  it("an NSG rule, with its NSG, level, priority and source", () => {
    expect(line([hit("subnet", "", undefined), hit("NIC", "nsg-ex01", inlineRule())])).toEqual([
      "no subnet NSG → NIC NSG nsg-ex01 rule allow-https (100) allows Internet → from the IPv4 internet → TCP 443",
    ]);
  });

  it("a standalone SecurityRule and several sources", () => {
    const r = inlineRule(
      { name: "rdp", priority: 310, sourceAddressPrefix: undefined, sourceAddressPrefixes: ["203.0.113.0/24", "Internet"] },
      "standalone",
    );
    expect(line([hit("subnet", "nsg-snet", r)])).toEqual([
      "subnet NSG nsg-snet SecurityRule rdp (310) allows 203.0.113.0/24, Internet → from the IPv4 internet → TCP 443",
    ]);
  });

  it("a default rule", () => {
    expect(line([hit("NIC", "nsg-ex01", defaultRule("AllowAzureLoadBalancerInBound"))])).toEqual([
      "NIC NSG nsg-ex01 default rule AllowAzureLoadBalancerInBound (65001) allows AzureLoadBalancer → from the IPv4 internet → TCP 443",
    ]);
  });

  it("an NSG that cannot be read", () => {
    const r = assumedAllowAll("nsg-x securityRules", "the rules of NSG nsg-x are unknown at preview");
    expect(line([hit("NIC", "nsg-x", r)])).toEqual([
      "NIC NSG nsg-x (the rules of NSG nsg-x are unknown at preview) → from the IPv4 internet → TCP 443",
    ]);
    const two = { ...r, notes: ["a", "b"] };
    expect(line([hit("subnet", "n", two)])[0]).toBe("subnet NSG n (a; b) → from the IPv4 internet → TCP 443");
  });

  it("a network manager AlwaysAllow rule", () => {
    const r: RuleSpec = { ...inlineRule({ name: "always" }), origin: "admin" };
    expect(line([hit("network manager", "avnm", r)])).toEqual([
      "network manager AlwaysAllow rule always (bypasses NSGs) → from the IPv4 internet → TCP 443",
    ]);
  });

  it("a rule read as wide as possible says why", () => {
    const r = { ...inlineRule(), notes: ["source prefix unknown at preview", "port unknown"] };
    expect(line([hit("NIC", "nsg-ex01", r)])).toEqual([
      "NIC NSG nsg-ex01 rule allow-https (100) allows Internet [read as wide as possible: source prefix unknown at preview; port unknown] → from the IPv4 internet → TCP 443",
    ]);
  });

  it("a rule whose priority is unknown does not print a made-up priority", () => {
    const r = inlineRule({ priority: UNKNOWN });
    const text = line([hit("NIC", "nsg-ex01", r)])[0];
    expect(text).toContain("NIC NSG nsg-ex01 rule allow-https (priority unknown) allows Internet [read as wide as possible: priority");
    expect(text).not.toContain(`(${r.priority})`);
  });
});

describe("describeGrants: grouping and sources", () => {
  const viaA = [hit("NIC", "nsg-ex01", inlineRule())];
  const viaB = [hit("NIC", "nsg-ex01", inlineRule({ name: "allow-smtp", priority: 110, destinationPortRange: "25" }))];

  it("one line per chain of rules, merging addresses and services", () => {
    const lines = describeGrants(
      [grant(V4_INTERNET, "443", Proto.TCP, viaA), grant(V6_INTERNET, "443", Proto.TCP, viaA), grant(V4_INTERNET, "25", Proto.TCP, viaB)],
      true,
    );
    expect(lines).toEqual([
      "NIC NSG nsg-ex01 rule allow-https (100) allows Internet → from the internet → TCP 443",
      "NIC NSG nsg-ex01 rule allow-smtp (110) allows Internet → from the IPv4 internet → TCP 25",
    ]);
  });

  it("the same rule name at another priority or in another NSG is another chain", () => {
    const samePrio = [hit("NIC", "nsg-ex01", inlineRule({ priority: 200 }))];
    const otherNsg = [hit("NIC", "nsg-ex02", inlineRule())];
    const otherLevel = [hit("subnet", "nsg-ex01", inlineRule())];
    const lines = describeGrants(
      [
        grant(V4_INTERNET, "443", Proto.TCP, viaA),
        grant(V4_INTERNET, "443", Proto.TCP, samePrio),
        grant(V4_INTERNET, "443", Proto.TCP, otherNsg),
        grant(V4_INTERNET, "443", Proto.TCP, otherLevel),
      ],
      true,
    );
    expect(lines).toHaveLength(4);
  });

  it("describes sources as prefixes when they are not known to be internet", () => {
    expect(describeGrants([grant(V4_INTERNET, "443", Proto.TCP, viaA)], false)[0]).toMatch(/ → from .* and more → TCP 443$/);
    expect(describeGrants([grant(cidrs("10.0.0.0/8", "192.168.0.0/16"), "443", Proto.TCP, viaA)], false)).toEqual([
      "NIC NSG nsg-ex01 rule allow-https (100) allows Internet → from 10.0.0.0/8, 192.168.0.0/16 → TCP 443",
    ]);
    expect(describeGrants([grant(INTERNET, "443", Proto.TCP, viaA)], false)[0]).toContain("→ from the internet →");
  });

  it("is empty without grants", () => {
    expect(describeGrants([], true)).toEqual([]);
  });
});

describe("describeGrants: secrets", () => {
  const secretRule = inlineRule({ name: "from-partner", sourceAddressPrefix: "198.51.100.0/24" });

  it("withholds addresses and ports when a rule on the way uses a secret value", () => {
    const lines = describeGrants(
      [grant(cidrs("198.51.100.0/24"), "443", Proto.TCP, [hit("NIC", "nsg-ex01", secretRule)])],
      true,
      new Set(["198.51.100.0/24"]),
    );
    expect(lines).toEqual([
      "NIC NSG nsg-ex01 rule from-partner (100) allows 198.51.100.0/24 → addresses and ports withheld: the rule uses a secret value",
    ]);
  });

  it("matches a secret against the rule's text trimmed", () => {
    const padded = inlineRule({ name: "p", destinationPortRange: " 8443 " });
    const lines = describeGrants([grant(V4_INTERNET, "8443", Proto.TCP, [hit("NIC", "n", padded)])], true, new Set(["8443"]));
    expect(lines[0]).toContain("withheld");
  });

  it("spells out flows when no rule uses a secret", () => {
    const via = [hit("subnet", "", undefined), hit("NIC", "nsg-ex01", secretRule)];
    const g = [grant(cidrs("198.51.100.0/24"), "443", Proto.TCP, via)];
    const expected = "no subnet NSG → NIC NSG nsg-ex01 rule from-partner (100) allows 198.51.100.0/24 → from 198.51.100.0/24 → TCP 443";
    expect(describeGrants(g, true)).toEqual([expected]);
    expect(describeGrants(g, true, new Set(["something-else"]))).toEqual([expected]);
  });
});

describe("sanity of the helpers used here", () => {
  it("ALL_PORTS is what the parser returns for *", () => {
    expect(ports("*").equals(ALL_PORTS)).toBe(true);
  });
});
