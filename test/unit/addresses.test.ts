import fc from "fast-check";
import {
  ALL_ADDRESSES,
  ALL_V4,
  ALL_V6,
  AZURE_PLATFORM,
  describeAddresses,
  familyOf,
  familySet,
  INTERNET,
  isIpLiteral,
  parseAddressPrefix,
  PRIVATE_SPACE,
} from "../../policies/model/addresses";
import { IntervalSet } from "../../policies/model/intervalSet";
import { runs } from "../support/budget";

const V6_BASE = 1n << 32n;
const v4 = (a: number, b: number, c: number, d: number) => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
const ranges = (s: IntervalSet | undefined) => s?.ranges();
const one = (text: string): bigint => {
  const s = parseAddressPrefix(text);
  if (!s || s.size() !== 1n) throw new Error(`not a single address: ${text}`);
  return s.ranges()[0][0];
};

describe("parseAddressPrefix", () => {
  it("parses IPv4 CIDRs onto [0, 2^32)", () => {
    expect(ranges(parseAddressPrefix("10.0.0.0/8"))).toEqual([[v4(10, 0, 0, 0), v4(10, 255, 255, 255)]]);
    expect(ranges(parseAddressPrefix("192.168.1.0/24"))).toEqual([[v4(192, 168, 1, 0), v4(192, 168, 1, 255)]]);
    expect(ranges(parseAddressPrefix("0.0.0.0/1"))).toEqual([[0n, v4(127, 255, 255, 255)]]);
    expect(ranges(parseAddressPrefix("128.0.0.0/1"))).toEqual([[v4(128, 0, 0, 0), V6_BASE - 1n]]);
    expect(parseAddressPrefix("0.0.0.0/0")!.equals(ALL_V4)).toBe(true);
    expect(ranges(parseAddressPrefix("255.255.255.255/32"))).toEqual([[V6_BASE - 1n, V6_BASE - 1n]]);
  });

  it("reads an address without a mask as a single host (0.0.0.0 is not 'any')", () => {
    expect(ranges(parseAddressPrefix("1.2.3.4"))).toEqual([[v4(1, 2, 3, 4), v4(1, 2, 3, 4)]]);
    expect(ranges(parseAddressPrefix("0.0.0.0"))).toEqual([[0n, 0n]]);
    expect(parseAddressPrefix("0.0.0.0")!.size()).toBe(1n);
  });

  it("masks the host bits of a non-aligned CIDR (10.0.0.5/8 is 10.0.0.0/8)", () => {
    expect(parseAddressPrefix("10.0.0.5/8")!.equals(parseAddressPrefix("10.0.0.0/8")!)).toBe(true);
    expect(parseAddressPrefix("8.8.8.8/24")!.equals(parseAddressPrefix("8.8.8.0/24")!)).toBe(true);
    expect(parseAddressPrefix("2001:db8::1/32")!.equals(parseAddressPrefix("2001:db8::/32")!)).toBe(true);
  });

  it("parses IPv6 addresses and CIDRs onto [2^32, 2^32 + 2^128)", () => {
    expect(parseAddressPrefix("::/0")!.equals(ALL_V6)).toBe(true);
    expect(ranges(parseAddressPrefix("::"))).toEqual([[V6_BASE, V6_BASE]]);
    expect(ranges(parseAddressPrefix("::1"))).toEqual([[V6_BASE + 1n, V6_BASE + 1n]]);
    const lo = V6_BASE + (0x20010db8n << 96n);
    expect(ranges(parseAddressPrefix("2001:db8::/32"))).toEqual([[lo, lo + (1n << 96n) - 1n]]);
    expect(ranges(parseAddressPrefix("2001:DB8::/32"))).toEqual([[lo, lo + (1n << 96n) - 1n]]);
    expect(ranges(parseAddressPrefix("2001:db8::1/128"))).toEqual([[lo + 1n, lo + 1n]]);
    expect(ranges(parseAddressPrefix("2001:0db8:0000:0000:0000:0000:0000:0001"))).toEqual([[lo + 1n, lo + 1n]]);
  });

  it("keeps the families apart: ::/0 holds no IPv4 address and 0.0.0.0/0 no IPv6 one", () => {
    expect(parseAddressPrefix("::/0")!.intersects(ALL_V4)).toBe(false);
    expect(parseAddressPrefix("0.0.0.0/0")!.intersects(ALL_V6)).toBe(false);
    expect(parseAddressPrefix("0.0.0.0/0")!.union(parseAddressPrefix("::/0")!).equals(ALL_ADDRESSES)).toBe(true);
    // An IPv4-mapped IPv6 literal is an IPv6 address on this line, not the IPv4 one.
    expect(parseAddressPrefix("::ffff:1.2.3.4")!.intersects(ALL_V4)).toBe(false);
  });

  it("trims surrounding whitespace", () => {
    expect(parseAddressPrefix("  10.0.0.0/8 ")!.equals(parseAddressPrefix("10.0.0.0/8")!)).toBe(true);
    expect(parseAddressPrefix("\t2001:db8::/32\n")!.equals(parseAddressPrefix("2001:db8::/32")!)).toBe(true);
  });

  it.each([
    ["10.0.0.0/33"],
    ["0.0.0.0/33"],
    ["::/129"],
    ["1.2.3.4/"],
    ["1.2.3.4/-1"],
    ["1.2.3.4/8.0"],
    ["1.2.3.4/0008"],
    ["1.2.3.4/32/1"],
    ["10.0.0.0 /8"],
    ["10.0.0.0/ 8"],
    ["256.1.1.1"],
    ["1.2.3"],
    ["1.2.3.4.5"],
    ["010.0.0.1"],
    ["0x0a.0.0.1"],
    ["10.0.0.0/8,10.1.0.0/16"],
    ["2001:db8::g/32"],
    ["1:2:3:4:5:6:7:8:9"],
    ["Internet"],
    ["*"],
    ["garbage"],
    [""],
    ["   "],
    ["/8"],
  ])("rejects %j", (text) => {
    expect(parseAddressPrefix(text)).toBeUndefined();
  });

  it("matches an independent CIDR computation for random IPv4 prefixes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (addr, bits) => {
        const text = `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}/${bits}`;
        const size = 1n << BigInt(32 - bits);
        const lo = (BigInt(addr) / size) * size;
        expect(ranges(parseAddressPrefix(text))).toEqual([[lo, lo + size - 1n]]);
      }),
      { numRuns: runs(500) },
    );
  });

  it("matches an independent CIDR computation for random IPv6 prefixes", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), (addr, bits) => {
        const groups = Array.from({ length: 8 }, (_, i) => ((addr >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
        const size = 1n << BigInt(128 - bits);
        const lo = (addr / size) * size;
        expect(ranges(parseAddressPrefix(`${groups.join(":")}/${bits}`))).toEqual([[V6_BASE + lo, V6_BASE + lo + size - 1n]]);
      }),
      { numRuns: runs(500) },
    );
  });
});

