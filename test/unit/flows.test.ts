import fc from "fast-check";
import { describeService } from "../../policies/model/describe";
import {
  ALL_PORTS,
  ALL_PROTOCOLS,
  Box,
  describePorts,
  intersectBox,
  parsePortSpec,
  parseProtocol,
  portRange,
  Proto,
  protocolNames,
  subtractBox,
} from "../../policies/model/flows";
import { IntervalSet } from "../../policies/model/intervalSet";
import { runs } from "../support/budget";

const ranges = (s: IntervalSet | undefined) => s?.ranges().map(([lo, hi]) => [Number(lo), Number(hi)]);

describe("parsePortSpec", () => {
  it("reads * (and Any) as every port", () => {
    expect(parsePortSpec("*")!.equals(ALL_PORTS)).toBe(true);
    expect(parsePortSpec(" * ")!.equals(ALL_PORTS)).toBe(true);
    expect(parsePortSpec("Any")!.equals(ALL_PORTS)).toBe(true);
    expect(parsePortSpec("0-65535")!.equals(ALL_PORTS)).toBe(true);
    expect(parsePortSpec("80, *")!.equals(ALL_PORTS)).toBe(true);
    expect(ALL_PORTS.size()).toBe(65536n);
  });

  it("reads a single port", () => {
    expect(ranges(parsePortSpec("443"))).toEqual([[443, 443]]);
    expect(ranges(parsePortSpec(" 3389 "))).toEqual([[3389, 3389]]);
    expect(ranges(parsePortSpec("0"))).toEqual([[0, 0]]);
    expect(ranges(parsePortSpec("65535"))).toEqual([[65535, 65535]]);
  });

  it("reads a range, inclusive at both ends", () => {
    expect(ranges(parsePortSpec("1000-2000"))).toEqual([[1000, 2000]]);
    expect(ranges(parsePortSpec("1000 - 2000"))).toEqual([[1000, 2000]]);
    expect(ranges(parsePortSpec("443-443"))).toEqual([[443, 443]]);
    expect(parsePortSpec("1000-2000")!.has(999n)).toBe(false);
    expect(parsePortSpec("1000-2000")!.has(2001n)).toBe(false);
  });

  it("reads the portal's comma notation as a union", () => {
    expect(ranges(parsePortSpec("80, 443"))).toEqual([
      [80, 80],
      [443, 443],
    ]);
    expect(ranges(parsePortSpec("80,443,10000-10005"))).toEqual([
      [80, 80],
      [443, 443],
      [10000, 10005],
    ]);
    expect(ranges(parsePortSpec("100-200, 150-300"))).toEqual([[100, 300]]);
    expect(ranges(parsePortSpec("443,443"))).toEqual([[443, 443]]);
  });

  it.each([
    ["65536"],
    ["70000"],
    ["99999"],
    ["123456"],
    ["0-65536"],
    ["2000-1000"],
    ["-1"],
    ["443-"],
    ["-443"],
    ["1.5"],
    ["0x50"],
    ["80,,443"],
    ["80;443"],
    ["80 443"],
    ["http"],
    ["garbage"],
    [""],
    ["   "],
    ["1000-2000-3000"],
  ])("rejects %j", (text) => {
    expect(parsePortSpec(text)).toBeUndefined();
  });
});

describe("parseProtocol", () => {
  it.each([
    ["Tcp", Proto.TCP],
    ["tcp", Proto.TCP],
    ["TCP", Proto.TCP],
    [" Tcp ", Proto.TCP],
    ["Udp", Proto.UDP],
    ["UDP", Proto.UDP],
    ["Icmp", Proto.ICMP],
    ["ICMP", Proto.ICMP],
    ["Esp", Proto.ESP],
    ["Ah", Proto.AH],
    ["AH", Proto.AH],
    ["*", ALL_PROTOCOLS],
    ["Any", ALL_PROTOCOLS],
    ["any", ALL_PROTOCOLS],
    ["All", Proto.TCP | Proto.UDP],
    ["all", Proto.TCP | Proto.UDP],
    ["ALL", Proto.TCP | Proto.UDP],
  ])("reads %j", (text, bits) => {
    expect(parseProtocol(text)).toBe(bits);
  });

  it.each([["bogus"], [""], [" "], ["Tcp,Udp"], ["6"], ["http"], ["Icmpv6"]])("rejects %j", (text) => {
    expect(parseProtocol(text)).toBeUndefined();
  });

  it("has distinct bits and names them", () => {
    const bits = [Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ESP, Proto.AH];
    expect(bits.reduce((a, b) => a | b, 0)).toBe(ALL_PROTOCOLS);
    expect(new Set(bits).size).toBe(5);
    expect(protocolNames(ALL_PROTOCOLS)).toEqual(["TCP", "UDP", "ICMP", "ESP", "AH"]);
    expect(protocolNames(Proto.TCP | Proto.ICMP)).toEqual(["TCP", "ICMP"]);
    expect(protocolNames(0)).toEqual([]);
  });
});