describe("INTERNET", () => {
  it.each([
    "10.0.0.0",
    "10.255.255.255",
    "172.16.0.0",
    "172.31.255.255",
    "192.168.0.0",
    "192.168.255.255",
    "100.64.0.0",
    "100.127.255.255",
    "127.0.0.1",
    "168.63.129.16",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "::ffff:8.8.8.8",
  ])("excludes %s", (addr) => {
    expect(INTERNET.has(one(addr))).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "20.50.60.70", // another tenant's Azure public IP is still internet
    "9.255.255.255",
    "11.0.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "168.63.129.15",
    "168.63.129.17",
    "2001:4860::1",
    "2001:4860:4860::8888",
    "2a01:111::1",
  ])("includes %s", (addr) => {
    expect(INTERNET.has(one(addr))).toBe(true);
  });

  it("holds both families and is disjoint from private space and the Azure platform address", () => {
    expect(familyOf(INTERNET)).toBe("both");
    expect(INTERNET.intersects(PRIVATE_SPACE)).toBe(false);
    expect(INTERNET.intersects(AZURE_PLATFORM)).toBe(false);
    expect(ALL_ADDRESSES.covers(INTERNET)).toBe(true);
    expect(AZURE_PLATFORM.equals(parseAddressPrefix("168.63.129.16")!)).toBe(true);
  });
});

describe("describeAddresses", () => {
  const d = (text: string) => describeAddresses(parseAddressPrefix(text)!);

  it("names the two well-known sets", () => {
    expect(describeAddresses(ALL_ADDRESSES)).toBe("any address");
    expect(describeAddresses(INTERNET)).toBe("the internet");
  });

  it("prints CIDRs for each family", () => {
    expect(d("10.0.0.5/8")).toBe("10.0.0.0/8");
    expect(d("1.2.3.4")).toBe("1.2.3.4/32");
    expect(d("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(d("::/0")).toBe("::/0");
    expect(d("2001:db8::/32")).toBe("2001:db8::/32");
    expect(d("2001:db8::1")).toBe("2001:db8::1/128");
  });

  it("splits a range that is not one CIDR into aligned blocks", () => {
    expect(describeAddresses(IntervalSet.range(v4(10, 0, 0, 0), v4(10, 0, 0, 2)))).toBe("10.0.0.0/31, 10.0.0.2/32");
    expect(describeAddresses(IntervalSet.range(v4(10, 0, 0, 1), v4(10, 0, 0, 2)))).toBe("10.0.0.1/32, 10.0.0.2/32");
    const two = parseAddressPrefix("10.0.0.0/8")!.union(parseAddressPrefix("2001:db8::/32")!);
    expect(describeAddresses(two)).toBe("10.0.0.0/8, 2001:db8::/32");
  });

  it("splits a range that crosses from IPv4 into IPv6", () => {
    expect(describeAddresses(IntervalSet.range(V6_BASE - 1n, V6_BASE))).toBe("255.255.255.255/32, ::/128");
  });

  it("stops after `limit` blocks", () => {
    const many = IntervalSet.of([0, 2, 4, 6, 8, 10].map((i) => [BigInt(i), BigInt(i)] as const));
    expect(describeAddresses(many)).toBe("0.0.0.0/32, 0.0.0.2/32, 0.0.0.4/32, 0.0.0.6/32 and more");
    expect(describeAddresses(many, 2)).toBe("0.0.0.0/32, 0.0.0.2/32 and more");
    expect(describeAddresses(many, 6)).toBe("0.0.0.0/32, 0.0.0.2/32, 0.0.0.4/32, 0.0.0.6/32, 0.0.0.8/32, 0.0.0.10/32");
  });

  it("describes the internet minus one address as blocks (not as 'the internet')", () => {
    const text = describeAddresses(INTERNET.subtract(parseAddressPrefix("8.8.8.8")!));
    expect(text).not.toBe("the internet");
    expect(text.endsWith("and more")).toBe(true);
  });

  it("round-trips: every printed block parses back into the set", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: V6_BASE + 1000n }), fc.bigInt({ min: 0n, max: 300n })), { minLength: 1, maxLength: 3 }),
        (parts) => {
          const set = IntervalSet.of(parts.map(([lo, len]) => [lo, lo + len] as const));
          const text = describeAddresses(set, 10_000);
          const back = text.split(", ").reduce((acc, cidr) => acc.union(parseAddressPrefix(cidr)!), IntervalSet.EMPTY);
          expect(back.equals(set)).toBe(true);
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

describe("familyOf / familySet / isIpLiteral", () => {
  it("classifies sets by family", () => {
    expect(familyOf(parseAddressPrefix("10.0.0.0/8")!)).toBe("IPv4");
    expect(familyOf(parseAddressPrefix("2001:db8::/32")!)).toBe("IPv6");
    expect(familyOf(ALL_ADDRESSES)).toBe("both");
    expect(familyOf(parseAddressPrefix("1.2.3.4")!.union(parseAddressPrefix("::1")!))).toBe("both");
    expect(familyOf(IntervalSet.EMPTY)).toBe("none");
    expect(familyOf(IntervalSet.range(V6_BASE - 1n, V6_BASE - 1n))).toBe("IPv4");
    expect(familyOf(IntervalSet.range(V6_BASE, V6_BASE))).toBe("IPv6");
  });

  it("gives the whole family, or everything when the family is unknown", () => {
    expect(familySet("IPv4").equals(ALL_V4)).toBe(true);
    expect(familySet("IPv6").equals(ALL_V6)).toBe(true);
    expect(familySet(undefined).equals(ALL_ADDRESSES)).toBe(true);
  });

  it("recognises literals without a prefix length", () => {
    expect(isIpLiteral("10.0.0.4")).toBe(true);
    expect(isIpLiteral(" 2001:db8::1 ")).toBe(true);
    expect(isIpLiteral("10.0.0.0/8")).toBe(false);
    expect(isIpLiteral("Internet")).toBe(false);
    expect(isIpLiteral("")).toBe(false);
  });
});