describe("describePorts / describeService", () => {
  it("summarises ports", () => {
    expect(describePorts(ALL_PORTS)).toBe("all ports");
    expect(describePorts(parsePortSpec("443, 3389-3390")!)).toBe("443, 3389-3390");
  });

  it("summarises flows per protocol", () => {
    const box: Box = { addrs: IntervalSet.range(0n, 0n), ports: portRange(443, 443), protos: Proto.TCP | Proto.ICMP };
    const udp: Box = { addrs: IntervalSet.range(0n, 0n), ports: portRange(3389, 3389), protos: Proto.UDP | Proto.TCP };
    expect(
      describeService([
        { box, via: [] },
        { box: udp, via: [] },
      ]),
    ).toBe("TCP 443, 3389; ICMP; UDP 3389");
  });
});

// ---------------------------------------------------------------------------------------
// Boxes: checked point by point over a small universe
// ---------------------------------------------------------------------------------------

const N = 12; // addresses and ports drawn from [0, N]
const BITS = [Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ESP, Proto.AH];

const smallSet = fc
  .array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: 4 })), { maxLength: 3 })
  .map((rs) => IntervalSet.of(rs.map(([lo, len]) => [BigInt(lo), BigInt(Math.min(N, lo + len))] as const)));
const smallBox: fc.Arbitrary<Box> = fc.record({ addrs: smallSet, ports: smallSet, protos: fc.integer({ min: 0, max: ALL_PROTOCOLS }) });

const inBox = (b: Box, a: number, p: number, bit: number) => b.addrs.has(BigInt(a)) && b.ports.has(BigInt(p)) && (b.protos & bit) !== 0;

function forEachPoint(f: (a: number, p: number, bit: number) => void) {
  for (let a = 0; a <= N + 1; a++) for (let p = 0; p <= N + 1; p++) for (const bit of BITS) f(a, p, bit);
}

describe("intersectBox", () => {
  it("contains exactly the points in both boxes (undefined when there are none)", () => {
    fc.assert(
      fc.property(smallBox, smallBox, (a, b) => {
        const i = intersectBox(a, b);
        let any = false;
        forEachPoint((x, p, bit) => {
          const expected = inBox(a, x, p, bit) && inBox(b, x, p, bit);
          any ||= expected;
          if ((i !== undefined && inBox(i, x, p, bit)) !== expected)
            throw new Error(`point (${x}, ${p}, ${bit}): expected ${expected ? "in" : "out of"} a ∩ b`);
        });
        expect(i === undefined).toBe(!any);
        if (i) expect(boxIsEmpty(i)).toBe(false);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe("subtractBox", () => {
  it("returns a alone when the boxes do not meet", () => {
    const a: Box = { addrs: IntervalSet.range(0n, 5n), ports: portRange(1, 2), protos: Proto.TCP };
    const b: Box = { addrs: IntervalSet.range(0n, 5n), ports: portRange(1, 2), protos: Proto.UDP };
    expect(subtractBox(a, b)).toEqual([a]);
  });

  it("returns nothing when b covers a", () => {
    const a: Box = { addrs: IntervalSet.range(3n, 5n), ports: portRange(443, 443), protos: Proto.TCP };
    const b: Box = { addrs: IntervalSet.range(0n, 9n), ports: ALL_PORTS, protos: ALL_PROTOCOLS };
    expect(subtractBox(a, b)).toEqual([]);
  });

  it("produces at most three non-empty, pairwise disjoint pieces whose union is a − b", () => {
    fc.assert(
      fc.property(smallBox, smallBox, (a, b) => {
        const pieces = subtractBox(a, b);
        expect(pieces.length).toBeLessThanOrEqual(3);
        // An empty input box is returned as is ([a]); otherwise no piece is empty.
        if (!boxIsEmpty(a)) for (const piece of pieces) expect(boxIsEmpty(piece)).toBe(false);
        for (let i = 0; i < pieces.length; i++) {
          for (let j = i + 1; j < pieces.length; j++) expect(intersectBox(pieces[i], pieces[j])).toBeUndefined();
        }
        forEachPoint((x, p, bit) => {
          const expected = inBox(a, x, p, bit) && !inBox(b, x, p, bit);
          const hits = pieces.filter((piece) => inBox(piece, x, p, bit)).length;
          if (hits > 1) throw new Error(`point (${x}, ${p}, ${bit}) is in ${hits} pieces`);
          if ((hits === 1) !== expected) throw new Error(`point (${x}, ${p}, ${bit}): expected ${expected ? "in" : "out of"} a − b`);
        });
      }),
      { numRuns: runs(500) },
    );
  });
});

function boxIsEmpty(b: Box): boolean {
  return b.addrs.isEmpty || b.ports.isEmpty || b.protos === 0;
}
